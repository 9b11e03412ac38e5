// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The controller's event loop: link events, a timer (the carrier poll and
 * the mode's 100 ms tick), signals, the control socket and the mode's own
 * sockets. Whatever moved, the publisher follows. The timer runs at the
 * carrier poll's period (--carrier-poll, 10 ms) only while a member's carrier
 * events may come late (members.c), else every 100 ms: each wakeup costs the
 * host, and a veth's events are prompt.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include "daemon/daemon.h"
#include "daemon/mode.h"
#include "daemon/state.h"
#include "lag/lag.h"
#include "sys/ctl_socket.h"
#include "sys/clock.h"
#include "sys/lock.h"
#include "sys/log.h"
#include "sys/notify.h"

#define MODE_TICK_MS 100 /* the LACP tick */

/* After the mode had its say: publish if it moved, else refresh its mirror. */
static void settle(struct ctrl *c, int changed)
{
	if (changed)
		ctrl_publish(c);
	else if (c->mode->published)
		c->mode->published(c);
}

/* Carry on from what the data path does now: the live table and the
 * members' flags, so the first publish changes nothing that still holds.
 */
static void adopt_tables(struct ctrl *c)
{
	struct lag_table t;
	struct lag_member rec;
	__u32 active;

	if (maps_active_get(&c->maps, &active) || active > LAG_TABLE_LIVE1 ||
	    maps_table_read(&c->maps, active, &t)) {
		lag_log(LAG_LOG_WARN, "%s: live table not adoptable: rebuilt\n", c->cfg.name);
		return;
	}
	c->live_slot = active;
	memcpy(c->table, t.ifindex, sizeof(c->table));
	c->table_switches = 1; /* the table exists: publish only what changes */
	for (int i = 0; i < c->n; i++) {
		if (maps_member_get(&c->maps, (__u32)c->m[i].ifindex, &rec))
			continue;
		c->m[i].collecting = !!(rec.flags & LAG_M_COLLECTING);
		c->m[i].distributing = !!(rec.flags & LAG_M_DISTRIBUTING);
	}
	c->available = t.n_members > 0;
	lag_log(LAG_LOG_INFO, "%s: adopted live table %u (%u members distributing)\n", c->cfg.name,
		active, t.n_members);
}

static int ctrl_init(struct ctrl *c, int adopt)
{
	struct nl_link l;
	struct lag_cfg cfg;
	int err;

	err = lag_pins_open(&c->maps, c->cfg.name, &c->paths);
	if (err)
		return err;
	err = nl_open(&c->nl, 0);
	if (!err)
		err = nl_open(&c->mon, RTMGRP_LINK);
	if (err) {
		lag_err("controller: cannot open rtnetlink: %s", strerror(-err));
		return err;
	}
	if ((err = maps_cfg_get(&c->maps, &cfg)) ||
	    (err = nl_link_get(&c->nl, c->cfg.peer, 0, &l))) {
		lag_err("controller: LAG device state unreadable: %s", strerror(-err));
		return err;
	}
	c->lag_ifindex = (int)cfg.lag_ifindex;
	c->peer_ifindex = l.ifindex;
	c->lag_carrier_set = !!(l.flags & IFF_UP);
	err = ctrl_members_load(c);
	if (err)
		return err;
	c->live_slot = LAG_TABLE_LIVE0;
	c->adopting = adopt;
	if (adopt)
		adopt_tables(c);
	c->started_ns = clock_now_ns();
	c->mode = c->cfg.mode == LAG_MODE_LACP ? &ctrl_mode_lacp : &ctrl_mode_static;
	err = ctrl_events_init(c);
	if (err) {
		lag_err("controller: events: %s", strerror(-err));
		return err;
	}
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (c->epfd < 0) {
		err = -errno;
		lag_err("controller: epoll: %s", strerror(-err));
		return err;
	}
	err = ctrl_stack_init(c);
	if (err)
		return err;
	return c->mode->init ? c->mode->init(c) : 0;
}

static void ctrl_fini(struct ctrl *c)
{
	ctrl_stack_fini(c);
	if (c->mode && c->mode->fini)
		c->mode->fini(c);
	if (c->epfd >= 0)
		close(c->epfd);
	nl_close(&c->mon);
	nl_close(&c->nl);
	maps_close(&c->maps);
}

/* The service manager's one-line status (systemctl status), when the LAG's
 * state or its number of distributing members moved. Without a manager
 * ($NOTIFY_SOCKET unset) notify_send does nothing.
 */
static void notify_status(struct ctrl *c)
{
	const char *state = ctrl_lag_state(c);
	unsigned int n_dist = 0;
	int err;

	for (int i = 0; i < c->n; i++)
		n_dist += !!c->m[i].distributing;
	if (state == c->notified_state && n_dist == c->notified_dist)
		return;
	c->notified_state = state;
	c->notified_dist = n_dist;
	err = notify_send("STATUS=%s %s: %u of %d members distributing", c->cfg.name, state, n_dist,
			  c->n);
	if (err)
		lag_log(LAG_LOG_WARN, "%s: cannot notify the service manager: %s\n", c->cfg.name,
			strerror(-err));
}

/* Serving: tell the service manager (if one started us: MAINPID, since the
 * command that forked this controller exits now) and then the parent. From
 * now on errors go to the log file only, so the caller's stderr (maybe a pipe
 * someone waits on) is released; the journal's stream is kept.
 */
static void signal_ready(struct ctrl *c, int ready_fd)
{
	int devnull, err;

	err = notify_send("MAINPID=%d\nREADY=1", (int)getpid());
	if (err)
		lag_log(LAG_LOG_WARN, "%s: cannot notify the service manager: %s\n", c->cfg.name,
			strerror(-err));
	notify_status(c);
	if (ready_fd < 0)
		return;
	if (write(ready_fd, "1", 1) != 1)
		lag_log(LAG_LOG_WARN, "%s: parent gone before ready\n", c->cfg.name);
	close(ready_fd);
	if (lag_log_is_journal())
		return;
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull >= 0) {
		if (dup2(devnull, STDERR_FILENO) < 0)
			lag_log(LAG_LOG_WARN, "%s: stderr kept: %s\n", c->cfg.name,
				strerror(errno));
		close(devnull);
	}
}

/* SIGHUP reopens the log (logrotate's habit); SIGTERM and SIGINT stop. */
static int stop_signal(struct ctrl *c, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGUSR2)
			c->handover = 1; /* restart: a new controller takes over as is */
		if (si.ssi_signo != SIGHUP)
			return 1;
		if (lag_log_reopen())
			lag_log(LAG_LOG_WARN, "%s: cannot reopen the log\n", c->cfg.name);
		lag_log(LAG_LOG_INFO, "%s: SIGHUP: log reopened\n", c->cfg.name);
	}
	return 0;
}

/* Once a second: a controller whose namespace lost its name (ip netns del)
 * would keep the namespace and its devices alive for nobody: it tears its
 * LAG down instead.
 */
static int netns_gone(const struct ctrl *c)
{
	return c->paths.ns_named && lag_netns_is_current(c->paths.ns) == 0;
}

/* The timer's period: the carrier poll's while a member is polled (at most
 * MODE_TICK_MS), else MODE_TICK_MS.
 */
static int retime(struct ctrl *c, int tfd)
{
	unsigned int poll = c->cfg.carrier_poll_ms,
		     ms = ctrl_polling(c) && poll < MODE_TICK_MS ? poll : MODE_TICK_MS;
	struct itimerspec its = { .it_interval = { 0, ms * 1000000L },
				  .it_value = { 0, ms * 1000000L } };

	if (ms == c->tick_ms)
		return 0;
	if (timerfd_settime(tfd, 0, &its, NULL))
		return -errno;
	if (c->tick_ms)
		lag_log(LAG_LOG_INFO, "%s: timer every %u ms (carrier poll %s)\n", c->cfg.name, ms,
			ctrl_polling(c) ? "on: a member's link events may come late"
					: "off: link events are prompt for every member, or "
					  "--carrier-poll 0");
	c->tick_ms = ms;
	return 0;
}

static int serve(struct ctrl *c, int tfd, int sfd, int lfd)
{
	unsigned int mode_ms = 0, second_ms = 0, poll_ms = 0;

	for (;;) {
		struct epoll_event evs[16];
		int n = epoll_wait(c->epfd, evs, 16, -1);

		if (n < 0 && errno != EINTR)
			return -errno;
		for (int i = 0; i < n; i++) {
			uint64_t tag = evs[i].data.u64, exp;

			switch (tag) {
			case CTRL_EP_MON:
				if (nl_monitor_read(&c->mon, ctrl_link_event, c) == -ENOBUFS) {
					/* Link events lost: read every member now. */
					lag_log(LAG_LOG_INFO,
						"%s: link events overran: every member "
						"read again\n",
						c->cfg.name);
					ctrl_poll_carriers(c, 1);
				}
				break;
			case CTRL_EP_TIMER:
				if (read(tfd, &exp, sizeof(exp)) != sizeof(exp))
					break;
				mode_ms += (unsigned int)exp * c->tick_ms;
				second_ms += (unsigned int)exp * c->tick_ms;
				poll_ms += (unsigned int)exp * c->tick_ms;
				if (second_ms >= 1000 ||
				    (ctrl_polling(c) && poll_ms >= c->cfg.carrier_poll_ms)) {
					ctrl_poll_carriers(c, second_ms >= 1000);
					poll_ms = 0;
				}
				ctrl_clients_expire(c, clock_now_ns());
				notify_status(c);
				ctrl_http_expire(c, clock_now_ns());
				if (second_ms >= 1000) {
					second_ms = 0;
					if (netns_gone(c)) {
						c->netns_gone = 1;
						return 0;
					}
					ctrl_events_second(c);
					ctrl_rebalance_second(c);
				}
				while (mode_ms >= MODE_TICK_MS) {
					mode_ms -= MODE_TICK_MS;
					ctrl_heartbeat(c);
					ctrl_stack_poll(c);
					if (c->mode->tick)
						settle(c, c->mode->tick(c));
				}
				break;
			case CTRL_EP_SIGNAL:
				if (stop_signal(c, sfd))
					return 0;
				break;
			case CTRL_EP_CTL:
				ctrl_clients_accept(c, lfd);
				break;
			case CTRL_EP_HTTP:
				ctrl_http_accept(c);
				break;
			default:
				if (tag >= CTRL_EP_HTTP_CLIENT && tag < CTRL_EP_CLIENT) {
					ctrl_http_event(c,
							(unsigned int)(tag - CTRL_EP_HTTP_CLIENT));
					break;
				}
				if (tag >= CTRL_EP_CLIENT && tag < CTRL_EP_SUB) {
					ctrl_clients_event(c, (unsigned int)(tag - CTRL_EP_CLIENT));
					break;
				}
				if (tag >= CTRL_EP_SUB && tag < CTRL_EP_MODE) {
					ctrl_events_io(c, (unsigned int)(tag - CTRL_EP_SUB));
					break;
				}
				if (c->mode->rx)
					settle(c, c->mode->rx(c, tag));
				break;
			}
		}
		if (retime(c, tfd))
			lag_log(LAG_LOG_WARN, "%s: carrier poll period not changed: %s\n",
				c->cfg.name, strerror(errno));
	}
}

int daemon_run(const struct lag_config *cfg, const struct lag_paths *p, int ready_fd, int adopt)
{
	struct ctrl *c = calloc(1, sizeof(*c));
	int tfd = -1, sfd = -1, lfd = -1, err, gone = 0;
	sigset_t mask;

	if (!c)
		return -ENOMEM;
	c->cfg = *cfg;
	c->paths = *p;
	c->epfd = -1;
	c->stack.fd = -1;
	ctrl_clients_init(c);
	ctrl_http_init(c);
	err = ctrl_init(c, adopt);
	if (err)
		goto out;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR2);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	lfd = ctl_listen(p->sock);
	if (tfd < 0 || sfd < 0 || lfd < 0 || retime(c, tfd)) {
		err = lfd < 0 ? lfd : -errno;
		lag_err("controller: cannot set up its event loop (%s): %s", p->sock,
			strerror(-err));
		goto out;
	}
	if ((err = ctrl_watch(c, nl_fd(&c->mon), CTRL_EP_MON)) ||
	    (err = ctrl_watch(c, tfd, CTRL_EP_TIMER)) ||
	    (err = ctrl_watch(c, sfd, CTRL_EP_SIGNAL)) || (err = ctrl_watch(c, lfd, CTRL_EP_CTL))) {
		lag_err("controller: epoll: %s", strerror(-err));
		goto out;
	}
	/* Before ready: an address in use fails the attach, which undoes the LAG. */
	err = ctrl_http_listen(c);
	if (err)
		goto out;
	err = lag_pidfile_hold(p->pid);
	if (err) {
		lag_err("controller: cannot hold %s: %s", p->pid,
			err == -EEXIST ? "another controller runs this LAG" : strerror(-err));
		goto out;
	}
	ctrl_poll_carriers(c, 1);
	ctrl_heartbeat(c);
	ctrl_publish(c);
	ctrl_conf_save(c);
	lag_log(LAG_LOG_INFO, "%s: controller %d serving %s (%s mode, %d members)\n", cfg->name,
		getpid(), p->sock, lag_mode_name[cfg->mode], c->n);
	signal_ready(c, ready_fd);
	ready_fd = -1;
	err = serve(c, tfd, sfd, lfd);
	lag_log(LAG_LOG_INFO, "%s: controller stopping%s\n", cfg->name,
		c->netns_gone ? ": its namespace is gone, the LAG goes with it"
		: c->handover ? ": handing over to a new controller"
			      : "");
	/* A handover is no stop of the LAG: the manager only hears who serves. */
	if (notify_send(c->handover ? "STATUS=%s: handing over to a new controller"
				    : "STOPPING=1\nSTATUS=%s: controller stopping",
			cfg->name))
		lag_log(LAG_LOG_WARN, "%s: cannot notify the service manager\n", cfg->name);
	gone = c->netns_gone;
	/* Stopping for good (detach, SIGTERM): the partner hears it from every
	 * member now. A handover to a new controller says nothing.
	 */
	for (int i = 0; i < c->n && !c->handover && c->mode->goodbye; i++)
		c->mode->goodbye(c, &c->m[i]);
out:
	unlink(p->pid);
	if (lfd >= 0) {
		close(lfd);
		unlink(p->sock);
	}
	if (sfd >= 0)
		close(sfd);
	if (tfd >= 0)
		close(tfd);
	ctrl_clients_fini(c);
	ctrl_events_fini(c);
	ctrl_http_fini(c);
	ctrl_fini(c);
	free(c);
	if (ready_fd >= 0)
		close(ready_fd);
	if (gone)
		lag_detach(cfg->name, p);
	return err;
}
