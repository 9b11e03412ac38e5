// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* LACP mode: slow-protocol frames in from AF_XDP, into the machines; frames
 * out of the machines, onto the member's socket. Reports through its return
 * values when collecting or distributing moved; the machines stay pure and
 * the publisher alone writes the data path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "daemon/mode_lacp.h"
#include "event/event.h"
#include "sys/ethtool.h"
#include "sys/log.h"
#include "sys/xsk.h"

struct rx_ctx {
	struct ctrl *c;
	struct ctrl_member *mb;
	int idx;
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

	lag_log(level, "%s %s %s: %s (%s) -> %s\n", c->cfg.name, port, machine, from, event, to);
	if (level == LAG_LOG_INFO && ctrl_events_monitored(c)) {
		struct lag_event e;

		ctrl_event_start(c, &e, LAG_EV_LACP, NULL);
		snprintf(e.member, sizeof(e.member), "%s", port);
		lag_event_str(&e, "machine", machine);
		lag_event_str(&e, "from", from);
		lag_event_str(&e, "to", to);
		lag_event_str(&e, "cause", event);
		ctrl_event_emit(c, &e);
	}
}

/* "32768,00:11:22:33:44:55 key 1 port 2", or "none" for no partner (a
 * defaulted port records the all-zero admin values).
 */
static void partner_words(char *buf, size_t len, int valid, __u16 prio, const __u8 *sys, __u16 key,
			  int port)
{
	static const __u8 zero[6];

	if (!valid || !memcmp(sys, zero, 6)) {
		snprintf(buf, len, "none");
		return;
	}
	snprintf(buf, len, "%u,%02x:%02x:%02x:%02x:%02x:%02x key %u", prio, sys[0], sys[1], sys[2],
		 sys[3], sys[4], sys[5], key);
	if (port >= 0)
		snprintf(buf + strlen(buf), len - strlen(buf), " port %d", port);
}

static void partner_event(struct ctrl *c, const struct ctrl_member *mb, char *last, const char *now)
{
	struct lag_event e;

	if (!strcmp(last, now))
		return;
	if (last[0] && ctrl_events_monitored(c)) {
		ctrl_event_start(c, &e, LAG_EV_PARTNER, mb);
		lag_event_str(&e, "from", last);
		lag_event_str(&e, "to", now);
		ctrl_event_emit(c, &e);
	}
	snprintf(last, 64, "%s", now);
}

/* Monitors hear when the partner a port hears, or the LAG's partner, changes. */
static void partner_events(struct ctrl *c)
{
	struct lacp_mode *lm = lacp_mode(c);
	char now[64];

	for (int i = 0; i < c->n; i++) {
		const struct lacp_port *p = lacp_mode_port(c, &c->m[i]);

		if (!p)
			continue;
		partner_words(now, sizeof(now), p->rx_state == LACP_RX_CURRENT,
			      p->partner.system_priority, p->partner.system, p->partner.key,
			      p->partner.port);
		partner_event(c, &c->m[i], lm->port[c->m[i].slot].ev_partner, now);
	}
	partner_words(now, sizeof(now), lm->sys.partner_valid, lm->sys.partner_system_priority,
		      lm->sys.partner_system, lm->sys.partner_key, -1);
	partner_event(c, NULL, lm->ev_partner, now);
}

/* Whether collecting/distributing moved since the last report. */
static int moved(struct lacp_mode *lm)
{
	unsigned int gen = lacp_sys_generation(&lm->sys);
	int changed = gen != lm->gen;

	lm->gen = gen;
	return changed;
}

/* 802.1AX 6.4.16: NTT stays TRUE until the LACPDU is sent. A failed send is handed
 * back to the machines, which offer it again at the next tick (100 ms).
 */
static void flush_tx(struct ctrl *c, struct ctrl_member *mb)
{
	struct lacp_mode_port *mp = &lacp_mode(c)->port[mb->slot];
	struct lacp_sys *s = &lacp_mode(c)->sys;
	uint8_t frame[256];
	size_t len;

	if (!mp->n_xsk)
		return;
	while ((len = lacp_port_tx(s, mp->idx, frame, sizeof(frame))) > 0) {
		int err = xsk_port_tx(mp->xsk[0], frame, len);

		if (!err)
			ctrl_event_pdu(c, mb, 1, frame, len);
		if (err) {
			lacp_port_tx_failed(s, mp->idx);
			if (!mp->tx_failing)
				lag_log(LAG_LOG_WARN,
					"%s %s: LACP frame not sent: %s (again every tick)\n",
					c->cfg.name, mb->name, strerror(-err));
			mp->tx_failing = 1;
			return;
		}
		if (mp->tx_failing)
			lag_log(LAG_LOG_INFO, "%s %s: LACP frames sent again\n", c->cfg.name,
				mb->name);
		mp->tx_failing = 0;
	}
}

/* After anything that may have moved the machines: send what they want sent. */
static int flush_all(struct ctrl *c)
{
	for (int i = 0; i < c->n; i++)
		flush_tx(c, &c->m[i]);
	partner_events(c);
	return moved(lacp_mode(c));
}

/* 802.1AX: the operational key reflects the port's capabilities: --key, else its speed
 * (an unknown speed keeps the LAG's key).
 */
static __u16 port_key(const struct ctrl *c, unsigned int speed)
{
	if (c->cfg.key >= 0 || !speed)
		return lacp_mode(c)->sys.cfg.key;
	return lag_config_key(&c->cfg, speed);
}

static int member_add(struct ctrl *c, struct ctrl_member *mb)
{
	struct lacp_mode *lm = lacp_mode(c);
	struct lacp_mode_port *mp = &lm->port[mb->slot];
	struct lacp_port_cfg pcfg = {
		.port_number = (__u16)(mb->slot + 1),
		.port_priority = (__u16)lag_config_port_priority(&c->cfg, mb->name),
		.key = port_key(c, mb->speed),
		.active = !c->cfg.passive,
		.fast = c->cfg.rate == LAG_RATE_FAST,
	};
	int err;

	snprintf(pcfg.name, sizeof(pcfg.name), "%s", mb->name);
	memcpy(pcfg.mac, mb->own_mac, 6);
	mp->idx = lacp_port_add(&lm->sys, &pcfg);
	mp->mirrored_set = 0;
	if (mp->idx < 0) {
		err = mp->idx;
		lag_err("controller: LACP port %s: %s", mb->name, strerror(-err));
		return err;
	}
	err = lacp_sockets_open(c, mb);
	if (err) {
		lacp_sockets_close(c, mb);
		lacp_port_del(&lm->sys, mp->idx);
		mp->idx = -1;
		return err;
	}
	lacp_port_set_enabled(&lm->sys, mp->idx, mb->carrier);
	return 0;
}

static void goodbye(struct ctrl *c, struct ctrl_member *mb)
{
	struct lacp_mode_port *mp = &lacp_mode(c)->port[mb->slot];
	uint8_t frame[256];
	size_t len;
	int err;

	if (!mp->n_xsk || mb->gone)
		return;
	len = lacp_port_goodbye(&lacp_mode(c)->sys, mp->idx, frame, sizeof(frame));
	if (!len)
		return;
	err = xsk_port_tx(mp->xsk[0], frame, len);
	if (!err)
		ctrl_event_pdu(c, mb, 1, frame, len);
	lag_log(err ? LAG_LOG_WARN : LAG_LOG_INFO, "%s %s: goodbye LACPDU (out of sync)%s%s\n",
		c->cfg.name, mb->name, err ? " not sent: " : " sent", err ? strerror(-err) : "");
}

static void member_del(struct ctrl *c, struct ctrl_member *mb)
{
	struct lacp_mode *lm = lacp_mode(c);

	lacp_sockets_close(c, mb);
	maps_lacp_del(&c->maps, (__u32)mb->ifindex);
	lacp_port_del(&lm->sys, lm->port[mb->slot].idx);
	lm->port[mb->slot].idx = -1;
	moved(lm); /* the caller publishes */
}

/* A restart: the port as the old controller mirrored it into lag_lacp. */
static void adopt_port(struct ctrl *c, struct ctrl_member *mb)
{
	struct lacp_mode *lm = lacp_mode(c);
	const struct lacp_port *p = lacp_port_get(&lm->sys, lm->port[mb->slot].idx);
	struct lacp_info actor, partner = { 0 };
	struct lag_lacp_port rec;

	if (!p || maps_lacp_get(&c->maps, (__u32)mb->ifindex, &rec) ||
	    rec.rx_state != LAG_RX_CURRENT)
		return; /* nothing current to carry on from: it negotiates anew */
	/* The carrier now, not at the first poll: a disabled port records nothing. */
	mb->carrier = ethtool_carrier(mb->name) > 0;
	lacp_port_set_enabled(&lm->sys, lm->port[mb->slot].idx, mb->carrier);
	if (!mb->carrier)
		return;
	actor = p->actor;
	actor.state = rec.actor_state;
	partner.system_priority = rec.partner_system_priority;
	memcpy(partner.system, rec.partner_system, 6);
	partner.key = rec.partner_key;
	partner.port_priority = rec.partner_port_priority;
	partner.port = rec.partner_port;
	partner.state = rec.partner_state;
	if (lacp_port_adopt(&lm->sys, lm->port[mb->slot].idx, &actor, &partner,
			    rec.mux_state == LAG_MUX_DISTRIBUTING))
		lag_log(LAG_LOG_WARN, "%s %s: LACP state not adoptable: negotiating anew\n",
			c->cfg.name, mb->name);
	else
		lag_log(LAG_LOG_INFO, "%s %s: LACP state adopted (%s)\n", c->cfg.name, mb->name,
			lacp_mux_state_name[(int)rec.mux_state < (int)LACP_MUX__COUNT
						    ? rec.mux_state
						    : 0]);
}

static int init(struct ctrl *c)
{
	struct lacp_sys_cfg scfg = {
		.system_priority = (__u16)c->cfg.system_priority,
		.max_active = c->cfg.max_active,
		.min_links = c->cfg.min_links,
		.fallback = c->cfg.fallback == LAG_FALLBACK_ACTIVE_BACKUP,
		.fallback_ticks = c->cfg.fallback_timeout * (1000 / LACP_TICK_MS),
	};
	struct lacp_mode *lm = calloc(1, sizeof(*lm));
	int err;

	if (!lm)
		return -ENOMEM;
	for (int i = 0; i < LAG_MAX_MEMBERS; i++)
		lm->port[i].idx = -1;
	c->mode_priv = lm;
	/* --system-id: an identity that outlives the LAG's MAC (and its members) */
	memcpy(scfg.system_id, c->cfg.system_id_set ? c->cfg.system_id : c->cfg.mac, 6);
	scfg.key = lag_config_key(&c->cfg, c->m[0].speed);
	lacp_sys_init(&lm->sys, &scfg);
	lacp_sys_set_aggregate_wait(&lm->sys, c->cfg.aggregate_wait_ms);
	lacp_sys_set_log(&lm->sys, log_transition, c);
	for (int i = 0; i < c->n; i++) {
		err = member_add(c, &c->m[i]);
		if (err)
			return err;
		if (c->adopting)
			adopt_port(c, &c->m[i]);
	}
	lm->gen = lacp_sys_generation(&lm->sys);
	return 0;
}

static void fini(struct ctrl *c)
{
	if (!c->mode_priv)
		return;
	for (int i = 0; i < c->n; i++)
		lacp_sockets_close(c, &c->m[i]);
	free(c->mode_priv);
	c->mode_priv = NULL;
}

static void on_frame(void *ctx, const void *frame, size_t len)
{
	struct rx_ctx *r = ctx;
	int kind;

	ctrl_event_pdu(r->c, r->mb, 0, frame, len);
	kind = lacp_port_rx(&lacp_mode(r->c)->sys, r->idx, frame, len);
	if (kind < 0) {
		struct lacpdu_msg m;

		lag_log(LAG_LOG_DEBUG, "%s %s: slow-protocol frame rejected (%d)\n", r->c->cfg.name,
			r->mb->name, kind);
		/* Why, for the once-a-second summary (the machines kept only a count). */
		if (lacpdu_decode(frame, len, &m) < 0)
			ctrl_event_pdu_error(r->c, r->mb, (int)m.reason);
	}
}

/* A frame of lag_slow: to the port of the member it arrived on. */
static void on_ring_frame(void *ctx, __u32 ifindex, const void *frame, size_t len)
{
	struct ctrl *c = ctx;
	struct ctrl_member *mb = ctrl_member_by_ifindex(c, (int)ifindex);
	struct rx_ctx r;

	if (!mb)
		return; /* not (or no longer) ours */
	r = (struct rx_ctx){ c, mb, lacp_mode(c)->port[mb->slot].idx };
	on_frame(&r, frame, len);
}

static int rx(struct ctrl *c, uint64_t tag)
{
	__u32 slot = (__u32)((tag - CTRL_EP_MODE) / LAG_MAX_QUEUES);
	unsigned int q = (unsigned int)((tag - CTRL_EP_MODE) % LAG_MAX_QUEUES);
	struct ctrl_member *mb = ctrl_member_by_slot(c, slot);
	struct lacp_mode_port *mp;
	struct rx_ctx r;

	if (lacp_sockets_ring_rx(c, tag, on_ring_frame))
		return flush_all(c);
	if (!mb)
		return 0;
	mp = &lacp_mode(c)->port[slot];
	if (q >= mp->n_xsk)
		return 0;
	r = (struct rx_ctx){ c, mb, mp->idx };
	xsk_port_rx(mp->xsk[q], on_frame, &r);
	return flush_all(c);
}

static int tick(struct ctrl *c)
{
	struct lacp_mode *lm = lacp_mode(c);

	/* The queue count takes RTNL to read: once a second is enough to follow
	 * `ethtool -L` (until then lag_slow carries what new queues receive).
	 */
	if (++lm->ticks % 10 == 0)
		for (int i = 0; i < c->n; i++)
			lacp_sockets_poll(c, &c->m[i]);
	lacp_tick(&lacp_mode(c)->sys);
	return flush_all(c);
}

static int carrier(struct ctrl *c, struct ctrl_member *mb)
{
	struct lacp_sys *s = &lacp_mode(c)->sys;
	int idx = lacp_mode(c)->port[mb->slot].idx;

	/* A link comes up at the speed it negotiated: its key follows (the machines
	 * unselect it if the key changed, and the LAG's key follows its ports).
	 */
	if (mb->carrier)
		lacp_port_set_key(s, idx, port_key(c, ethtool_speed(mb->name)));
	lacp_port_set_enabled(s, idx, mb->carrier);
	return flush_all(c);
}

static int set_rate(struct ctrl *c)
{
	for (int i = 0; i < c->n; i++)
		lacp_port_set_fast(&lacp_mode(c)->sys, lacp_mode(c)->port[c->m[i].slot].idx,
				   c->cfg.rate == LAG_RATE_FAST);
	return flush_all(c);
}

static int set_min_links(struct ctrl *c)
{
	lacp_sys_set_min_links(&lacp_mode(c)->sys, c->cfg.min_links);
	return flush_all(c);
}

static int collecting(const struct ctrl *c, const struct ctrl_member *mb)
{
	return lacp_port_collecting(&lacp_mode(c)->sys, lacp_mode(c)->port[mb->slot].idx);
}

static int distributing(const struct ctrl *c, const struct ctrl_member *mb)
{
	return lacp_port_distributing(&lacp_mode(c)->sys, lacp_mode(c)->port[mb->slot].idx);
}

/* lag_lacp's one-byte enums (abi.h) follow the machines' own. */
_Static_assert(LAG_MUX_DISTRIBUTING == (int)LACP_MUX_DISTRIBUTING &&
		       LAG_RX_CURRENT == (int)LACP_RX_CURRENT && LAG_STANDBY == (int)LACP_STANDBY &&
		       LAG_REASON_MIN_LINKS == (int)LACP_REASON_MIN_LINKS &&
		       LAG_REASON_MIN_LINKS + 1 == (int)LACP_REASON__COUNT &&
		       LAG_MUX_DISTRIBUTING + 1 == (int)LACP_MUX__COUNT &&
		       LAG_RX_CURRENT + 1 == (int)LACP_RX__COUNT,
	       "lag_lacp enums");

/* Every port's state into the pinned lag_lacp map, for bpftool: what changed
 * since the last write (this runs after every tick and every LACPDU).
 */
static void mirror(struct ctrl *c)
{
	for (int i = 0; i < c->n; i++) {
		const struct lacp_port *p = lacp_mode_port(c, &c->m[i]);
		struct lacp_mode_port *mp = &lacp_mode(c)->port[c->m[i].slot];
		struct lag_lacp_port rec;

		/* A member in `del` has lost its port and its lag_lacp entry
		 * already (member_del): no entry to bring back.
		 */
		if (!p)
			continue;
		rec = (struct lag_lacp_port){
			.actor_port = p->actor.port,
			.actor_port_priority = p->actor.port_priority,
			.actor_key = p->actor.key,
			.actor_state = p->actor.state,
			.partner_state = p->partner.state,
			.partner_system_priority = p->partner.system_priority,
			.partner_key = p->partner.key,
			.partner_port = p->partner.port,
			.partner_port_priority = p->partner.port_priority,
			.mux_state = (enum lag_mux_state)p->mux_state,
			.rx_state = (enum lag_rx_state)p->rx_state,
			.selected = (enum lag_selected)p->selected,
			.reason = (enum lag_reason)p->reason,
		};
		memcpy(rec.partner_system, p->partner.system, 6);
		if (mp->mirrored_set && !memcmp(&rec, &mp->mirrored, sizeof(rec)))
			continue;
		if (maps_lacp_put(&c->maps, (__u32)c->m[i].ifindex, &rec)) {
			lag_log(LAG_LOG_DEBUG, "%s %s: lag_lacp not updated\n", c->cfg.name,
				c->m[i].name);
			continue;
		}
		mp->mirrored = rec;
		mp->mirrored_set = 1;
	}
}

static const struct lacp_counters *counters(const struct ctrl *c, const struct ctrl_member *mb)
{
	const struct lacp_port *p = lacp_mode_port(c, mb);

	return p ? &p->cnt : NULL;
}

static const char *reason(const struct ctrl *c, const struct ctrl_member *mb)
{
	const struct lacp_port *p = lacp_mode_port(c, mb);

	if (!p)
		return mb->carrier ? NULL : "port-down";
	if (p->selected == LACP_SELECTED || p->reason >= LACP_REASON__COUNT)
		return NULL;
	return lacp_reason_name[p->reason];
}

const struct ctrl_mode ctrl_mode_lacp = {
	.init = init,
	.fini = fini,
	.member_add = member_add,
	.member_del = member_del,
	.carrier = carrier,
	.tick = tick,
	.rx = rx,
	.set_rate = set_rate,
	.set_min_links = set_min_links,
	.goodbye = goodbye,
	.collecting = collecting,
	.distributing = distributing,
	.published = mirror,
	.not_available_state = "pending",
	.status_member = lacp_mode_status_member,
	.status_lag = lacp_mode_status_lag,
	.counters = counters,
	.reason = reason,
};
