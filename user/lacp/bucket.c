// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Resilient bucket table: membership changes move only the buckets they
 * must. Pure: no maps, no I/O; the controller writes the result to a map
 * slot that is not live and flips to it.
 */
#include <string.h>
#include "lacp/bucket.h"

static int member_index(const __u32 *members, unsigned n, __u32 ifindex)
{
	for (unsigned i = 0; i < n; i++)
		if (members[i] == ifindex)
			return (int)i;
	return -1;
}

unsigned lag_buckets_owned(const __u32 *tbl, __u32 ifindex)
{
	unsigned c = 0;

	for (unsigned b = 0; b < LAG_BUCKETS; b++)
		c += tbl[b] == ifindex;
	return c;
}

/* Rendezvous (highest random weight) score of a member for a bucket: each
 * bucket has a preferred order of members that does not depend on who else
 * is in the set, so a member that leaves and comes back gets its own
 * buckets back.
 */
static __u32 hrw(unsigned int bucket, __u32 ifindex)
{
	__u32 h = (bucket + 1) * 0x9e3779b1u ^ ifindex * 0x85ebca6bu;

	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	h *= 0x846ca68bu;
	h ^= h >> 16;
	return h;
}

/* The member below its share that scores best for bucket b. */
static int best_below_share(const __u32 *members, unsigned int n, const unsigned *count,
			    const unsigned *target, unsigned int b)
{
	int best = -1;

	for (unsigned int m = 0; m < n; m++)
		if (count[m] < target[m] &&
		    (best < 0 || hrw(b, members[m]) > hrw(b, members[best])))
			best = (int)m;
	return best;
}

void lag_buckets_rebalance(__u32 *tbl, const __u32 *members, unsigned n)
{
	unsigned count[LAG_MAX_MEMBERS] = { 0 }, target[LAG_MAX_MEMBERS];
	int owner[LAG_BUCKETS], home[LAG_BUCKETS];
	unsigned base, extra, m, b;

	if (n == 0) {
		memset(tbl, 0, LAG_BUCKETS * sizeof(*tbl));
		return;
	}
	if (n > LAG_MAX_MEMBERS)
		n = LAG_MAX_MEMBERS;
	for (b = 0; b < LAG_BUCKETS; b++) {
		owner[b] = member_index(members, n, tbl[b]);
		if (owner[b] >= 0)
			count[owner[b]]++;
		home[b] = 0;
		for (m = 1; m < n; m++)
			if (hrw(b, members[m]) > hrw(b, members[home[b]]))
				home[b] = (int)m;
	}
	/* Fair shares: base each, and one more for the `extra` members that
	 * already hold the most, so that leaving members never cost the others.
	 */
	base = LAG_BUCKETS / n;
	extra = LAG_BUCKETS % n;
	for (m = 0; m < n; m++)
		target[m] = base;
	for (unsigned k = 0; k < extra; k++) {
		int best = -1;

		for (m = 0; m < n; m++)
			if (target[m] == base && (best < 0 || count[m] > count[best]))
				best = (int)m;
		target[best]++;
	}
	/* Release the surplus of members over their share: first buckets whose
	 * home is a member still short of its share (a returning member's own),
	 * then any, highest first.
	 */
	int want[LAG_MAX_MEMBERS];

	for (m = 0; m < n; m++)
		want[m] = (int)target[m] - (int)count[m];
	for (int pass = 0; pass < 2; pass++) {
		for (b = LAG_BUCKETS; b-- > 0;) {
			if (owner[b] < 0 || count[owner[b]] <= target[owner[b]])
				continue;
			if (pass == 0 && (home[b] == owner[b] || want[home[b]] <= 0))
				continue;
			if (pass == 0)
				want[home[b]]--;
			count[owner[b]]--;
			owner[b] = -1;
		}
	}
	/* Orphans go to the member below its share that scores best for them. */
	for (b = 0; b < LAG_BUCKETS; b++) {
		if (owner[b] >= 0)
			continue;
		owner[b] = best_below_share(members, n, count, target, b);
		count[owner[b]]++;
	}
	for (b = 0; b < LAG_BUCKETS; b++)
		tbl[b] = members[owner[b]];
}
