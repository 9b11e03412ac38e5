// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the egress hash (bpf/hash.bpf.h, the very header the BPF program
 * includes) and the resilient bucket table (user/bucket.c): jhash2 equivalence, evenness
 * over 10,000 flows on 2/3/4/8 members, that a leaving member moves only its own buckets
 * and flows, the table's invariants, and balancing by measured load (--rebalance): 10,000
 * flows within max/min 1.10 on 2 to 64 members. Pure: no I/O, no root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "hash.bpf.h"
#include "lacp/bucket.h"

#define N_FLOWS 10000
#define SEED_A	0
#define SEED_B	0x5eed1234u

/*
 * Evenness bound on max/min member load. The per-member count is binomial: with
 * 10,000 flows on 8 members, mean 1250, sigma/mean = sqrt((7/8)/1250) = 2.6%, so the
 * extreme members sit within about +-3.5 sigma: 1.093 / 0.907 = 1.20. The 256-bucket
 * table adds its rounding, 256/n in whole buckets: 86/85 = 1.012 on 3 members, exact on
 * 2, 4 and 8. DESIGN.md measured <= 1.09 for jhash alone. 1.25 leaves room for that and
 * still fails a hash that ignores a field or folds badly (those give 1.5 to infinity).
 */
#define MAX_IMBALANCE 1.25

static struct lag_flow flows[N_FLOWS];

/* xorshift32: fixed sequence, so failures reproduce. */
static __u32 rng_state;

static __u32 rng(void)
{
	__u32 x = rng_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

/* l34 keys as lag_parse_ip4 + lag_parse_ports fill them: addresses and ports in network
 * order, protocol in host order. The source port carries the flow number, so all 10,000
 * 5-tuples are distinct; the rest looks like client traffic to a few services.
 */
static void make_flows(void)
{
	static const __u16 services[] = { 80, 443, 53, 22, 8080, 5201, 3306, 6443 };

	rng_state = 0x1234567;
	memset(flows, 0, sizeof(flows));
	for (unsigned i = 0; i < N_FLOWS; i++) {
		struct lag_flow *f = &flows[i];

		f->src[0] = htonl(0x0a000000u | (rng() & 0xffff)); /* 10.0.x.y */
		f->dst[0] = htonl(0xc0a80000u | (rng() & 0xff));   /* 192.168.0.z */
		f->sport = htons((__u16)(1024 + i));
		f->dport = htons(services[rng() % (sizeof(services) / sizeof(*services))]);
		f->proto = (rng() & 1) ? 6 : 17;
	}
}

static int setup(void **state)
{
	(void)state;
	make_flows();
	return 0;
}

static void table_for(__u32 *tbl, const __u32 *members, unsigned n)
{
	memset(tbl, 0, LAG_BUCKETS * sizeof(*tbl));
	lag_buckets_rebalance(tbl, members, n);
}

static __u32 pick(const __u32 *tbl, const struct lag_flow *f, __u32 seed)
{
	return tbl[lag_flow_hash(f, seed) & (LAG_BUCKETS - 1)];
}

/* ---- jhash2 reference: the kernel's loop form, written out independently ---- */

static __u32 rol(__u32 w, unsigned s)
{
	return (w << s) | (w >> (32 - s));
}

/* clang-format off */ /* the reference lookup3, laid out as published */
static __u32 ref_jhash2(const __u32 *k, __u32 len, __u32 initval)
{
	__u32 a, b, c;

	a = b = c = 0xdeadbeef + (len << 2) + initval;
	while (len > 3) {
		a += k[0];
		b += k[1];
		c += k[2];
		a -= c; a ^= rol(c, 4);  c += b;
		b -= a; b ^= rol(a, 6);  a += c;
		c -= b; c ^= rol(b, 8);  b += a;
		a -= c; a ^= rol(c, 16); c += b;
		b -= a; b ^= rol(a, 19); a += c;
		c -= b; c ^= rol(b, 4);  b += a;
		len -= 3;
		k += 3;
	}
	switch (len) {
	case 3: c += k[2]; /* fall through */
	case 2: b += k[1]; /* fall through */
	case 1: a += k[0];
		c ^= b; c -= rol(b, 14);
		a ^= c; a -= rol(c, 11);
		b ^= a; b -= rol(a, 25);
		c ^= b; c -= rol(b, 16);
		a ^= c; a -= rol(c, 4);
		b ^= a; b -= rol(a, 14);
		c ^= b; c -= rol(b, 24);
		break;
	default:
		break;
	}
	return c;
}
/* clang-format on */

/* The unrolled 10-word hash the data path runs is the kernel's jhash2(). */
static void test_hash_is_jhash2(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 1000; i++) {
		__u32 seed = i ? rng() : 0;

		assert_int_equal(lag_flow_hash(&flows[i], seed),
				 ref_jhash2((const __u32 *)&flows[i], LAG_FLOW_WORDS, seed));
	}
}

/* The seed changes the hash (stacked LAGs must not polarize); the key is hashed whole. */
static void test_hash_seed_and_fields(void **state)
{
	struct lag_flow f = flows[0], g;
	__u32 h = lag_flow_hash(&f, SEED_A);
	unsigned differ = 0;

	(void)state;
	assert_int_not_equal(h, lag_flow_hash(&f, SEED_B));
	assert_int_equal(h, lag_flow_hash(&f, SEED_A)); /* deterministic */
	/* Flip one bit in each 32-bit word of the key: every word must matter. */
	for (unsigned w = 0; w < LAG_FLOW_WORDS; w++) {
		g = f;
		((__u32 *)&g)[w] ^= 1u << (w % 32);
		differ += lag_flow_hash(&g, SEED_A) != h;
	}
	assert_int_equal(differ, LAG_FLOW_WORDS);
}

static double load_ratio(unsigned n, __u32 seed, unsigned *maxp, unsigned *minp)
{
	__u32 members[8], tbl[LAG_BUCKETS];
	unsigned load[8] = { 0 }, mx = 0, mn = N_FLOWS;

	for (unsigned m = 0; m < n; m++)
		members[m] = 100 + m;
	table_for(tbl, members, n);
	for (unsigned i = 0; i < N_FLOWS; i++) {
		__u32 ifindex = pick(tbl, &flows[i], seed);

		assert_in_range(ifindex, 100, 100 + n - 1);
		load[ifindex - 100]++;
	}
	for (unsigned m = 0; m < n; m++) {
		mx = load[m] > mx ? load[m] : mx;
		mn = load[m] < mn ? load[m] : mn;
	}
	*maxp = mx;
	*minp = mn;
	assert_true(mn > 0);
	return (double)mx / mn;
}

/* 10,000 distinct l34 flows spread over 2, 3, 4 and 8 members within MAX_IMBALANCE. */
static void test_evenness(void **state)
{
	static const unsigned ns[] = { 2, 3, 4, 8 };
	static const __u32 seeds[] = { SEED_A, SEED_B };

	(void)state;
	for (unsigned s = 0; s < 2; s++) {
		for (unsigned k = 0; k < sizeof(ns) / sizeof(*ns); k++) {
			unsigned mx, mn;
			double r = load_ratio(ns[k], seeds[s], &mx, &mn);

			print_message("hash evenness: seed %#x, %u members, %u flows: max %u min %u"
				      " max/min %.3f (bound %.2f)\n",
				      seeds[s], ns[k], N_FLOWS, mx, mn, r, MAX_IMBALANCE);
			assert_true(r <= MAX_IMBALANCE);
		}
	}
}

/* One of 4 members leaves: only its buckets move, only its flows change member (~25%),
 * where modulo over the member count would move ~75%. When it returns, shares are even
 * again and only buckets going back to it move.
 */
static void test_leave_moves_only_own(void **state)
{
	const __u32 four[4] = { 11, 12, 13, 14 }, three[3] = { 11, 12, 14 }, leaver = 13;
	__u32 before[LAG_BUCKETS], after[LAG_BUCKETS], back[LAG_BUCKETS];
	unsigned moved = 0, on_leaver = 0, mod_moved = 0;

	(void)state;
	table_for(before, four, 4);
	for (unsigned m = 0; m < 4; m++)
		assert_int_equal(lag_buckets_owned(before, four[m]), LAG_BUCKETS / 4);
	memcpy(after, before, sizeof(after));
	lag_buckets_rebalance(after, three, 3);

	for (unsigned b = 0; b < LAG_BUCKETS; b++) {
		assert_int_not_equal(after[b], leaver);
		if (before[b] != leaver)
			assert_int_equal(after[b], before[b]);
	}
	/* 64 orphans over 3 members: 85 or 86 each. */
	for (unsigned m = 0; m < 3; m++)
		assert_in_range(lag_buckets_owned(after, three[m]), 85, 86);

	for (unsigned i = 0; i < N_FLOWS; i++) {
		__u32 h = lag_flow_hash(&flows[i], SEED_A);
		__u32 was = before[h & (LAG_BUCKETS - 1)], now = after[h & (LAG_BUCKETS - 1)];

		on_leaver += was == leaver;
		moved += was != now;
		/* A flow changes member if and only if it was on the leaver. */
		assert_int_equal(was != now, was == leaver);
		mod_moved += four[h % 4] != three[h % 3];
	}
	print_message("leave 1 of 4: table moved %u/%u flows (%.1f%%), modulo would move %u"
		      " (%.1f%%)\n",
		      moved, N_FLOWS, 100.0 * moved / N_FLOWS, mod_moved,
		      100.0 * mod_moved / N_FLOWS);
	assert_int_equal(moved, on_leaver);
	assert_in_range(moved, N_FLOWS * 22 / 100, N_FLOWS * 28 / 100);
	assert_true(mod_moved > moved * 2);

	/* The member returns: even shares, and every bucket that moves goes to it. */
	memcpy(back, after, sizeof(back));
	lag_buckets_rebalance(back, four, 4);
	for (unsigned m = 0; m < 4; m++)
		assert_int_equal(lag_buckets_owned(back, four[m]), LAG_BUCKETS / 4);
	moved = 0;
	for (unsigned b = 0; b < LAG_BUCKETS; b++) {
		if (back[b] != after[b]) {
			assert_int_equal(back[b], leaver);
			moved++;
		}
	}
	assert_int_equal(moved, LAG_BUCKETS / 4);
}

static void check_shares(const __u32 *tbl, const __u32 *members, unsigned n)
{
	unsigned mx = 0, mn = LAG_BUCKETS, total = 0;

	for (unsigned m = 0; m < n; m++) {
		unsigned c = lag_buckets_owned(tbl, members[m]);

		mx = c > mx ? c : mx;
		mn = c < mn ? c : mn;
		total += c;
	}
	assert_int_equal(total, LAG_BUCKETS); /* every bucket belongs to a member of the set */
	assert_true(mx - mn <= 1);
}

/* Invariants over many random prior tables and member sets of every size 1..64:
 * shares differ by at most one, all buckets owned by the set, deterministic and
 * idempotent; a pure leave keeps every bucket of the stayers; a pure join moves buckets
 * only to the joiners; n == 0 empties the table.
 */
static void test_rebalance_invariants(void **state)
{
	__u32 members[LAG_MAX_MEMBERS], tbl[LAG_BUCKETS], t1[LAG_BUCKETS], t2[LAG_BUCKETS];

	(void)state;
	rng_state = 0xabcdef;
	for (unsigned iter = 0; iter < 2000; iter++) {
		unsigned n = 1 + iter % LAG_MAX_MEMBERS, k;

		for (unsigned m = 0; m < n; m++)
			members[m] = 1000 + m * 7 + (iter % 5); /* distinct */
		/* A prior table: junk, some current members, some zeroes. */
		for (unsigned b = 0; b < LAG_BUCKETS; b++) {
			__u32 r = rng();

			tbl[b] = r % 3 == 0 ? 0 : r % 3 == 1 ? members[r % n] : 5000 + r % 97;
		}
		memcpy(t1, tbl, sizeof(t1));
		memcpy(t2, tbl, sizeof(t2));
		lag_buckets_rebalance(t1, members, n);
		lag_buckets_rebalance(t2, members, n);
		assert_memory_equal(t1, t2, sizeof(t1));
		check_shares(t1, members, n);
		memcpy(t2, t1, sizeof(t2));
		lag_buckets_rebalance(t2, members, n);
		assert_memory_equal(t1, t2, sizeof(t1)); /* a balanced table stays put */

		/* Pure leave: drop the first k members (keep at least one). */
		k = n > 1 ? 1 + rng() % (n - 1) : 0;
		memcpy(t2, t1, sizeof(t2));
		lag_buckets_rebalance(t2, members + k, n - k);
		check_shares(t2, members + k, n - k);
		for (unsigned b = 0; b < LAG_BUCKETS; b++) {
			int stayer = 0;

			for (unsigned m = k; m < n; m++)
				stayer |= t1[b] == members[m];
			if (stayer)
				assert_int_equal(t2[b], t1[b]);
		}
		/* Pure join: back to all n; only joiners gain buckets. */
		memcpy(t1, t2, sizeof(t1));
		lag_buckets_rebalance(t2, members, n);
		check_shares(t2, members, n);
		for (unsigned b = 0; b < LAG_BUCKETS; b++) {
			if (t2[b] == t1[b])
				continue;
			for (unsigned m = k; m < n; m++)
				assert_int_not_equal(t2[b], members[m]);
		}
	}
	lag_buckets_rebalance(tbl, members, 0);
	for (unsigned b = 0; b < LAG_BUCKETS; b++)
		assert_int_equal(tbl[b], 0);
}

/* A member that leaves and returns gets (nearly) its own buckets back, so the
 * flows of the others return to where they were before the failure.
 */
static void test_leave_and_return_restores(void **state)
{
	const __u32 all[8] = { 11, 12, 13, 14, 15, 16, 17, 18 };
	unsigned int worst = 0;

	(void)state;
	for (unsigned int n = 2; n <= 8; n++) {
		for (unsigned int x = 0; x < n; x++) {
			__u32 t0[LAG_BUCKETS] = { 0 }, t[LAG_BUCKETS], rest[8];
			unsigned int k = 0, differ = 0;

			lag_buckets_rebalance(t0, all, n);
			for (unsigned int i = 0; i < n; i++)
				if (i != x)
					rest[k++] = all[i];
			memcpy(t, t0, sizeof(t));
			lag_buckets_rebalance(t, rest, k);
			lag_buckets_rebalance(t, all, n);
			for (unsigned int b = 0; b < LAG_BUCKETS; b++)
				differ += t[b] != t0[b];
			if (differ > worst)
				worst = differ;
		}
	}
	print_message("leave and return: at most %u of %u buckets end elsewhere\n", worst,
		      LAG_BUCKETS);
	/* round-robin refill (before rendezvous scores) left ~37% elsewhere */
	assert_true(worst <= LAG_BUCKETS / 10);
}

/* Flows per member of tbl, as max/min. */
static double flows_ratio(const __u32 *tbl, const __u32 *members, unsigned n, __u32 seed)
{
	unsigned cnt[LAG_MAX_MEMBERS] = { 0 }, mx = 0, mn = ~0u;

	for (unsigned i = 0; i < N_FLOWS; i++) {
		__u32 ifi = pick(tbl, &flows[i], seed);

		for (unsigned m = 0; m < n; m++)
			cnt[m] += members[m] == ifi;
	}
	for (unsigned m = 0; m < n; m++) {
		mx = cnt[m] > mx ? cnt[m] : mx;
		mn = cnt[m] < mn ? cnt[m] : mn;
	}
	return mn ? (double)mx / mn : 1e9;
}

/* Equal flows: the hash alone leaves 64 members at max/min ~1.4 (its luck); moved by
 * measured load, the same table is within 1.10, and a second pass finds nothing to do.
 */
static void test_balance_load(void **state)
{
	static const unsigned ns[] = { 2, 8, 16, 32, 64 };
	static const __u32 seeds[] = { SEED_A, SEED_B };
	__u32 members[LAG_MAX_MEMBERS], tbl[LAG_BUCKETS];
	__u64 load[LAG_BUCKETS];

	(void)state;
	for (unsigned m = 0; m < LAG_MAX_MEMBERS; m++)
		members[m] = 100 + m;
	for (unsigned s = 0; s < 2; s++) {
		memset(load, 0, sizeof(load));
		for (unsigned i = 0; i < N_FLOWS; i++)
			load[lag_flow_hash(&flows[i], seeds[s]) & (LAG_BUCKETS - 1)]++;
		for (unsigned k = 0; k < sizeof(ns) / sizeof(*ns); k++) {
			unsigned n = ns[k], moved;
			double before, after;

			table_for(tbl, members, n);
			before = flows_ratio(tbl, members, n, seeds[s]);
			moved = lag_buckets_balance_load(tbl, members, n, load, 2, LAG_BUCKETS);
			after = flows_ratio(tbl, members, n, seeds[s]);
			print_message(
				"balance by load: seed %#x, %u members: max/min %.3f -> %.3f, "
				"%u buckets moved\n",
				seeds[s], n, before, after, moved);
			assert_true(after <= 1.10);
			assert_true(after <= before);
			for (unsigned b = 0; b < LAG_BUCKETS; b++)
				assert_true(tbl[b] >= 100 && tbl[b] < 100 + n);
			assert_int_equal(
				lag_buckets_balance_load(tbl, members, n, load, 2, LAG_BUCKETS), 0);
		}
	}
}

/* What it must leave alone: one member, no load, a spread within tolerance, buckets of
 * an ifindex that is not a member, and the move budget.
 */
static void test_balance_load_limits(void **state)
{
	__u32 members[2] = { 7, 9 }, tbl[LAG_BUCKETS], before[LAG_BUCKETS];
	__u64 load[LAG_BUCKETS] = { 0 };

	(void)state;
	table_for(tbl, members, 2);
	memcpy(before, tbl, sizeof(tbl));
	assert_int_equal(lag_buckets_balance_load(tbl, members, 1, load, 2, 100), 0);
	assert_int_equal(lag_buckets_balance_load(tbl, members, 2, load, 2, 100), 0);
	/* Member 7's buckets carry 3 units each, member 9's 2: within 50 %, nothing moves. */
	for (unsigned b = 0; b < LAG_BUCKETS; b++)
		load[b] = tbl[b] == 7 ? 3 : 2;
	assert_int_equal(lag_buckets_balance_load(tbl, members, 2, load, 50, 100), 0);
	assert_memory_equal(tbl, before, sizeof(tbl));
	/* At 2 %, it moves, within budget; bucket 0 belongs to nobody here and stays. */
	tbl[0] = 5;
	load[0] = 1000;
	assert_int_equal(lag_buckets_balance_load(tbl, members, 2, load, 2, 3), 3);
	assert_int_equal(tbl[0], 5);
	assert_true(lag_buckets_balance_load(tbl, members, 2, load, 2, 100) > 0);
	assert_int_equal(tbl[0], 5);
	assert_int_equal(lag_buckets_balance_load(tbl, members, 2, load, 2, 100), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_is_jhash2),
		cmocka_unit_test(test_hash_seed_and_fields),
		cmocka_unit_test(test_evenness),
		cmocka_unit_test(test_leave_moves_only_own),
		cmocka_unit_test(test_rebalance_invariants),
		cmocka_unit_test(test_leave_and_return_restores),
		cmocka_unit_test(test_balance_load),
		cmocka_unit_test(test_balance_load_limits),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
