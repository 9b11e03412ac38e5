// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The per-LAG controller: one epoll loop over link events, a 10 ms carrier
 * poll (linkwatch may hold a carrier event back for a second), the LACP
 * tick, slow-protocol sockets and the control socket. It owns the atomic
 * table switch: build the new table in the slot that is not live, then flip
 * lag_active; a carrier loss flips to a precomputed table first.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <json-c/json.h>
#include "bucket.h"
#include "controller.h"
#include "ctl.h"
#include "ctrl.h"
#include "lacp_io.h"
#include "log.h"

#define POLL_MS       10  /* carrier poll, like bonding's miimon */
#define TICKS_PER_LACP (LACP_IO_TICK_MS / POLL_MS)

enum ep_tag { EP_MON, EP_TIMER, EP_SIGNAL, EP_CTL, EP_XSK_BASE };

uint64_t ctrl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct ctrl_member *member_by_ifindex(struct ctrl *c, int ifindex)
{
	for (int i = 0; i < c->n; i++)
		if (c->m[i].ifindex == ifindex)
			return &c->m[i];
	return NULL;
}

static int wants_distributing(const struct ctrl *c, const struct ctrl_member *mb)
{
	if (c->lacp)
		return lacp_io_distributing(c, mb);
	return mb->carrier;
}

static int wants_collecting(const struct ctrl *c, const struct ctrl_member *mb)
{
	if (c->lacp)
		return lacp_io_collecting(c, mb);
	return mb->carrier;
}

static unsigned int need_links(const struct ctrl *c)
{
	return c->cfg.min_links ? c->cfg.min_links : 1;
}

/* Write a table to a slot that is not live. */
static int table_put(struct ctrl *c, __u32 slot, const __u32 *ifx, unsigned int n)
{
	struct lag_table t = { .n_members = n };

	memcpy(t.ifindex, ifx, sizeof(t.ifindex));
	return maps_table_write(&c->maps, slot, &t);
}

/* For each distributing member, the live table without it: a carrier loss
 * then costs one 4-byte write. If losing it would drop below min-links,
 * its loss table is empty.
 */
static void precompute_losses(struct ctrl *c, const __u32 *set, unsigned int n)
{
	__u32 rest[LAG_MAX_MEMBERS], tbl[LAG_BUCKETS];

	for (unsigned int i = 0; i < n; i++) {
		struct ctrl_member *mb = member_by_ifindex(c, (int)set[i]);
		unsigned int k = 0;

		for (unsigned int j = 0; j < n; j++)
			if (j != i)
				rest[k++] = set[j];
		if (k < need_links(c))
			k = 0;
		memcpy(tbl, c->table, sizeof(tbl));
		lag_buckets_rebalance(tbl, rest, k);
		if (table_put(c, LAG_TABLE_LOSS(mb->slot), tbl, k))
			lag_log(LAG_LOG_WARN, "%s: cannot write loss table of %s\n", c->cfg.name,
				mb->name);
	}
	c->loss_ready = 1;
}

static void set_lag_carrier(struct ctrl *c, int on)
{
	int err;

	if (c->lag_carrier_set == on)
		return;
	/* The LAG device is a veth: its carrier follows its peer's admin state. */
	err = nl_link_set_up(&c->nl, c->peer_ifindex, on);
	if (err) {
		lag_log(LAG_LOG_ERR, "%s: cannot set carrier %s: %s\n", c->cfg.name, on ? "on" : "off",
			strerror(-err));
		return;
	}
	c->lag_carrier_set = on;
	lag_log(LAG_LOG_INFO, "%s: carrier %s\n", c->cfg.name, on ? "on" : "off");
}

static void member_flags_put(struct ctrl *c, struct ctrl_member *mb, int collecting,
			     int distributing)
{
	struct lag_member rec;

	if (mb->collecting == collecting && mb->distributing == distributing)
		return;
	if (maps_member_get(&c->maps, (__u32)mb->ifindex, &rec)) {
		lag_log(LAG_LOG_ERR, "%s: member %s missing from lag_members\n", c->cfg.name, mb->name);
		return;
	}
	rec.flags &= ~(LAG_M_COLLECTING | LAG_M_DISTRIBUTING);
	rec.flags |= (collecting ? LAG_M_COLLECTING : 0) | (distributing ? LAG_M_DISTRIBUTING : 0);
	if (maps_member_put(&c->maps, &rec)) {
		lag_log(LAG_LOG_ERR, "%s: cannot update member %s\n", c->cfg.name, mb->name);
		return;
	}
	lag_log(LAG_LOG_INFO, "%s %s: %s%s\n", c->cfg.name, mb->name,
		collecting ? "collecting" : "not collecting",
		distributing ? ", distributing" : "");
	mb->collecting = collecting;
	mb->distributing = distributing;
}

void ctrl_publish(struct ctrl *c)
{
	__u32 set[LAG_MAX_MEMBERS], old[LAG_MAX_MEMBERS];
	unsigned int n = 0, n_old = 0;
	int available, changed;

	for (int i = 0; i < c->n; i++) {
		if (wants_distributing(c, &c->m[i]))
			set[n++] = (__u32)c->m[i].ifindex;
		if (c->m[i].distributing)
			old[n_old++] = (__u32)c->m[i].ifindex;
	}
	available = n >= need_links(c);
	if (!available)
		n = 0;
	changed = n != n_old || memcmp(set, old, n * sizeof(*set));
	if (changed || !c->table_switches) {
		__u32 slot = c->live_slot == LAG_TABLE_LIVE0 ? LAG_TABLE_LIVE1 : LAG_TABLE_LIVE0;

		lag_buckets_rebalance(c->table, set, n);
		if (table_put(c, slot, c->table, n) || maps_active_set(&c->maps, slot)) {
			lag_log(LAG_LOG_ERR, "%s: cannot switch tables: %s\n", c->cfg.name,
				strerror(errno));
		} else {
			c->live_slot = slot;
			c->table_switches++;
			c->last_switch_ns = ctrl_now_ns();
			lag_log(LAG_LOG_INFO, "%s: table switched to slot %u, %u members\n",
				c->cfg.name, slot, n);
		}
		c->loss_ready = 0;
	}
	/* Flags after the table: a member leaves the table before it stops
	 * collecting, and collects before it is in the table.
	 */
	for (int i = 0; i < c->n; i++) {
		struct ctrl_member *mb = &c->m[i];
		int dist = 0;

		for (unsigned int k = 0; k < n; k++)
			dist |= set[k] == (__u32)mb->ifindex;
		member_flags_put(c, mb, wants_collecting(c, mb), dist);
	}
	if (!c->loss_ready)
		precompute_losses(c, set, n);
	if (available != c->available || !c->table_switches)
		lag_log(LAG_LOG_INFO, "%s: LAG %s (%u of min %u members)\n", c->cfg.name,
			available ? "available" : "down", n, need_links(c));
	if (available && !c->first_available_ns)
		c->first_available_ns = ctrl_now_ns();
	c->available = available;
	set_lag_carrier(c, available);
	if (c->lacp)
		lacp_io_mirror(c);
}

/* A member went down: flip to its precomputed table before anything else. */
static void member_lost(struct ctrl *c, struct ctrl_member *mb)
{
	__u32 active;

	if (mb->distributing && c->loss_ready && maps_active_get(&c->maps, &active) == 0 &&
	    active == c->live_slot) {
		if (maps_active_set(&c->maps, LAG_TABLE_LOSS(mb->slot)) == 0) {
			c->table_switches++;
			c->last_switch_ns = ctrl_now_ns();
			lag_log(LAG_LOG_INFO, "%s %s: carrier lost: loss table %u live\n", c->cfg.name,
				mb->name, LAG_TABLE_LOSS(mb->slot));
		}
	}
}

static void member_carrier(struct ctrl *c, struct ctrl_member *mb, int carrier, const char *why)
{
	if (mb->carrier == carrier)
		return;
	mb->carrier = carrier;
	mb->carrier_changes++;
	lag_log(LAG_LOG_INFO, "%s %s: carrier %s (%s)\n", c->cfg.name, mb->name,
		carrier ? "up" : "down", why);
	if (!carrier)
		member_lost(c, mb);
	if (c->lacp)
		lacp_io_carrier(c, mb);
	ctrl_publish(c);
}

static void on_link_event(void *ctx, const struct nl_link *l, int deleted)
{
	struct ctrl *c = ctx;
	struct ctrl_member *mb = member_by_ifindex(c, l->ifindex);

	if (!mb)
		return;
	member_carrier(c, mb, !deleted && (l->flags & IFF_UP) && l->carrier, "rtnetlink");
}

static void poll_carriers(struct ctrl *c)
{
	for (int i = 0; i < c->n; i++) {
		int carrier = lag_link_carrier(c->m[i].name);

		member_carrier(c, &c->m[i], carrier > 0, "poll");
	}
}

static void member_fill(struct ctrl_member *mb, const struct nl_link *l,
			const struct lag_member *rec)
{
	memset(mb, 0, sizeof(*mb));
	snprintf(mb->name, sizeof(mb->name), "%s", l->name);
	mb->ifindex = l->ifindex;
	mb->slot = rec->slot;
	memcpy(mb->own_mac, rec->saved_mac, 6);
	mb->speed = lag_link_speed(l->name);
	mb->lacp_port = -1;
}

static json_object *reply_ok(int ok, const char *err)
{
	json_object *o = json_object_new_object();

	if (ok)
		json_object_object_add(o, "ok", json_object_new_boolean(1));
	else
		json_object_object_add(o, "error", json_object_new_string(err));
	return o;
}

/* `lagbpf add`: the command prepared the member (maps, programs, MAC);
 * the controller starts tracking it.
 */
static json_object *member_add(struct ctrl *c, const char *name)
{
	struct lag_member rec;
	struct ctrl_member *mb;
	struct nl_link l;
	char msg[128];

	if (c->n >= LAG_MAX_MEMBERS || nl_link_get(&c->nl, name, 0, &l) ||
	    maps_member_get(&c->maps, (__u32)l.ifindex, &rec) || member_by_ifindex(c, l.ifindex))
		return reply_ok(0, "no such prepared member");
	mb = &c->m[c->n];
	member_fill(mb, &l, &rec);
	mb->carrier = lag_link_carrier(name) > 0;
	if (c->lacp) {
		int err = lacp_io_member_add(c, mb);

		if (err) {
			snprintf(msg, sizeof(msg), "%.16s: LACP port: %.64s", name, strerror(-err));
			return reply_ok(0, msg);
		}
	}
	c->n++;
	lag_log(LAG_LOG_INFO, "%s %s: added (slot %u)\n", c->cfg.name, name, mb->slot);
	ctrl_publish(c);
	return reply_ok(1, NULL);
}

/* `lagbpf del`: out of the table first, then forgotten; the command then
 * restores the member.
 */
static json_object *member_del(struct ctrl *c, const char *name)
{
	struct ctrl_member *mb = NULL;
	int i;

	for (i = 0; i < c->n && !mb; i++)
		if (!strcmp(c->m[i].name, name))
			mb = &c->m[i];
	if (!mb)
		return reply_ok(0, "not a member");
	if (c->n == 1)
		return reply_ok(0, "the last member cannot leave: detach the LAG instead");
	mb->carrier = 0;
	if (c->lacp)
		lacp_io_member_del(c, mb);
	ctrl_publish(c);
	member_flags_put(c, mb, 0, 0);
	lag_log(LAG_LOG_INFO, "%s %s: removed\n", c->cfg.name, name);
	memmove(mb, mb + 1, (size_t)(&c->m[c->n] - (mb + 1)) * sizeof(*mb));
	c->n--;
	c->loss_ready = 0;
	ctrl_publish(c);
	return reply_ok(1, NULL);
}

static void handle_ctl(struct ctrl *c, int lfd)
{
	char req[256];
	json_object *doc;
	int fd = ctl_accept(lfd, req, sizeof(req));

	if (fd < 0)
		return;
	if (!strcmp(req, "show")) {
		doc = ctrl_status(c);
	} else if (!strncmp(req, "set ", 4)) {
		doc = ctrl_set(c, req + 4);
	} else if (!strncmp(req, "add ", 4)) {
		doc = member_add(c, req + 4);
	} else if (!strncmp(req, "del ", 4)) {
		doc = member_del(c, req + 4);
	} else {
		doc = json_object_new_object();
		json_object_object_add(doc, "error", json_object_new_string("unknown request"));
	}
	if (ctl_reply(fd, json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN)))
		lag_log(LAG_LOG_DEBUG, "%s: control reply failed\n", c->cfg.name);
	json_object_put(doc);
}

static int ep_add(int epfd, int fd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static int ctrl_init(struct ctrl *c)
{
	struct lag_member mbs[LAG_MAX_MEMBERS];
	struct nl_link l;
	struct lag_cfg cfg;
	int n, err;

	err = maps_open_pinned(&c->maps, c->paths.pin_dir);
	if (err) {
		lag_err("controller: cannot open the pinned maps: %s", strerror(-err));
		return err;
	}
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
	n = maps_members_list(&c->maps, mbs, LAG_MAX_MEMBERS);
	for (int i = 0; i < c->cfg.n_members; i++) {
		if (nl_link_get(&c->nl, c->cfg.members[i], 0, &l))
			continue;
		for (int k = 0; k < n; k++)
			if (mbs[k].ifindex == (__u32)l.ifindex)
				member_fill(&c->m[c->n++], &l, &mbs[k]);
	}
	if (c->n != c->cfg.n_members) {
		lag_err("controller: %d of %d members found", c->n, c->cfg.n_members);
		return -ENODEV;
	}
	c->live_slot = LAG_TABLE_LIVE0;
	c->started_ns = ctrl_now_ns();
	if (c->cfg.mode == LAG_MODE_LACP) {
		err = lacp_io_init(c);
		if (err)
			return err;
	}
	return 0;
}

static void ctrl_fini(struct ctrl *c)
{
	if (c->lacp)
		lacp_io_fini(c);
	nl_close(&c->mon);
	nl_close(&c->nl);
	maps_close(&c->maps);
}

static int write_pidfile(const char *path)
{
	char buf[32];
	int fd, n, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", getpid());
	if (write(fd, buf, (size_t)n) != n)
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

int controller_run(const struct lag_config *cfg, const struct lag_paths *p, int ready_fd)
{
	struct itimerspec its = { .it_interval = { 0, POLL_MS * 1000000L },
				  .it_value = { 0, POLL_MS * 1000000L } };
	struct ctrl *c = calloc(1, sizeof(*c));
	int tfd = -1, sfd = -1, lfd = -1, err, stop = 0;
	unsigned int ticks = 0;
	sigset_t mask;

	if (!c)
		return -ENOMEM;
	c->cfg = *cfg;
	c->paths = *p;
	c->epfd = -1;
	err = ctrl_init(c);
	if (err)
		goto out;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	lfd = ctl_listen(p->sock);
	if (c->epfd < 0 || tfd < 0 || sfd < 0 || lfd < 0 || timerfd_settime(tfd, 0, &its, NULL)) {
		err = lfd < 0 ? lfd : -errno;
		lag_err("controller: cannot set up its event loop (%s): %s", p->sock, strerror(-err));
		goto out;
	}
	if ((err = ep_add(c->epfd, nl_fd(&c->mon), EP_MON)) || (err = ep_add(c->epfd, tfd, EP_TIMER)) ||
	    (err = ep_add(c->epfd, sfd, EP_SIGNAL)) || (err = ep_add(c->epfd, lfd, EP_CTL)) ||
	    (c->lacp && (err = lacp_io_epoll(c, EP_XSK_BASE)))) {
		lag_err("controller: epoll: %s", strerror(-err));
		goto out;
	}
	err = write_pidfile(p->pid);
	if (err) {
		lag_err("controller: cannot write %s: %s", p->pid, strerror(-err));
		goto out;
	}
	poll_carriers(c);
	ctrl_publish(c);
	lag_log(LAG_LOG_INFO, "%s: controller %d serving %s (%s mode, %d members)\n", cfg->name,
		getpid(), p->sock, lag_mode_name[cfg->mode], c->n);
	if (ready_fd >= 0) {
		int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);

		if (write(ready_fd, "1", 1) != 1)
			lag_log(LAG_LOG_WARN, "%s: parent gone before ready\n", cfg->name);
		close(ready_fd);
		ready_fd = -1;
		/* Serving: from now on errors go to the log file only, and the
		 * caller's stderr (maybe a pipe someone waits on) is released.
		 */
		if (devnull >= 0) {
			dup2(devnull, STDERR_FILENO);
			close(devnull);
		}
	}
	while (!stop) {
		struct epoll_event evs[16];
		int n = epoll_wait(c->epfd, evs, 16, -1);

		if (n < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		for (int i = 0; i < n; i++) {
			uint64_t tag = evs[i].data.u64, exp;

			switch (tag) {
			case EP_MON:
				nl_monitor_read(&c->mon, on_link_event, c);
				break;
			case EP_TIMER:
				if (read(tfd, &exp, sizeof(exp)) != sizeof(exp))
					break;
				poll_carriers(c);
				ticks += (unsigned int)exp;
				while (c->lacp && ticks >= TICKS_PER_LACP) {
					ticks -= TICKS_PER_LACP;
					lacp_io_tick(c);
				}
				break;
			case EP_SIGNAL:
				stop = 1;
				break;
			case EP_CTL:
				handle_ctl(c, lfd);
				break;
			default:
				lacp_io_rx(c, tag);
				break;
			}
		}
	}
	lag_log(LAG_LOG_INFO, "%s: controller stopping\n", cfg->name);
	err = 0;
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
	if (c->epfd >= 0)
		close(c->epfd);
	ctrl_fini(c);
	free(c);
	if (ready_fd >= 0)
		close(ready_fd);
	if (cfg->foreground) {
		/* In the foreground the LAG lives as long as this process. */
		lag_detach(cfg->name);
	}
	return err;
}

int controller_spawn(const struct lag_config *c, const struct lag_paths *p)
{
	int pipefd[2], status, logfd;
	char ok = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (pid == 0) {
		close(pipefd[0]);
		/* Daemon: own session, log to the LAG's log file, errors to
		 * the parent's stderr until ready.
		 */
		if (setsid() < 0)
			_exit(1);
		logfd = open(p->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (logfd >= 0) {
			int devnull = open("/dev/null", O_RDWR);

			if (devnull >= 0) {
				dup2(devnull, STDIN_FILENO);
				dup2(devnull, STDOUT_FILENO);
				close(devnull);
			}
			lag_log_to_fd(logfd);
			if (lag_log_verbosity < LAG_LOG_INFO)
				lag_log_verbosity = LAG_LOG_INFO;
		}
		if (chdir("/"))
			_exit(1);
		_exit(controller_run(c, p, pipefd[1]) ? 1 : 0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &ok, 1) != 1)
		ok = 0;
	close(pipefd[0]);
	if (ok != '1') {
		waitpid(pid, &status, 0);
		return -ECHILD;
	}
	return 0;
}

/* Alive and not a zombie: a daemon's zombie may wait long for its reaper. */
static int pid_alive(pid_t pid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	if (kill(pid, 0) && errno == ESRCH)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* "pid (comm) S ...": comm may hold spaces */
	return !(p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'));
}

int controller_stop(const struct lag_paths *p)
{
	char buf[32] = "";
	int fd, i;
	ssize_t n;
	pid_t pid;

	fd = open(p->pid, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	pid = n > 0 ? (pid_t)atoi(buf) : 0;
	if (pid <= 1)
		return 0;
	if (kill(pid, SIGTERM))
		return 0;
	for (i = 0; i < 200 && pid_alive(pid); i++) {
		waitpid(pid, NULL, WNOHANG); /* our own child, in --foreground tests */
		usleep(10000);
	}
	if (pid_alive(pid)) {
		kill(pid, SIGKILL);
		for (i = 0; i < 100 && pid_alive(pid); i++)
			usleep(10000);
	}
	return 0;
}
