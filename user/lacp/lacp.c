// SPDX-License-Identifier: GPL-2.0
/*
 * LACP glue: port bookkeeping, the 100 ms tick, frame in / frame out, and running the
 * 802.1AX-2014 machines (lacp_{rx,ptx,select,mux,tx,churn}.c) until stable after every
 * input. Applies each step's struct lacp_actions to the port. No clocks, no I/O, no malloc.
 */
#include <errno.h>
#include <string.h>
#include "lacp/lacp.h"

/* ---- helpers shared by the machines ---- */

void lacp_timer_start(struct lacp_port *p, enum lacp_timer t, __u32 ticks)
{
	p->timer[t] = ticks;
	p->timer_running |= 1u << t;
}

void lacp_timer_stop(struct lacp_port *p, enum lacp_timer t)
{
	p->timer[t] = 0;
	p->timer_running &= ~(1u << t);
}

int lacp_timer_expired(const struct lacp_port *p, enum lacp_timer t)
{
	return (p->timer_running & (1u << t)) && p->timer[t] == 0;
}

void lacp_log_transition(const struct lacp_sys *s, const struct lacp_port *p, const char *machine,
			 const char *from, const char *event, const char *to)
{
	if (s->log)
		s->log(s->log_ctx, p->name, machine, from, event, to);
}

int lacp_info_same_system(const struct lacp_info *a, const struct lacp_info *b)
{
	return a->system_priority == b->system_priority && memcmp(a->system, b->system, 6) == 0;
}

void lacp_state_set(__u8 *state, __u8 bit, int on)
{
	if (on)
		*state |= bit;
	else
		*state &= (__u8)~bit;
}

void lacp_apply(struct lacp_sys *s, struct lacp_port *p, const struct lacp_actions *act)
{
	int coll = p->collecting, dist = p->distributing;

	if (act->ntt)
		p->ntt = 1;
	if (act->unselect && p->selected != LACP_UNSELECTED) {
		lacp_log_transition(s, p, "selection", lacp_selected_name[p->selected],
				    lacp_reason_name[LACP_REASON_PARTNER_CHANGED],
				    lacp_selected_name[LACP_UNSELECTED]);
		p->selected = LACP_UNSELECTED;
		p->reason = LACP_REASON_PARTNER_CHANGED;
	}
	if (act->detach)
		p->attached = 0;
	if (act->attach)
		p->attached = 1;
	if (act->disable_distributing)
		p->distributing = 0;
	if (act->disable_collecting)
		p->collecting = 0;
	if (act->enable_collecting)
		p->collecting = 1;
	if (act->enable_distributing)
		p->distributing = 1;
	if (coll != p->collecting || dist != p->distributing)
		s->generation++;
}

/* ---- running the machines ---- */

static struct lacp_port *port_of(struct lacp_sys *s, int idx)
{
	if (idx < 0 || idx >= LACP_MAX_PORTS || !s->used[idx])
		return NULL;
	return &s->port[idx];
}

/*
 * Run every machine until none moves: Receive first (it feeds Selected and Partner state),
 * then Selection, then Mux, Periodic and Churn, which may change Selected/Sync again.
 */
static void lacp_run(struct lacp_sys *s)
{
	int iter, i;

	for (iter = 0; iter < 32; iter++) {
		int changed = 0;

		for (i = 0; i < LACP_MAX_PORTS; i++)
			if (s->used[i])
				changed |= lacp_rx_run(s, &s->port[i]);
		changed |= lacp_select(s);
		for (i = 0; i < LACP_MAX_PORTS; i++) {
			if (!s->used[i])
				continue;
			changed |= lacp_mux_run(s, &s->port[i]);
			changed |= lacp_ptx_run(s, &s->port[i]);
			changed |= lacp_churn_run(s, &s->port[i]);
		}
		if (!changed)
			break;
	}
	lacp_fallback_run(s);
	/* 6.4.16: in NO_PERIODIC the Transmit machine sets NTT FALSE */
	for (i = 0; i < LACP_MAX_PORTS; i++)
		if (s->used[i] && s->port[i].ptx_state == LACP_PTX_NO_PERIODIC)
			s->port[i].ntt = 0;
}

static void port_begin(struct lacp_sys *s, struct lacp_port *p)
{
	struct lacp_actions act = { 0 };

	lacp_rx_step(s, p, LACP_RX_EV_BEGIN, NULL, &act);
	lacp_ptx_step(s, p, LACP_PTX_EV_BEGIN, &act);
	lacp_mux_step(s, p, LACP_MUX_EV_BEGIN, &act);
	lacp_churn_step(s, p, 0, LACP_CHURN_EV_BEGIN);
	lacp_churn_step(s, p, 1, LACP_CHURN_EV_BEGIN);
	lacp_apply(s, p, &act);
}

/* ---- public API ---- */

void lacp_sys_init(struct lacp_sys *s, const struct lacp_sys_cfg *cfg)
{
	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	s->aggregate_wait = LACP_AGGREGATE_WAIT_TICKS;
	s->fallback_idx = -1;
}

void lacp_sys_set_log(struct lacp_sys *s, lacp_log_fn log, void *ctx)
{
	s->log = log;
	s->log_ctx = ctx;
}

void lacp_sys_set_max_active(struct lacp_sys *s, unsigned max_active)
{
	s->cfg.max_active = max_active;
	lacp_run(s);
}

void lacp_sys_set_min_links(struct lacp_sys *s, unsigned min_links)
{
	s->cfg.min_links = min_links;
	lacp_run(s);
}

void lacp_sys_set_aggregate_wait(struct lacp_sys *s, unsigned ms)
{
	if (ms > LACP_AGGREGATE_WAIT_MAX_MS)
		ms = LACP_AGGREGATE_WAIT_MAX_MS;
	s->aggregate_wait = (ms + LACP_TICK_MS - 1) / LACP_TICK_MS;
}

void lacp_sys_set_fallback(struct lacp_sys *s, int on, unsigned ticks)
{
	s->cfg.fallback = !!on;
	s->cfg.fallback_ticks = ticks;
	lacp_run(s);
}

int lacp_port_add(struct lacp_sys *s, const struct lacp_port_cfg *cfg)
{
	struct lacp_port *p;
	int i, idx = -1;

	/* 6.3.4: Port Number 0 is not used */
	if (!cfg->port_number)
		return -EINVAL;
	for (i = 0; i < LACP_MAX_PORTS; i++) {
		if (s->used[i] && s->port[i].actor.port == cfg->port_number)
			return -EEXIST;
		if (!s->used[i] && idx < 0)
			idx = i;
	}
	if (idx < 0)
		return -ENOSPC;

	p = &s->port[idx];
	memset(p, 0, sizeof(*p));
	memcpy(p->name, cfg->name, sizeof(p->name) - 1);
	memcpy(p->mac, cfg->mac, 6);
	p->active = !!cfg->active;
	p->fast = !!cfg->fast;

	p->actor.system_priority = s->cfg.system_priority;
	memcpy(p->actor.system, s->cfg.system_id, 6);
	p->actor.key = cfg->key ? cfg->key : s->cfg.key;
	p->actor.port_priority = cfg->port_priority;
	p->actor.port = cfg->port_number;
	p->actor.state = LACP_STATE_AGGREGATION | (p->active ? LACP_STATE_ACTIVITY : 0) |
			 (p->fast ? LACP_STATE_TIMEOUT : 0);

	/*
	 * Partner Admin values (6.4.7): a null partner, passive, aggregatable. XXX: its
	 * LACP_Timeout follows our own rate, so a defaulted active port keeps announcing itself
	 * at the rate the operator chose (1 s with --rate fast) instead of always 30 s.
	 */
	memset(&p->partner_admin, 0, sizeof(p->partner_admin));
	p->partner_admin.state = LACP_STATE_AGGREGATION | (p->fast ? LACP_STATE_TIMEOUT : 0);

	p->lacp_enabled = 1;
	p->port_enabled = 0;
	p->selected = LACP_UNSELECTED;
	p->reason = LACP_REASON_PORT_DOWN;
	s->used[idx] = 1;

	port_begin(s, p);
	lacp_run(s);
	return idx;
}

void lacp_port_del(struct lacp_sys *s, int idx)
{
	struct lacp_port *p = port_of(s, idx);

	if (!p)
		return;
	if (p->collecting || p->distributing)
		s->generation++;
	if (s->fallback_idx == idx) {
		s->fallback_idx = -1;
		s->generation++;
	}
	s->used[idx] = 0;
	memset(p, 0, sizeof(*p));
	lacp_run(s);
}

void lacp_port_set_enabled(struct lacp_sys *s, int idx, int up)
{
	struct lacp_port *p = port_of(s, idx);

	if (!p || p->port_enabled == !!up)
		return;
	p->port_enabled = !!up;
	/* XXX: a port coming up announces itself at once rather than a Fast_Periodic_Time
	 * later (BEGIN with port_enabled would do the same through Mux DETACHED). */
	if (up)
		p->ntt = 1;
	lacp_run(s);
}

void lacp_port_set_lacp_enabled(struct lacp_sys *s, int idx, int on)
{
	struct lacp_port *p = port_of(s, idx);

	if (!p || p->lacp_enabled == !!on)
		return;
	p->lacp_enabled = !!on;
	lacp_run(s);
}

/* a change of an Actor_Admin value is announced at once (6.4.11: NTT) */
void lacp_port_set_active(struct lacp_sys *s, int idx, int active)
{
	struct lacp_port *p = port_of(s, idx);

	if (!p)
		return;
	p->active = !!active;
	lacp_state_set(&p->actor.state, LACP_STATE_ACTIVITY, p->active);
	p->ntt = 1;
	lacp_run(s);
}

void lacp_port_set_fast(struct lacp_sys *s, int idx, int fast)
{
	struct lacp_port *p = port_of(s, idx);

	if (!p)
		return;
	p->fast = !!fast;
	lacp_state_set(&p->actor.state, LACP_STATE_TIMEOUT, p->fast);
	lacp_state_set(&p->partner_admin.state, LACP_STATE_TIMEOUT, p->fast);
	if (p->actor.state & LACP_STATE_DEFAULTED)
		lacp_state_set(&p->partner.state, LACP_STATE_TIMEOUT, p->fast);
	p->ntt = 1;
	lacp_run(s);
}

/*
 * A change of Actor_Oper_Port_Key (the port's speed changed) changes the aggregation the port
 * can join: it is UNSELECTED, detaches, and is selected again if its key is the LAG's
 * (actor-key-mismatch if not); the partner learns the new key at once (NTT).
 */
void lacp_port_set_key(struct lacp_sys *s, int idx, __u16 key)
{
	struct lacp_port *p = port_of(s, idx);

	if (!p || p->actor.key == key)
		return;
	p->actor.key = key;
	p->ntt = 1;
	if (p->selected != LACP_UNSELECTED) {
		lacp_log_transition(s, p, "selection", lacp_selected_name[p->selected],
				    lacp_reason_name[LACP_REASON_ACTOR_KEY],
				    lacp_selected_name[LACP_UNSELECTED]);
		p->selected = LACP_UNSELECTED;
		p->reason = LACP_REASON_ACTOR_KEY;
	}
	lacp_run(s);
}

int lacp_port_rx(struct lacp_sys *s, int idx, const void *frame, size_t len)
{
	struct lacp_port *p = port_of(s, idx);
	struct lacp_actions act = { 0 };
	struct lacpdu_msg m;
	int rc;

	if (!p)
		return -EINVAL;
	rc = lacpdu_decode(frame, len, &m);
	if (rc == -LACPDU_E_UNKNOWN) {
		p->cnt.unknown_rx++;
		return rc;
	}
	if (rc < 0) {
		p->cnt.illegal_rx++;
		return rc;
	}
	switch (m.kind) {
	case LACPDU_KIND_LACPDU:
		p->cnt.lacpdu_rx++;
		s->last_heard = s->now; /* a partner speaks: no fallback */
		lacp_rx_port_moved(s, idx, &m);
		if (lacp_rx_step(s, p, LACP_RX_EV_LACPDU, &m, &act))
			lacp_apply(s, p, &act);
		break;
	case LACPDU_KIND_MARKER:
		p->cnt.marker_rx++;
		lacp_marker_rx(s, p, &m);
		break;
	case LACPDU_KIND_MARKER_RESPONSE:
		p->cnt.marker_resp_rx++;
		break;
	default:
		break;
	}
	lacp_run(s);
	return rc;
}

void lacp_tick(struct lacp_sys *s)
{
	int i, t;

	s->now++;
	for (i = 0; i < LACP_MAX_PORTS; i++) {
		struct lacp_port *p = &s->port[i];

		if (!s->used[i])
			continue;
		for (t = 0; t < LACP_T__COUNT; t++)
			if ((p->timer_running & (1u << t)) && p->timer[t])
				p->timer[t]--;
		/* Ready_N (6.4.8): the wait_while_timer of a waiting port has run out */
		if (p->mux_state == LACP_MUX_WAITING && lacp_timer_expired(p, LACP_T_WAIT_WHILE))
			p->ready_n = 1;
	}
	lacp_run(s);
}

size_t lacp_port_tx(struct lacp_sys *s, int idx, void *buf, size_t cap)
{
	struct lacp_port *p = port_of(s, idx);
	size_t n;

	if (!p)
		return 0;
	p->tx_last = LACPDU_KIND_NONE;
	if (!p->port_enabled)
		return 0;
	n = lacp_tx_marker(s, p, buf, cap);
	if (n)
		return n;
	return lacp_tx_lacpdu(s, p, buf, cap);
}

/*
 * 6.4.16: "NTT is set FALSE" once the LACPDU has been transmitted. lacp_port_tx() commits the
 * frame it builds (NTT FALSE, counted, one of 3 per Fast_Periodic_Time); a send that failed
 * rolls that back, so the Transmit machine sends it again at the next tick.
 */
void lacp_port_tx_failed(struct lacp_sys *s, int idx)
{
	struct lacp_port *p = port_of(s, idx);

	if (!p)
		return;
	switch (p->tx_last) {
	case LACPDU_KIND_LACPDU:
		p->ntt = 1;
		p->cnt.lacpdu_tx--;
		memcpy(p->tx_log, p->tx_undo_log, sizeof(p->tx_log));
		p->tx_log_n = p->tx_undo_log_n;
		break;
	case LACPDU_KIND_MARKER_RESPONSE:
		p->marker_q_head = (p->marker_q_head + LACP_MARKER_QUEUE - 1) % LACP_MARKER_QUEUE;
		p->marker_q_len++;
		p->cnt.marker_resp_tx--;
		break;
	default:
		break;
	}
	p->tx_last = LACPDU_KIND_NONE;
}

/* what the data path does: the Mux's Enable_Collecting/Distributing, or the fallback port */
int lacp_port_collecting(const struct lacp_sys *s, int idx)
{
	if (idx < 0 || idx >= LACP_MAX_PORTS || !s->used[idx])
		return 0;
	return s->port[idx].collecting || idx == s->fallback_idx;
}

const struct lacp_port *lacp_port_get(const struct lacp_sys *s, int idx)
{
	if (idx < 0 || idx >= LACP_MAX_PORTS || !s->used[idx])
		return NULL;
	return &s->port[idx];
}

int lacp_port_distributing(const struct lacp_sys *s, int idx)
{
	if (idx < 0 || idx >= LACP_MAX_PORTS || !s->used[idx])
		return 0;
	return s->port[idx].distributing || idx == s->fallback_idx;
}

unsigned lacp_sys_generation(const struct lacp_sys *s)
{
	return s->generation;
}

unsigned lacp_sys_distributing(const struct lacp_sys *s)
{
	unsigned n = 0;
	int i;

	for (i = 0; i < LACP_MAX_PORTS; i++)
		n += lacp_port_distributing(s, i);
	return n;
}

int lacp_sys_fallback_port(const struct lacp_sys *s)
{
	return s->fallback_idx;
}

int lacp_port_adopt(struct lacp_sys *s, int idx, const struct lacp_info *actor,
		    const struct lacp_info *partner, int distributing)
{
	struct lacp_port *p;
	__u8 frame[LACP_FRAME_LEN];
	size_t n;

	if (idx < 0 || idx >= LACP_MAX_PORTS || !s->used[idx])
		return -EINVAL;
	p = &s->port[idx];
	/* The partner's last word as the old controller recorded it: a LACPDU
	 * from it (its info as Actor, ours as it saw us) through the Receive
	 * machine, so its information is CURRENT with a fresh current_while.
	 */
	n = lacpdu_encode_lacp(frame, sizeof(frame), partner->system, partner, actor,
			       LACP_COLLECTOR_MAX_DELAY);
	if (!n || lacp_port_rx(s, idx, frame, n) != LACPDU_KIND_LACPDU)
		return -EINVAL;
	if (!distributing)
		return 0;
	/* XXX: a restart is not an 802.1AX event: the port takes up where the
	 * old controller left it (selected, Mux DISTRIBUTING) instead of waiting
	 * Aggregate_Wait_Time again, so the partner never sees it leave Sync.
	 */
	if (!s->partner_valid) {
		/* the LAG's partner, as selection had chosen it */
		s->partner_valid = 1;
		s->partner_system_priority = partner->system_priority;
		memcpy(s->partner_system, partner->system, 6);
		s->partner_key = partner->key;
		s->partner_individual = partner->state & LACP_STATE_AGGREGATION ? 0 : idx + 1;
	}
	p->selected = LACP_SELECTED;
	p->reason = LACP_REASON_NONE;
	p->mux_state = LACP_MUX_DISTRIBUTING;
	p->attached = p->collecting = p->distributing = 1;
	p->actor.state |= LACP_STATE_SYNC | LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING;
	p->ntt = 1;
	s->generation++;
	return 0;
}
