// SPDX-License-Identifier: GPL-2.0
/* Member ingress (TC, after XDP): deliver data frames of a collecting member
 * to the LAG device, and count them. They leave through the egress of the
 * LAG's veth peer, so the kernel counts them as the LAG's RX (`ip -s link`);
 * measured as fast as bpf_redirect(lag, BPF_F_INGRESS), and faster and safer
 * than an XDP devmap redirect into the LAG's veth (no GRO or checksum
 * surprises). This hook also sees the frames generic XDP skipped (redirected
 * in by a partner's TC program), so it repeats XDP's checks and hands their
 * slow-protocol frames to the controller through lag_slow.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "maps.bpf.h"
#include "slow.bpf.h"
#include "tc.bpf.h"

SEC("tc")
int lag_rx(struct __sk_buff *skb)
{
	struct lag_counters *cnt;
	struct lag_member *m;
	struct lag_cfg *cfg;
	__u32 zero = 0, ifindex = skb->ifindex;

	m = bpf_map_lookup_elem(&LAG_MAP_MEMBERS, &ifindex);
	if (!m)
		return TC_ACT_UNSPEC; /* not ours (yet): to the next program, or the stack */
	cnt = bpf_map_lookup_elem(&LAG_MAP_CNT, &m->slot);
	cfg = bpf_map_lookup_elem(&LAG_MAP_CFG, &zero);
	if (!cnt || !cfg)
		return TC_ACT_UNSPEC;
	/* Slow protocols never reach the LAG device: to the controller. */
	if (skb->protocol == bpf_htons(ETH_P_SLOW_PROTO))
		return lag_slow_tc(skb, m, cfg, cnt);
	if (!(m->flags & LAG_M_COLLECTING)) {
		cnt->rx_dropped++;
		return TC_ACT_SHOT;
	}
	cnt->rx_packets++;
	cnt->rx_bytes += skb->len;
	return bpf_redirect(cfg->peer_ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
