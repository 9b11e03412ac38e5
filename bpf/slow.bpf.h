/* SPDX-License-Identifier: GPL-2.0 */
/* Slow-protocol frames (EtherType 0x8809) on a member, for lag_xdp and
 * lag_rx alike. Only a frame to the Slow Protocols address, of subtype LACP
 * or Marker and at least 124 octets long reaches the controller, and no more
 * of them per member than the token bucket of lag_cfg.slow_rate/slow_burst
 * lets through; every other one is dropped and counted by reason. Frames
 * that pass go to the AF_XDP socket of their RX queue (XDP), or through the
 * lag_slow ring (TC, and XDP without a socket for the queue). None of this
 * runs for data frames: the programs call it once the EtherType is 0x8809.
 */
#ifndef LAGBPF_SLOW_BPF_H
#define LAGBPF_SLOW_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "lagbpf/lacpdu.h"
#include "maps.bpf.h"
#include "tc.bpf.h"

/* Octets the filter reads: Ethernet header and subtype. */
#define LAG_SLOW_HDR (LACP_ETH_HLEN + 1)

/* 0 if a frame of len octets whose first LAG_SLOW_HDR octets are hdr may go
 * to the controller; else counts why not and returns -1.
 */
static __always_inline int lag_slow_filter(const __u8 *hdr, __u32 len, struct lag_counters *cnt)
{
	if (hdr[0] != 0x01 || hdr[1] != 0x80 || hdr[2] != 0xc2 || hdr[3] != 0x00 ||
	    hdr[4] != 0x00 || hdr[5] != 0x02) {
		cnt->slow_bad_dst++;
		return -1;
	}
	if (hdr[LACP_ETH_HLEN] != LACP_SLOW_SUBTYPE_LACP &&
	    hdr[LACP_ETH_HLEN] != LACP_SLOW_SUBTYPE_MARKER) {
		cnt->slow_bad_subtype++;
		return -1;
	}
	if (len < LACP_FRAME_LEN) {
		cnt->slow_short++;
		return -1;
	}
	return 0;
}

/* Take a token from the member's bucket: 1 if there was one. The bucket is
 * shared by every CPU and both hooks, so it is updated under its lock; the
 * clock is read before (no helper calls under a BPF spin lock).
 */
static __always_inline int lag_slow_police(const struct lag_cfg *cfg, __u32 slot)
{
	__u64 now = bpf_ktime_get_ns(), interval, cap, credit;
	__u32 rate = cfg->slow_rate, burst = cfg->slow_burst;
	struct lag_police *p;
	int ok;

	if (rate == LAG_SLOW_RATE_UNLIMITED)
		return 1;
	if (!rate)
		rate = LAG_SLOW_RATE_DEFAULT;
	if (!burst)
		burst = LAG_SLOW_BURST_DEFAULT;
	p = bpf_map_lookup_elem(&LAG_MAP_POLICE, &slot);
	if (!p)
		return 0;
	interval = 1000000000ull / rate;
	cap = interval * burst;
	bpf_spin_lock(&p->lock);
	credit = p->credit_ns;
	if (now > p->last_ns) {
		credit += now - p->last_ns;
		p->last_ns = now;
	}
	if (credit > cap)
		credit = cap;
	ok = credit >= interval;
	if (ok)
		credit -= interval;
	p->credit_ns = credit;
	bpf_spin_unlock(&p->lock);
	return ok;
}

/* A ring record for len octets (the filter passed: len >= 124), header
 * filled; NULL (counted in slow_dropped) when the ring is full.
 */
static __always_inline struct lag_slow_frame *
lag_slow_ring_reserve(__u32 ifindex, __u32 len, __u8 path, struct lag_counters *cnt)
{
	struct lag_slow_frame *r = bpf_ringbuf_reserve(&LAG_MAP_SLOW, sizeof(*r), 0);

	if (!r) {
		cnt->slow_dropped++;
		return NULL;
	}
	r->ifindex = ifindex;
	r->wire_len = len;
	r->len = len < LAG_SLOW_FRAME_MAX ? (__u16)len : LAG_SLOW_FRAME_MAX;
	r->path = path;
	__builtin_memset(r->pad, 0, sizeof(r->pad));
	return r;
}

/* Submit a record whose frame[] the caller loaded (load: the helper's
 * result): 0, or -1 (counted) if the load failed.
 */
static __always_inline int lag_slow_ring_commit(struct lag_slow_frame *r, long load,
						struct lag_counters *cnt)
{
	if (load) {
		bpf_ringbuf_discard(r, 0);
		cnt->slow_dropped++;
		return -1;
	}
	bpf_ringbuf_submit(r, 0);
	cnt->slow_to_ring++;
	return 0;
}

/* The copy length for frame[] (the filter passed: 124 or more), clamped
 * where the verifier sees it: the barrier keeps the compiler from reusing an
 * unclamped copy.
 */
static __always_inline __u64 lag_slow_copy_len(__u64 len)
{
	__u64 n = len;

	asm volatile("" : "+r"(n));
	if (n > LAG_SLOW_FRAME_MAX)
		n = LAG_SLOW_FRAME_MAX;
	if (n < LACP_FRAME_LEN)
		n = LACP_FRAME_LEN;
	return n;
}

/* XDP: returns the verdict, or -1 when the member has no counters (half set
 * up or torn down: the caller treats it as not a member).
 */
static __always_inline int lag_slow_xdp(struct xdp_md *ctx, const struct lag_member *m,
					__u32 ifindex)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 zero = 0, len = (__u32)(data_end - data), slot = m->slot, q, key;
	struct lag_counters *cnt;
	struct lag_slow_frame *r;
	struct lag_cfg *cfg;

	cnt = bpf_map_lookup_elem(&LAG_MAP_CNT, &slot);
	cfg = bpf_map_lookup_elem(&LAG_MAP_CFG, &zero);
	if (!cnt || !cfg)
		return -1;
	cnt->slow_rx++;
	cnt->slow_rx_xdp++;
	if (data + LAG_SLOW_HDR > data_end) {
		cnt->slow_short++;
		return XDP_DROP;
	}
	if (lag_slow_filter(data, len, cnt))
		return XDP_DROP;
	if (!lag_slow_police(cfg, slot)) {
		cnt->slow_policed++;
		return XDP_DROP;
	}
	/* The socket of this very queue: the kernel refuses a frame of another. */
	q = ctx->rx_queue_index;
	if (q < LAG_MAX_QUEUES && slot < LAG_MAX_MEMBERS) {
		key = slot * LAG_MAX_QUEUES + q;
		if (bpf_redirect_map(&LAG_MAP_XSKS, key, 0) == XDP_REDIRECT) {
			cnt->slow_to_xsk++;
			return XDP_REDIRECT;
		}
	}
	cnt->slow_xsk_miss++;
	r = lag_slow_ring_reserve(ifindex, len, LAG_SLOW_PATH_XDP, cnt);
	if (r)
		lag_slow_ring_commit(
			r, bpf_xdp_load_bytes(ctx, 0, r->frame, lag_slow_copy_len(len)), cnt);
	return XDP_DROP;
}

/* TC ingress: frames generic XDP skipped (redirected into the member). Never
 * delivered to the LAG: copied to the ring (TC_ACT_STOLEN) or dropped.
 */
static __always_inline int lag_slow_tc(struct __sk_buff *skb, const struct lag_member *m,
				       const struct lag_cfg *cfg, struct lag_counters *cnt)
{
	__u8 hdr[LAG_SLOW_HDR];
	struct lag_slow_frame *r;
	__u32 len = skb->len;

	cnt->slow_rx++;
	cnt->slow_rx_tc++;
	if (len < LAG_SLOW_HDR || bpf_skb_load_bytes(skb, 0, hdr, sizeof(hdr))) {
		cnt->slow_short++;
		return TC_ACT_SHOT;
	}
	if (lag_slow_filter(hdr, len, cnt))
		return TC_ACT_SHOT;
	if (!lag_slow_police(cfg, m->slot)) {
		cnt->slow_policed++;
		return TC_ACT_SHOT;
	}
	r = lag_slow_ring_reserve(skb->ifindex, len, LAG_SLOW_PATH_TC, cnt);
	if (!r)
		return TC_ACT_SHOT;
	if (lag_slow_ring_commit(r, bpf_skb_load_bytes(skb, 0, r->frame, lag_slow_copy_len(len)),
				 cnt))
		return TC_ACT_SHOT;
	return TC_ACT_STOLEN; /* a copy went to the controller */
}

#endif
