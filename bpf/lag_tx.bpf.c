// SPDX-License-Identifier: GPL-2.0
/* LAG egress (TC on the LAG device): hash the frame by the LAG's policy,
 * pick a bucket of the live table, redirect to that member. Never edits a
 * map but counters; with no distributing member the frame is dropped, and so
 * is every frame once the controller's heartbeat is stale (the dead-man).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "maps.bpf.h"
#include "parse.bpf.h"
#include "tc.bpf.h"

/* LAG-level counters are looked up only on the paths that count. */
static __always_inline int lag_tx_drop_no_member(void)
{
	struct lag_lag_counters *lc = lag_cnt_lag_get();

	if (lc)
		lc->tx_no_member++;
	return TC_ACT_SHOT;
}

/* The dead-man: no controller refreshed lag_heartbeat for longer than its
 * timeout. 0 = never refreshed (no controller yet, test runs): no dead-man.
 * The coarse clock is CLOCK_MONOTONIC as of the last tick (a few ms behind):
 * the dead-man fires a tick late at worst, for ~5 ns a frame where the
 * precise one costs ~30 (kvm-clock). Signed: a refresh stamped ahead of the
 * coarse clock is fresh.
 */
static __always_inline int lag_tx_deadman(const struct lag_heartbeat *hb)
{
	return hb->refresh_ns &&
	       (__s64)(bpf_ktime_get_coarse_ns() - hb->refresh_ns) > (__s64)hb->timeout_ns;
}

static __always_inline int lag_tx_drop_deadman(void)
{
	struct lag_lag_counters *lc = lag_cnt_lag_get();

	if (lc)
		lc->tx_deadman++;
	return TC_ACT_SHOT;
}

static __always_inline int lag_tx_redirect_err(int verdict)
{
	struct lag_lag_counters *lc = lag_cnt_lag_get();

	if (lc)
		lc->tx_redirect_err++;
	return verdict;
}

static __always_inline void lag_tx_count_short(void)
{
	struct lag_lag_counters *lc = lag_cnt_lag_get();

	if (lc)
		lc->tx_parse_short++;
}

SEC("tc")
int lag_tx(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct lag_flow flow = {};
	struct lag_heartbeat *hb;
	struct lag_counters *cnt;
	struct lag_load *load;
	struct lag_table *tbl;
	struct lag_cfg *cfg;
	__u32 zero = 0, *live, ifindex, bucket, slot;
	long verdict;

	cfg = bpf_map_lookup_elem(&LAG_MAP_CFG, &zero);
	live = bpf_map_lookup_elem(&LAG_MAP_ACTIVE, &zero);
	hb = bpf_map_lookup_elem(&LAG_MAP_HEARTBEAT, &zero);
	if (!cfg || !live || !hb)
		return TC_ACT_SHOT;
	if (lag_tx_deadman(hb))
		return lag_tx_drop_deadman();
	tbl = bpf_map_lookup_elem(&LAG_MAP_TABLES, live);
	if (!tbl || !tbl->n_members)
		return lag_tx_drop_no_member();
	if (lag_flow_key(data, data_end, cfg->hash_policy, &flow) != 0)
		lag_tx_count_short();
	bucket = lag_flow_hash(&flow, cfg->hash_seed) & (LAG_BUCKETS - 1);
	ifindex = tbl->ifindex[bucket];
	slot = tbl->slot[bucket];
	cnt = bpf_map_lookup_elem(&LAG_MAP_CNT, &slot);
	if (!ifindex || !cnt)
		return lag_tx_drop_no_member();
	verdict = bpf_redirect(ifindex, 0);
	if (verdict != TC_ACT_REDIRECT)
		return lag_tx_redirect_err((int)verdict);
	cnt->tx_packets++;
	cnt->tx_bytes += skb->len;
	load = bpf_map_lookup_elem(&LAG_MAP_LOAD, &bucket);
	if (load)
		load->bytes += skb->len;
	return TC_ACT_REDIRECT;
}

char LICENSE[] SEC("license") = "GPL";
