// SPDX-License-Identifier: GPL-2.0
/*
 * Receive machine, IEEE 802.1AX-2014 6.4.12 (Figure 6-18), and the functions it calls
 * (recordPDU, recordDefault, update_Selected, update_Default_Selected, update_NTT: 6.4.9).
 * It records what the partner says; it never selects, attaches or transmits itself.
 */
#include <string.h>
#include "lacp/lacp.h"

const char *const lacp_rx_state_name[] = {
	[LACP_RX_INITIALIZE] = "initialize", [LACP_RX_PORT_DISABLED] = "port_disabled",
	[LACP_RX_EXPIRED] = "expired",	     [LACP_RX_LACP_DISABLED] = "lacp_disabled",
	[LACP_RX_DEFAULTED] = "defaulted",   [LACP_RX_CURRENT] = "current",
};
_Static_assert(LACP_ARRAY_SIZE(lacp_rx_state_name) == LACP_RX__COUNT, "names");

/* the standard's words, for the transition log */
static const char *const rx_std_name[] = {
	[LACP_RX_INITIALIZE] = "INITIALIZE", [LACP_RX_PORT_DISABLED] = "PORT_DISABLED",
	[LACP_RX_EXPIRED] = "EXPIRED",	     [LACP_RX_LACP_DISABLED] = "LACP_DISABLED",
	[LACP_RX_DEFAULTED] = "DEFAULTED",   [LACP_RX_CURRENT] = "CURRENT",
};
_Static_assert(LACP_ARRAY_SIZE(rx_std_name) == LACP_RX__COUNT, "names");

static const char *const rx_ev_name[] = {
	[LACP_RX_EV_NONE] = "none",
	[LACP_RX_EV_BEGIN] = "BEGIN",
	[LACP_RX_EV_PORT_DISABLED] = "!port_enabled && !port_moved",
	[LACP_RX_EV_PORT_MOVED] = "port_moved",
	[LACP_RX_EV_ENABLED] = "port_enabled && LACP_Enabled",
	[LACP_RX_EV_ENABLED_NO_LACP] = "port_enabled && !LACP_Enabled",
	[LACP_RX_EV_LACP_ENABLED] = "LACP_Enabled",
	[LACP_RX_EV_LACP_DISABLED] = "!LACP_Enabled",
	[LACP_RX_EV_LACPDU] = "LACPDU Received",
	[LACP_RX_EV_CURRENT_WHILE] = "current_while_timer expired",
	[LACP_RX_EV_UCT] = "UCT",
};
_Static_assert(LACP_ARRAY_SIZE(rx_ev_name) == LACP_RX_EV__COUNT, "names");

/*
 * recordDefault (6.4.9): "records the default parameter values for the Partner carried in
 * the Partner Admin parameters as the current Partner operational parameter values and
 * sets Actor_Oper_Port_State.Defaulted to TRUE."
 */
static void record_default(struct lacp_port *p)
{
	p->partner = p->partner_admin;
	lacp_state_set(&p->actor.state, LACP_STATE_DEFAULTED, 1);
}

static int info_same_port(const struct lacp_info *a, const struct lacp_info *b)
{
	return a->port == b->port && a->port_priority == b->port_priority &&
	       lacp_info_same_system(a, b) && a->key == b->key;
}

/*
 * recordPDU (6.4.9): Partner_Oper := the PDU's Actor values (but Synchronization);
 * Actor_Oper_Port_State.Defaulted := FALSE;
 * Partner_Oper_Port_State.Synchronization := TRUE iff LACP actively maintains the link
 *   (PDU Actor.LACP_Activity, or our Actor.LACP_Activity and the PDU's Partner.LACP_Activity)
 *   and PDU Actor.Synchronization, and either the PDU's Partner values (port, priority,
 *   system, system priority, key, Aggregation) match our Actor_Oper values, or the PDU's
 *   Actor is Individual (Aggregation FALSE).
 */
static void record_pdu(struct lacp_sys *s, struct lacp_port *p, const struct lacpdu_msg *m)
{
	const struct lacp_info *a = &m->lacp.actor, *pp = &m->lacp.partner;
	int active_maint, match, sync;

	if ((p->actor.state & LACP_STATE_DEFAULTED) || !info_same_port(a, &p->partner))
		p->partner_since = s->now;
	p->last_rx = s->now;
	p->partner = *a;
	lacp_state_set(&p->actor.state, LACP_STATE_DEFAULTED, 0);

	active_maint =
		(a->state & LACP_STATE_ACTIVITY) ||
		((p->actor.state & LACP_STATE_ACTIVITY) && (pp->state & LACP_STATE_ACTIVITY));
	match = info_same_port(pp, &p->actor) &&
		(pp->state & LACP_STATE_AGGREGATION) == (p->actor.state & LACP_STATE_AGGREGATION);
	sync = active_maint && (a->state & LACP_STATE_SYNC) &&
	       (match || !(a->state & LACP_STATE_AGGREGATION));
	lacp_state_set(&p->partner.state, LACP_STATE_SYNC, sync);
}

/*
 * update_Selected (6.4.9): if the PDU's Actor port, priority, system, system priority, key
 * or Aggregation differ from Partner_Oper, Selected := UNSELECTED.
 */
static void update_selected(const struct lacp_port *p, const struct lacpdu_msg *m,
			    struct lacp_actions *act)
{
	const struct lacp_info *a = &m->lacp.actor;

	if (!info_same_port(a, &p->partner) ||
	    (a->state & LACP_STATE_AGGREGATION) != (p->partner.state & LACP_STATE_AGGREGATION))
		act->unselect = 1;
}

/* update_Default_Selected (6.4.9): the same comparison against the Partner Admin values */
static void update_default_selected(const struct lacp_port *p, struct lacp_actions *act)
{
	if (!info_same_port(&p->partner_admin, &p->partner) ||
	    (p->partner_admin.state & LACP_STATE_AGGREGATION) !=
		    (p->partner.state & LACP_STATE_AGGREGATION))
		act->unselect = 1;
}

/*
 * update_NTT (6.4.9): if the PDU's Partner values (port, priority, system, system priority,
 * key, LACP_Activity, LACP_Timeout, Synchronization, Aggregation) differ from our Actor_Oper
 * values, NTT := TRUE: the partner has a stale view of us.
 */
static void update_ntt(const struct lacp_port *p, const struct lacpdu_msg *m,
		       struct lacp_actions *act)
{
	const __u8 bits =
		LACP_STATE_ACTIVITY | LACP_STATE_TIMEOUT | LACP_STATE_SYNC | LACP_STATE_AGGREGATION;
	const struct lacp_info *pp = &m->lacp.partner;

	if (!info_same_port(pp, &p->actor) || (pp->state & bits) != (p->actor.state & bits))
		act->ntt = 1;
}

/* Conditions of Figure 6-18 turned into the one event that applies now, or NONE */
static enum lacp_rx_ev rx_poll(const struct lacp_port *p)
{
	/* global: (!port_enabled) && (!port_moved) -> PORT_DISABLED; from INITIALIZE the UCT
	 * leads to the same state and is the one we name */
	if (!p->port_enabled && !p->port_moved && p->rx_state != LACP_RX_PORT_DISABLED &&
	    p->rx_state != LACP_RX_INITIALIZE)
		return LACP_RX_EV_PORT_DISABLED;

	switch (p->rx_state) {
	case LACP_RX_INITIALIZE:
		return LACP_RX_EV_UCT;
	case LACP_RX_PORT_DISABLED:
		if (p->port_moved)
			return LACP_RX_EV_PORT_MOVED;
		if (p->port_enabled && p->lacp_enabled)
			return LACP_RX_EV_ENABLED;
		if (p->port_enabled && !p->lacp_enabled)
			return LACP_RX_EV_ENABLED_NO_LACP;
		return LACP_RX_EV_NONE;
	case LACP_RX_LACP_DISABLED:
		return p->lacp_enabled ? LACP_RX_EV_LACP_ENABLED : LACP_RX_EV_NONE;
	case LACP_RX_EXPIRED:
	case LACP_RX_CURRENT:
		if (lacp_timer_expired(p, LACP_T_CURRENT_WHILE))
			return LACP_RX_EV_CURRENT_WHILE;
		/* fall through */
	case LACP_RX_DEFAULTED:
		return p->lacp_enabled ? LACP_RX_EV_NONE : LACP_RX_EV_LACP_DISABLED;
	case LACP_RX__COUNT:
		break;
	}
	return LACP_RX_EV_NONE;
}

int lacp_rx_step(struct lacp_sys *s, struct lacp_port *p, enum lacp_rx_ev ev,
		 const struct lacpdu_msg *pdu, struct lacp_actions *act)
{
	enum lacp_rx_state next;

	/* phase 1: (state, event) -> next */
	if (ev == LACP_RX_EV_BEGIN) {
		next = LACP_RX_INITIALIZE;
	} else if (ev == LACP_RX_EV_PORT_DISABLED) {
		next = LACP_RX_PORT_DISABLED;
	} else {
		switch (p->rx_state) {
		case LACP_RX_INITIALIZE:
			if (ev != LACP_RX_EV_UCT)
				return 0;
			next = LACP_RX_PORT_DISABLED;
			break;
		case LACP_RX_PORT_DISABLED:
			if (ev == LACP_RX_EV_PORT_MOVED)
				next = LACP_RX_INITIALIZE;
			else if (ev == LACP_RX_EV_ENABLED)
				next = LACP_RX_EXPIRED;
			else if (ev == LACP_RX_EV_ENABLED_NO_LACP)
				next = LACP_RX_LACP_DISABLED;
			else
				return 0;
			break;
		case LACP_RX_LACP_DISABLED:
			if (ev != LACP_RX_EV_LACP_ENABLED)
				return 0;
			next = LACP_RX_PORT_DISABLED;
			break;
		case LACP_RX_EXPIRED:
		case LACP_RX_DEFAULTED:
		case LACP_RX_CURRENT:
			if (ev == LACP_RX_EV_LACPDU && pdu)
				next = LACP_RX_CURRENT;
			else if (ev == LACP_RX_EV_CURRENT_WHILE && p->rx_state == LACP_RX_EXPIRED)
				next = LACP_RX_DEFAULTED;
			else if (ev == LACP_RX_EV_CURRENT_WHILE && p->rx_state == LACP_RX_CURRENT)
				next = LACP_RX_EXPIRED;
			/*
			 * XXX: Figure 6-18 only leaves these states on port_enabled; we let a
			 * LACP_Enabled change (duplex) without a carrier flap go through
			 * PORT_DISABLED so it lands in LACP_DISABLED as the figure intends.
			 */
			else if (ev == LACP_RX_EV_LACP_DISABLED)
				next = LACP_RX_PORT_DISABLED;
			else
				return 0;
			break;
		default:
			return 0;
		}
	}

	lacp_log_transition(s, p, "rx", rx_std_name[p->rx_state], rx_ev_name[ev],
			    rx_std_name[next]);
	p->rx_state = next;

	/* phase 2: entry actions */
	switch (next) {
	case LACP_RX_INITIALIZE:
		/* Selected = UNSELECTED; recordDefault(); Actor_Oper_Port_State.Expired = FALSE;
		 * port_moved = FALSE */
		act->unselect = 1;
		record_default(p);
		lacp_state_set(&p->actor.state, LACP_STATE_EXPIRED, 0);
		p->port_moved = 0;
		lacp_timer_stop(p, LACP_T_CURRENT_WHILE);
		break;
	case LACP_RX_PORT_DISABLED:
		/* Partner_Oper_Port_State.Synchronization = FALSE */
		lacp_state_set(&p->partner.state, LACP_STATE_SYNC, 0);
		lacp_timer_stop(p, LACP_T_CURRENT_WHILE);
		break;
	case LACP_RX_EXPIRED:
		/* Partner_Oper_Port_State.Synchronization = FALSE;
		 * Partner_Oper_Port_State.LACP_Timeout = Short Timeout;
		 * start current_while_timer(Short Timeout); Actor_Oper_Port_State.Expired = TRUE */
		lacp_state_set(&p->partner.state, LACP_STATE_SYNC, 0);
		lacp_state_set(&p->partner.state, LACP_STATE_TIMEOUT, 1);
		lacp_timer_start(p, LACP_T_CURRENT_WHILE, LACP_SHORT_TIMEOUT_TICKS);
		lacp_state_set(&p->actor.state, LACP_STATE_EXPIRED, 1);
		break;
	case LACP_RX_LACP_DISABLED:
		/* Selected = UNSELECTED; recordDefault();
		 * Partner_Oper_Port_State.Aggregation = FALSE; Actor_Oper_Port_State.Expired =
		 * FALSE */
		act->unselect = 1;
		record_default(p);
		lacp_state_set(&p->partner.state, LACP_STATE_AGGREGATION, 0);
		lacp_state_set(&p->actor.state, LACP_STATE_EXPIRED, 0);
		break;
	case LACP_RX_DEFAULTED:
		/* update_Default_Selected(); recordDefault(); Actor_Oper_Port_State.Expired = FALSE
		 */
		update_default_selected(p, act);
		record_default(p);
		lacp_state_set(&p->actor.state, LACP_STATE_EXPIRED, 0);
		break;
	case LACP_RX_CURRENT:
		/* update_Selected(); update_NTT(); recordPDU();
		 * start current_while_timer(Actor_Oper_Port_State.LACP_Timeout);
		 * Actor_Oper_Port_State.Expired = FALSE */
		update_selected(p, pdu, act);
		update_ntt(p, pdu, act);
		record_pdu(s, p, pdu);
		lacp_timer_start(p, LACP_T_CURRENT_WHILE,
				 (p->actor.state & LACP_STATE_TIMEOUT) ? LACP_SHORT_TIMEOUT_TICKS
								       : LACP_LONG_TIMEOUT_TICKS);
		lacp_state_set(&p->actor.state, LACP_STATE_EXPIRED, 0);
		break;
	case LACP_RX__COUNT:
		break;
	}
	return 1;
}

int lacp_rx_run(struct lacp_sys *s, struct lacp_port *p)
{
	int changed = 0, i;

	/* every path through Figure 6-18 without a PDU is at most 4 steps long */
	for (i = 0; i < 8; i++) {
		struct lacp_actions act = { 0 };
		enum lacp_rx_ev ev = rx_poll(p);

		if (ev == LACP_RX_EV_NONE || !lacp_rx_step(s, p, ev, NULL, &act))
			break;
		lacp_apply(s, p, &act);
		changed = 1;
	}
	return changed;
}

/*
 * port_moved (6.4.7): TRUE for a port in PORT_DISABLED whose Partner_Oper_System and
 * Partner_Oper_Port_Number have just been received in a LACPDU on a different port: the
 * cable was moved, so the old port must forget that partner (PORT_DISABLED -> INITIALIZE).
 */
void lacp_rx_port_moved(struct lacp_sys *s, int idx, const struct lacpdu_msg *m)
{
	int j;

	for (j = 0; j < LACP_MAX_PORTS; j++) {
		struct lacp_port *q = &s->port[j];

		if (j == idx || !s->used[j] || q->rx_state != LACP_RX_PORT_DISABLED ||
		    (q->actor.state & LACP_STATE_DEFAULTED))
			continue;
		if (q->partner.port == m->lacp.actor.port &&
		    lacp_info_same_system(&q->partner, &m->lacp.actor))
			q->port_moved = 1;
	}
}
