// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Flow disruption and balance of lagbpf's hash + resilient bucket table, by
 * pure computation over the very code the data path and controller run
 * (bpf/hash.bpf.h, user/lacp/bucket.c, and bucket_load.c for --rebalance,
 * weighing each bucket by its flows as lag_load would with equal flows).
 * Prints TSV rows; asserts nothing.
 * usage: hashsim FLOWS SEEDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "hash.bpf.h"
#include "lacp/bucket.h"

static __u32 rng_state = 12345;

static __u32 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* l34 key of a random TCP/UDP flow, laid out as lag_parse_ip4 fills it. */
static void random_flow(struct lag_flow *f)
{
	memset(f, 0, sizeof(*f));
	f->src[0] = htonl(0x0a000000 | (rnd() & 0xffffff));
	f->dst[0] = htonl(0x0a000000 | (rnd() & 0xffffff));
	f->sport = htons(1024 + rnd() % 64000);
	f->dport = htons(rnd() & 1 ? 443 : 1 + rnd() % 65535);
	f->proto = rnd() & 1 ? 6 : 17;
}

static void table_for(__u32 *tbl, unsigned n)
{
	__u32 members[LAG_MAX_MEMBERS];

	for (unsigned i = 0; i < n; i++)
		members[i] = 10 + i;
	memset(tbl, 0, LAG_BUCKETS * sizeof(*tbl));
	lag_buckets_rebalance(tbl, members, n);
}

static double max_over_min(const unsigned *cnt, unsigned n)
{
	unsigned mx = 0, mn = ~0u;

	for (unsigned m = 0; m < n; m++) {
		mx = cnt[m] > mx ? cnt[m] : mx;
		mn = cnt[m] < mn ? cnt[m] : mn;
	}
	return mn ? (double)mx / mn : 1e9;
}

int main(int argc, char **argv)
{
	int nflows = argc > 1 ? atoi(argv[1]) : 10000, seeds = argc > 2 ? atoi(argv[2]) : 5;
	__u32 *bucket = calloc(nflows, sizeof(*bucket)), *raw = calloc(nflows, sizeof(*raw));
	static const unsigned sizes[] = { 2, 3, 4, 8, 16, 32, 64 };

	printf("kind\tseed\tmembers\tvalue\n");
	for (int s = 0; s < seeds; s++) {
		__u32 seed = 0x5eed0000u + s, t4[LAG_BUCKETS], t3[LAG_BUCKETS], tback[LAG_BUCKETS];
		__u32 rest[3] = { 10, 12, 13 }, all[4] = { 10, 11, 12, 13 };
		int moved_fail = 0, moved_ret = 0, moved_ret_orig = 0, on_failed = 0, moved_mod = 0;
		struct lag_flow f;

		rng_state = 12345 + s * 7919;
		for (int i = 0; i < nflows; i++) {
			random_flow(&f);
			raw[i] = lag_flow_hash(&f, seed);
			bucket[i] = raw[i] & (LAG_BUCKETS - 1);
		}
		/* balance: flows per member, max/min; and the same flows placed
		 * by an ideal hash (each flow on a uniformly random member):
		 * what chance alone gives at this many flows per member.
		 */
		for (unsigned k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
			unsigned n = sizes[k], cnt[LAG_MAX_MEMBERS] = { 0 },
				 ideal[LAG_MAX_MEMBERS] = { 0 }, reb[LAG_MAX_MEMBERS] = { 0 },
				 moved;
			__u32 tbl[LAG_BUCKETS], members[LAG_MAX_MEMBERS];
			__u64 load[LAG_BUCKETS] = { 0 };

			table_for(tbl, n);
			for (int i = 0; i < nflows; i++) {
				cnt[tbl[bucket[i]] - 10]++;
				ideal[rnd() % n]++;
				load[bucket[i]]++;
			}
			printf("balance\t%d\t%u\t%.4f\n", s, n, max_over_min(cnt, n));
			printf("balance_ideal\t%d\t%u\t%.4f\n", s, n, max_over_min(ideal, n));
			/* --rebalance's first pass, as the controller runs it */
			for (unsigned m = 0; m < n; m++)
				members[m] = 10 + m;
			moved = lag_buckets_balance_load(tbl, members, n, load, 5, LAG_BUCKETS / 4);
			for (int i = 0; i < nflows; i++)
				reb[tbl[bucket[i]] - 10]++;
			printf("balance_rebalanced\t%d\t%u\t%.4f\n", s, n, max_over_min(reb, n));
			printf("rebalance_moved\t%d\t%u\t%u\n", s, n, moved);
		}
		/* disruption: member 11 of 4 fails, then returns */
		table_for(t4, 4);
		memcpy(t3, t4, sizeof(t3));
		lag_buckets_rebalance(t3, rest, 3);
		memcpy(tback, t3, sizeof(tback));
		lag_buckets_rebalance(tback, all, 4);
		for (int i = 0; i < nflows; i++) {
			on_failed += t4[bucket[i]] == 11;
			moved_fail += t4[bucket[i]] != t3[bucket[i]];
			moved_ret += t3[bucket[i]] != tback[bucket[i]];
			moved_ret_orig += t4[bucket[i]] != tback[bucket[i]];
			/* modulo reference: hash % n before and after */
			moved_mod += (raw[i] % 4) != (raw[i] % 3) ? 1 : 0;
		}
		printf("failed_share\t%d\t4\t%.4f\n", s, (double)on_failed / nflows);
		printf("moved_on_fail\t%d\t4\t%.4f\n", s, (double)moved_fail / nflows);
		printf("moved_on_return\t%d\t4\t%.4f\n", s, (double)moved_ret / nflows);
		printf("return_differs_from_original\t%d\t4\t%.4f\n", s,
		       (double)moved_ret_orig / nflows);
		printf("modulo_moved_on_fail\t%d\t4\t%.4f\n", s, (double)moved_mod / nflows);
	}
	free(bucket);
	free(raw);
	return 0;
}
