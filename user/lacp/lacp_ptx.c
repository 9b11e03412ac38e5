// SPDX-License-Identifier: GPL-2.0
/*
 * Periodic Transmission machine, IEEE 802.1AX-2014 6.4.13 (Figure 6-19): decides WHEN a
 * periodic LACPDU is due, from the PARTNER's LACP_Timeout, by setting NTT. The Transmit
 * machine (lacp_tx.c) sends it.
 */
#include "lacp/lacp.h"

const char *const lacp_ptx_state_name[] = {
	[LACP_PTX_NO_PERIODIC] = "no_periodic",
	[LACP_PTX_FAST_PERIODIC] = "fast_periodic",
	[LACP_PTX_SLOW_PERIODIC] = "slow_periodic",
	[LACP_PTX_PERIODIC_TX] = "periodic_tx",
};
_Static_assert(LACP_ARRAY_SIZE(lacp_ptx_state_name) == LACP_PTX__COUNT, "names");

static const char *const ptx_std_name[] = {
	[LACP_PTX_NO_PERIODIC] = "NO_PERIODIC",
	[LACP_PTX_FAST_PERIODIC] = "FAST_PERIODIC",
	[LACP_PTX_SLOW_PERIODIC] = "SLOW_PERIODIC",
	[LACP_PTX_PERIODIC_TX] = "PERIODIC_TX",
};
_Static_assert(LACP_ARRAY_SIZE(ptx_std_name) == LACP_PTX__COUNT, "names");

static const char *const ptx_ev_name[] = {
	[LACP_PTX_EV_NONE] = "none",
	[LACP_PTX_EV_BEGIN] = "BEGIN",
	[LACP_PTX_EV_NO_PERIODIC] = "!LACP_Enabled || !port_enabled || both Passive",
	[LACP_PTX_EV_UCT] = "UCT",
	[LACP_PTX_EV_PERIODIC_TIMER] = "periodic_timer expired",
	[LACP_PTX_EV_PARTNER_SHORT] = "Partner.LACP_Timeout == Short",
	[LACP_PTX_EV_PARTNER_LONG] = "Partner.LACP_Timeout == Long",
};
_Static_assert(LACP_ARRAY_SIZE(ptx_ev_name) == LACP_PTX_EV__COUNT, "names");

/* global: (BEGIN) || (!LACP_Enabled) || (!port_enabled) ||
 *         ((Actor_Oper_Port_State.LACP_Activity == PASSIVE) &&
 *          (Partner_Oper_Port_State.LACP_Activity == PASSIVE)) -> NO_PERIODIC */
static int ptx_no_periodic(const struct lacp_port *p)
{
	return !p->lacp_enabled || !p->port_enabled ||
	       (!(p->actor.state & LACP_STATE_ACTIVITY) &&
		!(p->partner.state & LACP_STATE_ACTIVITY));
}

static int partner_short(const struct lacp_port *p)
{
	return !!(p->partner.state & LACP_STATE_TIMEOUT);
}

static enum lacp_ptx_ev ptx_poll(const struct lacp_port *p)
{
	if (ptx_no_periodic(p))
		return p->ptx_state == LACP_PTX_NO_PERIODIC ? LACP_PTX_EV_NONE
							    : LACP_PTX_EV_NO_PERIODIC;
	switch (p->ptx_state) {
	case LACP_PTX_NO_PERIODIC:
		return LACP_PTX_EV_UCT;
	case LACP_PTX_FAST_PERIODIC:
		if (lacp_timer_expired(p, LACP_T_PERIODIC))
			return LACP_PTX_EV_PERIODIC_TIMER;
		return partner_short(p) ? LACP_PTX_EV_NONE : LACP_PTX_EV_PARTNER_LONG;
	case LACP_PTX_SLOW_PERIODIC:
		if (lacp_timer_expired(p, LACP_T_PERIODIC))
			return LACP_PTX_EV_PERIODIC_TIMER;
		return partner_short(p) ? LACP_PTX_EV_PARTNER_SHORT : LACP_PTX_EV_NONE;
	case LACP_PTX_PERIODIC_TX:
		return partner_short(p) ? LACP_PTX_EV_PARTNER_SHORT : LACP_PTX_EV_PARTNER_LONG;
	case LACP_PTX__COUNT:
		break;
	}
	return LACP_PTX_EV_NONE;
}

int lacp_ptx_step(struct lacp_sys *s, struct lacp_port *p, enum lacp_ptx_ev ev,
		  struct lacp_actions *act)
{
	enum lacp_ptx_state next;

	if (ev == LACP_PTX_EV_BEGIN || ev == LACP_PTX_EV_NO_PERIODIC) {
		next = LACP_PTX_NO_PERIODIC;
	} else {
		switch (p->ptx_state) {
		case LACP_PTX_NO_PERIODIC:
			/* XXX: the figure's UCT is taken only once the global condition is
			 * FALSE; read literally it would loop NO_PERIODIC <-> FAST_PERIODIC. */
			if (ev != LACP_PTX_EV_UCT)
				return 0;
			next = LACP_PTX_FAST_PERIODIC;
			break;
		case LACP_PTX_FAST_PERIODIC:
			if (ev == LACP_PTX_EV_PERIODIC_TIMER)
				next = LACP_PTX_PERIODIC_TX;
			else if (ev == LACP_PTX_EV_PARTNER_LONG)
				next = LACP_PTX_SLOW_PERIODIC;
			else
				return 0;
			break;
		case LACP_PTX_SLOW_PERIODIC:
			/* periodic_timer expired || Partner.LACP_Timeout == Short -> PERIODIC_TX */
			if (ev == LACP_PTX_EV_PERIODIC_TIMER || ev == LACP_PTX_EV_PARTNER_SHORT)
				next = LACP_PTX_PERIODIC_TX;
			else
				return 0;
			break;
		case LACP_PTX_PERIODIC_TX:
			if (ev == LACP_PTX_EV_PARTNER_SHORT)
				next = LACP_PTX_FAST_PERIODIC;
			else if (ev == LACP_PTX_EV_PARTNER_LONG)
				next = LACP_PTX_SLOW_PERIODIC;
			else
				return 0;
			break;
		default:
			return 0;
		}
	}

	lacp_log_transition(s, p, "ptx", ptx_std_name[p->ptx_state], ptx_ev_name[ev],
			    ptx_std_name[next]);
	p->ptx_state = next;

	switch (next) {
	case LACP_PTX_NO_PERIODIC:
		/* Stop periodic_timer */
		lacp_timer_stop(p, LACP_T_PERIODIC);
		break;
	case LACP_PTX_FAST_PERIODIC:
		/* Start periodic_timer (fast_periodic_time) */
		lacp_timer_start(p, LACP_T_PERIODIC, LACP_FAST_PERIODIC_TICKS);
		break;
	case LACP_PTX_SLOW_PERIODIC:
		/* Start periodic_timer (slow_periodic_time) */
		lacp_timer_start(p, LACP_T_PERIODIC, LACP_SLOW_PERIODIC_TICKS);
		break;
	case LACP_PTX_PERIODIC_TX:
		/* NTT = TRUE */
		act->ntt = 1;
		break;
	case LACP_PTX__COUNT:
		break;
	}
	return 1;
}

int lacp_ptx_run(struct lacp_sys *s, struct lacp_port *p)
{
	int changed = 0, i;

	for (i = 0; i < 8; i++) {
		struct lacp_actions act = { 0 };
		enum lacp_ptx_ev ev = ptx_poll(p);

		if (ev == LACP_PTX_EV_NONE || !lacp_ptx_step(s, p, ev, &act))
			break;
		lacp_apply(s, p, &act);
		changed = 1;
	}
	return changed;
}
