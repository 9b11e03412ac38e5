// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* LACP I/O for the controller: slow-protocol frames in from AF_XDP, into
 * the machines; frames out of the machines, onto the member's socket; the
 * data path follows the machines' collecting/distributing through
 * ctrl_publish(). The machines themselves stay pure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include "ctrl.h"
#include "lacp_io.h"
#include "log.h"
#include "xsk.h"

#define LACP_PORT_PRIORITY_DEFAULT 32768

struct rx_ctx {
	struct ctrl *c;
	struct ctrl_member *mb;
};

static void log_transition(void *ctx, const char *port, const char *machine, const char *from,
			   const char *event, const char *to)
{
	struct ctrl *c = ctx;
	/*
	 * Routine periodic cycles and CURRENT -> CURRENT are debug noise. Selection's
	 * unselected -> unselected is not: only its reason changed (e.g. port-down ->
	 * other-partner-system), and that reason is why the port does not aggregate.
	 */
	int level = (!strcmp(from, to) && strcmp(machine, "selection")) || !strcmp(machine, "ptx")
			    ? LAG_LOG_DEBUG
			    : LAG_LOG_INFO;

	lag_log(level, "%s %s %s: %s (%s) -> %s\n", c->cfg.name, port, machine, from, event,
		to);
}

uint16_t lacp_io_key(const struct lag_config *cfg, unsigned int speed)
{
	if (cfg->key >= 0)
		return (uint16_t)cfg->key;
	/* The operational key carries the speed: members at another speed
	 * never aggregate. 1 for unknown or below 1 Gb/s.
	 */
	return speed >= 1000 ? (uint16_t)(speed / 1000) : 1;
}

static unsigned int port_priority(const struct lag_config *cfg, const char *ifname)
{
	for (int i = 0; i < cfg->n_port_prio; i++)
		if (!strcmp(cfg->port_prio[i].ifname, ifname))
			return cfg->port_prio[i].prio;
	return LACP_PORT_PRIORITY_DEFAULT;
}

static void flush_tx(struct ctrl *c, struct ctrl_member *mb)
{
	uint8_t frame[256];
	size_t len;

	if (!mb->n_xsk)
		return;
	while ((len = lacp_port_tx(c->lacp, mb->lacp_port, frame, sizeof(frame))) > 0) {
		int err = xsk_port_tx(mb->xsk[0], frame, len);

		if (err)
			lag_log(LAG_LOG_WARN, "%s %s: LACP frame not sent: %s\n", c->cfg.name,
				mb->name, strerror(-err));
	}
}

/* After anything that may have moved the machines: send, and follow. */
static void settle(struct ctrl *c)
{
	for (int i = 0; i < c->n; i++)
		flush_tx(c, &c->m[i]);
	if (lacp_sys_generation(c->lacp) != c->lacp_gen) {
		c->lacp_gen = lacp_sys_generation(c->lacp);
		ctrl_publish(c);
	} else {
		lacp_io_mirror(c);
	}
}

static void member_sockets_close(struct ctrl *c, struct ctrl_member *mb)
{
	for (unsigned int q = 0; q < mb->n_xsk; q++) {
		if (c->epfd >= 0)
			epoll_ctl(c->epfd, EPOLL_CTL_DEL, xsk_port_fd(mb->xsk[q]), NULL);
		maps_xsk_del(&c->maps, mb->slot * LAG_MAX_QUEUES + q);
		xsk_port_close(mb->xsk[q]);
		mb->xsk[q] = NULL;
	}
	mb->n_xsk = 0;
}

/* Register a member's sockets with epoll, tagged by slot and queue. */
static int member_epoll(struct ctrl *c, struct ctrl_member *mb)
{
	for (unsigned int q = 0; q < mb->n_xsk; q++) {
		struct epoll_event ev = {
			.events = EPOLLIN,
			.data.u64 = c->xsk_tag_base + (uint64_t)mb->slot * LAG_MAX_QUEUES + q,
		};

		if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, xsk_port_fd(mb->xsk[q]), &ev))
			return -errno;
	}
	return 0;
}

int lacp_io_member_add(struct ctrl *c, struct ctrl_member *mb)
{
	struct lacp_port_cfg pcfg = {
		.port_number = (__u16)(mb->slot + 1),
		.port_priority = (__u16)port_priority(&c->cfg, mb->name),
		.key = c->lacp->cfg.key,
		.active = !c->cfg.passive,
		.fast = c->cfg.fast,
	};
	unsigned int queues = lag_link_rx_queues(mb->name);
	int err;

	snprintf(pcfg.name, sizeof(pcfg.name), "%s", mb->name);
	memcpy(pcfg.mac, mb->own_mac, 6);
	mb->lacp_port = lacp_port_add(c->lacp, &pcfg);
	if (mb->lacp_port < 0) {
		lag_err("controller: LACP port %s: %s", mb->name, strerror(-mb->lacp_port));
		return mb->lacp_port;
	}
	if (queues > LAG_MAX_QUEUES)
		queues = LAG_MAX_QUEUES;
	for (unsigned int q = 0; q < queues; q++) {
		__u32 key = mb->slot * LAG_MAX_QUEUES + q;

		err = xsk_port_open(&mb->xsk[q], mb->name, q);
		if (!err)
			err = maps_xsk_set(&c->maps, key, xsk_port_fd(mb->xsk[q]));
		if (err) {
			lag_err("controller: AF_XDP socket on %s queue %u: %s", mb->name, q,
				strerror(-err));
			xsk_port_close(mb->xsk[q]);
			mb->xsk[q] = NULL;
			goto err_close;
		}
		mb->n_xsk = q + 1;
	}
	if (c->epfd >= 0) {
		err = member_epoll(c, mb);
		if (err)
			goto err_close;
	}
	lacp_port_set_enabled(c->lacp, mb->lacp_port, mb->carrier);
	return 0;
err_close:
	member_sockets_close(c, mb);
	lacp_port_del(c->lacp, mb->lacp_port);
	mb->lacp_port = -1;
	return err;
}

void lacp_io_member_del(struct ctrl *c, struct ctrl_member *mb)
{
	member_sockets_close(c, mb);
	maps_lacp_del(&c->maps, (__u32)mb->ifindex);
	lacp_port_del(c->lacp, mb->lacp_port);
	mb->lacp_port = -1;
	c->lacp_gen = lacp_sys_generation(c->lacp);
}

int lacp_io_init(struct ctrl *c)
{
	struct lacp_sys_cfg scfg = { .system_priority = (__u16)c->cfg.system_priority,
				     .max_active = c->cfg.max_active };
	int err;

	c->lacp = calloc(1, sizeof(*c->lacp));
	if (!c->lacp)
		return -ENOMEM;
	memcpy(scfg.system_id, c->cfg.mac, 6);
	scfg.key = lacp_io_key(&c->cfg, c->m[0].speed);
	lacp_sys_init(c->lacp, &scfg);
	lacp_sys_set_log(c->lacp, log_transition, c);
	for (int i = 0; i < c->n; i++) {
		err = lacp_io_member_add(c, &c->m[i]);
		if (err)
			return err;
	}
	c->lacp_gen = lacp_sys_generation(c->lacp);
	return 0;
}

void lacp_io_fini(struct ctrl *c)
{
	for (int i = 0; i < c->n; i++)
		member_sockets_close(c, &c->m[i]);
	free(c->lacp);
	c->lacp = NULL;
}

int lacp_io_epoll(struct ctrl *c, uint64_t base)
{
	int err;

	c->xsk_tag_base = base;
	for (int i = 0; i < c->n; i++) {
		err = member_epoll(c, &c->m[i]);
		if (err)
			return err;
	}
	return 0;
}

static void on_frame(void *ctx, const void *frame, size_t len)
{
	struct rx_ctx *r = ctx;
	int kind = lacp_port_rx(r->c->lacp, r->mb->lacp_port, frame, len);

	if (kind < 0)
		lag_log(LAG_LOG_DEBUG, "%s %s: slow-protocol frame rejected (%d)\n", r->c->cfg.name,
			r->mb->name, kind);
}

void lacp_io_rx(struct ctrl *c, uint64_t tag)
{
	__u32 slot = (__u32)((tag - c->xsk_tag_base) / LAG_MAX_QUEUES);
	unsigned int q = (unsigned int)((tag - c->xsk_tag_base) % LAG_MAX_QUEUES);
	struct rx_ctx r = { c, NULL };

	for (int i = 0; i < c->n; i++)
		if (c->m[i].slot == slot)
			r.mb = &c->m[i];
	if (!r.mb || q >= r.mb->n_xsk)
		return;
	xsk_port_rx(r.mb->xsk[q], on_frame, &r);
	settle(c);
}

void lacp_io_tick(struct ctrl *c)
{
	lacp_tick(c->lacp);
	settle(c);
}

void lacp_io_carrier(struct ctrl *c, struct ctrl_member *mb)
{
	lacp_port_set_enabled(c->lacp, mb->lacp_port, mb->carrier);
	c->lacp_gen = lacp_sys_generation(c->lacp); /* the caller publishes */
	for (int i = 0; i < c->n; i++)
		flush_tx(c, &c->m[i]);
}

int lacp_io_distributing(const struct ctrl *c, const struct ctrl_member *mb)
{
	return lacp_port_distributing(c->lacp, mb->lacp_port);
}

int lacp_io_collecting(const struct ctrl *c, const struct ctrl_member *mb)
{
	return lacp_port_collecting(c->lacp, mb->lacp_port);
}

void lacp_io_set_rate(struct ctrl *c, int fast)
{
	for (int i = 0; i < c->n; i++)
		lacp_port_set_fast(c->lacp, c->m[i].lacp_port, fast);
	settle(c);
}

void lacp_io_mirror(struct ctrl *c)
{
	for (int i = 0; i < c->n; i++) {
		/* A member in `del` has lost its port and its lag_lacp entry
		 * already (lacp_io_member_del): index -1, and no entry to bring back.
		 */
		if (c->m[i].lacp_port < 0)
			continue;
		const struct lacp_port *p = &c->lacp->port[c->m[i].lacp_port];
		struct lag_lacp_port rec = {
			.actor_port = p->actor.port,
			.actor_port_priority = p->actor.port_priority,
			.actor_key = p->actor.key,
			.actor_state = p->actor.state,
			.partner_state = p->partner.state,
			.partner_system_priority = p->partner.system_priority,
			.partner_key = p->partner.key,
			.partner_port = p->partner.port,
			.partner_port_priority = p->partner.port_priority,
			.mux_state = (__u8)p->mux_state,
			.rx_state = (__u8)p->rx_state,
			.selected = (__u8)p->selected,
			.reason = (__u8)p->reason,
		};

		memcpy(rec.partner_system, p->partner.system, 6);
		if (maps_lacp_put(&c->maps, (__u32)c->m[i].ifindex, &rec))
			lag_log(LAG_LOG_DEBUG, "%s %s: lag_lacp not updated\n", c->cfg.name,
				c->m[i].name);
	}
}
