// SPDX-License-Identifier: GPL-2.0
/*
 * Mux machine, independent control, IEEE 802.1AX-2014 6.4.15 (Figure 6-22). It attaches a
 * SELECTED port to the LAG's one aggregator and enables collecting, then distributing, as
 * the partner catches up. Its data-path effects are returned in struct lacp_actions and
 * applied by lacp.c; it touches no map or socket.
 */
#include "lacp/lacp.h"

const char *const lacp_mux_state_name[] = {
	[LACP_MUX_DETACHED] = "detached",
	[LACP_MUX_WAITING] = "waiting",
	[LACP_MUX_ATTACHED] = "attached",
	[LACP_MUX_COLLECTING] = "collecting",
	[LACP_MUX_DISTRIBUTING] = "collecting_distributing",
};
_Static_assert(LACP_ARRAY_SIZE(lacp_mux_state_name) == LACP_MUX__COUNT, "names");

static const char *const mux_std_name[] = {
	[LACP_MUX_DETACHED] = "DETACHED",	  [LACP_MUX_WAITING] = "WAITING",
	[LACP_MUX_ATTACHED] = "ATTACHED",	  [LACP_MUX_COLLECTING] = "COLLECTING",
	[LACP_MUX_DISTRIBUTING] = "DISTRIBUTING",
};
_Static_assert(LACP_ARRAY_SIZE(mux_std_name) == LACP_MUX__COUNT, "names");

static const char *const mux_ev_name[] = {
	[LACP_MUX_EV_NONE] = "none",
	[LACP_MUX_EV_BEGIN] = "BEGIN",
	[LACP_MUX_EV_SELECTED] = "Selected",
	[LACP_MUX_EV_STANDBY] = "Standby",
	[LACP_MUX_EV_UNSELECTED] = "Unselected",
	[LACP_MUX_EV_READY] = "Selected && Ready",
	[LACP_MUX_EV_PARTNER_SYNC] = "Partner.Sync",
	[LACP_MUX_EV_PARTNER_NOT_SYNC] = "!Partner.Sync",
	[LACP_MUX_EV_PARTNER_COLLECTING] = "Partner.Collecting",
	[LACP_MUX_EV_PARTNER_NOT_COLLECTING] = "!Partner.Collecting",
};
_Static_assert(LACP_ARRAY_SIZE(mux_ev_name) == LACP_MUX_EV__COUNT, "names");

static enum lacp_mux_ev mux_poll(const struct lacp_sys *s, const struct lacp_port *p)
{
	int psync = !!(p->partner.state & LACP_STATE_SYNC);
	int pcoll = !!(p->partner.state & LACP_STATE_COLLECTING);

	switch (p->mux_state) {
	case LACP_MUX_DETACHED:
		/* Selected == SELECTED || Selected == STANDBY -> WAITING */
		if (p->selected == LACP_SELECTED)
			return LACP_MUX_EV_SELECTED;
		if (p->selected == LACP_STANDBY)
			return LACP_MUX_EV_STANDBY;
		return LACP_MUX_EV_NONE;
	case LACP_MUX_WAITING:
		if (p->selected == LACP_UNSELECTED)
			return LACP_MUX_EV_UNSELECTED;
		if (p->selected == LACP_SELECTED && lacp_sys_ready(s))
			return LACP_MUX_EV_READY;
		return LACP_MUX_EV_NONE;
	case LACP_MUX_ATTACHED:
		if (p->selected == LACP_UNSELECTED)
			return LACP_MUX_EV_UNSELECTED;
		if (p->selected == LACP_STANDBY)
			return LACP_MUX_EV_STANDBY;
		return psync ? LACP_MUX_EV_PARTNER_SYNC : LACP_MUX_EV_NONE;
	case LACP_MUX_COLLECTING:
	case LACP_MUX_DISTRIBUTING:
		if (p->selected == LACP_UNSELECTED)
			return LACP_MUX_EV_UNSELECTED;
		if (p->selected == LACP_STANDBY)
			return LACP_MUX_EV_STANDBY;
		if (!psync)
			return LACP_MUX_EV_PARTNER_NOT_SYNC;
		if (p->mux_state == LACP_MUX_COLLECTING)
			return pcoll ? LACP_MUX_EV_PARTNER_COLLECTING : LACP_MUX_EV_NONE;
		return pcoll ? LACP_MUX_EV_NONE : LACP_MUX_EV_PARTNER_NOT_COLLECTING;
	case LACP_MUX__COUNT:
		break;
	}
	return LACP_MUX_EV_NONE;
}

int lacp_mux_step(struct lacp_sys *s, struct lacp_port *p, enum lacp_mux_ev ev,
		  struct lacp_actions *act)
{
	enum lacp_mux_state next;

	/* phase 1: (state, event) -> next */
	if (ev == LACP_MUX_EV_BEGIN) {
		next = LACP_MUX_DETACHED;
	} else {
		switch (p->mux_state) {
		case LACP_MUX_DETACHED:
			if (ev != LACP_MUX_EV_SELECTED && ev != LACP_MUX_EV_STANDBY)
				return 0;
			next = LACP_MUX_WAITING;
			break;
		case LACP_MUX_WAITING:
			if (ev == LACP_MUX_EV_UNSELECTED)
				next = LACP_MUX_DETACHED;
			else if (ev == LACP_MUX_EV_READY)
				next = LACP_MUX_ATTACHED;
			else
				return 0;
			break;
		case LACP_MUX_ATTACHED:
			if (ev == LACP_MUX_EV_UNSELECTED || ev == LACP_MUX_EV_STANDBY)
				next = LACP_MUX_DETACHED;
			else if (ev == LACP_MUX_EV_PARTNER_SYNC)
				next = LACP_MUX_COLLECTING;
			else
				return 0;
			break;
		case LACP_MUX_COLLECTING:
			if (ev == LACP_MUX_EV_UNSELECTED || ev == LACP_MUX_EV_STANDBY ||
			    ev == LACP_MUX_EV_PARTNER_NOT_SYNC)
				next = LACP_MUX_ATTACHED;
			else if (ev == LACP_MUX_EV_PARTNER_COLLECTING)
				next = LACP_MUX_DISTRIBUTING;
			else
				return 0;
			break;
		case LACP_MUX_DISTRIBUTING:
			if (ev == LACP_MUX_EV_UNSELECTED || ev == LACP_MUX_EV_STANDBY ||
			    ev == LACP_MUX_EV_PARTNER_NOT_SYNC ||
			    ev == LACP_MUX_EV_PARTNER_NOT_COLLECTING)
				next = LACP_MUX_COLLECTING;
			else
				return 0;
			break;
		default:
			return 0;
		}
	}

	lacp_log_transition(s, p, "mux", mux_std_name[p->mux_state], mux_ev_name[ev],
			    mux_std_name[next]);
	p->mux_state = next;

	/* phase 2: entry actions */
	switch (next) {
	case LACP_MUX_DETACHED:
		/* Detach_Mux_From_Aggregator(); Actor.Sync = FALSE; Disable_Distributing();
		 * Actor.Distributing = FALSE; Actor.Collecting = FALSE; Disable_Collecting();
		 * NTT = TRUE */
		act->detach = 1;
		act->disable_distributing = 1;
		act->disable_collecting = 1;
		lacp_state_set(&p->actor.state, LACP_STATE_SYNC, 0);
		lacp_state_set(&p->actor.state, LACP_STATE_DISTRIBUTING, 0);
		lacp_state_set(&p->actor.state, LACP_STATE_COLLECTING, 0);
		lacp_timer_stop(p, LACP_T_WAIT_WHILE);
		p->ready_n = 0;
		act->ntt = 1;
		break;
	case LACP_MUX_WAITING:
		/* Start wait_while_timer (Aggregate_Wait_Time: 2 s, or --aggregate-wait); one of 0
		 * has run out at once */
		lacp_timer_start(p, LACP_T_WAIT_WHILE, s->aggregate_wait);
		p->ready_n = !s->aggregate_wait;
		break;
	case LACP_MUX_ATTACHED:
		/* Attach_Mux_To_Aggregator(); Actor.Sync = TRUE; Actor.Collecting = FALSE;
		 * Disable_Collecting(); NTT = TRUE */
		act->attach = 1;
		lacp_state_set(&p->actor.state, LACP_STATE_SYNC, 1);
		lacp_state_set(&p->actor.state, LACP_STATE_COLLECTING, 0);
		act->disable_collecting = 1;
		/* leaving DISTRIBUTING goes through COLLECTING, which already disabled it */
		act->ntt = 1;
		break;
	case LACP_MUX_COLLECTING:
		/* Enable_Collecting(); Actor.Collecting = TRUE; Disable_Distributing();
		 * Actor.Distributing = FALSE; NTT = TRUE */
		act->enable_collecting = 1;
		lacp_state_set(&p->actor.state, LACP_STATE_COLLECTING, 1);
		act->disable_distributing = 1;
		lacp_state_set(&p->actor.state, LACP_STATE_DISTRIBUTING, 0);
		act->ntt = 1;
		break;
	case LACP_MUX_DISTRIBUTING:
		/* Actor.Distributing = TRUE; Enable_Distributing() */
		lacp_state_set(&p->actor.state, LACP_STATE_DISTRIBUTING, 1);
		act->enable_distributing = 1;
		break;
	case LACP_MUX__COUNT:
		break;
	}
	return 1;
}

int lacp_mux_run(struct lacp_sys *s, struct lacp_port *p)
{
	int changed = 0, i;

	/* DISTRIBUTING -> COLLECTING -> ATTACHED -> DETACHED -> WAITING is the longest chain */
	for (i = 0; i < 8; i++) {
		struct lacp_actions act = { 0 };
		enum lacp_mux_ev ev = mux_poll(s, p);

		if (ev == LACP_MUX_EV_NONE || !lacp_mux_step(s, p, ev, &act))
			break;
		lacp_apply(s, p, &act);
		changed = 1;
	}
	return changed;
}
