// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Balancing the bucket table by measured load (--rebalance): a hash spreads
 * flows, not bytes, and with few flows per member its luck shows (10,000
 * flows on 64 members: max/min ~1.45). Buckets move from the busiest member
 * to a lighter one, or trade places with one of its buckets, while that
 * narrows the pair's gap; the flows of a moved bucket change member once.
 * Pure: the controller reads lag_load and publishes the table.
 */
#include "lacp/bucket.h"

struct balance {
	__u32 *tbl;
	const __u32 *members;
	unsigned int n;
	const __u64 *load;
	__u64 sum[LAG_MAX_MEMBERS];
};

static int member_of(const struct balance *b, __u32 ifindex)
{
	for (unsigned int m = 0; m < b->n; m++)
		if (b->members[m] == ifindex)
			return (int)m;
	return -1;
}

static __u64 gap_after(__u64 gap, __u64 shift)
{
	return 2 * shift > gap ? 2 * shift - gap : gap - 2 * shift;
}

static unsigned int owned(const struct balance *b, int m, int *idx)
{
	unsigned int k = 0;

	for (int i = 0; i < LAG_BUCKETS; i++)
		if (b->tbl[i] == b->members[m])
			idx[k++] = i;
	return k;
}

/* The best single move or swap from member hi to member lo: bucket x of hi
 * goes to lo, and bucket y of lo (or none, -1) goes to hi. The pair's gap
 * shrinks by the most, or nothing is found (0).
 */
static int best_trade(const struct balance *b, int hi, int lo, int *x, int *y)
{
	int his[LAG_BUCKETS], los[LAG_BUCKETS];
	unsigned int nh = owned(b, hi, his), nl = owned(b, lo, los);
	__u64 gap = b->sum[hi] - b->sum[lo], best = gap;
	int found = 0;

	for (unsigned int i = 0; i < nh; i++) {
		__u64 li = b->load[his[i]];

		if (!li)
			continue;
		if (li < gap && gap_after(gap, li) < best) {
			best = gap_after(gap, li);
			*x = his[i], *y = -1, found = 1;
		}
		for (unsigned int k = 0; k < nl; k++) {
			__u64 lk = b->load[los[k]];

			if (lk >= li || li - lk >= gap || gap_after(gap, li - lk) >= best)
				continue;
			best = gap_after(gap, li - lk);
			*x = his[i], *y = los[k], found = 1;
		}
	}
	return found;
}

unsigned int lag_buckets_balance_load(__u32 *tbl, const __u32 *members, unsigned int n,
				      const __u64 *load, unsigned int tolerance_pct,
				      unsigned int max_moves)
{
	struct balance b = { .tbl = tbl, .members = members, .n = n, .load = load };
	unsigned int moves = 0;
	__u64 total = 0;

	if (n < 2 || n > LAG_MAX_MEMBERS)
		return 0;
	for (int i = 0; i < LAG_BUCKETS; i++) {
		int m = member_of(&b, tbl[i]);

		if (m >= 0)
			b.sum[m] += load[i];
		total += load[i];
	}
	while (moves < max_moves) {
		int order[LAG_MAX_MEMBERS], hi, x = -1, y = -1, lo = -1;

		/* Members by load, lightest first (insertion sort: n <= 64). */
		for (unsigned int m = 0; m < n; m++) {
			unsigned int k = m;

			for (; k > 0 && b.sum[order[k - 1]] > b.sum[m]; k--)
				order[k] = order[k - 1];
			order[k] = (int)m;
		}
		hi = order[n - 1];
		/* Within tolerance of the lightest member: balanced enough. */
		if ((b.sum[hi] - b.sum[order[0]]) * 100 <= (__u64)tolerance_pct * (total / n))
			break;
		/* The lightest member that some trade with the busiest helps. */
		for (unsigned int k = 0; k + 1 < n && x < 0; k++) {
			lo = order[k];
			if (!best_trade(&b, hi, lo, &x, &y))
				x = -1;
		}
		if (x < 0)
			break;
		tbl[x] = members[lo];
		b.sum[hi] -= load[x];
		b.sum[lo] += load[x];
		moves++;
		if (y >= 0) {
			tbl[y] = members[hi];
			b.sum[lo] -= load[y];
			b.sum[hi] += load[y];
			moves++;
		}
	}
	return moves;
}
