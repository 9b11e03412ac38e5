// SPDX-License-Identifier: GPL-2.0
/*
 * Selection Logic, IEEE 802.1AX-2014 6.4.14, for a system with ONE aggregator (this process
 * runs one LAG). It chooses the aggregator's partner (a partner system and key, or one
 * Individual partner port), sets Selected (SELECTED / STANDBY / UNSELECTED with a reason) and
 * Ready; the Mux machine acts on them. Guard clauses, each failing one stores its reason. Also
 * the active-backup fallback (not 802.1AX), which decides which port carries the LAG when no
 * partner speaks at all.
 *
 * XXX: 6.4.14 lets a system pick among several aggregators and lets ports with defaulted
 * partner information aggregate on the Partner Admin values. We have one aggregator per LAG
 * and never aggregate a defaulted port (no partner heard = no-partner), as operators expect
 * from a LAG that must not black-hole traffic to an unknown peer.
 */
#include <stdio.h>
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
	[LACP_REASON_AGG_INDIVIDUAL] = "aggregator-individual",
	[LACP_REASON_MIN_LINKS] = "min-links",
};
_Static_assert(LACP_ARRAY_SIZE(lacp_reason_name) == LACP_REASON__COUNT, "names");

static int individual(const struct lacp_port *p)
{
	return !(p->partner.state & LACP_STATE_AGGREGATION);
}

static int is_lag_partner(const struct lacp_sys *s, const struct lacp_info *i)
{
	return i->system_priority == s->partner_system_priority &&
	       memcmp(i->system, s->partner_system, 6) == 0;
}

/*
 * Ports whose partner information would put them on one aggregator (6.4.14.1): the same
 * partner system and key, both aggregatable. An Individual partner port aggregates alone.
 */
static int same_group(const struct lacp_port *a, int ai, const struct lacp_port *b, int bi)
{
	if (!lacp_info_same_system(&a->partner, &b->partner) || a->partner.key != b->partner.key)
		return 0;
	if (individual(a) || individual(b))
		return ai == bi;
	return 1;
}

/* is port idx on the LAG's aggregator's partner (system, key, and the Individual port)? */
static int in_lag_group(const struct lacp_sys *s, const struct lacp_port *p, int idx)
{
	if (!s->partner_valid || !is_lag_partner(s, &p->partner) ||
	    p->partner.key != s->partner_key)
		return 0;
	if (s->partner_individual)
		return idx + 1 == s->partner_individual && individual(p);
	return !individual(p);
}

/*
 * Heard lately: CURRENT, and a LACPDU within two of the partner's periodic intervals (the
 * partner sends at the rate our LACP_Timeout asks for, 6.4.13; one lost LACPDU is forgiven).
 * A link that goes silent with its carrier up stays CURRENT until its current_while_timer runs
 * out (3 s or 90 s); it stops being live after 2 s or 60 s.
 */
static int port_live(const struct lacp_sys *s, const struct lacp_port *p)
{
	__u64 period = (p->actor.state & LACP_STATE_TIMEOUT) ? LACP_FAST_PERIODIC_TICKS
							     : LACP_SLOW_PERIODIC_TICKS;

	return p->rx_state == LACP_RX_CURRENT && s->now - p->last_rx <= 2 * period;
}

/*
 * What a candidate aggregation has going for it, best first. "Working": the partner has the
 * port in sync and collecting, which a partner can only do on a port where we were in sync
 * too (its Mux, 6.4.15), so it marks the partner's aggregation in use, not a key group it
 * holds in standby (not in sync). Collecting rather than Distributing: entering DISTRIBUTING
 * sets no NTT, so the partner announces it only with its next periodic LACPDU.
 */
struct group_score {
	int working; /* live ports the partner has in sync and collecting */
	int live;    /* live ports */
	/* the same, counting every CURRENT port as live (silent ones too) */
	int cur_working, cur_live;
	__u64 since; /* when its first port reached this partner */
};

static void score_group(const struct lacp_sys *s, const enum lacp_unsel_reason *why, int lead,
			struct group_score *g)
{
	const struct lacp_port *l = &s->port[lead];
	int i;

	memset(g, 0, sizeof(*g));
	g->since = l->partner_since;
	for (i = 0; i < LACP_MAX_PORTS; i++) {
		const struct lacp_port *p = &s->port[i];
		int live, working;

		if (!s->used[i] || why[i] != LACP_REASON_NONE || !same_group(l, lead, p, i))
			continue;
		live = port_live(s, p);
		working = (p->partner.state & LACP_STATE_SYNC) &&
			  (p->partner.state & LACP_STATE_COLLECTING);
		g->live += live;
		g->working += live && working;
		g->cur_live += p->rx_state == LACP_RX_CURRENT;
		g->cur_working += p->rx_state == LACP_RX_CURRENT && working;
		if (p->partner_since < g->since)
			g->since = p->partner_since;
	}
}

/* strictly better on what the partner shows now: working, then heard */
static int score_beats(const struct group_score *a, const struct group_score *b)
{
	return a->working != b->working ? a->working > b->working : a->live > b->live;
}

/* ... even if every CURRENT port of b were live */
static int score_beats_current(const struct group_score *a, const struct group_score *b)
{
	return a->working != b->cur_working ? a->working > b->cur_working : a->live > b->cur_live;
}

/* "32768,02:00:00:00:00:0b key 17" (and "individual" for an Individual port), or "none" */
static void partner_text(char *buf, size_t len, int valid, __u16 prio, const __u8 *m, __u16 key,
			 int ind)
{
	if (!valid) {
		snprintf(buf, len, "none");
		return;
	}
	snprintf(buf, len, "%u,%02x:%02x:%02x:%02x:%02x:%02x key %u%s", prio, m[0], m[1], m[2],
		 m[3], m[4], m[5], key, ind ? " individual" : "");
}

/* one log line when the aggregator's partner changes, on the port that brings the new one */
static void log_partner(const struct lacp_sys *s, const struct lacp_port *to, const char *why)
{
	char a[48], b[48];

	partner_text(a, sizeof(a), s->partner_valid, s->partner_system_priority, s->partner_system,
		     s->partner_key, s->partner_individual);
	if (to)
		partner_text(b, sizeof(b), 1, to->partner.system_priority, to->partner.system,
			     to->partner.key, individual(to));
	else
		partner_text(b, sizeof(b), 0, 0, NULL, 0, 0);
	for (int i = 0; !to && i < LACP_MAX_PORTS; i++)
		if (s->used[i])
			to = &s->port[i];
	if (to)
		lacp_log_transition(s, to, "lag-partner", a, why, b);
}

static void adopt_group(struct lacp_sys *s, int lead)
{
	const struct lacp_port *l = &s->port[lead];

	s->partner_valid = 1;
	s->partner_system_priority = l->partner.system_priority;
	memcpy(s->partner_system, l->partner.system, 6);
	s->partner_key = l->partner.key;
	s->partner_individual = individual(l) ? lead + 1 : 0;
}

/*
 * 0. The aggregator's partner. Among the ports that pass their own guards, those that would
 * share an aggregator form a group (same_group). The LAG keeps its group while any port of it
 * passes; another group replaces it only when it is strictly better:
 *   1. more working live ports (group_score: the partner's aggregation in use, not a key
 *      group it holds in standby),
 *   2. then more live ports (those heard lately, not silent ones still CURRENT),
 * so that a partner that changes its system id or key (replaced, reconfigured, an MLAG
 * failover, Open vSwitch re-keying a bond when its lowest member leaves) is followed as soon
 * as its live links outnumber the silent ones, without waiting for those to time out. A group
 * that wins even if the LAG's silent ports were live takes over at once; one that wins only
 * because they are silent must keep winning for LACP_STALE_CONFIRM_TICKS, so that a LACPDU
 * that is merely late, or the controller catching up on a backlog of frames one port after
 * another, does not move the LAG to another partner. With no group, the best one is taken; on
 * a tie, the one whose partner was heard first.
 * XXX: 802.1AX would put each group on an aggregator of its own; we have one per LAG.
 */
static void choose_group(struct lacp_sys *s, const enum lacp_unsel_reason *why)
{
	struct group_score gs, best_gs = { 0 }, cur_gs = { 0 };
	int i, j, best = -1, cur = -1;

	for (i = 0; i < LACP_MAX_PORTS; i++) {
		int first = 1;

		if (!s->used[i] || why[i] != LACP_REASON_NONE)
			continue;
		/* score each group once, from its lowest port */
		for (j = 0; j < i && first; j++)
			first = !(s->used[j] && why[j] == LACP_REASON_NONE &&
				  same_group(&s->port[i], i, &s->port[j], j));
		if (!first)
			continue;
		score_group(s, why, i, &gs);
		if (cur < 0 && in_lag_group(s, &s->port[i], i)) {
			cur = i;
			cur_gs = gs;
		}
		if (best < 0 || score_beats(&gs, &best_gs) ||
		    (!score_beats(&best_gs, &gs) && gs.since < best_gs.since)) {
			best = i;
			best_gs = gs;
		}
	}
	if (cur >= 0 && (best == cur || !score_beats(&best_gs, &cur_gs))) {
		s->stale_beaten = 0;
		return;
	}
	if (cur >= 0 && !score_beats_current(&best_gs, &cur_gs)) {
		if (!s->stale_beaten) {
			s->stale_beaten = 1;
			s->stale_beaten_since = s->now;
		}
		if (s->now - s->stale_beaten_since < LACP_STALE_CONFIRM_TICKS)
			return;
	}
	s->stale_beaten = 0;
	if (best < 0) {
		if (s->partner_valid)
			log_partner(s, NULL, "no port holds it");
		s->partner_valid = 0;
		return;
	}
	log_partner(s, &s->port[best],
		    cur >= 0	       ? "more of its links are live and working"
		    : s->partner_valid ? "no port holds the old one"
				       : "heard first");
	adopt_group(s, best);
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
	return LACP_REASON_NONE;
}

/* 6.-8. the LAG's aggregator has one partner: a system and key, or one Individual port */
static enum lacp_unsel_reason partner_guards(const struct lacp_sys *s, const struct lacp_port *p,
					     int idx)
{
	if (in_lag_group(s, p, idx))
		return LACP_REASON_NONE;
	/* 6. an Individual partner port aggregates alone (6.4.14.1), on an aggregator not in use */
	if (individual(p))
		return LACP_REASON_INDIVIDUAL;
	if (s->partner_individual)
		return LACP_REASON_AGG_INDIVIDUAL;
	/* 7. one partner system */
	if (!is_lag_partner(s, &p->partner))
		return LACP_REASON_OTHER_PARTNER;
	/* 8. and one partner key */
	return LACP_REASON_KEY_MISMATCH;
}

/*
 * The LAG's key follows its ports (whose keys follow their speed, lacp_port_set_key): while no
 * enabled port has it any more, it becomes the key that most enabled ports have (on a tie, that
 * of the lowest port index). Ports with another key stay out (actor-key-mismatch).
 */
static void follow_lag_key(struct lacp_sys *s)
{
	int i, j, best = -1, nbest = 0;
	char from[8], to[8];

	for (i = 0; i < LACP_MAX_PORTS; i++)
		if (s->used[i] && s->port[i].port_enabled && s->port[i].actor.key == s->cfg.key)
			return;
	for (i = 0; i < LACP_MAX_PORTS; i++) {
		int n = 0;

		if (!s->used[i] || !s->port[i].port_enabled)
			continue;
		for (j = 0; j < LACP_MAX_PORTS; j++)
			n += s->used[j] && s->port[j].port_enabled &&
			     s->port[j].actor.key == s->port[i].actor.key;
		if (n > nbest) {
			best = i;
			nbest = n;
		}
	}
	if (best < 0)
		return;
	snprintf(from, sizeof(from), "%u", s->cfg.key);
	snprintf(to, sizeof(to), "%u", s->port[best].actor.key);
	lacp_log_transition(s, &s->port[best], "lag-key", from, "no enabled port has it", to);
	s->cfg.key = s->port[best].actor.key;
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

/*
 * max_active, make-before-break: the first max_active candidates in standby order are wanted;
 * the rest stand by. But a port that distributes keeps its place while a wanted port that
 * outranks it does not distribute yet (a returning higher-priority port is still waiting,
 * attaching, or waiting for its partner), one such port for each: the active set never
 * shrinks during a swap. The LAG's data path sees the swap in one step: the wanted port
 * reaches DISTRIBUTING and the one it replaces leaves in the same lacp_run().
 */
static void max_active(struct lacp_sys *s, const int *cand, int ncand, enum lacp_unsel_reason *why)
{
	unsigned waiting = 0;
	int i;

	if (!s->cfg.max_active || (unsigned)ncand <= s->cfg.max_active)
		return;
	for (i = 0; (unsigned)i < s->cfg.max_active; i++)
		waiting += !s->port[cand[i]].distributing;
	for (i = (int)s->cfg.max_active; i < ncand; i++) {
		if (waiting && s->port[cand[i]].distributing) {
			waiting--;
			continue;
		}
		why[cand[i]] = LACP_REASON_MAX_ACTIVE;
	}
}

/*
 * min_links (not 802.1AX: the DX texts' "below minimum links the LAG is down", on both ends):
 * with fewer selectable ports whose partner is current than min_links, every one stands by
 * (min-links): its Mux leaves Sync, so the partner stops collecting and distributing on it
 * too, instead of loading the links that remain. Only local facts count, so that two ends that
 * both use min-links do not wait for each other.
 */
static void min_links(struct lacp_sys *s, const int *cand, int ncand, enum lacp_unsel_reason *why)
{
	unsigned n = 0;
	int i;

	if (s->cfg.min_links < 2)
		return;
	for (i = 0; i < ncand; i++)
		n += why[cand[i]] == LACP_REASON_NONE &&
		     s->port[cand[i]].rx_state == LACP_RX_CURRENT;
	if (n >= s->cfg.min_links)
		return;
	for (i = 0; i < ncand; i++)
		if (why[cand[i]] == LACP_REASON_NONE)
			why[cand[i]] = LACP_REASON_MIN_LINKS;
}

int lacp_select(struct lacp_sys *s)
{
	enum lacp_unsel_reason why[LACP_MAX_PORTS];
	int cand[LACP_MAX_PORTS], ncand = 0, changed = 0, i, j, actor;

	follow_lag_key(s);
	for (i = 0; i < LACP_MAX_PORTS; i++)
		why[i] = s->used[i] ? port_guards(s, &s->port[i]) : LACP_REASON_PORT_DOWN;
	choose_group(s, why);
	for (i = 0; i < LACP_MAX_PORTS; i++) {
		if (!s->used[i] || why[i] != LACP_REASON_NONE)
			continue;
		why[i] = partner_guards(s, &s->port[i], i);
		if (why[i] == LACP_REASON_NONE)
			cand[ncand++] = i;
	}

	/* insertion sort of the candidates by the deciding system's port ids */
	actor = actor_decides(s);
	for (i = 1; i < ncand; i++) {
		int c = cand[i];

		for (j = i; j > 0 && standby_key(&s->port[cand[j - 1]], actor) >
					     standby_key(&s->port[c], actor);
		     j--)
			cand[j] = cand[j - 1];
		cand[j] = c;
	}
	max_active(s, cand, ncand, why);
	min_links(s, cand, ncand, why);

	for (i = 0; i < LACP_MAX_PORTS; i++) {
		struct lacp_port *p = &s->port[i];

		if (!s->used[i])
			continue;
		if (why[i] == LACP_REASON_NONE)
			set_selected(s, p, LACP_SELECTED, why[i], &changed);
		else if (why[i] == LACP_REASON_MAX_ACTIVE || why[i] == LACP_REASON_MIN_LINKS)
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

/* the port that carries the LAG in fallback: (1) lowest Port Priority, (2) lowest Port Number */
static int fallback_pick(const struct lacp_sys *s)
{
	int i, best = -1;

	for (i = 0; i < LACP_MAX_PORTS; i++) {
		const struct lacp_port *p = &s->port[i];

		if (!s->used[i] || !p->port_enabled)
			continue;
		if (best < 0 || standby_key(p, 1) < standby_key(&s->port[best], 1))
			best = i;
	}
	return best;
}

/*
 * Fallback (not 802.1AX; like Open vSwitch's lacp-fallback-ab, for hosts that must come up
 * before their switch is configured: PXE, first boot). Once no LACPDU has been heard on any
 * port for fallback_ticks and no port distributes, one enabled port collects and distributes
 * alone (fallback_pick), and keeps doing so while it is up. The first LACPDU heard ends it;
 * LACP then forms as usual. The port's own machines are untouched: it stays defaulted and
 * advertises no Synchronization.
 */
int lacp_fallback_run(struct lacp_sys *s)
{
	const char *why = "no LACPDU heard";
	int i, want = -1, old = s->fallback_idx;

	if (!s->cfg.fallback)
		why = "fallback off";
	else if (s->now - s->last_heard < s->cfg.fallback_ticks)
		why = "LACPDU heard";
	else
		want = -2;
	for (i = 0; i < LACP_MAX_PORTS && want == -2; i++)
		if (s->used[i] && s->port[i].distributing) {
			why = "LACP distributing";
			want = -1;
		}
	if (want == -2) {
		if (old >= 0 && s->used[old] && s->port[old].port_enabled)
			want = old;
		else
			want = fallback_pick(s);
		if (old >= 0 && want != old)
			why = "!port_enabled";
	}
	if (want == old)
		return 0;
	if (old >= 0 && s->used[old])
		lacp_log_transition(s, &s->port[old], "fallback", "active-backup", why, "off");
	if (want >= 0)
		lacp_log_transition(s, &s->port[want], "fallback", "off", "no LACPDU heard",
				    "active-backup");
	s->fallback_idx = want;
	s->generation++;
	return 1;
}
