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

/* Buckets of tbl owned by ifindex. */
unsigned lag_buckets_owned(const __u32 *tbl, __u32 ifindex);

#endif
