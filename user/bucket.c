// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Resilient bucket table: membership changes move only the buckets they
 * must. Pure: no maps, no I/O; the controller writes the result to a map
 * slot that is not live and flips to it.
 */
#include <string.h>
#include "bucket.h"

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

void lag_buckets_rebalance(__u32 *tbl, const __u32 *members, unsigned n)
{
	unsigned count[LAG_MAX_MEMBERS] = { 0 }, target[LAG_MAX_MEMBERS];
	int owner[LAG_BUCKETS];
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
	/* Release the surplus of members over their share, highest buckets first. */
	for (b = LAG_BUCKETS; b-- > 0;) {
		if (owner[b] >= 0 && count[owner[b]] > target[owner[b]]) {
			count[owner[b]]--;
			owner[b] = -1;
		}
	}
	/* Orphans go, in bucket order, to members below their share. */
	m = 0;
	for (b = 0; b < LAG_BUCKETS; b++) {
		if (owner[b] >= 0)
			continue;
		while (count[m] >= target[m])
			m = (m + 1) % n;
		owner[b] = (int)m;
		count[m]++;
		m = (m + 1) % n;
	}
	for (b = 0; b < LAG_BUCKETS; b++)
		tbl[b] = members[owner[b]];
}
