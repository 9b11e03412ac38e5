// SPDX-License-Identifier: GPL-2.0
/*
 * Selection Logic, IEEE 802.1AX-2014 6.4.14, for a system with ONE aggregator (this process
 * runs one LAG). It sets Selected (SELECTED / STANDBY / UNSELECTED with a reason) and Ready;
 * the Mux machine acts on them. Guard clauses, each failing one stores its reason.
 *
 * XXX: 6.4.14 lets a system pick among several aggregators and lets ports with defaulted
 * partner information aggregate on the Partner Admin values. We have one aggregator per LAG
 * and never aggregate a defaulted port (no partner heard = no-partner), as operators expect
 * from a LAG that must not black-hole traffic to an unknown peer.
 */
#include <string.h>
#include "lacp/lacp.h"

const char *const lacp_selected_name[] = {
	[LACP_UNSELECTED] = "unselected",
	[LACP_SELECTED] = "selected",
	[LACP_STANDBY] = "standby",
};
_Static_assert(LACP_ARRAY_SIZE(lacp_selected_name) == LACP_SELECTED__COUNT, "names");

const char *const lacp_reason_name[] = {
	[LACP_REASON_NONE] = "none",
	[LACP_REASON_PORT_DOWN] = "port-down",
	[LACP_REASON_LACP_DISABLED] = "lacp-disabled",
	[LACP_REASON_NO_PARTNER] = "no-partner",
	[LACP_REASON_PASSIVE_BOTH] = "passive-both",
	[LACP_REASON_OTHER_PARTNER] = "other-partner-system",
	[LACP_REASON_KEY_MISMATCH] = "partner-key-mismatch",
	[LACP_REASON_ACTOR_KEY] = "actor-key-mismatch",
	[LACP_REASON_INDIVIDUAL] = "partner-individual",
	[LACP_REASON_MAX_ACTIVE] = "max-active",
	[LACP_REASON_LOOPBACK] = "loopback",
	[LACP_REASON_PARTNER_CHANGED] = "partner-changed",
};
_Static_assert(LACP_ARRAY_SIZE(lacp_reason_name) == LACP_REASON__COUNT, "names");

static int is_lag_partner(const struct lacp_sys *s, const struct lacp_info *i)
{
	return i->system_priority == s->partner_system_priority &&
	       memcmp(i->system, s->partner_system, 6) == 0;
}

/* Guards that depend on the port alone, in order; the first failing one is the reason */
static enum lacp_unsel_reason port_guards(const struct lacp_sys *s, const struct lacp_port *p)
{
	/* 1. the port must be operable */
	if (!p->port_enabled)
		return LACP_REASON_PORT_DOWN;
	/* 2. and run LACP (full duplex) */
	if (!p->lacp_enabled)
		return LACP_REASON_LACP_DISABLED;
	/* 3. our operational key must be the LAG's (same speed, same admin key) */
	if (p->actor.key != s->cfg.key)
		return LACP_REASON_ACTOR_KEY;
	/* 4. a partner must have spoken: defaulted information is not a partner */
	if (p->actor.state & LACP_STATE_DEFAULTED)
		return (p->actor.state & LACP_STATE_ACTIVITY) ? LACP_REASON_NO_PARTNER
							      : LACP_REASON_PASSIVE_BOTH;
	/* 5. a port looped back to this very system does not aggregate (6.4.14.1 g) */
	if (p->partner.system_priority == s->cfg.system_priority &&
	    memcmp(p->partner.system, s->cfg.system_id, 6) == 0)
		return LACP_REASON_LOOPBACK;
	/* 6. the partner port must be aggregatable */
	if (!(p->partner.state & LACP_STATE_AGGREGATION))
		return LACP_REASON_INDIVIDUAL;
	return LACP_REASON_NONE;
}

/* 7./8. one partner system and one partner key per aggregator */
static enum lacp_unsel_reason partner_guards(const struct lacp_sys *s, const struct lacp_port *p)
{
	if (!is_lag_partner(s, &p->partner))
		return LACP_REASON_OTHER_PARTNER;
	if (p->partner.key != s->partner_key)
		return LACP_REASON_KEY_MISMATCH;
	return LACP_REASON_NONE;
}

/* ports whose partner information is current and says: the LAG's partner system, key 'key' */
static int current_with_key(const struct lacp_sys *s, __u16 key)
{
	int i, n = 0;

	for (i = 0; i < LACP_MAX_PORTS; i++)
		n += s->used[i] && s->port[i].rx_state == LACP_RX_CURRENT &&
		     is_lag_partner(s, &s->port[i].partner) && s->port[i].partner.key == key;
	return n;
}

/*
 * The LAG's partner system re-keyed: follow the new key once more ports hear it, current,
 * than hear the old one (a tie keeps the old key). Open vSwitch keys a bond by its lowest
 * member port id, so taking that member out of the bond re-keys every other link while the
 * member that left, silent, keeps the old key until its information times out (3 + 3 s at
 * best): without this, that one stale port would hold the LAG's partner and every live link
 * would be refused (partner-key-mismatch) until then.
 * XXX: 802.1AX would move the re-keyed ports to another aggregator; we have one per LAG.
 */
static void follow_rekey(struct lacp_sys *s)
{
	int i, old = current_with_key(s, s->partner_key);

	for (i = 0; i < LACP_MAX_PORTS; i++) {
		const struct lacp_port *p = &s->port[i];

		if (!s->used[i] || p->rx_state != LACP_RX_CURRENT ||
		    !is_lag_partner(s, &p->partner) || p->partner.key == s->partner_key)
			continue;
		if (current_with_key(s, p->partner.key) > old) {
			s->partner_key = p->partner.key;
			return;
		}
	}
}

/*
 * Standby order for max_active (6.6.1 / 6.7.1): the system with the better System Identifier
 * (lower priority, then lower MAC) decides, using ITS port identifiers:
 *   1. that system's Port Priority (lower wins)
 *   2. then that system's Port Number (lower wins)
 */
static int actor_decides(const struct lacp_sys *s)
{
	if (s->cfg.system_priority != s->partner_system_priority)
		return s->cfg.system_priority < s->partner_system_priority;
	return memcmp(s->cfg.system_id, s->partner_system, 6) <= 0;
}

static __u32 standby_key(const struct lacp_port *p, int actor)
{
	const struct lacp_info *i = actor ? &p->actor : &p->partner;

	return ((__u32)i->port_priority << 16) | i->port;
}

static void set_selected(struct lacp_sys *s, struct lacp_port *p, enum lacp_selected sel,
			 enum lacp_unsel_reason why, int *changed)
{
	if (p->selected == sel && p->reason == why)
		return;
	/* an UNSELECTED port is only reselected once the Mux has detached it (6.4.14) */
	if (p->selected == LACP_UNSELECTED && sel != LACP_UNSELECTED &&
	    p->mux_state != LACP_MUX_DETACHED)
		return;
	lacp_log_transition(s, p, "selection", lacp_selected_name[p->selected],
			    lacp_reason_name[why], lacp_selected_name[sel]);
	p->selected = sel;
	p->reason = why;
	*changed = 1;
}

int lacp_select(struct lacp_sys *s)
{
	enum lacp_unsel_reason why[LACP_MAX_PORTS];
	int cand[LACP_MAX_PORTS], ncand = 0, changed = 0, i, j, first = -1, actor;

	/* 0. the LAG's partner is released once no port holds it any more; it follows a re-key */
	if (s->partner_valid) {
		int held = 0;

		for (i = 0; i < LACP_MAX_PORTS && !held; i++)
			held = s->used[i] && s->port[i].selected != LACP_UNSELECTED &&
			       is_lag_partner(s, &s->port[i].partner) &&
			       s->port[i].partner.key == s->partner_key;
		if (!held)
			s->partner_valid = 0;
		else
			follow_rekey(s);
	}

	for (i = 0; i < LACP_MAX_PORTS; i++) {
		if (!s->used[i])
			continue;
		why[i] = port_guards(s, &s->port[i]);
		/* the first port to have reached a partner fixes the LAG's partner */
		if (why[i] == LACP_REASON_NONE &&
		    (first < 0 || s->port[i].partner_since < s->port[first].partner_since))
			first = i;
	}
	if (!s->partner_valid && first >= 0) {
		s->partner_valid = 1;
		s->partner_system_priority = s->port[first].partner.system_priority;
		memcpy(s->partner_system, s->port[first].partner.system, 6);
		s->partner_key = s->port[first].partner.key;
	}

	for (i = 0; i < LACP_MAX_PORTS; i++) {
		if (!s->used[i] || why[i] != LACP_REASON_NONE)
			continue;
		why[i] = partner_guards(s, &s->port[i]);
		if (why[i] == LACP_REASON_NONE)
			cand[ncand++] = i;
	}

	/* max_active: insertion sort of the candidates by the deciding system's port ids */
	actor = actor_decides(s);
	for (i = 1; i < ncand; i++) {
		int c = cand[i];

		for (j = i; j > 0 && standby_key(&s->port[cand[j - 1]], actor) >
					     standby_key(&s->port[c], actor);
		     j--)
			cand[j] = cand[j - 1];
		cand[j] = c;
	}
	for (i = 0; i < ncand; i++) {
		if (s->cfg.max_active && (unsigned)i >= s->cfg.max_active)
			why[cand[i]] = LACP_REASON_MAX_ACTIVE;
	}

	for (i = 0; i < LACP_MAX_PORTS; i++) {
		struct lacp_port *p = &s->port[i];

		if (!s->used[i])
			continue;
		if (why[i] == LACP_REASON_NONE)
			set_selected(s, p, LACP_SELECTED, why[i], &changed);
		else if (why[i] == LACP_REASON_MAX_ACTIVE)
			set_selected(s, p, LACP_STANDBY, why[i], &changed);
		else
			set_selected(s, p, LACP_UNSELECTED, why[i], &changed);
	}
	return changed;
}

/*
 * Ready (6.4.8): TRUE when every port that is waiting to attach (Mux WAITING, SELECTED) has
 * Ready_N TRUE, i.e. its wait_while_timer has run out.
 */
int lacp_sys_ready(const struct lacp_sys *s)
{
	int i;

	for (i = 0; i < LACP_MAX_PORTS; i++) {
		const struct lacp_port *p = &s->port[i];

		if (s->used[i] && p->mux_state == LACP_MUX_WAITING &&
		    p->selected == LACP_SELECTED && !p->ready_n)
			return 0;
	}
	return 1;
}
