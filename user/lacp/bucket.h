/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The resilient bucket table: bucket -> member ifindex. Pure computation. */
#ifndef LAGBPF_BUCKET_H
#define LAGBPF_BUCKET_H

#include <linux/types.h>
#include "lagbpf/abi.h"

/* Rewrite tbl[LAG_BUCKETS] for the distributing set members[0..n-1]: every
 * bucket whose member stays keeps it; the buckets of members that left (and
 * the surplus of members over their fair share, when one joins) go to the
 * members below their share, each to the member that scores best for it
 * (rendezvous hashing), so a member that leaves and returns gets its own
 * buckets back. Shares differ by at most one bucket. n == 0 empties the
 * table. Deterministic: same inputs, same table.
 */
void lag_buckets_rebalance(__u32 *tbl, const __u32 *members, unsigned n);

/* Move buckets of tbl between the members[0..n-1] by their measured load
 * (load[LAG_BUCKETS], any unit): from the busiest member to the lightest one
 * a trade helps, a bucket alone or swapped for a lighter one, while the
 * spread (busiest - lightest) exceeds tolerance_pct of the mean, at most
 * max_moves buckets. Buckets of other ifindexes are left alone. Returns the
 * buckets moved (0: balanced, or nothing helps). Deterministic.
 */
unsigned int lag_buckets_balance_load(__u32 *tbl, const __u32 *members, unsigned int n,
				      const __u64 *load, unsigned int tolerance_pct,
				      unsigned int max_moves);

/* Buckets of tbl owned by ifindex. */
unsigned lag_buckets_owned(const __u32 *tbl, __u32 ifindex);

#endif
