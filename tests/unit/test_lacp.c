// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the 802.1AX machines (user/lacp*.c): simulated systems wired back to back
 * in memory, driven by a virtual clock (lacp_tick = 100 ms). No I/O, no real time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "lacp/lacp.h"

#define SEC(s)	   ((s)*1000 / LACP_TICK_MS)
#define MAX_SIDES  3
#define MAX_LINKS  8
#define MAX_TX_LOG 4096

/* ---- transition log: every (machine, from, event, to) seen by the whole suite ---- */

#define MAX_SEEN 256
static char seen[MAX_SEEN][96];
static int nseen;
static int log_lines;

static void record(void *ctx, const char *port, const char *machine, const char *from,
		   const char *event, const char *to)
{
	char line[96];
	int i;

	(void)ctx;
	(void)port;
	log_lines++;
	snprintf(line, sizeof(line), "%s: %s (%s) -> %s", machine, from, event, to);
	for (i = 0; i < nseen; i++)
		if (!strcmp(seen[i], line))
			return;
	if (nseen < MAX_SEEN)
		snprintf(seen[nseen++], sizeof(seen[0]), "%s", line);
}

static int was_seen(const char *line)
{
	int i;

	for (i = 0; i < nseen; i++)
		if (!strcmp(seen[i], line))
			return 1;
	return 0;
}

/* ---- the in-memory world ---- */

struct side {
	struct lacp_sys s;
};

struct link {
	struct side *a, *b;
	int ai, bi;
	int cut_ab, cut_ba;	/* silently drop frames in one direction */
	int v2_ba;		/* b's LACPDUs reach a as version 2, with v2 TLVs (6.4.2.4) */
	unsigned n_ab, n_ba;	/* LACPDUs carried */
	__u64 t_ab[MAX_TX_LOG]; /* tick of each LACPDU a -> b */
};

struct world {
	struct side side[MAX_SIDES];
	struct link link[MAX_LINKS];
	int nlinks;
};

static struct world W; /* large: keep it off the stack */

static void sys_cfg(struct lacp_sys_cfg *c, __u8 id, __u16 prio)
{
	memset(c, 0, sizeof(*c));
	c->system_priority = prio;
	c->system_id[0] = 0x02;
	c->system_id[5] = id;
	c->key = 17;
}

static struct side *mkside(int n, __u8 id, __u16 prio)
{
	struct lacp_sys_cfg c;
	struct side *sd = &W.side[n];

	sys_cfg(&c, id, prio);
	lacp_sys_init(&sd->s, &c);
	lacp_sys_set_log(&sd->s, record, NULL);
	return sd;
}

static int mkport(struct side *sd, __u16 num, __u16 prio, int active, int fast, __u16 key)
{
	struct lacp_port_cfg pc;
	int idx;

	memset(&pc, 0, sizeof(pc));
	snprintf(pc.name, sizeof(pc.name), "eth%u", num);
	pc.mac[0] = 0x02;
	pc.mac[4] = sd->s.cfg.system_id[5];
	pc.mac[5] = (__u8)num;
	pc.port_number = num;
	pc.port_priority = prio;
	pc.key = key;
	pc.active = active;
	pc.fast = fast;
	idx = lacp_port_add(&sd->s, &pc);
	assert_true(idx >= 0);
	return idx;
}

static int is_lacpdu(const __u8 *f, size_t n)
{
	return n > 14 && f[12] == 0x88 && f[13] == 0x09 && f[14] == LACP_SLOW_SUBTYPE_LACP;
}

/*
 * Rewrite a LACPDU as a version 2 sender would build it: Version 2, a Port Algorithm TLV
 * (type 4, length 6) and a Port Conversation ID Digest TLV (type 5, length 20) where v1 has its
 * Terminator, the Terminator after them, and more octets after the 110 (a longer frame).
 */
static size_t to_v2(__u8 *f, size_t n, size_t cap)
{
	__u8 *tlv = f + 14 + offsetof(struct lacpdu, terminator_type);
	size_t i;

	if (!is_lacpdu(f, n) || cap < n + 40)
		return n;
	f[15] = 2;
	tlv[0] = 4;
	tlv[1] = 6;
	tlv[2] = 0x00;
	tlv[3] = 0x80;
	tlv[4] = 0xc2;
	tlv[5] = 0x01;
	tlv[6] = 5;
	tlv[7] = 20;
	for (i = 8; i < 26; i++)
		tlv[i] = (__u8)(0xa0 + i);
	tlv[26] = 0;
	tlv[27] = 0;
	memset(f + n, 0x5a, 40);
	return n + 40;
}

static void pump(void)
{
	int moved = 1, guard = 0;

	while (moved && guard++ < 100) {
		int l;

		moved = 0;
		for (l = 0; l < W.nlinks; l++) {
			struct link *k = &W.link[l];
			__u8 f[256];
			size_t n;

			while ((n = lacp_port_tx(&k->a->s, k->ai, f, sizeof(f))) > 0) {
				moved = 1;
				if (is_lacpdu(f, n)) {
					if (k->n_ab < MAX_TX_LOG)
						k->t_ab[k->n_ab] = k->a->s.now;
					k->n_ab++;
				}
				if (!k->cut_ab)
					lacp_port_rx(&k->b->s, k->bi, f, n);
			}
			while ((n = lacp_port_tx(&k->b->s, k->bi, f, sizeof(f))) > 0) {
				moved = 1;
				if (is_lacpdu(f, n))
					k->n_ba++;
				if (k->v2_ba)
					n = to_v2(f, n, sizeof(f));
				if (!k->cut_ba)
					lacp_port_rx(&k->a->s, k->ai, f, n);
			}
		}
	}
	assert_true(guard < 100);
}

static struct link *wire(struct side *a, int ai, struct side *b, int bi)
{
	struct link *k = &W.link[W.nlinks++];

	memset(k, 0, sizeof(*k));
	k->a = a;
	k->ai = ai;
	k->b = b;
	k->bi = bi;
	return k;
}

/* carrier up or down on both ends of a link, as a cable does */
static void cable(struct link *k, int up)
{
	lacp_port_set_enabled(&k->a->s, k->ai, up);
	lacp_port_set_enabled(&k->b->s, k->bi, up);
	pump();
}

static void run(int ticks)
{
	int t, i;

	for (t = 0; t < ticks; t++) {
		for (i = 0; i < MAX_SIDES; i++)
			if (W.side[i].s.cfg.key)
				lacp_tick(&W.side[i].s);
		pump();
	}
}

/* run until cond holds; returns ticks taken or -1 */
#define RUN_UNTIL(cond, max)                                                                       \
	({                                                                                         \
		int __t = 0;                                                                       \
		while (!(cond) && __t < (max)) {                                                   \
			run(1);                                                                    \
			__t++;                                                                     \
		}                                                                                  \
		(cond) ? __t : -1;                                                                 \
	})

static int setup(void **state)
{
	(void)state;
	memset(&W, 0, sizeof(W));
	return 0;
}

static struct lacp_port *P(struct side *sd, int idx)
{
	return &sd->s.port[idx];
}

static int dist(struct side *sd, int idx)
{
	return lacp_port_distributing(&sd->s, idx);
}

static void assert_distributing(struct side *sd, int idx)
{
	const struct lacp_port *p = P(sd, idx);

	assert_int_equal(p->mux_state, LACP_MUX_DISTRIBUTING);
	assert_int_equal(p->selected, LACP_SELECTED);
	assert_int_equal(p->reason, LACP_REASON_NONE);
	assert_int_equal(p->rx_state, LACP_RX_CURRENT);
	assert_true(lacp_port_collecting(&sd->s, idx));
	assert_true(lacp_port_distributing(&sd->s, idx));
	/* the actor's bits follow the mux */
	assert_int_equal(p->actor.state & (LACP_STATE_SYNC | LACP_STATE_COLLECTING |
					   LACP_STATE_DISTRIBUTING),
			 LACP_STATE_SYNC | LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING);
	assert_false(p->actor.state & (LACP_STATE_DEFAULTED | LACP_STATE_EXPIRED));
}

static void assert_not_collecting(struct side *sd, int idx)
{
	assert_false(lacp_port_collecting(&sd->s, idx));
	assert_false(lacp_port_distributing(&sd->s, idx));
	assert_false(P(sd, idx)->actor.state & (LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING));
}

/* two systems, n links, all ports configured alike; returns ticks until all distribute */
static int pair(struct side **pa, struct side **pb, int n, int a_active, int b_active, int a_fast,
		int b_fast)
{
	struct side *a = mkside(0, 0x0a, 32768), *b = mkside(1, 0x0b, 32768);
	int i, t;

	for (i = 0; i < n; i++) {
		int ai = mkport(a, (__u16)(i + 1), 32768, a_active, a_fast, 0);
		int bi = mkport(b, (__u16)(i + 1), 32768, b_active, b_fast, 0);

		wire(a, ai, b, bi);
	}
	for (i = 0; i < n; i++)
		cable(&W.link[i], 1);
	*pa = a;
	*pb = b;
	t = RUN_UNTIL(lacp_sys_distributing(&a->s) == (unsigned)n &&
			      lacp_sys_distributing(&b->s) == (unsigned)n,
		      SEC(120));
	return t;
}

/* ---- tests ---- */

static void test_active_active_forms(void **state)
{
	struct side *a, *b;
	unsigned gen0;
	int t, i;

	(void)state;
	t = pair(&a, &b, 2, 1, 1, 1, 1);
	/* the aggregate wait (2 s) is the floor; a few round trips on top */
	assert_true(t >= SEC(2));
	assert_true(t <= SEC(3));
	for (i = 0; i < 2; i++) {
		assert_distributing(a, i);
		assert_distributing(b, i);
		/* each side knows the other */
		assert_memory_equal(P(a, i)->partner.system, b->s.cfg.system_id, 6);
		assert_int_equal(P(a, i)->partner.port, P(b, i)->actor.port);
		assert_int_equal(P(a, i)->partner.key, 17);
		assert_int_equal(P(a, i)->ptx_state, LACP_PTX_FAST_PERIODIC);
		assert_true(P(a, i)->attached);
	}
	assert_true(a->s.partner_valid);
	assert_true(lacp_sys_generation(&a->s) >= 4);
	/* stable: nothing changes over a minute */
	gen0 = lacp_sys_generation(&a->s);
	run(SEC(60));
	assert_int_equal(lacp_sys_generation(&a->s), gen0);
	for (i = 0; i < 2; i++) {
		assert_distributing(a, i);
		assert_distributing(b, i);
		/* DISTRIBUTING sets no NTT: the partner learns it with the next periodic PDU */
		assert_int_equal(P(a, i)->partner.state, P(b, i)->actor.state);
		assert_int_equal(P(b, i)->partner.state, P(a, i)->actor.state);
		assert_int_equal(P(a, i)->partner.state, 0x3f);
	}
	assert_true(log_lines > 0);
	assert_true(was_seen("mux: ATTACHED (Partner.Sync) -> COLLECTING"));
}

static void test_active_passive_forms(void **state)
{
	struct side *a, *b;
	int t;

	(void)state;
	t = pair(&a, &b, 2, 1, 0, 1, 1);
	assert_true(t >= SEC(2) && t <= SEC(4));
	assert_distributing(a, 0);
	assert_distributing(b, 1);
	assert_false(P(b, 0)->actor.state & LACP_STATE_ACTIVITY);
	/* the passive side transmits because its partner is active */
	assert_int_not_equal(P(b, 0)->ptx_state, LACP_PTX_NO_PERIODIC);
	assert_true(W.link[0].n_ba > 0);
	/* and passive/active forms the same way */
	memset(&W, 0, sizeof(W));
	t = pair(&a, &b, 1, 0, 1, 0, 0);
	assert_true(t >= SEC(2) && t <= SEC(4));
	assert_distributing(a, 0);
}

static void test_passive_passive_never(void **state)
{
	struct side *a, *b;
	int t;

	(void)state;
	t = pair(&a, &b, 2, 0, 0, 1, 1);
	assert_int_equal(t, -1);
	assert_int_equal(W.link[0].n_ab + W.link[0].n_ba + W.link[1].n_ab + W.link[1].n_ba, 0);
	assert_int_equal(P(a, 0)->ptx_state, LACP_PTX_NO_PERIODIC);
	assert_int_equal(P(a, 0)->rx_state, LACP_RX_DEFAULTED);
	assert_int_equal(P(a, 0)->selected, LACP_UNSELECTED);
	assert_int_equal(P(a, 0)->reason, LACP_REASON_PASSIVE_BOTH);
	assert_int_equal(P(b, 1)->reason, LACP_REASON_PASSIVE_BOTH);
	assert_int_equal(P(a, 0)->mux_state, LACP_MUX_DETACHED);
	assert_string_equal(lacp_reason_name[P(a, 0)->reason], "passive-both");
	assert_int_equal(lacp_sys_generation(&a->s), 0);
	/* one side turns active: the LAG forms */
	lacp_port_set_active(&a->s, 0, 1);
	lacp_port_set_active(&a->s, 1, 1);
	pump();
	t = RUN_UNTIL(lacp_sys_distributing(&b->s) == 2, SEC(10));
	assert_true(t >= 0);
}

static void count_over_90s(int a_fast, int b_fast, unsigned *ab, unsigned *ba)
{
	struct side *a, *b;

	memset(&W, 0, sizeof(W));
	assert_true(pair(&a, &b, 1, 1, 1, a_fast, b_fast) >= 0);
	W.link[0].n_ab = W.link[0].n_ba = 0;
	run(SEC(90));
	*ab = W.link[0].n_ab;
	*ba = W.link[0].n_ba;
	assert_distributing(a, 0);
}

static void test_periodic_rates(void **state)
{
	unsigned ab, ba;

	(void)state;
	/* both fast: one LACPDU per second each way */
	count_over_90s(1, 1, &ab, &ba);
	assert_in_range(ab, 89, 91);
	assert_in_range(ba, 89, 91);
	/* both slow: one per 30 s */
	count_over_90s(0, 0, &ab, &ba);
	assert_in_range(ab, 2, 4);
	assert_in_range(ba, 2, 4);
	/* the rate follows the PARTNER's timeout: A (fast) gets 1/s from B; A sends 1/30 s */
	count_over_90s(1, 0, &ab, &ba);
	assert_in_range(ab, 2, 4);
	assert_in_range(ba, 89, 91);
	assert_int_equal(W.side[0].s.port[0].ptx_state, LACP_PTX_SLOW_PERIODIC);
	assert_int_equal(W.side[1].s.port[0].ptx_state, LACP_PTX_FAST_PERIODIC);
}

static void test_partner_silent_expires_then_defaults(void **state)
{
	struct side *a, *b;
	unsigned gen;
	int t;

	(void)state;
	assert_true(pair(&a, &b, 2, 1, 1, 1, 1) >= 0);
	W.link[0].cut_ba = 1; /* B's LACPDUs on link 0 stop reaching A */
	gen = lacp_sys_generation(&a->s);
	run(SEC(2));
	assert_int_equal(P(a, 0)->rx_state, LACP_RX_CURRENT);
	assert_distributing(a, 0);
	/* current_while = 3 x 1 s: expired within 3 s of the last LACPDU */
	t = RUN_UNTIL(P(a, 0)->rx_state == LACP_RX_EXPIRED, SEC(2));
	assert_true(t >= 0);
	assert_true(P(a, 0)->actor.state & LACP_STATE_EXPIRED);
	assert_false(P(a, 0)->partner.state & LACP_STATE_SYNC);
	assert_true(P(a, 0)->partner.state & LACP_STATE_TIMEOUT);
	/* left distribution at once, still selected and attached */
	assert_int_equal(P(a, 0)->mux_state, LACP_MUX_ATTACHED);
	assert_int_equal(P(a, 0)->selected, LACP_SELECTED);
	assert_not_collecting(a, 0);
	assert_int_not_equal(lacp_sys_generation(&a->s), gen);
	assert_distributing(a, 1);
	/* 3 s later: DEFAULTED, unselected, detached */
	run(SEC(3) - 1);
	assert_int_equal(P(a, 0)->rx_state, LACP_RX_EXPIRED);
	run(1);
	assert_int_equal(P(a, 0)->rx_state, LACP_RX_DEFAULTED);
	assert_true(P(a, 0)->actor.state & LACP_STATE_DEFAULTED);
	assert_false(P(a, 0)->actor.state & LACP_STATE_EXPIRED);
	assert_int_equal(P(a, 0)->selected, LACP_UNSELECTED);
	assert_int_equal(P(a, 0)->reason, LACP_REASON_NO_PARTNER);
	assert_int_equal(P(a, 0)->mux_state, LACP_MUX_DETACHED);
	/* B stops distributing on link 0 too: A's LACPDUs say A is not in sync any more */
	assert_false(dist(b, 0));
	assert_true(dist(b, 1));
	/* the partner comes back: rejoins */
	W.link[0].cut_ba = 0;
	t = RUN_UNTIL(dist(a, 0) && dist(b, 0), SEC(5));
	assert_true(t >= 0);
	assert_distributing(a, 0);
	assert_true(was_seen("rx: CURRENT (current_while_timer expired) -> EXPIRED"));
	assert_true(was_seen("rx: EXPIRED (current_while_timer expired) -> DEFAULTED"));
	assert_true(was_seen("rx: DEFAULTED (LACPDU Received) -> CURRENT"));
}

static void test_expired_recovers(void **state)
{
	struct side *a, *b;
	int t;

	(void)state;
	assert_true(pair(&a, &b, 1, 1, 1, 1, 1) >= 0);
	W.link[0].cut_ba = 1;
	t = RUN_UNTIL(P(a, 0)->rx_state == LACP_RX_EXPIRED, SEC(4));
	assert_true(t >= 0);
	W.link[0].cut_ba = 0;
	/* EXPIRED makes the actor ask for fast LACPDUs; the next one brings it back */
	t = RUN_UNTIL(P(a, 0)->rx_state == LACP_RX_CURRENT, SEC(2));
	assert_true(t >= 0);
	t = RUN_UNTIL(dist(a, 0), SEC(2));
	assert_true(t >= 0);
	assert_true(was_seen("rx: EXPIRED (LACPDU Received) -> CURRENT"));
	assert_true(was_seen("mux: COLLECTING (!Partner.Sync) -> ATTACHED"));
}

static void test_port_disabled_detaches_at_once(void **state)
{
	struct side *a, *b;
	unsigned gen;

	(void)state;
	assert_true(pair(&a, &b, 2, 1, 1, 1, 1) >= 0);
	gen = lacp_sys_generation(&a->s);
	lacp_port_set_enabled(&a->s, 0, 0); /* no tick, no frame */
	assert_int_equal(P(a, 0)->mux_state, LACP_MUX_DETACHED);
	assert_int_equal(P(a, 0)->rx_state, LACP_RX_PORT_DISABLED);
	assert_int_equal(P(a, 0)->ptx_state, LACP_PTX_NO_PERIODIC);
	assert_int_equal(P(a, 0)->selected, LACP_UNSELECTED);
	assert_int_equal(P(a, 0)->reason, LACP_REASON_PORT_DOWN);
	assert_false(P(a, 0)->attached);
	assert_not_collecting(a, 0);
	assert_int_not_equal(lacp_sys_generation(&a->s), gen);
	assert_distributing(a, 1);
	/* a disabled port sends nothing */
	{
		__u8 f[256];

		assert_int_equal(lacp_port_tx(&a->s, 0, f, sizeof(f)), 0);
	}
	lacp_port_set_enabled(&b->s, 0, 0);
	assert_false(dist(b, 0));
	pump();
	run(SEC(10));
	assert_int_equal(P(a, 0)->mux_state, LACP_MUX_DETACHED);
	/* back up: rejoins within the aggregate wait plus a round trip */
	cable(&W.link[0], 1);
	assert_true(RUN_UNTIL(dist(a, 0) && dist(b, 0), SEC(4)) >= SEC(2));
	assert_true(was_seen("rx: CURRENT (!port_enabled && !port_moved) -> PORT_DISABLED"));
	assert_true(was_seen("mux: DISTRIBUTING (Unselected) -> COLLECTING"));
	assert_true(was_seen("mux: COLLECTING (Unselected) -> ATTACHED"));
	assert_true(was_seen("mux: ATTACHED (Unselected) -> DETACHED"));
}

static void test_third_system_other_partner_and_churn(void **state)
{
	struct side *a = mkside(0, 0x0a, 32768), *b = mkside(1, 0x0b, 32768);
	struct side *c = mkside(2, 0x0c, 32768);
	int a1, a2, b1, c1, t;

	(void)state;
	a1 = mkport(a, 1, 32768, 1, 1, 0);
	a2 = mkport(a, 2, 32768, 1, 1, 0);
	b1 = mkport(b, 1, 32768, 1, 1, 0);
	c1 = mkport(c, 1, 32768, 1, 1, 0);
	wire(a, a1, b, b1);
	wire(a, a2, c, c1);
	cable(&W.link[0], 1);
	run(SEC(1)); /* B is heard first */
	cable(&W.link[1], 1);
	t = RUN_UNTIL(dist(a, a1) && dist(b, b1), SEC(5));
	assert_true(t >= 0);
	run(SEC(5));
	assert_memory_equal(a->s.partner_system, b->s.cfg.system_id, 6);
	assert_int_equal(P(a, a2)->selected, LACP_UNSELECTED);
	assert_int_equal(P(a, a2)->reason, LACP_REASON_OTHER_PARTNER);
	assert_string_equal(lacp_reason_name[P(a, a2)->reason], "other-partner-system");
	assert_int_equal(P(a, a2)->mux_state, LACP_MUX_DETACHED);
	assert_false(P(a, a2)->actor.state & LACP_STATE_SYNC);
	/* C selected A, but A never syncs: C stays attached, never collects */
	assert_int_equal(P(c, c1)->mux_state, LACP_MUX_ATTACHED);
	assert_not_collecting(c, c1);
	assert_distributing(a, a1);

	/* churn: no sync for Churn_Detection_Time (60 s) */
	assert_int_equal(P(a, a2)->actor_churn_state, LACP_CHURN_MONITOR);
	assert_false(P(a, a2)->actor_churn);
	run(SEC(60));
	assert_int_equal(P(a, a2)->actor_churn_state, LACP_CHURN_CHURN);
	assert_true(P(a, a2)->actor_churn);
	assert_int_equal(P(a, a2)->cnt.actor_churn, 1);
	assert_true(P(c, c1)->partner_churn);
	assert_int_equal(P(c, c1)->partner_churn_state, LACP_CHURN_CHURN);
	assert_false(P(c, c1)->actor_churn); /* C itself reached sync (ATTACHED) */
	assert_int_equal(P(c, c1)->actor_churn_state, LACP_CHURN_NONE);
	assert_int_equal(P(a, a1)->actor_churn_state, LACP_CHURN_NONE);
	assert_int_equal(P(a, a1)->partner_churn_state, LACP_CHURN_NONE);
	assert_false(P(a, a1)->actor_churn || P(a, a1)->partner_churn);

	/* B goes away: the LAG's partner is free again and C's link takes over */
	cable(&W.link[0], 0);
	t = RUN_UNTIL(dist(a, a2) && dist(c, c1), SEC(5));
	assert_true(t >= 0);
	assert_memory_equal(a->s.partner_system, c->s.cfg.system_id, 6);
	assert_false(P(a, a2)->actor_churn);
	assert_false(P(c, c1)->partner_churn);
	assert_true(was_seen("actor-churn: ACTOR_CHURN_MONITOR (actor_churn_timer expired) -> "
			     "ACTOR_CHURN"));
	assert_true(was_seen("actor-churn: ACTOR_CHURN (Actor.Sync) -> NO_ACTOR_CHURN"));
	assert_true(was_seen("partner-churn: PARTNER_CHURN (Partner.Sync) -> NO_PARTNER_CHURN"));
	assert_true(was_seen("actor-churn: ACTOR_CHURN_MONITOR (Actor.Sync) -> NO_ACTOR_CHURN"));
	assert_true(was_seen("actor-churn: NO_ACTOR_CHURN (!Actor.Sync) -> ACTOR_CHURN_MONITOR"));
	assert_true(was_seen("partner-churn: NO_PARTNER_CHURN (!Partner.Sync) -> "
			     "PARTNER_CHURN_MONITOR"));
	/* B comes back: now it is the other partner */
	cable(&W.link[0], 1);
	run(SEC(5));
	assert_int_equal(P(a, a1)->reason, LACP_REASON_OTHER_PARTNER);
	assert_distributing(a, a2);
}

static void test_key_mismatch(void **state)
{
	struct side *a = mkside(0, 0x0a, 32768), *b = mkside(1, 0x0b, 32768);
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		int ai = mkport(a, (__u16)(i + 1), 32768, 1, 1, 0);
		/* B's third port has another key (e.g. another speed) */
		int bi = mkport(b, (__u16)(i + 1), 32768, 1, 1, i == 2 ? 99 : 0);

		wire(a, ai, b, bi);
	}
	for (i = 0; i < 3; i++)
		cable(&W.link[i], 1);
	assert_true(RUN_UNTIL(dist(a, 0) && dist(a, 1) && dist(b, 0) && dist(b, 1), SEC(5)) >= 0);
	run(SEC(5));
	assert_int_equal(P(a, 2)->selected, LACP_UNSELECTED);
	assert_int_equal(P(a, 2)->reason, LACP_REASON_KEY_MISMATCH);
	assert_string_equal(lacp_reason_name[P(a, 2)->reason], "partner-key-mismatch");
	assert_int_equal(P(a, 2)->partner.key, 99);
	assert_int_equal(P(b, 2)->reason, LACP_REASON_ACTOR_KEY);
	assert_not_collecting(a, 2);
	assert_not_collecting(b, 2);
}

static void test_max_active_standby(void **state)
{
	struct side *a = mkside(0, 0x0a, 100), *b = mkside(1, 0x0b, 32768);
	int i, t;

	(void)state;
	/* A (system priority 100) decides; ranks by ITS port priority, then port number */
	a->s.cfg.max_active = 2;
	for (i = 0; i < 3; i++) {
		static const __u16 aprio[3] = { 200, 100, 200 };
		int ai = mkport(a, (__u16)(i + 1), aprio[i], 1, 1, 0);
		/* B's priorities would pick otherwise: ignored, A decides */
		int bi = mkport(b, (__u16)(i + 1), (__u16)(300 - i * 100), 1, 1, 0);

		wire(a, ai, b, bi);
	}
	for (i = 0; i < 3; i++)
		cable(&W.link[i], 1);
	t = RUN_UNTIL(lacp_sys_distributing(&a->s) == 2 && lacp_sys_distributing(&b->s) == 2,
		      SEC(5));
	assert_true(t >= 0);
	run(SEC(10));
	/* order: port 2 (prio 100), port 1 (200, number 1), port 3 (200, number 3) */
	assert_distributing(a, 1);
	assert_distributing(a, 0);
	assert_int_equal(P(a, 2)->selected, LACP_STANDBY);
	assert_int_equal(P(a, 2)->reason, LACP_REASON_MAX_ACTIVE);
	assert_int_equal(P(a, 2)->mux_state, LACP_MUX_WAITING);
	assert_not_collecting(a, 2);
	assert_not_collecting(b, 2);
	assert_int_equal(lacp_sys_distributing(&b->s), 2);

	/* an active port goes down: the standby takes over at once (no new aggregate wait) */
	lacp_port_set_enabled(&a->s, 0, 0);
	assert_int_equal(P(a, 2)->selected, LACP_SELECTED);
	/* its wait_while ran out long ago: attached in the same call, and as B's port 3 sat
	 * ATTACHED (in sync) all along, collecting at once too */
	assert_int_equal(P(a, 2)->mux_state, LACP_MUX_COLLECTING);
	assert_true(P(a, 2)->actor.state & LACP_STATE_SYNC);
	cable(&W.link[0], 0);
	t = RUN_UNTIL(dist(a, 2) && dist(b, 2), SEC(2));
	assert_true(t >= 0);
	assert_true(t < SEC(1));

	/* the port comes back: it outranks port 3 again, which goes back to standby */
	cable(&W.link[0], 1);
	t = RUN_UNTIL(dist(a, 0) && dist(b, 0), SEC(5));
	assert_true(t >= 0);
	run(SEC(3));
	assert_int_equal(P(a, 2)->selected, LACP_STANDBY);
	assert_not_collecting(a, 2);
	assert_int_equal(lacp_sys_distributing(&a->s), 2);
	assert_true(was_seen("mux: DISTRIBUTING (Standby) -> COLLECTING"));
	assert_true(was_seen("mux: COLLECTING (Standby) -> ATTACHED"));
	assert_true(was_seen("mux: ATTACHED (Standby) -> DETACHED"));
	assert_true(was_seen("mux: DETACHED (Standby) -> WAITING"));

	/* fewer active ports at run time */
	lacp_sys_set_max_active(&a->s, 1);
	run(SEC(3));
	assert_int_equal(lacp_sys_distributing(&a->s), 1);
	assert_distributing(a, 1);
	lacp_sys_set_max_active(&a->s, 0);
	assert_true(RUN_UNTIL(lacp_sys_distributing(&a->s) == 3, SEC(5)) >= 0);
}

static void test_max_active_partner_decides(void **state)
{
	struct side *a = mkside(0, 0x0a, 32768), *b = mkside(1, 0x0b, 32768);
	int i;

	(void)state;
	/* A's MAC 02::0a is lower than B's 02::0b, so B decides by a better System Priority */
	b->s.cfg.system_priority = 1;
	a->s.cfg.max_active = 2;
	for (i = 0; i < 3; i++) {
		/* A's own priorities would keep link 0 and standby link 2; B's, all equal, leave
		 * its port numbers to decide: 30, 20, 10 on links 0, 1, 2 */
		int ai = mkport(a, (__u16)(i + 1), (__u16)(100 + i * 100), 1, 1, 0);
		int bi = mkport(b, (__u16)(30 - i * 10), 32768, 1, 1, 0);

		wire(a, ai, b, bi);
	}
	for (i = 0; i < 3; i++)
		cable(&W.link[i], 1);
	assert_true(RUN_UNTIL(lacp_sys_distributing(&a->s) == 2, SEC(5)) >= 0);
	run(SEC(5));
	/* B's port 30 (link 0) ranks last */
	assert_int_equal(P(a, 0)->selected, LACP_STANDBY);
	assert_distributing(a, 1);
	assert_distributing(a, 2);
}

static void test_tx_limit(void **state)
{
	struct side *a, *b;
	struct link *k;
	unsigned i, j, n0;
	int t;

	(void)state;
	assert_true(pair(&a, &b, 1, 1, 1, 1, 1) >= 0);
	k = &W.link[0];
	n0 = k->n_ab;
	/* hammer NTT: 10 times per tick for 5 s */
	for (t = 0; t < SEC(5); t++) {
		for (i = 0; i < 10; i++) {
			lacp_port_set_active(&a->s, 0, 1);
			pump();
		}
		run(1);
	}
	assert_true(k->n_ab - n0 >= 14); /* it did send, at the limit */
	assert_true(P(a, 0)->cnt.tx_limited > 0);
	assert_true(k->n_ab < MAX_TX_LOG);
	/* no more than 3 in any 1 s window, over the whole run (formation included) */
	for (i = 0; i + 3 < k->n_ab; i++)
		assert_true(k->t_ab[i + 3] - k->t_ab[i] >= SEC(1));
	for (i = 0, j = 0; i < k->n_ab; i++)
		j += k->t_ab[i] >= k->t_ab[k->n_ab - 1] - SEC(1) + 1;
	assert_true(j <= 3);
	assert_int_equal(P(a, 0)->cnt.lacpdu_tx, k->n_ab);
	assert_distributing(a, 0);
}

static size_t marker_frame(__u8 *f, size_t cap, __u32 xid)
{
	const struct lacp_marker_info mi = { 7, { 0x02, 0, 0, 0, 0, 0x0b }, xid };
	const __u8 src[6] = { 0x02, 0, 0, 0, 0x0b, 7 };

	return lacpdu_encode_marker(f, cap, src, LACPDU_KIND_MARKER, &mi);
}

static void test_marker_responder(void **state)
{
	struct side *a, *b;
	struct lacpdu_msg m;
	__u8 f[256];
	size_t n;
	int i, got;

	(void)state;
	assert_true(pair(&a, &b, 1, 1, 1, 1, 1) >= 0);
	n = marker_frame(f, sizeof(f), 0xcafef00d);
	assert_int_equal(lacp_port_rx(&a->s, 0, f, n), LACPDU_KIND_MARKER);
	assert_int_equal(P(a, 0)->cnt.marker_rx, 1);
	n = lacp_port_tx(&a->s, 0, f, sizeof(f));
	assert_int_equal(n, 124);
	assert_int_equal(lacpdu_decode(f, n, &m), LACPDU_KIND_MARKER_RESPONSE);
	assert_int_equal(m.marker.requester_port, 7);
	assert_int_equal(m.marker.requester_system[5], 0x0b);
	assert_int_equal(m.marker.transaction_id, 0xcafef00d);
	assert_memory_equal(m.src, P(a, 0)->mac, 6);
	assert_int_equal(P(a, 0)->cnt.marker_resp_tx, 1);
	/* the response reaches B and is counted there */
	assert_int_equal(lacp_port_rx(&b->s, 0, f, n), LACPDU_KIND_MARKER_RESPONSE);
	assert_int_equal(P(b, 0)->cnt.marker_resp_rx, 1);

	/* exhaust the LACPDU limit: a Marker Response still goes out */
	for (i = 0; i < 5; i++) {
		lacp_port_set_active(&a->s, 0, 1);
		while (lacp_port_tx(&a->s, 0, f, sizeof(f)))
			;
	}
	assert_true(P(a, 0)->ntt); /* LACPDU held back */
	n = marker_frame(f, sizeof(f), 1);
	lacp_port_rx(&a->s, 0, f, n);
	n = lacp_port_tx(&a->s, 0, f, sizeof(f));
	assert_int_equal(lacpdu_decode(f, n, &m), LACPDU_KIND_MARKER_RESPONSE);
	assert_int_equal(lacp_port_tx(&a->s, 0, f, sizeof(f)), 0);
	run(SEC(2));

	/* a flood: at most 5 answered per second, the rest counted as dropped */
	for (i = 0; i < 12; i++) {
		n = marker_frame(f, sizeof(f), (__u32)i);
		lacp_port_rx(&a->s, 0, f, n);
	}
	for (got = 0; (n = lacp_port_tx(&a->s, 0, f, sizeof(f))) > 0;)
		got += lacpdu_decode(f, n, &m) == LACPDU_KIND_MARKER_RESPONSE;
	assert_int_equal(got, LACP_MARKER_LIMIT);
	assert_int_equal(P(a, 0)->cnt.marker_dropped, 12 - LACP_MARKER_LIMIT);
	/* a second later it answers again */
	run(SEC(1));
	n = marker_frame(f, sizeof(f), 99);
	lacp_port_rx(&a->s, 0, f, n);
	n = lacp_port_tx(&a->s, 0, f, sizeof(f));
	assert_int_equal(lacpdu_decode(f, n, &m), LACPDU_KIND_MARKER_RESPONSE);
	assert_int_equal(m.marker.transaction_id, 99);
}

static void test_rx_garbage(void **state)
{
	struct side *a, *b;
	__u8 f[300];
	unsigned seed = 12345, i, j, bad = 0, unknown = 0;
	__u64 il0, un0;

	(void)state;
	assert_true(pair(&a, &b, 1, 1, 1, 1, 1) >= 0);
	il0 = P(a, 0)->cnt.illegal_rx;
	un0 = P(a, 0)->cnt.unknown_rx;
	for (i = 0; i < 5000; i++) {
		size_t len = (seed = seed * 1103515245 + 12345) % sizeof(f);
		int rc;

		for (j = 0; j < len; j++)
			f[j] = (__u8)((seed = seed * 1103515245 + 12345) >> 16);
		if (i % 2 && len > 14) { /* half of them look like slow protocols */
			f[12] = 0x88;
			f[13] = 0x09;
			f[14] = (__u8)(i % 12);
		}
		rc = lacp_port_rx(&a->s, 0, f, len);
		assert_true(rc == -LACPDU_E_ILLEGAL || rc == -LACPDU_E_UNKNOWN || rc > 0);
		bad += rc == -LACPDU_E_ILLEGAL;
		unknown += rc == -LACPDU_E_UNKNOWN;
	}
	assert_true(unknown > 0);
	assert_int_equal(P(a, 0)->cnt.illegal_rx - il0, bad);
	assert_int_equal(P(a, 0)->cnt.unknown_rx - un0, unknown);
	assert_int_equal(lacp_port_rx(&a->s, 0, NULL, 0), -LACPDU_E_ILLEGAL);
	assert_int_equal(lacp_port_rx(&a->s, 63, f, 124), -EINVAL);
	assert_int_equal(lacp_port_rx(&a->s, -1, f, 124), -EINVAL);
	assert_int_equal(lacp_port_rx(&a->s, 1000, f, 124), -EINVAL);
	/* an OAM frame is unknown, not illegal */
	memset(f, 0, 60);
	f[12] = 0x88;
	f[13] = 0x09;
	f[14] = 3;
	assert_int_equal(lacp_port_rx(&a->s, 0, f, 60), -LACPDU_E_UNKNOWN);
	assert_int_equal(P(a, 0)->cnt.unknown_rx - un0, unknown + 1);
	run(SEC(3));
	assert_distributing(a, 0);
}

static void test_port_add_del(void **state)
{
	struct lacp_sys_cfg c;
	struct lacp_port_cfg pc;
	static struct lacp_sys s;
	int i, idx;
	unsigned gen;
	struct side *a, *b;

	(void)state;
	sys_cfg(&c, 1, 1);
	lacp_sys_init(&s, &c);
	memset(&pc, 0, sizeof(pc));
	pc.port_number = 0;
	assert_int_equal(lacp_port_add(&s, &pc), -EINVAL);
	for (i = 0; i < LACP_MAX_PORTS; i++) {
		pc.port_number = (__u16)(i + 1);
		assert_int_equal(lacp_port_add(&s, &pc), i);
	}
	pc.port_number = 1000;
	assert_int_equal(lacp_port_add(&s, &pc), -ENOSPC);
	lacp_port_del(&s, 5);
	pc.port_number = 1;
	assert_int_equal(lacp_port_add(&s, &pc), -EEXIST);
	pc.port_number = 6;
	assert_int_equal(lacp_port_add(&s, &pc), 5);
	/* key 0 means the LAG key; new ports are down, defaulted and unselected */
	assert_int_equal(s.port[5].actor.key, 17);
	assert_int_equal(s.port[5].reason, LACP_REASON_PORT_DOWN);
	assert_int_equal(s.port[5].rx_state, LACP_RX_PORT_DISABLED);
	assert_true(s.port[5].actor.state & LACP_STATE_DEFAULTED);
	assert_true(s.port[5].actor.state & LACP_STATE_AGGREGATION);
	lacp_port_del(&s, 5);
	lacp_port_del(&s, 5);  /* twice: no-op */
	lacp_port_del(&s, -1); /* out of range: no-op */
	assert_false(lacp_port_collecting(&s, 5));
	assert_false(lacp_port_distributing(&s, 99));

	/* deleting a distributing port moves the generation */
	assert_true(pair(&a, &b, 2, 1, 1, 1, 1) >= 0);
	gen = lacp_sys_generation(&a->s);
	lacp_port_del(&a->s, 0);
	assert_int_not_equal(lacp_sys_generation(&a->s), gen);
	assert_int_equal(lacp_sys_distributing(&a->s), 1);
	W.nlinks = 0; /* the cable now leads nowhere */
	wire(a, 1, b, 1);
	run(SEC(5));
	assert_distributing(a, 1);
	idx = mkport(a, 1, 32768, 1, 1, 0);
	assert_int_equal(idx, 0);
}

/* crafted LACPDUs: transitions that two well-behaved peers rarely produce */
static void test_crafted_partner(void **state)
{
	struct side *a, *b;
	struct lacp_info actor, partner;
	__u8 f[256];
	size_t n;
	int t;

	(void)state;
	assert_true(pair(&a, &b, 1, 1, 1, 1, 1) >= 0);
	W.link[0].cut_ba = 1; /* we speak for B from now on */
	actor = P(b, 0)->actor;
	partner = P(a, 0)->actor;

	/* partner in sync but not collecting: DISTRIBUTING -> COLLECTING */
	actor.state &= (__u8) ~(LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING);
	n = lacpdu_encode_lacp(f, sizeof(f), P(b, 0)->mac, &actor, &partner, 0);
	assert_int_equal(lacp_port_rx(&a->s, 0, f, n), LACPDU_KIND_LACPDU);
	assert_int_equal(P(a, 0)->mux_state, LACP_MUX_COLLECTING);
	assert_true(lacp_port_collecting(&a->s, 0));
	assert_false(lacp_port_distributing(&a->s, 0));
	assert_true(was_seen("mux: DISTRIBUTING (!Partner.Collecting) -> COLLECTING"));

	/* partner out of sync: COLLECTING -> ATTACHED */
	actor.state &= (__u8)~LACP_STATE_SYNC;
	n = lacpdu_encode_lacp(f, sizeof(f), P(b, 0)->mac, &actor, &partner, 0);
	lacp_port_rx(&a->s, 0, f, n);
	assert_int_equal(P(a, 0)->mux_state, LACP_MUX_ATTACHED);
	assert_not_collecting(a, 0);

	/* partner claims sync but with a stale view of us: not in sync (recordPDU) */
	actor.state |= LACP_STATE_SYNC | LACP_STATE_COLLECTING;
	partner.port = 99;
	n = lacpdu_encode_lacp(f, sizeof(f), P(b, 0)->mac, &actor, &partner, 0);
	lacp_port_rx(&a->s, 0, f, n);
	assert_false(P(a, 0)->partner.state & LACP_STATE_SYNC);
	assert_true(P(a, 0)->ntt); /* update_NTT: it must hear from us */
	assert_int_equal(P(a, 0)->mux_state, LACP_MUX_ATTACHED);
	partner.port = P(a, 0)->actor.port;

	/* an Individual partner port: it detaches (update_Selected), then aggregates alone */
	actor.state &= (__u8)~LACP_STATE_AGGREGATION;
	n = lacpdu_encode_lacp(f, sizeof(f), P(b, 0)->mac, &actor, &partner, 0);
	lacp_port_rx(&a->s, 0, f, n);
	assert_true(was_seen("mux: ATTACHED (Unselected) -> DETACHED"));
	assert_int_equal(P(a, 0)->selected, LACP_SELECTED);
	assert_int_equal(P(a, 0)->reason, LACP_REASON_NONE);
	assert_int_equal(P(a, 0)->mux_state, LACP_MUX_WAITING);
	assert_int_equal(a->s.partner_individual, 1);

	/* the partner changes key: partner-changed, detach, then reselect with the new key */
	actor.state |= LACP_STATE_AGGREGATION;
	actor.key = 18;
	n = lacpdu_encode_lacp(f, sizeof(f), P(b, 0)->mac, &actor, &partner, 0);
	lacp_port_rx(&a->s, 0, f, n);
	assert_int_equal(P(a, 0)->selected, LACP_SELECTED);
	assert_int_equal(a->s.partner_key, 18);
	assert_int_equal(P(a, 0)->mux_state, LACP_MUX_WAITING);
	/* unselected while waiting: WAITING -> DETACHED */
	actor.key = 19;
	n = lacpdu_encode_lacp(f, sizeof(f), P(b, 0)->mac, &actor, &partner, 0);
	lacp_port_rx(&a->s, 0, f, n);
	assert_true(was_seen("mux: WAITING (Unselected) -> DETACHED"));
	assert_true(was_seen("selection: selected (partner-changed) -> unselected"));
	assert_int_equal(P(a, 0)->mux_state, LACP_MUX_WAITING);

	/* a looped-back port hears itself */
	partner = P(a, 0)->actor;
	n = lacpdu_encode_lacp(f, sizeof(f), P(a, 0)->mac, &partner, &partner, 0);
	lacp_port_rx(&a->s, 0, f, n);
	assert_int_equal(P(a, 0)->reason, LACP_REASON_LOOPBACK);

	/* B speaks again for itself: all well */
	W.link[0].cut_ba = 0;
	t = RUN_UNTIL(dist(a, 0) && dist(b, 0), SEC(10));
	assert_true(t >= 0);
}

static void test_port_moved_and_lacp_disabled(void **state)
{
	struct side *a = mkside(0, 0x0a, 32768), *b = mkside(1, 0x0b, 32768);
	int a1, a2, b1;

	(void)state;
	a1 = mkport(a, 1, 32768, 1, 1, 0);
	a2 = mkport(a, 2, 32768, 1, 1, 0);
	b1 = mkport(b, 1, 32768, 1, 1, 0);
	wire(a, a1, b, b1);
	cable(&W.link[0], 1);
	assert_true(RUN_UNTIL(dist(a, a1), SEC(5)) >= 0);
	/* the cable moves from A's port 1 to A's port 2 */
	lacp_port_set_enabled(&a->s, a1, 0);
	assert_int_equal(P(a, a1)->partner.port, 1);
	W.link[0].ai = a2;
	lacp_port_set_enabled(&a->s, a2, 1);
	lacp_port_set_enabled(&b->s, b1, 0);
	lacp_port_set_enabled(&b->s, b1, 1);
	pump();
	/* B's LACPDU on port 2 names the partner port 1 had: port 1 forgets it */
	assert_true(was_seen("rx: PORT_DISABLED (port_moved) -> INITIALIZE"));
	assert_int_equal(P(a, a1)->rx_state, LACP_RX_PORT_DISABLED);
	assert_false(P(a, a1)->port_moved);
	assert_true(P(a, a1)->actor.state & LACP_STATE_DEFAULTED);
	assert_int_equal(P(a, a1)->partner.port, 0);
	assert_true(RUN_UNTIL(dist(a, a2) && dist(b, b1), SEC(5)) >= 0);

	/* half duplex: LACP_Enabled goes FALSE */
	lacp_port_set_lacp_enabled(&a->s, a2, 0);
	assert_int_equal(P(a, a2)->rx_state, LACP_RX_LACP_DISABLED);
	assert_int_equal(P(a, a2)->reason, LACP_REASON_LACP_DISABLED);
	assert_int_equal(P(a, a2)->ptx_state, LACP_PTX_NO_PERIODIC);
	assert_false(P(a, a2)->partner.state & LACP_STATE_AGGREGATION);
	assert_not_collecting(a, a2);
	pump();
	run(SEC(5));
	assert_int_equal(P(a, a2)->rx_state, LACP_RX_LACP_DISABLED); /* ignores LACPDUs */
	lacp_port_set_lacp_enabled(&a->s, a2, 1);
	assert_int_equal(P(a, a2)->rx_state, LACP_RX_EXPIRED);
	assert_true(RUN_UNTIL(dist(a, a2) && dist(b, b1), SEC(5)) >= 0);
	assert_true(was_seen("rx: PORT_DISABLED (port_enabled && !LACP_Enabled) -> LACP_DISABLED"));
	assert_true(was_seen("rx: LACP_DISABLED (LACP_Enabled) -> PORT_DISABLED"));
	assert_true(was_seen("rx: PORT_DISABLED (port_enabled && LACP_Enabled) -> EXPIRED"));
}

static void test_rate_change(void **state)
{
	struct side *a, *b;
	int t;

	(void)state;
	assert_true(pair(&a, &b, 1, 1, 1, 0, 0) >= 0);
	assert_int_equal(P(a, 0)->ptx_state, LACP_PTX_SLOW_PERIODIC);
	/* B asks for fast: A's Periodic machine leaves SLOW_PERIODIC at once */
	lacp_port_set_fast(&b->s, 0, 1);
	pump();
	assert_int_equal(P(a, 0)->ptx_state, LACP_PTX_FAST_PERIODIC);
	assert_true(was_seen("ptx: SLOW_PERIODIC (Partner.LACP_Timeout == Short) -> PERIODIC_TX"));
	assert_true(was_seen("ptx: PERIODIC_TX (Partner.LACP_Timeout == Short) -> FAST_PERIODIC"));
	/* and its receive timeout follows its own setting: A stays slow, 90 s */
	W.link[0].cut_ba = 1;
	run(SEC(80));
	assert_int_equal(P(a, 0)->rx_state, LACP_RX_CURRENT);
	t = RUN_UNTIL(P(a, 0)->rx_state == LACP_RX_EXPIRED, SEC(15));
	assert_true(t >= 0);
	W.link[0].cut_ba = 0;
	/* back to slow */
	lacp_port_set_fast(&b->s, 0, 0);
	pump();
	run(SEC(2));
	assert_int_equal(P(a, 0)->ptx_state, LACP_PTX_SLOW_PERIODIC);
	assert_true(was_seen("ptx: FAST_PERIODIC (Partner.LACP_Timeout == Long) -> SLOW_PERIODIC"));
	run(SEC(31));
	assert_true(was_seen("ptx: SLOW_PERIODIC (periodic_timer expired) -> PERIODIC_TX"));
	assert_true(was_seen("ptx: PERIODIC_TX (Partner.LACP_Timeout == Long) -> SLOW_PERIODIC"));
	assert_distributing(a, 0);
}

/* ---- partners that real deployments produce (issue 11) ---- */

/* feed A's port ai one LACPDU from 'actor' that echoes A's current view of itself */
static int speak(struct side *a, int ai, const struct lacp_info *actor)
{
	__u8 f[256], src[6] = { 0x02, 0, 0, 0, 0xee, 0 };
	size_t n;

	src[5] = (__u8)actor->port;
	n = lacpdu_encode_lacp(f, sizeof(f), src, actor, &P(a, ai)->actor, 0);
	assert_int_equal(n, 124);
	return lacp_port_rx(&a->s, ai, f, n);
}

/*
 * An Individual partner (802.1AX 6.4.14.1: Aggregation FALSE forms an aggregation of its own):
 * B drops two of its three members, as Open vSwitch and teamd do (carrier up, silent), and says
 * Individual on the one it keeps. A's LAG carries traffic on that link alone, well before the
 * silent links time out; a second Individual link stays out (partner-individual); when B is
 * aggregatable again, all three links aggregate.
 */
static void test_individual_partner(void **state)
{
	struct side *a, *b;
	struct lacp_info ind0, ind1;
	int t, i, a12_dist_after_a0 = 0;

	(void)state;
	assert_true(pair(&a, &b, 3, 1, 1, 1, 1) >= 0);
	for (i = 0; i < 3; i++)
		W.link[i].cut_ba = 1;
	ind0 = P(b, 0)->actor;
	ind0.state &= (__u8)~LACP_STATE_AGGREGATION;
	ind1 = P(b, 1)->actor;
	ind1.state &= (__u8)~LACP_STATE_AGGREGATION;
	/* the partner information changed: the port detaches first (update_Selected) */
	assert_int_equal(speak(a, 0, &ind0), LACPDU_KIND_LACPDU);
	assert_false(dist(a, 0));
	for (t = 1; t < SEC(6) && !dist(a, 0); t++) {
		if (t % SEC(1) == 0)
			assert_int_equal(speak(a, 0, &ind0), LACPDU_KIND_LACPDU);
		run(1);
	}
	assert_true(dist(a, 0));
	/* before the silent links expire (3 s) and default (6 s) */
	assert_true(t <= SEC(5));
	assert_distributing(a, 0);
	assert_false(P(a, 0)->partner.state & LACP_STATE_AGGREGATION);
	for (i = 1; i < 3; i++) {
		assert_int_equal(P(a, i)->selected, LACP_UNSELECTED);
		assert_int_not_equal(P(a, i)->reason, LACP_REASON_NONE);
		assert_not_collecting(a, i);
	}
	assert_int_equal(lacp_sys_distributing(&a->s), 1);
	/* steady: the aggregation of one holds; a second Individual link does not join it */
	for (t = 0; t < SEC(10); t++) {
		if (t % SEC(1) == 0) {
			speak(a, 0, &ind0);
			speak(a, 1, &ind1);
		}
		run(1);
		a12_dist_after_a0 += dist(a, 1) + dist(a, 2);
		assert_true(dist(a, 0));
	}
	assert_int_equal(a12_dist_after_a0, 0);
	assert_int_equal(P(a, 1)->rx_state, LACP_RX_CURRENT);
	assert_int_equal(P(a, 1)->reason, LACP_REASON_INDIVIDUAL);
	assert_string_equal(lacp_reason_name[P(a, 1)->reason], "partner-individual");
	assert_int_equal(P(a, 2)->reason, LACP_REASON_NO_PARTNER);
	/* B aggregatable again on all three: one aggregation of three */
	for (i = 0; i < 3; i++)
		W.link[i].cut_ba = 0;
	t = RUN_UNTIL(lacp_sys_distributing(&a->s) == 3 && lacp_sys_distributing(&b->s) == 3,
		      SEC(10));
	assert_true(t >= 0);
}

/*
 * The partner is replaced (its system id and key change: a reconfiguration, an MLAG failover)
 * on two links while the third goes silent with its carrier up. A follows the live links
 * without waiting for the silent link to time out, and stops distributing on the silent one
 * before its current_while_timer runs out.
 */
static void test_partner_replaced_one_link_silent(void **state)
{
	struct side *a, *b, *c;
	int c0, c1, t, t_a2 = -1;

	(void)state;
	assert_true(pair(&a, &b, 3, 1, 1, 1, 1) >= 0);
	c = mkside(2, 0x0c, 32768);
	c->s.cfg.key = 42;
	c0 = mkport(c, 7, 32768, 1, 1, 0);
	c1 = mkport(c, 8, 32768, 1, 1, 0);
	lacp_port_set_enabled(&c->s, c0, 1);
	lacp_port_set_enabled(&c->s, c1, 1);
	/* no carrier change on A: links 0 and 1 now lead to C; link 2 to a silent B */
	W.link[0].b = c;
	W.link[0].bi = c0;
	W.link[1].b = c;
	W.link[1].bi = c1;
	W.link[2].cut_ba = 1;
	for (t = 0; t < SEC(10); t++) {
		run(1);
		if (t_a2 < 0 && !dist(a, 2))
			t_a2 = t;
		if (dist(a, 0) && dist(a, 1) && dist(c, c0) && dist(c, c1))
			break;
	}
	assert_true(dist(a, 0) && dist(a, 1));
	assert_memory_equal(a->s.partner_system, c->s.cfg.system_id, 6);
	assert_int_equal(a->s.partner_key, 42);
	/* well before link 2 defaults (6 s), which is what it used to take, plus the wait */
	assert_true(t <= SEC(5));
	assert_true(t_a2 >= 0 && t_a2 < LACP_SHORT_TIMEOUT_TICKS);
	assert_not_collecting(a, 2);
	assert_int_equal(P(a, 2)->reason, LACP_REASON_OTHER_PARTNER);
}

/*
 * The partner re-keys two links while the other two go silent, still CURRENT on the old key:
 * the silent ones must not outvote the live ones (the old rule kept the old key on a tie of
 * CURRENT ports until the silent ones defaulted, 6 s).
 */
static void test_rekey_silent_ports_do_not_outvote(void **state)
{
	struct side *a, *b;
	struct lacp_info k[2];
	int i, t;

	(void)state;
	assert_true(pair(&a, &b, 4, 1, 1, 1, 1) >= 0);
	for (i = 0; i < 4; i++)
		W.link[i].cut_ba = 1;
	for (i = 0; i < 2; i++) {
		k[i] = P(b, i)->actor;
		k[i].key = 18;
	}
	speak(a, 0, &k[0]);
	speak(a, 1, &k[1]);
	assert_false(dist(a, 0) || dist(a, 1)); /* partner changed: detach first */
	for (t = 1; t < SEC(10) && !(dist(a, 0) && dist(a, 1)); t++) {
		if (t % SEC(1) == 0) {
			speak(a, 0, &k[0]);
			speak(a, 1, &k[1]);
		}
		run(1);
	}
	assert_true(dist(a, 0) && dist(a, 1));
	assert_int_equal(a->s.partner_key, 18);
	assert_true(t <= SEC(5));
	assert_false(dist(a, 2) || dist(a, 3));
}

/*
 * The partner re-keys two of three links into an aggregator it keeps in standby (not in sync):
 * the majority of keys is not the group that works. The working link stays attached and
 * distributing throughout; the standby links are partner-key-mismatch.
 */
static void test_rekey_into_standby_keeps_working_link(void **state)
{
	struct side *a, *b;
	struct lacp_info k[3];
	int i, t;

	(void)state;
	assert_true(pair(&a, &b, 3, 1, 1, 1, 1) >= 0);
	for (i = 1; i < 3; i++) {
		W.link[i].cut_ba = 1;
		k[i] = P(b, i)->actor;
		k[i].key = 99;
		k[i].state &=
			(__u8) ~(LACP_STATE_SYNC | LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING);
	}
	for (t = 0; t < SEC(12); t++) {
		if (t % SEC(1) == 0) {
			speak(a, 1, &k[1]);
			speak(a, 2, &k[2]);
		}
		run(1);
		assert_int_equal(P(a, 0)->mux_state, LACP_MUX_DISTRIBUTING);
		assert_true(dist(b, 0));
	}
	assert_distributing(a, 0);
	assert_int_equal(a->s.partner_key, 17);
	for (i = 1; i < 3; i++) {
		assert_int_equal(P(a, i)->rx_state, LACP_RX_CURRENT);
		assert_int_equal(P(a, i)->reason, LACP_REASON_KEY_MISMATCH);
		assert_not_collecting(a, i);
	}
}

/*
 * max-active is make-before-break: a returning higher-priority port does not demote the active
 * one before it distributes itself; neither end ever runs with fewer than max-active links.
 */
static void max_active_returning_port(int min_links)
{
	struct side *a = mkside(0, 0x0a, 100), *b = mkside(1, 0x0b, 32768);
	int i, t, a0_dist_at = -1, a2_left_at = -1;

	a->s.cfg.max_active = 2;
	a->s.cfg.min_links = (unsigned)min_links;
	for (i = 0; i < 3; i++) {
		static const __u16 aprio[3] = { 100, 200, 200 };

		wire(a, mkport(a, (__u16)(i + 1), aprio[i], 1, 1, 0), b,
		     mkport(b, (__u16)(i + 1), 32768, 1, 1, 0));
	}
	for (i = 0; i < 3; i++)
		cable(&W.link[i], 1);
	assert_true(RUN_UNTIL(dist(a, 0) && dist(a, 1) && dist(b, 0) && dist(b, 1), SEC(5)) >= 0);
	run(SEC(3));
	assert_int_equal(P(a, 2)->selected, LACP_STANDBY);
	cable(&W.link[0], 0);
	assert_true(RUN_UNTIL(dist(a, 2) && dist(b, 2), SEC(2)) >= 0);
	/* the preferred port returns */
	cable(&W.link[0], 1);
	for (t = 0; t < SEC(8); t++) {
		assert_true(lacp_sys_distributing(&a->s) >= 2);
		assert_true(lacp_sys_distributing(&b->s) >= 2);
		if (a0_dist_at < 0 && dist(a, 0))
			a0_dist_at = t;
		if (a2_left_at < 0 && !dist(a, 2))
			a2_left_at = t;
		run(1);
	}
	assert_true(a0_dist_at >= 0 && a2_left_at >= a0_dist_at);
	assert_distributing(a, 0);
	assert_distributing(a, 1);
	assert_int_equal(P(a, 2)->selected, LACP_STANDBY);
	assert_int_equal(P(a, 2)->reason, LACP_REASON_MAX_ACTIVE);
	assert_not_collecting(a, 2);
	assert_int_equal(lacp_sys_distributing(&a->s), 2);
	assert_int_equal(lacp_sys_distributing(&b->s), 2);
}

static void test_max_active_make_before_break(void **state)
{
	(void)state;
	max_active_returning_port(0);
}

/* 6.3.2: a System ID is an individual MAC; 0 or a group address counts as illegal, no effect */
static void test_illegal_partner_system(void **state)
{
	static const __u8 bad[][6] = {
		{ 0, 0, 0, 0, 0, 0 },
		{ 0x01, 0x80, 0xc2, 0x00, 0x00, 0x02 },
		{ 0x03, 0, 0, 0, 0, 0x0b },
	};
	struct side *a, *b;
	struct lacp_info x;
	__u64 il;
	unsigned gen, i;

	(void)state;
	assert_true(pair(&a, &b, 1, 1, 1, 1, 1) >= 0);
	gen = lacp_sys_generation(&a->s);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		il = P(a, 0)->cnt.illegal_rx;
		x = P(b, 0)->actor;
		memcpy(x.system, bad[i], 6);
		x.key = 5;
		assert_int_equal(speak(a, 0, &x), -LACPDU_E_ILLEGAL);
		assert_int_equal(P(a, 0)->cnt.illegal_rx, il + 1);
		assert_memory_equal(P(a, 0)->partner.system, b->s.cfg.system_id, 6);
		assert_int_equal(P(a, 0)->partner.key, 17);
		assert_distributing(a, 0);
	}
	assert_int_equal(lacp_sys_generation(&a->s), gen);
	run(SEC(5));
	assert_distributing(a, 0);
}

/* 802.1AX: the Version Number is not validated: a v2 partner's LACPDUs are read as v1 */
static void test_v2_partner_forms(void **state)
{
	struct side *a = mkside(0, 0x0a, 32768), *b = mkside(1, 0x0b, 32768);
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		wire(a, mkport(a, (__u16)(i + 1), 32768, 1, 1, 0), b,
		     mkport(b, (__u16)(i + 1), 32768, 1, 1, 0));
		W.link[i].v2_ba = 1;
	}
	for (i = 0; i < 2; i++)
		cable(&W.link[i], 1);
	assert_true(
		RUN_UNTIL(lacp_sys_distributing(&a->s) == 2 && lacp_sys_distributing(&b->s) == 2,
			  SEC(5)) >= 0);
	assert_int_equal(P(a, 0)->cnt.illegal_rx, 0);
	assert_true(P(a, 0)->cnt.lacpdu_rx > 0);
	run(SEC(10));
	assert_distributing(a, 0);
	assert_distributing(a, 1);
}

/*
 * The LAG's partner does not move on a backlog: a second partner system on two other ports
 * claims Sync and Collecting there (as Open vSwitch does for every attached bond member); A's
 * controller stalls 2.2 s (its ticks run, no frame is read: both partners look silent), then
 * reads the second partner's LACPDUs first. For that moment the other group looks better only
 * because the LAG's own ports look silent: it must not take the LAG over.
 */
static void test_backlog_keeps_partner(void **state)
{
	struct side *a, *b;
	struct lacp_info cx[2];
	int i, t, ai[2];

	(void)state;
	assert_true(pair(&a, &b, 2, 1, 1, 1, 1) >= 0);
	for (i = 0; i < 2; i++) {
		ai[i] = mkport(a, (__u16)(3 + i), 32768, 1, 1, 0);
		lacp_port_set_enabled(&a->s, ai[i], 1);
		memset(&cx[i], 0, sizeof(cx[i]));
		cx[i].system_priority = 32768;
		cx[i].system[0] = 0x02;
		cx[i].system[5] = 0x0c;
		cx[i].key = 42;
		cx[i].port_priority = 32768;
		cx[i].port = (__u16)(1 + i);
		cx[i].state = 0x3f;
	}
	for (t = 0; t < SEC(5); t++) {
		if (t % SEC(1) == 0)
			for (i = 0; i < 2; i++)
				speak(a, ai[i], &cx[i]);
		run(1);
	}
	assert_memory_equal(a->s.partner_system, b->s.cfg.system_id, 6);
	assert_int_equal(P(a, ai[0])->reason, LACP_REASON_OTHER_PARTNER);
	/* everyone heard at the same tick, then A stalls */
	for (i = 0; i < 2; i++) {
		lacp_port_set_active(&b->s, i, 1);
		speak(a, ai[i], &cx[i]);
	}
	pump();
	for (t = 0; t < 22; t++)
		lacp_tick(&a->s);
	assert_distributing(a, 0);
	/* the backlog: the other partner's LACPDUs first, then B's */
	for (i = 0; i < 2; i++)
		speak(a, ai[i], &cx[i]);
	for (i = 0; i < 2; i++)
		lacp_port_set_active(&b->s, i, 1);
	pump();
	assert_memory_equal(a->s.partner_system, b->s.cfg.system_id, 6);
	assert_distributing(a, 0);
	assert_distributing(a, 1);
	run(SEC(3));
	assert_distributing(a, 0);
	assert_distributing(a, 1);
	assert_int_equal(P(a, ai[1])->reason, LACP_REASON_OTHER_PARTNER);
}

/* with min-links equal to max-active, the LAG never goes down when the preferred port returns */
static void test_max_active_equal_min_links(void **state)
{
	(void)state;
	max_active_returning_port(2);
}

/*
 * min-links reaches the partner: below it our ports stand by (min-links) and leave Sync, so the
 * partner stops collecting and distributing too; at or above it, or after `set --min-links`,
 * they come back.
 */
static void test_min_links_signalled(void **state)
{
	struct side *a = mkside(0, 0x0a, 32768), *b = mkside(1, 0x0b, 32768);
	int i;

	(void)state;
	a->s.cfg.min_links = 2;
	for (i = 0; i < 2; i++)
		wire(a, mkport(a, (__u16)(i + 1), 32768, 1, 1, 0), b,
		     mkport(b, (__u16)(i + 1), 32768, 1, 1, 0));
	for (i = 0; i < 2; i++)
		cable(&W.link[i], 1);
	assert_true(
		RUN_UNTIL(lacp_sys_distributing(&a->s) == 2 && lacp_sys_distributing(&b->s) == 2,
			  SEC(5)) >= 0);
	/* one link down: below min-links on A */
	cable(&W.link[1], 0);
	assert_int_equal(P(a, 0)->selected, LACP_STANDBY);
	assert_int_equal(P(a, 0)->reason, LACP_REASON_MIN_LINKS);
	assert_string_equal(lacp_reason_name[P(a, 0)->reason], "min-links");
	assert_false(P(a, 0)->actor.state & LACP_STATE_SYNC);
	assert_not_collecting(a, 0);
	assert_int_equal(P(a, 0)->rx_state, LACP_RX_CURRENT);
	/* the partner hears it at once and stops too */
	assert_false(P(b, 0)->partner.state & LACP_STATE_SYNC);
	assert_false(dist(b, 0));
	assert_false(lacp_port_collecting(&b->s, 0));
	run(SEC(10));
	assert_int_equal(lacp_sys_distributing(&a->s), 0);
	assert_int_equal(lacp_sys_distributing(&b->s), 0);
	/* back to two links: both ends distribute on both */
	cable(&W.link[1], 1);
	assert_true(
		RUN_UNTIL(lacp_sys_distributing(&a->s) == 2 && lacp_sys_distributing(&b->s) == 2,
			  SEC(5)) >= 0);
	/* down again, then the operator lowers min-links at run time */
	cable(&W.link[1], 0);
	assert_false(dist(b, 0));
	lacp_sys_set_min_links(&a->s, 1);
	pump();
	assert_true(RUN_UNTIL(dist(a, 0) && dist(b, 0), SEC(3)) >= 0);
	assert_distributing(a, 0);
	/* and raises it again */
	lacp_sys_set_min_links(&a->s, 2);
	pump();
	assert_false(dist(a, 0) || dist(b, 0));
	assert_int_equal(P(a, 0)->reason, LACP_REASON_MIN_LINKS);
}

/* 6.4.16: NTT is set FALSE when the LACPDU has been transmitted, not when it was built */
static void test_ntt_until_sent(void **state)
{
	struct side *a, *b;
	struct lacpdu_msg m;
	__u8 f[256], g[256];
	size_t n, n2;
	__u64 tx0;

	(void)state;
	assert_true(pair(&a, &b, 1, 1, 1, 1, 1) >= 0);
	run(SEC(2));
	lacp_port_set_active(&a->s, 0, 1); /* NTT */
	tx0 = P(a, 0)->cnt.lacpdu_tx;
	n = lacp_port_tx(&a->s, 0, f, sizeof(f));
	assert_int_equal(n, 124);
	assert_false(P(a, 0)->ntt);
	/* the send failed: NTT is TRUE again, nothing counted, the same PDU comes next */
	lacp_port_tx_failed(&a->s, 0);
	assert_true(P(a, 0)->ntt);
	assert_int_equal(P(a, 0)->cnt.lacpdu_tx, tx0);
	n2 = lacp_port_tx(&a->s, 0, g, sizeof(g));
	assert_int_equal(n2, n);
	assert_memory_equal(f, g, n);
	/* a failed send does not use up the 3-per-second limit */
	lacp_port_tx_failed(&a->s, 0);
	lacp_port_tx_failed(&a->s, 0); /* twice: no effect */
	assert_int_equal(P(a, 0)->tx_log_n, LACP_TX_LIMIT);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(lacp_port_tx(&a->s, 0, g, sizeof(g)), n);
		lacp_port_tx_failed(&a->s, 0);
	}
	assert_int_equal(P(a, 0)->cnt.tx_limited, 0);
	assert_int_equal(lacp_port_tx(&a->s, 0, g, sizeof(g)), n);
	assert_int_equal(P(a, 0)->cnt.lacpdu_tx, tx0 + 1);
	assert_false(P(a, 0)->ntt);
	/* a Marker Response whose send failed is sent again */
	n = lacpdu_encode_marker(f, sizeof(f), P(b, 0)->mac, LACPDU_KIND_MARKER,
				 &(struct lacp_marker_info){ 2, { 0x02, 0, 0, 0, 0, 0x0b }, 77 });
	assert_int_equal(lacp_port_rx(&a->s, 0, f, n), LACPDU_KIND_MARKER);
	n = lacp_port_tx(&a->s, 0, f, sizeof(f));
	assert_int_equal(lacpdu_decode(f, n, &m), LACPDU_KIND_MARKER_RESPONSE);
	lacp_port_tx_failed(&a->s, 0);
	assert_int_equal(P(a, 0)->cnt.marker_resp_tx, 0);
	n = lacp_port_tx(&a->s, 0, f, sizeof(f));
	assert_int_equal(lacpdu_decode(f, n, &m), LACPDU_KIND_MARKER_RESPONSE);
	assert_int_equal(m.marker.transaction_id, 77);
	assert_int_equal(P(a, 0)->cnt.marker_resp_tx, 1);
	assert_int_equal(lacp_port_tx(&a->s, 0, f, sizeof(f)), 0);
	/* a wire that fails every send: the partner still learns, once a send goes through */
	lacp_port_set_active(&a->s, 0, 0);
	for (int i = 0; i < SEC(3); i++) {
		/* as the controller does: after a failure, the port waits for the next tick */
		if (lacp_port_tx(&a->s, 0, f, sizeof(f)))
			lacp_port_tx_failed(&a->s, 0);
		lacp_tick(&a->s);
	}
	assert_true(P(a, 0)->ntt);
	assert_true(P(b, 0)->partner.state & LACP_STATE_ACTIVITY);
	pump();
	assert_false(P(b, 0)->partner.state & LACP_STATE_ACTIVITY);
}

/* the operational key follows the port's speed (6.3.5); the LAG's key follows its ports */
static void test_key_follows_speed(void **state)
{
	struct side *a, *b;

	(void)state;
	assert_true(pair(&a, &b, 2, 1, 1, 1, 1) >= 0);
	/* port 2 renegotiates at another speed: another key, out of the LAG on both ends */
	lacp_port_set_key(&a->s, 1, 1);
	pump();
	assert_int_equal(P(a, 1)->actor.key, 1);
	assert_int_equal(P(a, 1)->selected, LACP_UNSELECTED);
	assert_int_equal(P(a, 1)->reason, LACP_REASON_ACTOR_KEY);
	assert_not_collecting(a, 1);
	assert_distributing(a, 0);
	run(SEC(3));
	assert_int_equal(P(b, 1)->partner.key, 1);
	assert_int_equal(P(b, 1)->reason, LACP_REASON_KEY_MISMATCH);
	assert_false(dist(b, 1));
	/* back to the LAG's speed: back in */
	lacp_port_set_key(&a->s, 1, 17);
	assert_true(
		RUN_UNTIL(lacp_sys_distributing(&a->s) == 2 && lacp_sys_distributing(&b->s) == 2,
			  SEC(5)) >= 0);
	/* every port at the new speed: the LAG's key follows, and it re-forms */
	lacp_port_set_key(&a->s, 0, 1);
	lacp_port_set_key(&a->s, 1, 1);
	pump();
	assert_true(
		RUN_UNTIL(lacp_sys_distributing(&a->s) == 2 && lacp_sys_distributing(&b->s) == 2,
			  SEC(5)) >= 0);
	assert_int_equal(a->s.cfg.key, 1);
	assert_int_equal(P(b, 0)->partner.key, 1);
	/* the same key again: nothing moves */
	lacp_port_set_key(&a->s, 0, 1);
	assert_distributing(a, 0);
}

/* --aggregate-wait: the wait_while_timer's length, 0 to 2 s (default 2 s) */
static void test_aggregate_wait(void **state)
{
	static const unsigned ms[] = { 0, 500, 2000 };
	unsigned i;
	int t;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct side *a, *b;

		memset(&W, 0, sizeof(W));
		a = mkside(0, 0x0a, 32768);
		b = mkside(1, 0x0b, 32768);
		lacp_sys_set_aggregate_wait(&a->s, ms[i]);
		lacp_sys_set_aggregate_wait(&b->s, ms[i]);
		wire(a, mkport(a, 1, 32768, 1, 1, 0), b, mkport(b, 1, 32768, 1, 1, 0));
		cable(&W.link[0], 1);
		t = RUN_UNTIL(dist(a, 0) && dist(b, 0), SEC(5));
		assert_true(t >= (int)LACP_TICKS(ms[i]));
		assert_true(t <= (int)LACP_TICKS(ms[i]) + 1);
	}
}

/*
 * --fallback active-backup: no LACPDU heard on any member for the fallback timeout, the LAG
 * comes up on one member (lowest port priority, then number); it leaves fallback as soon as a
 * partner speaks, and LACP forms.
 */
static void test_fallback_active_backup(void **state)
{
	struct side *a = mkside(0, 0x0a, 32768), *b = mkside(1, 0x0b, 32768);
	unsigned gen;
	int i, t;

	(void)state;
	a->s.cfg.fallback = 1;
	a->s.cfg.fallback_ticks = SEC(5);
	for (i = 0; i < 2; i++) {
		wire(a, mkport(a, (__u16)(i + 1), i ? 100 : 200, 1, 1, 0), b,
		     mkport(b, (__u16)(i + 1), 32768, 1, 1, 0));
		W.link[i].cut_ba = 1; /* B's LACP does not reach A (the switch is not set up) */
	}
	for (i = 0; i < 2; i++)
		cable(&W.link[i], 1);
	assert_int_equal(a->s.fallback_idx, -1);
	run(SEC(5) - 1);
	assert_false(lacp_port_distributing(&a->s, 0) || lacp_port_distributing(&a->s, 1));
	gen = lacp_sys_generation(&a->s);
	run(1);
	/* port 2 has the lower port priority: it alone collects and distributes */
	assert_int_equal(a->s.fallback_idx, 1);
	assert_true(lacp_port_collecting(&a->s, 1) && lacp_port_distributing(&a->s, 1));
	assert_false(lacp_port_collecting(&a->s, 0) || lacp_port_distributing(&a->s, 0));
	assert_int_equal(lacp_sys_distributing(&a->s), 1);
	assert_int_not_equal(lacp_sys_generation(&a->s), gen);
	assert_true(was_seen("fallback: off (no LACPDU heard) -> active-backup"));
	/* LACP itself has not formed: the port is defaulted, and says nothing of sync */
	assert_int_equal(P(a, 1)->reason, LACP_REASON_NO_PARTNER);
	assert_false(P(a, 1)->actor.state & LACP_STATE_SYNC);
	/* its carrier goes: the other member takes over */
	cable(&W.link[1], 0);
	assert_int_equal(a->s.fallback_idx, 0);
	assert_true(lacp_port_distributing(&a->s, 0));
	cable(&W.link[1], 1);
	run(SEC(2));
	assert_int_equal(a->s.fallback_idx, 0);
	/* the partner speaks: fallback ends at once, then LACP forms on both */
	W.link[0].cut_ba = 0;
	gen = lacp_sys_generation(&a->s);
	t = RUN_UNTIL(a->s.fallback_idx < 0, SEC(2));
	assert_true(t >= 0);
	assert_false(lacp_port_distributing(&a->s, 0) || lacp_port_distributing(&a->s, 1));
	assert_int_not_equal(lacp_sys_generation(&a->s), gen);
	assert_true(was_seen("fallback: active-backup (LACPDU heard) -> off"));
	W.link[1].cut_ba = 0;
	assert_true(
		RUN_UNTIL(lacp_sys_distributing(&a->s) == 2 && lacp_sys_distributing(&b->s) == 2,
			  SEC(5)) >= 0);
	/* the partner goes silent again: fallback once nothing was heard for 5 s */
	W.link[0].cut_ba = W.link[1].cut_ba = 1;
	t = RUN_UNTIL(a->s.fallback_idx >= 0, SEC(8));
	assert_true(t >= SEC(4) && t <= SEC(5) + 1);
	assert_int_equal(a->s.fallback_idx, 1);
	assert_int_equal(lacp_sys_distributing(&a->s), 1);
	/* off by configuration: never */
	lacp_sys_set_fallback(&a->s, 0, 0);
	assert_int_equal(a->s.fallback_idx, -1);
	assert_int_equal(lacp_sys_distributing(&a->s), 0);
}

/* every transition of Figures 6-18, 6-19, 6-22 and the churn figures, across the suite */
static void test_all_transitions_seen(void **state)
{
	static const char *const want[] = {
		/* Receive, Figure 6-18 */
		"rx: INITIALIZE (UCT) -> PORT_DISABLED",
		"rx: PORT_DISABLED (port_moved) -> INITIALIZE",
		"rx: PORT_DISABLED (port_enabled && LACP_Enabled) -> EXPIRED",
		"rx: PORT_DISABLED (port_enabled && !LACP_Enabled) -> LACP_DISABLED",
		"rx: LACP_DISABLED (LACP_Enabled) -> PORT_DISABLED",
		"rx: EXPIRED (LACPDU Received) -> CURRENT",
		"rx: EXPIRED (current_while_timer expired) -> DEFAULTED",
		"rx: DEFAULTED (LACPDU Received) -> CURRENT",
		"rx: CURRENT (LACPDU Received) -> CURRENT",
		"rx: CURRENT (current_while_timer expired) -> EXPIRED",
		"rx: CURRENT (!port_enabled && !port_moved) -> PORT_DISABLED",
		/* Periodic Transmission, Figure 6-19 */
		"ptx: NO_PERIODIC (UCT) -> FAST_PERIODIC",
		"ptx: FAST_PERIODIC (periodic_timer expired) -> PERIODIC_TX",
		"ptx: FAST_PERIODIC (Partner.LACP_Timeout == Long) -> SLOW_PERIODIC",
		"ptx: SLOW_PERIODIC (periodic_timer expired) -> PERIODIC_TX",
		"ptx: SLOW_PERIODIC (Partner.LACP_Timeout == Short) -> PERIODIC_TX",
		"ptx: PERIODIC_TX (Partner.LACP_Timeout == Short) -> FAST_PERIODIC",
		"ptx: PERIODIC_TX (Partner.LACP_Timeout == Long) -> SLOW_PERIODIC",
		"ptx: FAST_PERIODIC (!LACP_Enabled || !port_enabled || both Passive) -> "
		"NO_PERIODIC",
		/* Mux, Figure 6-22 */
		"mux: DETACHED (Selected) -> WAITING",
		"mux: DETACHED (Standby) -> WAITING",
		"mux: WAITING (Unselected) -> DETACHED",
		"mux: WAITING (Selected && Ready) -> ATTACHED",
		"mux: ATTACHED (Unselected) -> DETACHED",
		"mux: ATTACHED (Standby) -> DETACHED",
		"mux: ATTACHED (Partner.Sync) -> COLLECTING",
		"mux: COLLECTING (Unselected) -> ATTACHED",
		"mux: COLLECTING (Standby) -> ATTACHED",
		"mux: COLLECTING (!Partner.Sync) -> ATTACHED",
		"mux: COLLECTING (Partner.Collecting) -> DISTRIBUTING",
		"mux: DISTRIBUTING (Unselected) -> COLLECTING",
		"mux: DISTRIBUTING (Standby) -> COLLECTING",
		"mux: DISTRIBUTING (!Partner.Sync) -> COLLECTING",
		"mux: DISTRIBUTING (!Partner.Collecting) -> COLLECTING",
		/* Churn, Figures 6-23 and 6-24 */
		"actor-churn: ACTOR_CHURN_MONITOR (Actor.Sync) -> NO_ACTOR_CHURN",
		"actor-churn: ACTOR_CHURN_MONITOR (actor_churn_timer expired) -> ACTOR_CHURN",
		"actor-churn: NO_ACTOR_CHURN (!Actor.Sync) -> ACTOR_CHURN_MONITOR",
		"actor-churn: ACTOR_CHURN (Actor.Sync) -> NO_ACTOR_CHURN",
		"actor-churn: NO_ACTOR_CHURN (BEGIN || !port_enabled) -> ACTOR_CHURN_MONITOR",
		"partner-churn: PARTNER_CHURN_MONITOR (Partner.Sync) -> NO_PARTNER_CHURN",
		"partner-churn: PARTNER_CHURN_MONITOR (partner_churn_timer expired) -> "
		"PARTNER_CHURN",
		"partner-churn: NO_PARTNER_CHURN (!Partner.Sync) -> PARTNER_CHURN_MONITOR",
		"partner-churn: PARTNER_CHURN (Partner.Sync) -> NO_PARTNER_CHURN",
	};
	unsigned i, missing = 0;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (!was_seen(want[i])) {
			print_error("never seen: %s\n", want[i]);
			missing++;
		}
	}
	assert_int_equal(missing, 0);
}

static void test_name_tables(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < LACP_REASON__COUNT; i++)
		assert_non_null(lacp_reason_name[i]);
	assert_string_equal(lacp_selected_name[LACP_STANDBY], "standby");
	assert_string_equal(lacp_mux_state_name[LACP_MUX_DISTRIBUTING], "collecting_distributing");
	assert_string_equal(lacp_rx_state_name[LACP_RX_PORT_DISABLED], "port_disabled");
	assert_string_equal(lacp_reason_name[LACP_REASON_PORT_DOWN], "port-down");
	assert_string_equal(lacp_reason_name[LACP_REASON_NO_PARTNER], "no-partner");
	assert_string_equal(lacp_ptx_state_name[LACP_PTX_NO_PERIODIC], "no_periodic");
	assert_string_equal(lacp_actor_churn_state_name[LACP_CHURN_CHURN], "actor_churn");
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_active_active_forms),
		T(test_active_passive_forms),
		T(test_passive_passive_never),
		T(test_periodic_rates),
		T(test_partner_silent_expires_then_defaults),
		T(test_expired_recovers),
		T(test_port_disabled_detaches_at_once),
		T(test_third_system_other_partner_and_churn),
		T(test_key_mismatch),
		T(test_max_active_standby),
		T(test_max_active_partner_decides),
		T(test_tx_limit),
		T(test_marker_responder),
		T(test_rx_garbage),
		T(test_port_add_del),
		T(test_crafted_partner),
		T(test_port_moved_and_lacp_disabled),
		T(test_rate_change),
		T(test_individual_partner),
		T(test_partner_replaced_one_link_silent),
		T(test_rekey_silent_ports_do_not_outvote),
		T(test_rekey_into_standby_keeps_working_link),
		T(test_max_active_make_before_break),
		T(test_illegal_partner_system),
		T(test_v2_partner_forms),
		T(test_backlog_keeps_partner),
		T(test_max_active_equal_min_links),
		T(test_min_links_signalled),
		T(test_ntt_until_sent),
		T(test_key_follows_speed),
		T(test_aggregate_wait),
		T(test_fallback_active_backup),
		T(test_name_tables),
		/* last: checks what the tests above drove the machines through */
		T(test_all_transitions_seen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
