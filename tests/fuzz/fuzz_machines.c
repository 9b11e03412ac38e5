// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the 802.1AX machines (user/lacp/), public API only (lacp.h): the
 * input is a little program run against one lacp_sys. Byte 0 configures the system; then
 * each op is one byte (op % OP__COUNT) and its arguments, read big-endian, 0 once the input
 * is exhausted:
 *
 *   ADD      pn flags       lacp_port_add: port number pn (0 must be refused), flags:
 *                           1 active, 2 fast, 4 carrier up at once, 8 key 11 (the LAG's is
 *                           10), 16 port priority 1 (else 32768)
 *   DEL      slot           lacp_port_del
 *   CARRIER  slot up        lacp_port_set_enabled(up & 1)
 *   FAST     slot on        lacp_port_set_fast(on & 1)
 *   ACTIVE   slot on        lacp_port_set_active(on & 1)
 *   DUPLEX   slot on        lacp_port_set_lacp_enabled(on & 1)
 *   LACPDU   slot sel state pmode [...]
 *                           a well-formed LACPDU from a partner, built with
 *                           lacpdu_encode_lacp: sel & 3 its system (partner_sys[]), sel >> 2
 *                           & 3 its key (partner_key[]), sel >> 4 & 3 its port priority,
 *                           sel & 64: its port number follows (u16), else it is ours; state
 *                           its Actor_State; pmode & 3 what it says about us: 0 our current
 *                           Actor_Oper values (lacp_port_get), 1 the last LACPDU we sent,
 *                           2 15 raw octets follow, 3 nothing (zeros); pmode & 4 with 0/1:
 *                           one more octet replaces the Partner_State
 *   RAW      slot len [...] len & 128: a well-formed LACPDU (as LACPDU slot 0 0x3f 0) with
 *                           len & 7 octets XORed (pos, value pairs follow) and, if len & 64,
 *                           cut to (next octet % 125) octets; else the next len & 127 octets
 *   MARKER   slot kind port(2)
 *                           a Marker PDU (kind & 1: a Marker Response PDU), transaction ids
 *                           numbered from 1 in each input
 *   TICK     n              (n & 63) + 1 ticks, times 16 if n & 64; after each tick every
 *                           port is drained unless n & 128
 *   DRAIN    slot cap       lacp_port_tx until 0; cap & 1: a buffer of (next octet % 124)
 *                           octets, which must get nothing; cap & 2: the first frame is
 *                           not sent (lacp_port_tx_failed), and the port waits for a tick
 *   MAXACT   n              lacp_sys_set_max_active(n % 5)
 *   MINLINKS n              lacp_sys_set_min_links(n % 4)
 *   AGGWAIT  n              lacp_sys_set_aggregate_wait(n * 20 ms)
 *   FALLBACK n              lacp_sys_set_fallback(n & 1, ticks (n >> 1) % 64)
 *   KEY      slot k         lacp_port_set_key(k % 4: 10 11 12 0)
 *
 * Byte 0: max_active (& 3), system priority (>> 2 & 3: sys_prio[]), min_links 2 (& 64),
 * fallback after 3 s (& 128).
 * slot < 0xf0 picks the (slot % n)th port in use (any index if none); 0xf0.. picks from
 * odd_idx[] (out of range, or perhaps unused). After every op, and after every tick, the
 * invariants of check() must hold (802.1AX-2014 6.4.14 - 6.4.16 and lacp.h's contract);
 * a violation aborts, and libFuzzer keeps the program as a crash artifact.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lacp/lacp.h"

enum op {
	OP_ADD,
	OP_DEL,
	OP_CARRIER,
	OP_FAST,
	OP_ACTIVE,
	OP_DUPLEX,
	OP_LACPDU,
	OP_RAW,
	OP_MARKER,
	OP_TICK,
	OP_DRAIN,
	OP_MAXACT,
	OP_MINLINKS,
	OP_AGGWAIT,
	OP_FALLBACK,
	OP_KEY,
	OP__COUNT
};

#define MAX_TICKS   3000 /* per input (300 s): past every timer, and fast */
#define MAX_MARKERS 64	 /* Marker PDUs remembered per port for the response check */
#define LAG_KEY	    10
#define OTHER_KEY   11

static unsigned cur_op; /* for the message of a failed check */

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_machines: %s:%d: op %u: check failed: %s\n",         \
				__FILE__, __LINE__, cur_op, #cond);                                \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static const __u8 slow_dst[6] = LACP_SLOW_DST_MAC;
static const __u8 our_sys[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const __u16 sys_prio[4] = { 32768, 1, 65535, 100 };
static const __u16 partner_key[4] = { 1, 2, LAG_KEY, 0x8000 };
static const __u16 partner_pprio[4] = { 32768, 1, 65535, 0 };
static const __u16 port_key[4] = { LAG_KEY, OTHER_KEY, 12, 0 };
/* clang-format off */ /* one line */
static const int odd_idx[16] = { -1, LACP_MAX_PORTS, LACP_MAX_PORTS + 1, -LACP_MAX_PORTS,
				 INT_MIN, INT_MAX, 0, 1, 2, 3, 4, 5, 6, 7, 8, LACP_MAX_PORTS - 1 };
/* clang-format on */

/* what the harness knows of a port from the calls it made and the frames it saw */
struct track {
	int used;
	__u16 pn;
	__u8 mac[6];
	__u16 key;
	int active, fast, enabled, lacp_enabled;
	int coll, dist; /* as of the last check */
	/* Transmit machine limit: ticks of the last LACP_TX_LIMIT LACPDUs, oldest first */
	unsigned long tx_at[LACP_TX_LIMIT];
	unsigned tx_n;
	int sent_any;
	struct lacp_info last_actor; /* Actor of the last LACPDU it sent */
	/* Marker PDUs fed (in order, with their tick) and how far responses got */
	struct lacp_marker_info mk[MAX_MARKERS];
	unsigned long mk_at[MAX_MARKERS];
	unsigned mk_n, mk_next;
	int mk_overflow;
	unsigned long resp_at[LACP_MARKER_LIMIT]; /* rx ticks of the last answered */
	unsigned resp_n;
	/* periodic transmission: drained ticks without a LACPDU while one is due (6.4.13),
	 * and of them while the partner asks for the short timeout */
	unsigned quiet, quiet_fast;
	int sent_this_tick;
	/* the last LACPDU received: recordPDU's result, and when current_while runs out */
	int rx_any, rx_fast;
	unsigned long rx_at;
	struct lacp_info partner_want;
	/* Mux WAITING since (NOT_WAITING if not waiting), for at least wait_need ticks */
	unsigned long wait_since, wait_need;
	int was_attached;
	int tx_blocked; /* lacp_port_tx_failed: no sending until the next tick (lacp.h) */
	/* expected counters */
	__u64 lacpdu_rx, lacpdu_tx, marker_rx, marker_resp_rx, marker_resp_tx, unknown_rx,
		illegal_rx;
};

static struct lacp_sys S; /* large: off the stack */
static struct track T[LACP_MAX_PORTS];
static unsigned long now; /* ticks, counted by the harness */
#define NOT_WAITING ((unsigned long)-1)
static unsigned long ticks_left;
static unsigned max_active, min_links, agg_wait;
static int fb_on;
static unsigned fb_ticks;
static unsigned long last_heard; /* tick of the last LACPDU on any port */
static unsigned last_gen;
static __u16 our_prio;
static __u32 marker_seq; /* Marker PDUs from op MARKER are unique: exact matching */

/* ---- input ---- */

struct rd {
	const __u8 *d;
	size_t n, i;
};

static __u8 u8(struct rd *r)
{
	return r->i < r->n ? r->d[r->i++] : 0;
}

static __u16 u16(struct rd *r)
{
	__u16 hi = u8(r);

	return (__u16)(hi << 8 | u8(r));
}

static int nused(void)
{
	int i, n = 0;

	for (i = 0; i < LACP_MAX_PORTS; i++)
		n += T[i].used;
	return n;
}

static int slot(struct rd *r)
{
	__u8 b = u8(r);
	int i, k, n = nused();

	if (b >= 0xf0)
		return odd_idx[b - 0xf0];
	if (!n)
		return b % LACP_MAX_PORTS;
	k = b % n;
	for (i = 0; i < LACP_MAX_PORTS; i++)
		if (T[i].used && k-- == 0)
			return i;
	return -1;
}

static struct track *tr(int idx)
{
	return idx >= 0 && idx < LACP_MAX_PORTS && T[idx].used ? &T[idx] : NULL;
}

/* ---- invariants ---- */

static void log_cb(void *ctx, const char *port, const char *machine, const char *from,
		   const char *event, const char *to)
{
	(void)ctx;
	CHECK(port && machine && from && event && to);
	CHECK(strlen(machine) && strlen(from) && strlen(event) && strlen(to));
	CHECK(strlen(port) < 16);
}

static void info_eq(const struct lacp_info *a, const struct lacp_info *b)
{
	CHECK(a->system_priority == b->system_priority);
	CHECK(memcmp(a->system, b->system, 6) == 0);
	CHECK(a->key == b->key);
	CHECK(a->port_priority == b->port_priority);
	CHECK(a->port == b->port);
	CHECK(a->state == b->state);
}

static int same_partner(const struct lacp_info *a, const struct lacp_info *b)
{
	return a->system_priority == b->system_priority && memcmp(a->system, b->system, 6) == 0 &&
	       a->key == b->key;
}

/* after every op (full) and every tick (the ports in use only: the cost of a tick) */
static void check(int full)
{
	const struct lacp_port *lag_port = NULL; /* the first SELECTED port */
	unsigned gen = lacp_sys_generation(&S), ndist = 0, nsel = 0, nsel_cur = 0, nmux_dist = 0;
	unsigned nindividual = 0;
	int i, moved = 0, fb = lacp_sys_fallback_port(&S), any_enabled = 0, lag_key_enabled = 0;
	int due;

	CHECK(fb == -1 || tr(fb));

	for (i = 0; full && i < (int)(sizeof(odd_idx) / sizeof(odd_idx[0])); i++) {
		if (tr(odd_idx[i]))
			continue;
		CHECK(!lacp_port_get(&S, odd_idx[i]));
		CHECK(!lacp_port_collecting(&S, odd_idx[i]));
		CHECK(!lacp_port_distributing(&S, odd_idx[i]));
	}

	for (i = 0; i < LACP_MAX_PORTS; i++) {
		const struct lacp_port *p;
		struct track *t = &T[i];
		int coll, dist;
		__u8 st;

		if (!full && !t->used)
			continue;
		p = lacp_port_get(&S, i);
		coll = lacp_port_collecting(&S, i);
		dist = lacp_port_distributing(&S, i);
		CHECK(!p == !t->used);
		moved |= coll != t->coll || dist != t->dist;
		t->coll = coll;
		t->dist = dist;
		if (!p) {
			CHECK(!coll && !dist);
			continue;
		}
		st = p->actor.state;
		/* the data path: the Mux's Enable_Collecting/Distributing, or the fallback port */
		CHECK(coll == (p->collecting || i == fb));
		CHECK(dist == (p->distributing || i == fb));
		any_enabled |= t->enabled;
		lag_key_enabled |= t->enabled && p->actor.key == S.cfg.key;

		/* the view: in range, consistent with the calls made */
		CHECK((unsigned)p->selected < LACP_SELECTED__COUNT);
		CHECK((unsigned)p->reason < LACP_REASON__COUNT);
		CHECK((unsigned)p->rx_state < LACP_RX__COUNT);
		CHECK((unsigned)p->ptx_state < LACP_PTX__COUNT);
		CHECK((unsigned)p->mux_state < LACP_MUX__COUNT);
		CHECK((unsigned)p->actor_churn_state < LACP_CHURN__COUNT);
		CHECK((unsigned)p->partner_churn_state < LACP_CHURN__COUNT);
		CHECK(p->actor.port == t->pn);
		CHECK(p->actor.key == t->key);
		CHECK(p->actor.system_priority == our_prio);
		CHECK(memcmp(p->actor.system, our_sys, 6) == 0);
		CHECK(memcmp(p->mac, t->mac, 6) == 0);
		CHECK(!!(st & LACP_STATE_ACTIVITY) == t->active);
		CHECK(!!(st & LACP_STATE_TIMEOUT) == t->fast);
		CHECK(st & LACP_STATE_AGGREGATION);

		/* Selected and its reason (show -j) agree */
		CHECK((p->selected == LACP_SELECTED) == (p->reason == LACP_REASON_NONE));
		CHECK(p->selected != LACP_STANDBY || p->reason == LACP_REASON_MAX_ACTIVE ||
		      p->reason == LACP_REASON_MIN_LINKS);

		/* Mux, independent control (6.4.15): its data path view follows the state */
		coll = p->collecting;
		dist = p->distributing;
		CHECK(!dist || coll);
		CHECK(coll == (p->mux_state == LACP_MUX_COLLECTING ||
			       p->mux_state == LACP_MUX_DISTRIBUTING));
		CHECK(dist == (p->mux_state == LACP_MUX_DISTRIBUTING));
		CHECK(p->attached == (p->mux_state >= LACP_MUX_ATTACHED));
		/* and what we tell the partner (Actor.Sync/Collecting/Distributing) too */
		CHECK(!!(st & LACP_STATE_SYNC) == p->attached);
		CHECK(!!(st & LACP_STATE_COLLECTING) == coll);
		CHECK(!!(st & LACP_STATE_DISTRIBUTING) == dist);
		/* attached only while SELECTED; collecting only with a partner in sync */
		CHECK(!p->attached || p->selected == LACP_SELECTED);
		CHECK(!coll || (p->partner.state & LACP_STATE_SYNC));
		CHECK(!coll || p->rx_state == LACP_RX_CURRENT);
		CHECK(!dist || (p->partner.state & LACP_STATE_COLLECTING));
		nmux_dist += dist;
		/* lacp.h: carrier (or duplex) down detaches at once */
		CHECK(!p->attached || (t->enabled && t->lacp_enabled));

		/* recordPDU (6.4.9): while CURRENT, the partner is what the last LACPDU said */
		if (p->rx_state == LACP_RX_CURRENT) {
			CHECK(t->rx_any);
			info_eq(&p->partner, &t->partner_want);
		}
		/* current_while (6.4.12): no collecting on partner information timed out */
		if (coll)
			CHECK(now - t->rx_at <=
			      (t->rx_fast ? LACP_SHORT_TIMEOUT_TICKS : LACP_LONG_TIMEOUT_TICKS));
		/* Mux (6.4.15): attached only after Aggregate_Wait_Time in WAITING (seen
		 * waiting, unless it is 0: then waiting may start and end within one op) */
		if (p->mux_state == LACP_MUX_WAITING) {
			if (t->wait_since == NOT_WAITING) {
				t->wait_since = now;
				t->wait_need = agg_wait;
			}
		} else {
			if (p->attached && !t->was_attached) {
				if (t->wait_since != NOT_WAITING)
					CHECK(now - t->wait_since >= t->wait_need);
				else
					CHECK(agg_wait == 0);
			}
			t->wait_since = NOT_WAITING;
		}
		t->was_attached = p->attached;
		/* Periodic Transmission (6.4.13): a LACPDU at least every periodic time; a
		 * partner that turns slow restarts the timer at the slow time up to a fast
		 * time after the last one (FAST_PERIODIC -> SLOW_PERIODIC) */
		if (!t->enabled || !t->lacp_enabled ||
		    !((st | p->partner.state) & LACP_STATE_ACTIVITY))
			t->quiet = t->quiet_fast = 0;
		if (!(p->partner.state & LACP_STATE_TIMEOUT))
			t->quiet_fast = 0;
		CHECK(t->quiet <= LACP_SLOW_PERIODIC_TICKS + LACP_FAST_PERIODIC_TICKS);
		CHECK(t->quiet_fast <= LACP_FAST_PERIODIC_TICKS);

		/* Selection (6.4.14 and lacp_select.c's rules) */
		if (p->selected == LACP_SELECTED) {
			nsel++;
			nsel_cur += p->rx_state == LACP_RX_CURRENT;
			nindividual += !(p->partner.state & LACP_STATE_AGGREGATION);
			CHECK(t->enabled && t->lacp_enabled);
			CHECK(!(st & LACP_STATE_DEFAULTED));
			CHECK(!(p->partner.system_priority == our_prio &&
				memcmp(p->partner.system, our_sys, 6) == 0));
			/* one aggregator: one key of ours, one partner system and key */
			if (!lag_port)
				lag_port = p;
			CHECK(p->actor.key == lag_port->actor.key);
			CHECK(same_partner(&lag_port->partner, &p->partner));
		}
		ndist += lacp_port_distributing(&S, i);

		/* counters (struct lacp_counters, shown by show -j) */
		CHECK(p->cnt.lacpdu_rx == t->lacpdu_rx);
		CHECK(p->cnt.lacpdu_tx == t->lacpdu_tx);
		CHECK(p->cnt.marker_rx == t->marker_rx);
		CHECK(p->cnt.marker_resp_rx == t->marker_resp_rx);
		CHECK(p->cnt.marker_resp_tx == t->marker_resp_tx);
		CHECK(p->cnt.unknown_rx == t->unknown_rx);
		CHECK(p->cnt.illegal_rx == t->illegal_rx);
		CHECK(p->cnt.marker_dropped <= p->cnt.marker_rx);
		CHECK(p->cnt.marker_resp_tx + p->cnt.marker_dropped <= p->cnt.marker_rx);
		CHECK(p->cnt.marker_rx - p->cnt.marker_dropped - p->cnt.marker_resp_tx <=
		      LACP_MARKER_QUEUE);
	}
	/* lacp.h: the LAG's key follows its ports: some enabled port has it, if any is */
	if (full)
		CHECK(lag_key_enabled || !any_enabled);
	/* an Individual partner port aggregates alone (6.4.14.1) */
	CHECK(!nindividual || nsel == 1);
	/* max_active: make-before-break may keep one distributing port per wanted one that
	 * does not distribute yet, but never more than max_active distribute */
	if (max_active) {
		CHECK(nmux_dist <= max_active);
		CHECK(nsel <= 2 * max_active);
	}
	/* min_links: fewer selectable current ports and none is selected */
	if (min_links >= 2)
		CHECK(nsel == 0 || nsel_cur >= min_links);
	/* fallback: one enabled port carries the LAG once no LACPDU was heard for fb_ticks
	 * and LACP distributes on none; never otherwise */
	due = fb_on && now - last_heard >= fb_ticks && !nmux_dist;
	if (fb >= 0)
		CHECK(due && T[fb].enabled);
	else if (full)
		CHECK(!due || !any_enabled);
	if (full)
		CHECK(lacp_sys_distributing(&S) == ndist);
	/* lacp.h: the generation moves whenever collecting/distributing changes */
	if (moved)
		CHECK(gen != last_gen);
	last_gen = gen;
}

/* ---- frames out ---- */

static void sent_lacpdu(int idx, struct track *t, const struct lacpdu_msg *m)
{
	const struct lacp_port *p = lacp_port_get(&S, idx);

	/* 6.4.16: no more than LACP_TX_LIMIT in any Fast_Periodic_Time */
	if (t->tx_n == LACP_TX_LIMIT) {
		CHECK(now - t->tx_at[0] >= LACP_FAST_PERIODIC_TICKS);
		memmove(t->tx_at, t->tx_at + 1, sizeof(t->tx_at) - sizeof(t->tx_at[0]));
		t->tx_n--;
	}
	t->tx_at[t->tx_n++] = now;
	t->lacpdu_tx++;
	/* it carries the current Actor_Oper and Partner_Oper values (nothing ran since) */
	info_eq(&m->lacp.actor, &p->actor);
	info_eq(&m->lacp.partner, &p->partner);
	/* and is not sent when NO_PERIODIC (6.4.13: disabled, or both passive) */
	CHECK(t->lacp_enabled);
	CHECK((m->lacp.actor.state | m->lacp.partner.state) & LACP_STATE_ACTIVITY);
	t->last_actor = m->lacp.actor;
	t->sent_any = 1;
	t->sent_this_tick = 1;
	t->quiet = t->quiet_fast = 0;
}

/* 6.5.4.2: a response copies a Marker PDU received on the port; in order, each once */
static void sent_marker_resp(struct track *t, const struct lacpdu_msg *m)
{
	unsigned k;

	t->marker_resp_tx++;
	if (t->mk_overflow)
		return;
	for (k = t->mk_next; k < t->mk_n; k++)
		if (!memcmp(&t->mk[k], &m->marker, sizeof(m->marker)))
			break;
	CHECK(k < t->mk_n);
	t->mk_next = k + 1;
	/* ours (lacp.h): at most LACP_MARKER_LIMIT answered per second of arrival */
	if (t->resp_n == LACP_MARKER_LIMIT) {
		CHECK(t->mk_at[k] - t->resp_at[0] >= LACP_FAST_PERIODIC_TICKS);
		memmove(t->resp_at, t->resp_at + 1, sizeof(t->resp_at) - sizeof(t->resp_at[0]));
		t->resp_n--;
	}
	t->resp_at[t->resp_n++] = t->mk_at[k];
}

static void drain(int idx, size_t cap, int fail)
{
	static __u8 big[256];
	static struct track before;
	struct track *t = tr(idx);
	/* exactly cap octets: ASan sees an overrun */
	__u8 *buf = cap == sizeof(big) ? big : malloc(cap ? cap : 1);
	int nframes = 0;
	size_t n;

	CHECK(buf);
	if (t && t->tx_blocked)
		n = 0;
	else
		n = lacp_port_tx(&S, idx, buf, cap);
	for (; n > 0; n = fail ? 0 : lacp_port_tx(&S, idx, buf, cap)) {
		struct lacpdu_msg m;
		int rc;

		CHECK(t && t->enabled);
		if (fail)
			before = *t;
		CHECK(n <= cap);
		CHECK(n == LACP_FRAME_LEN);
		CHECK(++nframes <= LACP_MARKER_QUEUE + 1);
		rc = lacpdu_decode(buf, n, &m);
		CHECK(rc == LACPDU_KIND_LACPDU || rc == LACPDU_KIND_MARKER_RESPONSE);
		CHECK(memcmp(m.dst, slow_dst, 6) == 0);
		CHECK(memcmp(m.src, t->mac, 6) == 0);
		if (rc == LACPDU_KIND_LACPDU)
			sent_lacpdu(idx, t, &m);
		else
			sent_marker_resp(t, &m);
		if (fail) {
			/* lacp.h: as if it had not been returned; sent again after a tick */
			lacp_port_tx_failed(&S, idx);
			*t = before;
			t->tx_blocked = 1;
		}
	}
	/* nothing was returned, or another port's frame: a no-op */
	if (fail && !nframes)
		lacp_port_tx_failed(&S, idx);
	CHECK(cap >= LACP_FRAME_LEN || nframes == 0);
	if (buf != big)
		free(buf);
}

static void drain_all(void)
{
	int i;

	for (i = 0; i < LACP_MAX_PORTS; i++)
		if (T[i].used)
			drain(i, 256, 0);
}

/* ---- frames in ---- */

/*
 * recordPDU (6.4.9): Partner_Oper := the PDU's Actor; its Synchronization TRUE iff LACP
 * actively maintains the link, the PDU's Actor is in sync, and its Partner is our
 * Actor_Oper (Aggregation included) or its Actor is Individual.
 */
static void want_partner(struct track *t, const struct lacp_info *actor_before,
			 const struct lacpdu_msg *m)
{
	const struct lacp_info *a = &m->lacp.actor, *pp = &m->lacp.partner, *us = actor_before;
	int active = (a->state & LACP_STATE_ACTIVITY) ||
		     ((us->state & LACP_STATE_ACTIVITY) && (pp->state & LACP_STATE_ACTIVITY));
	int match = pp->port == us->port && pp->port_priority == us->port_priority &&
		    pp->system_priority == us->system_priority &&
		    !memcmp(pp->system, us->system, 6) && pp->key == us->key &&
		    (pp->state & LACP_STATE_AGGREGATION) == (us->state & LACP_STATE_AGGREGATION);
	int sync = active && (a->state & LACP_STATE_SYNC) &&
		   (match || !(a->state & LACP_STATE_AGGREGATION));

	t->partner_want = *a;
	t->partner_want.state =
		(__u8)((a->state & ~LACP_STATE_SYNC) | (sync ? LACP_STATE_SYNC : 0));
}

static void rx(int idx, const __u8 *f, size_t n)
{
	struct track *t = tr(idx);
	const struct lacp_port *p = lacp_port_get(&S, idx);
	struct lacp_info actor_before;
	struct lacpdu_msg m;
	int want = lacpdu_decode(f, n, &m), rc;
	unsigned k;

	if (p)
		actor_before = p->actor;
	rc = lacp_port_rx(&S, idx, f, n);

	if (!t) {
		CHECK(rc < 0);
		return;
	}
	/* lacp.h: the codec's verdict */
	CHECK(rc == want);
	switch (rc) {
	case LACPDU_KIND_LACPDU:
		t->lacpdu_rx++;
		last_heard = now;
		if (p->rx_state == LACP_RX_CURRENT) {
			want_partner(t, &actor_before, &m);
			t->rx_any = 1;
			t->rx_at = now;
			t->rx_fast = t->fast;
		}
		break;
	case LACPDU_KIND_MARKER:
		t->marker_rx++;
		/* a copy of one still unanswered (RAW) makes the match ambiguous: stop there */
		for (k = t->mk_next; k < t->mk_n; k++)
			if (!memcmp(&t->mk[k], &m.marker, sizeof(m.marker)))
				t->mk_overflow = 1;
		if (t->mk_n < MAX_MARKERS) {
			t->mk[t->mk_n] = m.marker;
			t->mk_at[t->mk_n++] = now;
		} else {
			t->mk_overflow = 1;
		}
		break;
	case LACPDU_KIND_MARKER_RESPONSE:
		t->marker_resp_rx++;
		break;
	case -LACPDU_E_UNKNOWN:
		t->unknown_rx++;
		break;
	default:
		t->illegal_rx++;
		break;
	}
}

static void partner_sys(__u8 sel, struct lacp_info *a)
{
	static const __u8 sys[4][6] = {
		{ 0x02, 0x00, 0x00, 0x76, 0x00, 0x01 },
		{ 0xf6, 0x25, 0x67, 0x5b, 0x79, 0x4f },
		{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 }, /* ours: a loop */
		{ 0x02, 0x00, 0x00, 0x76, 0x00, 0x01 },
	};
	static const __u16 prio[4] = { 100, 65534, 0, 200 };

	memcpy(a->system, sys[sel & 3], 6);
	/* the loop copies our priority; the last one differs from the first by it alone */
	a->system_priority = (sel & 3) == 2 ? our_prio : prio[sel & 3];
}

static size_t build_lacpdu(struct rd *r, int idx, __u8 *f, size_t cap)
{
	const struct lacp_port *p = lacp_port_get(&S, idx);
	struct track *t = tr(idx);
	__u8 sel = u8(r), state = u8(r), pmode = u8(r);
	static const __u8 peer_mac[6] = { 0x02, 0x00, 0x00, 0x76, 0xaa, 0x01 };
	struct lacp_info a, pa;
	int k;

	memset(&a, 0, sizeof(a));
	memset(&pa, 0, sizeof(pa));
	partner_sys(sel, &a);
	a.key = partner_key[(sel >> 2) & 3];
	a.port_priority = partner_pprio[(sel >> 4) & 3];
	a.port = (sel & 64) ? u16(r) : (t ? t->pn : 1);
	a.state = state;

	switch (pmode & 3) {
	case 0:
		if (p)
			pa = p->actor;
		break;
	case 1:
		if (t && t->sent_any)
			pa = t->last_actor;
		else if (p)
			pa = p->actor;
		break;
	case 2:
		pa.system_priority = u16(r);
		for (k = 0; k < 6; k++)
			pa.system[k] = u8(r);
		pa.key = u16(r);
		pa.port_priority = u16(r);
		pa.port = u16(r);
		pa.state = u8(r);
		break;
	default:
		break;
	}
	if ((pmode & 3) < 2 && (pmode & 4))
		pa.state = u8(r);
	return lacpdu_encode_lacp(f, cap, peer_mac, &a, &pa, 0);
}

static void op_raw(struct rd *r, int idx)
{
	__u8 len = u8(r), f[LACP_FRAME_LEN], *buf;
	size_t n, k;

	if (len & 128) {
		static const __u8 good[] = { 0, 0x3f, 0 }; /* sel, state, pmode */
		struct rd g = { good, sizeof(good), 0 };

		n = build_lacpdu(&g, idx, f, sizeof(f));
		CHECK(n == LACP_FRAME_LEN);
		for (k = 0; k < (len & 7u); k++) {
			__u8 pos = u8(r);

			f[pos % LACP_FRAME_LEN] ^= u8(r);
		}
		if (len & 64)
			n = u8(r) % (LACP_FRAME_LEN + 1);
		buf = malloc(n ? n : 1); /* exactly n: ASan sees an overread */
		CHECK(buf);
		memcpy(buf, f, n);
	} else {
		n = len & 127u;
		buf = malloc(n ? n : 1);
		CHECK(buf);
		for (k = 0; k < n; k++)
			buf[k] = u8(r);
	}
	rx(idx, buf, n);
	free(buf);
}

static void op_marker(struct rd *r, int idx)
{
	static const __u8 src[6] = { 0x02, 0x00, 0x00, 0x76, 0xaa, 0x01 };
	struct lacp_marker_info mi;
	__u8 kind = u8(r), f[LACP_FRAME_LEN];

	memset(&mi, 0, sizeof(mi));
	mi.transaction_id = ++marker_seq;
	mi.requester_port = u16(r);
	memcpy(mi.requester_system, src, 6);
	CHECK(lacpdu_encode_marker(f, sizeof(f), src,
				   (kind & 1) ? LACPDU_KIND_MARKER_RESPONSE : LACPDU_KIND_MARKER,
				   &mi) == LACP_FRAME_LEN);
	rx(idx, f, sizeof(f));
}

/* ---- ops ---- */

static void op_add(struct rd *r)
{
	__u8 pn = u8(r), flags = u8(r);
	struct lacp_port_cfg c;
	int i, dup = 0, idx;

	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "m%u", pn);
	c.mac[0] = 0x02;
	c.mac[4] = 0x01;
	c.mac[5] = pn;
	c.port_number = pn;
	c.port_priority = (flags & 16) ? 1 : 32768;
	c.key = (flags & 8) ? OTHER_KEY : 0;
	c.active = flags & 1;
	c.fast = !!(flags & 2);
	for (i = 0; i < LACP_MAX_PORTS; i++)
		dup |= T[i].used && T[i].pn == pn;

	idx = lacp_port_add(&S, &c);
	/* lacp.h: an index in range, or -EINVAL (port 0), -EEXIST, -ENOSPC */
	if (!pn) {
		CHECK(idx == -EINVAL);
		return;
	}
	if (dup) {
		CHECK(idx == -EEXIST);
		return;
	}
	if (nused() == LACP_MAX_PORTS) {
		CHECK(idx == -ENOSPC);
		return;
	}
	CHECK(idx >= 0 && idx < LACP_MAX_PORTS);
	CHECK(!T[idx].used);
	memset(&T[idx], 0, sizeof(T[idx]));
	T[idx].used = 1;
	T[idx].pn = pn;
	memcpy(T[idx].mac, c.mac, 6);
	/* key 0 is the LAG's, which follows its ports (lacp.h) */
	T[idx].key = c.key ? c.key : lacp_port_get(&S, idx)->actor.key;
	T[idx].active = !!c.active;
	T[idx].fast = c.fast;
	T[idx].lacp_enabled = 1;
	T[idx].wait_since = NOT_WAITING;
	check(1);
	if (flags & 4) {
		lacp_port_set_enabled(&S, idx, 1);
		T[idx].enabled = 1;
	}
}

static void op_set(int op, int idx, int on)
{
	struct track *t = tr(idx);

	switch (op) {
	case OP_CARRIER:
		lacp_port_set_enabled(&S, idx, on);
		if (t)
			t->enabled = on;
		break;
	case OP_FAST:
		lacp_port_set_fast(&S, idx, on);
		if (t)
			t->fast = on;
		break;
	case OP_ACTIVE:
		lacp_port_set_active(&S, idx, on);
		if (t)
			t->active = on;
		break;
	default:
		lacp_port_set_lacp_enabled(&S, idx, on);
		if (t)
			t->lacp_enabled = on;
		break;
	}
}

static void tick(int drain_after)
{
	int i;

	lacp_tick(&S);
	now++;
	for (i = 0; i < LACP_MAX_PORTS; i++)
		T[i].sent_this_tick = T[i].tx_blocked = 0;
	if (drain_after)
		drain_all();
	for (i = 0; i < LACP_MAX_PORTS; i++) {
		struct track *t = &T[i];

		if (!drain_after) {
			t->quiet = t->quiet_fast = 0; /* not sending is the harness's doing */
		} else if (t->used && !t->sent_this_tick) {
			t->quiet++;
			t->quiet_fast++;
		}
	}
	check(0);
}

static void op(struct rd *r)
{
	__u8 code = u8(r) % OP__COUNT, b;
	__u8 f[LACP_FRAME_LEN];
	unsigned n;
	int idx;

	switch (code) {
	case OP_ADD:
		op_add(r);
		break;
	case OP_DEL:
		idx = slot(r);
		lacp_port_del(&S, idx);
		if (tr(idx))
			T[idx].used = 0;
		break;
	case OP_CARRIER:
	case OP_FAST:
	case OP_ACTIVE:
	case OP_DUPLEX:
		idx = slot(r);
		op_set(code, idx, u8(r) & 1);
		break;
	case OP_LACPDU:
		idx = slot(r);
		CHECK(build_lacpdu(r, idx, f, sizeof(f)) == LACP_FRAME_LEN);
		rx(idx, f, sizeof(f));
		break;
	case OP_RAW:
		op_raw(r, slot(r));
		break;
	case OP_MARKER:
		op_marker(r, slot(r));
		break;
	case OP_TICK:
		b = u8(r);
		n = (b & 63u) + 1;
		if (b & 64)
			n *= 16;
		while (n-- && ticks_left) {
			ticks_left--;
			tick(!(b & 128));
		}
		break;
	case OP_DRAIN:
		idx = slot(r);
		b = u8(r);
		drain(idx, (b & 1) ? u8(r) % LACP_FRAME_LEN : 256, b & 2);
		break;
	case OP_MAXACT:
		max_active = u8(r) % 5;
		lacp_sys_set_max_active(&S, max_active);
		break;
	case OP_MINLINKS:
		min_links = u8(r) % 4;
		lacp_sys_set_min_links(&S, min_links);
		break;
	case OP_AGGWAIT:
		n = u8(r) * 20u;
		lacp_sys_set_aggregate_wait(&S, n);
		n = n > LACP_AGGREGATE_WAIT_MAX_MS ? LACP_AGGREGATE_WAIT_MAX_MS : n;
		agg_wait = (n + LACP_TICK_MS - 1) / LACP_TICK_MS;
		/* a port already waiting keeps its timer; one that restarts takes the new one */
		for (idx = 0; idx < LACP_MAX_PORTS; idx++)
			if (T[idx].wait_need > agg_wait)
				T[idx].wait_need = agg_wait;
		break;
	case OP_FALLBACK:
		b = u8(r);
		fb_on = b & 1;
		fb_ticks = (b >> 1) % 64u;
		lacp_sys_set_fallback(&S, fb_on, fb_ticks);
		break;
	default:
		idx = slot(r);
		b = u8(r);
		lacp_port_set_key(&S, idx, port_key[b % 4]);
		if (tr(idx))
			T[idx].key = port_key[b % 4];
		break;
	}
}

/* -DFUZZ_TRACE: each op's effect on stderr, to read a crash artifact or a new seed */
static void trace(const struct rd *r)
{
#ifdef FUZZ_TRACE
	int i;

	fprintf(stderr, "op %u (input offset %zu) tick %lu fallback %d:", cur_op, r->i, now,
		lacp_sys_fallback_port(&S));
	for (i = 0; i < LACP_MAX_PORTS; i++) {
		const struct lacp_port *p = lacp_port_get(&S, i);

		if (p)
			fprintf(stderr, " [%d] %s %s %s %s", i, p->name,
				lacp_rx_state_name[p->rx_state], lacp_selected_name[p->selected],
				lacp_mux_state_name[p->mux_state]);
	}
	fprintf(stderr, "\n");
#else
	(void)r;
#endif
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd r = { data, size, 0 };
	struct lacp_sys_cfg c;
	__u8 h = u8(&r);

	memset(T, 0, sizeof(T));
	memset(&c, 0, sizeof(c));
	our_prio = c.system_priority = sys_prio[(h >> 2) & 3];
	memcpy(c.system_id, our_sys, 6);
	c.key = LAG_KEY;
	max_active = c.max_active = h & 3;
	min_links = c.min_links = (h & 64) ? 2 : 0;
	fb_on = c.fallback = !!(h & 128);
	fb_ticks = c.fallback_ticks = fb_on ? 30 : 0;
	agg_wait = LACP_AGGREGATE_WAIT_TICKS;
	last_heard = 0;
	lacp_sys_init(&S, &c);
	lacp_sys_set_log(&S, log_cb, NULL);
	now = 0;
	marker_seq = 0;
	ticks_left = MAX_TICKS;
	last_gen = lacp_sys_generation(&S);
	cur_op = 0;
	check(1);
	while (r.i < r.n) {
		cur_op++;
		op(&r);
		check(1);
		trace(&r);
	}
	return 0;
}
