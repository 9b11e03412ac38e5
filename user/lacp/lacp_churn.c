// SPDX-License-Identifier: GPL-2.0
/*
 * Actor and Partner Churn Detection machines, IEEE 802.1AX-2014 6.4.17 (Figures 6-23 and
 * 6-24): flag a port whose actor or partner has not reached Synchronization within
 * Churn_Detection_Time (60 s), a sign of misconfiguration. Diagnostic only: they change
 * no other machine.
 */
#include "lacp/lacp.h"

const char *const lacp_actor_churn_state_name[] = {
	[LACP_CHURN_MONITOR] = "actor_churn_monitor",
	[LACP_CHURN_NONE] = "no_actor_churn",
	[LACP_CHURN_CHURN] = "actor_churn",
};
_Static_assert(LACP_ARRAY_SIZE(lacp_actor_churn_state_name) == LACP_CHURN__COUNT, "names");

const char *const lacp_partner_churn_state_name[] = {
	[LACP_CHURN_MONITOR] = "partner_churn_monitor",
	[LACP_CHURN_NONE] = "no_partner_churn",
	[LACP_CHURN_CHURN] = "partner_churn",
};
_Static_assert(LACP_ARRAY_SIZE(lacp_partner_churn_state_name) == LACP_CHURN__COUNT, "names");

static const char *const actor_std_name[] = {
	[LACP_CHURN_MONITOR] = "ACTOR_CHURN_MONITOR",
	[LACP_CHURN_NONE] = "NO_ACTOR_CHURN",
	[LACP_CHURN_CHURN] = "ACTOR_CHURN",
};
_Static_assert(LACP_ARRAY_SIZE(actor_std_name) == LACP_CHURN__COUNT, "names");

static const char *const partner_std_name[] = {
	[LACP_CHURN_MONITOR] = "PARTNER_CHURN_MONITOR",
	[LACP_CHURN_NONE] = "NO_PARTNER_CHURN",
	[LACP_CHURN_CHURN] = "PARTNER_CHURN",
};
_Static_assert(LACP_ARRAY_SIZE(partner_std_name) == LACP_CHURN__COUNT, "names");

static const char *const actor_ev_name[] = {
	[LACP_CHURN_EV_NONE] = "none",
	[LACP_CHURN_EV_BEGIN] = "BEGIN || !port_enabled",
	[LACP_CHURN_EV_SYNC] = "Actor.Sync",
	[LACP_CHURN_EV_NOT_SYNC] = "!Actor.Sync",
	[LACP_CHURN_EV_TIMER] = "actor_churn_timer expired",
};
_Static_assert(LACP_ARRAY_SIZE(actor_ev_name) == LACP_CHURN_EV__COUNT, "names");

static const char *const partner_ev_name[] = {
	[LACP_CHURN_EV_NONE] = "none",
	[LACP_CHURN_EV_BEGIN] = "BEGIN || !port_enabled",
	[LACP_CHURN_EV_SYNC] = "Partner.Sync",
	[LACP_CHURN_EV_NOT_SYNC] = "!Partner.Sync",
	[LACP_CHURN_EV_TIMER] = "partner_churn_timer expired",
};
_Static_assert(LACP_ARRAY_SIZE(partner_ev_name) == LACP_CHURN_EV__COUNT, "names");

static enum lacp_churn_state *churn_state(struct lacp_port *p, int partner)
{
	return partner ? &p->partner_churn_state : &p->actor_churn_state;
}

static int churn_sync(const struct lacp_port *p, int partner)
{
	return !!((partner ? p->partner.state : p->actor.state) & LACP_STATE_SYNC);
}

static enum lacp_churn_ev churn_poll(struct lacp_port *p, int partner)
{
	enum lacp_timer t = partner ? LACP_T_PARTNER_CHURN : LACP_T_ACTOR_CHURN;
	int sync = churn_sync(p, partner);

	/* global: BEGIN || !port_enabled -> <side>_CHURN_MONITOR. While the port stays
	 * disabled the figure re-enters MONITOR continuously, i.e. the timer never runs out;
	 * we hold the timer instead of logging a re-entry every tick. */
	if (!p->port_enabled) {
		if (*churn_state(p, partner) != LACP_CHURN_MONITOR)
			return LACP_CHURN_EV_BEGIN;
		lacp_timer_start(p, t, LACP_CHURN_DETECTION_TICKS);
		return LACP_CHURN_EV_NONE;
	}
	switch (*churn_state(p, partner)) {
	case LACP_CHURN_MONITOR:
		if (sync)
			return LACP_CHURN_EV_SYNC;
		return lacp_timer_expired(p, t) ? LACP_CHURN_EV_TIMER : LACP_CHURN_EV_NONE;
	case LACP_CHURN_NONE:
		return sync ? LACP_CHURN_EV_NONE : LACP_CHURN_EV_NOT_SYNC;
	case LACP_CHURN_CHURN:
		return sync ? LACP_CHURN_EV_SYNC : LACP_CHURN_EV_NONE;
	case LACP_CHURN__COUNT:
		break;
	}
	return LACP_CHURN_EV_NONE;
}

int lacp_churn_step(struct lacp_sys *s, struct lacp_port *p, int partner, enum lacp_churn_ev ev)
{
	enum lacp_churn_state *st = churn_state(p, partner), next;
	enum lacp_timer t = partner ? LACP_T_PARTNER_CHURN : LACP_T_ACTOR_CHURN;
	const char *const *names = partner ? partner_std_name : actor_std_name;

	if (ev == LACP_CHURN_EV_BEGIN) {
		next = LACP_CHURN_MONITOR;
	} else {
		switch (*st) {
		case LACP_CHURN_MONITOR:
			/* Sync -> NO_CHURN; churn_timer expired -> CHURN */
			if (ev == LACP_CHURN_EV_SYNC)
				next = LACP_CHURN_NONE;
			else if (ev == LACP_CHURN_EV_TIMER)
				next = LACP_CHURN_CHURN;
			else
				return 0;
			break;
		case LACP_CHURN_NONE:
			/* !Sync -> CHURN_MONITOR */
			if (ev != LACP_CHURN_EV_NOT_SYNC)
				return 0;
			next = LACP_CHURN_MONITOR;
			break;
		case LACP_CHURN_CHURN:
			/* Sync -> NO_CHURN */
			if (ev != LACP_CHURN_EV_SYNC)
				return 0;
			next = LACP_CHURN_NONE;
			break;
		default:
			return 0;
		}
	}

	lacp_log_transition(s, p, partner ? "partner-churn" : "actor-churn", names[*st],
			    (partner ? partner_ev_name : actor_ev_name)[ev], names[next]);
	*st = next;

	switch (next) {
	case LACP_CHURN_MONITOR:
		/* <side>_Churn = FALSE; Start <side>_churn_timer */
		if (partner)
			p->partner_churn = 0;
		else
			p->actor_churn = 0;
		lacp_timer_start(p, t, LACP_CHURN_DETECTION_TICKS);
		break;
	case LACP_CHURN_NONE:
		/* <side>_Churn = FALSE */
		if (partner)
			p->partner_churn = 0;
		else
			p->actor_churn = 0;
		lacp_timer_stop(p, t);
		break;
	case LACP_CHURN_CHURN:
		/* <side>_Churn = TRUE */
		if (partner) {
			p->partner_churn = 1;
			p->cnt.partner_churn++;
		} else {
			p->actor_churn = 1;
			p->cnt.actor_churn++;
		}
		lacp_timer_stop(p, t);
		break;
	case LACP_CHURN__COUNT:
		break;
	}
	return 1;
}

int lacp_churn_run(struct lacp_sys *s, struct lacp_port *p)
{
	int changed = 0, side, i;

	for (side = 0; side < 2; side++) {
		for (i = 0; i < 4; i++) {
			enum lacp_churn_ev ev = churn_poll(p, side);

			if (ev == LACP_CHURN_EV_NONE || !lacp_churn_step(s, p, side, ev))
				break;
			changed = 1;
		}
	}
	return changed;
}
