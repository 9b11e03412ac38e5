// SPDX-License-Identifier: GPL-2.0
/* Member ingress (XDP): slow-protocol frames (LACPDU, Marker) are filtered
 * and policed, then go to the controller's AF_XDP socket for this RX queue
 * (or its lag_slow ring when the queue has none) and never reach the LAG;
 * data frames of a member that is not collecting are dropped here, early,
 * as 802.1AX's collector requires. Frames that pass are counted by lag_rx:
 * generic XDP skips frames another device redirected (a lagbpf partner on
 * a veth), so TC ingress is the one hook that sees every data frame.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <xdp/xdp_helpers.h>
#include "maps.bpf.h"
#include "slow.bpf.h"

struct {
	__uint(priority, 10);
	__uint(XDP_PASS, 1);
} XDP_RUN_CONFIG(lag_xdp);

SEC("xdp")
int lag_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 ifindex = ctx->ingress_ifindex;
	struct lag_lag_counters *lc;
	struct lag_counters *cnt;
	struct ethhdr *eth = data;
	struct lag_member *m;
	int verdict;

	m = bpf_map_lookup_elem(&LAG_MAP_MEMBERS, &ifindex);
	if (!m)
		goto not_member;
	if ((void *)(eth + 1) > data_end)
		goto drop;
	if (eth->h_proto == bpf_htons(ETH_P_SLOW_PROTO)) {
		verdict = lag_slow_xdp(ctx, m, ifindex);
		if (verdict < 0)
			goto not_member; /* half set up or torn down */
		return verdict;
	}
	/* The common case counts nothing here (lag_rx does), so the counters
	 * are looked up only on the paths that count.
	 */
	if (m->flags & LAG_M_COLLECTING)
		return XDP_PASS;
drop:
	cnt = bpf_map_lookup_elem(&LAG_MAP_CNT, &m->slot);
	if (!cnt)
		goto not_member;
	cnt->rx_dropped++;
	return XDP_DROP;
not_member:
	lc = lag_cnt_lag_get();
	if (lc)
		lc->rx_not_member++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
