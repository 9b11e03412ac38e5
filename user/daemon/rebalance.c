// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* --rebalance: egress counts bytes per bucket (lag_load); once a second the
 * controller reads them (show -j's egressMaxMin), and every --rebalance
 * seconds it moves buckets from the busiest members to the lightest by the
 * load since the last time (lacp/bucket_load.c), like the bonding driver's
 * tlb_dynamic_lb. A moved bucket's flows change member once: off by default.
 */
#include <errno.h>
#include <string.h>
#include "daemon/state.h"
#include "lacp/bucket.h"
#include "sys/log.h"

/* Spread (busiest - lightest) tolerated, in % of the mean member load: within
 * it nothing moves (max/min ~1.05).
 */
#define REBALANCE_TOLERANCE_PCT 5
/* At most a quarter of the table moves at once. */
#define REBALANCE_MAX_MOVES (LAG_BUCKETS / 4)
/* Below this many bytes in an interval the load is noise: nothing moves. */
#define REBALANCE_MIN_BYTES (256u * 1024)

static unsigned int distributing(const struct ctrl *c, __u32 *set)
{
	unsigned int n = 0;

	for (int i = 0; i < c->n; i++)
		if (c->m[i].distributing)
			set[n++] = (__u32)c->m[i].ifindex;
	return n;
}

static __u64 total_of(const __u64 *load)
{
	__u64 total = 0;

	for (int b = 0; b < LAG_BUCKETS; b++)
		total += load[b];
	return total;
}

/* max/min of the members' loads under c->table; 0 when it means nothing. */
static double max_min(const struct ctrl *c, const __u32 *set, unsigned int n, const __u64 *load)
{
	__u64 sum[LAG_MAX_MEMBERS] = { 0 }, mx = 0, mn = UINT64_MAX;

	if (n < 2 || total_of(load) < REBALANCE_MIN_BYTES)
		return 0;
	for (int b = 0; b < LAG_BUCKETS; b++)
		for (unsigned int m = 0; m < n; m++)
			if (c->table[b] == set[m])
				sum[m] += load[b];
	for (unsigned int m = 0; m < n; m++) {
		mx = sum[m] > mx ? sum[m] : mx;
		mn = sum[m] < mn ? sum[m] : mn;
	}
	return mn ? (double)mx / (double)mn : 0;
}

static void rebalance(struct ctrl *c, const __u32 *set, unsigned int n)
{
	struct ctrl_rebalance *r = &c->rebalance;
	__u32 tbl[LAG_BUCKETS];
	double before = max_min(c, set, n, r->acc), after;
	unsigned int moved;
	int err;

	if (total_of(r->acc) < REBALANCE_MIN_BYTES)
		return; /* too little traffic to weigh */
	memcpy(tbl, c->table, sizeof(tbl));
	moved = lag_buckets_balance_load(tbl, set, n, r->acc, REBALANCE_TOLERANCE_PCT,
					 REBALANCE_MAX_MOVES);
	if (!moved)
		return;
	err = ctrl_publish_moved(c, tbl, set, n, moved);
	if (err) {
		lag_log(LAG_LOG_DEBUG, "%s: rebalance skipped: %s\n", c->cfg.name, strerror(-err));
		return;
	}
	after = max_min(c, set, n, r->acc);
	r->runs++;
	r->moved += moved;
	/* 0: a member had no load (max/min has no value). */
	lag_log(LAG_LOG_INFO,
		"%s: rebalanced: %u buckets moved, member egress max/min %.2f -> %.2f\n",
		c->cfg.name, moved, before, after);
}

void ctrl_rebalance_second(struct ctrl *c)
{
	struct ctrl_rebalance *r = &c->rebalance;
	__u64 now[LAG_BUCKETS], last[LAG_BUCKETS];
	__u32 set[LAG_MAX_MEMBERS];
	unsigned int n = distributing(c, set);

	if (maps_load_read(&c->maps, now)) {
		lag_log(LAG_LOG_DEBUG, "%s: lag_load not read\n", c->cfg.name);
		return;
	}
	if (!r->primed) {
		memcpy(r->prev, now, sizeof(now));
		r->primed = 1;
		return;
	}
	for (int b = 0; b < LAG_BUCKETS; b++) {
		last[b] = now[b] - r->prev[b];
		r->acc[b] += last[b];
	}
	memcpy(r->prev, now, sizeof(now));
	r->max_min = max_min(c, set, n, last);
	if (c->cfg.rebalance_s && ++r->secs < c->cfg.rebalance_s)
		return;
	if (c->cfg.rebalance_s)
		rebalance(c, set, n);
	memset(r->acc, 0, sizeof(r->acc));
	r->secs = 0;
}
