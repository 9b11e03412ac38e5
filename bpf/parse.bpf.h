/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Bounded header parsers over a cursor, and the policy-driven flow key
 * extraction used by the egress program. Every read is checked against
 * data_end first; loops have constant bounds. No maps, no ctx.
 */
#ifndef LAGBPF_PARSE_BPF_H
#define LAGBPF_PARSE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include "hash.bpf.h"
#include "lagbpf/abi.h"

#define LAG_ETH_P_IP	 0x0800
#define LAG_ETH_P_IPV6	 0x86DD
#define LAG_ETH_P_ARP	 0x0806
#define LAG_ETH_P_8021Q	 0x8100
#define LAG_ETH_P_8021AD 0x88A8
#define LAG_ETH_P_TEB	 0x6558
#define LAG_IPPROTO_TCP	 6
#define LAG_IPPROTO_UDP	 17
#define LAG_IPPROTO_GRE	 47
#define LAG_IPPROTO_SCTP 132
#define LAG_IPPROTO_FRAG 44
#define LAG_VXLAN_PORT	 4789
#define LAG_IP_MF	 0x2000
#define LAG_IP_OFFSET	 0x1fff

struct lag_cursor {
	void *pos;
	void *end;
};

/* Ethernet plus up to LAG_VLAN_MAX_DEPTH tags; returns the inner EtherType
 * (network order) or 0 when the frame is too short. The outermost VID is kept.
 */
static __always_inline __be16 lag_parse_eth(struct lag_cursor *c, struct ethhdr **eth, __u16 *vlan)
{
	struct ethhdr *e = c->pos;
	__be16 proto;
	int i;

	if ((void *)(e + 1) > c->end)
		return 0;
	*eth = e;
	c->pos = e + 1;
	proto = e->h_proto;
#pragma unroll
	for (i = 0; i < LAG_VLAN_MAX_DEPTH; i++) {
		struct vlan_hdr *v = c->pos;

		if (proto != bpf_htons(LAG_ETH_P_8021Q) && proto != bpf_htons(LAG_ETH_P_8021AD))
			break;
		if ((void *)(v + 1) > c->end)
			return 0;
		if (*vlan == 0)
			*vlan = bpf_ntohs(v->h_vlan_TCI) & 0x0fff;
		proto = v->h_vlan_encapsulated_proto;
		c->pos = v + 1;
	}
	return proto;
}

/* L4 ports, when the header is there; SCTP's ports sit where UDP's do. */
static __always_inline void lag_parse_ports(struct lag_cursor *c, struct lag_flow *f)
{
	struct udphdr *u = c->pos;

	if (f->proto != LAG_IPPROTO_TCP && f->proto != LAG_IPPROTO_UDP &&
	    f->proto != LAG_IPPROTO_SCTP)
		return;
	if ((void *)(u + 1) > c->end)
		return;
	f->sport = u->source;
	f->dport = u->dest;
	c->pos = u + 1;
}

/* IPv4: addresses always; ports only when the datagram is not fragmented,
 * so that every fragment of a datagram (only the first carries ports) takes
 * one member. Returns -1 if truncated, 1 for a fragment.
 */
static __always_inline int lag_parse_ip4(struct lag_cursor *c, struct lag_flow *f, int l4)
{
	struct iphdr *ip = c->pos;
	__u32 hlen;

	if ((void *)(ip + 1) > c->end)
		return -1;
	hlen = ip->ihl * 4;
	if (hlen < sizeof(*ip) || c->pos + hlen > c->end)
		return -1;
	f->src[0] = ip->saddr;
	f->dst[0] = ip->daddr;
	f->proto = ip->protocol;
	c->pos += hlen;
	if (ip->frag_off & bpf_htons(LAG_IP_MF | LAG_IP_OFFSET))
		return 1; /* fragment: L3 only */
	if (l4)
		lag_parse_ports(c, f);
	return 0;
}

static __always_inline int lag_parse_ip6(struct lag_cursor *c, struct lag_flow *f, int l4)
{
	struct ipv6hdr *ip6 = c->pos;

	if ((void *)(ip6 + 1) > c->end)
		return -1;
	__builtin_memcpy(f->src, &ip6->saddr, 16);
	__builtin_memcpy(f->dst, &ip6->daddr, 16);
	f->proto = ip6->nexthdr;
	c->pos = ip6 + 1;
	if (f->proto == LAG_IPPROTO_FRAG) {
		f->proto = 0; /* fragment: L3 only, whatever the offset */
		return 1;
	}
	if (l4)
		lag_parse_ports(c, f);
	return 0;
}

/* ARP carries IPv4 addresses: hash on them so ARP follows the hosts. */
static __always_inline int lag_parse_arp(struct lag_cursor *c, struct lag_flow *f)
{
	struct arphdr *a = c->pos;
	__u8 *p = (void *)(a + 1);

	/* Ethernet/IPv4 ARP: sha(6) spa(4) tha(6) tpa(4) */
	if ((void *)(p + 20) > c->end)
		return -1;
	__builtin_memcpy(&f->src[0], p + 6, 4);
	__builtin_memcpy(&f->dst[0], p + 16, 4);
	f->proto = LAG_ETH_P_ARP;
	return 0;
}

static __always_inline void lag_flow_l2(struct lag_flow *f, struct ethhdr *eth, __be16 proto)
{
	__builtin_memcpy(f->src, eth->h_source, 6);
	__builtin_memcpy(f->dst, eth->h_dest, 6);
	f->proto = bpf_ntohs(proto);
}

/* l23 keeps the IPs and folds each MAC into 16 bits beside them. */
static __always_inline __u16 lag_mac_fold(const __u8 *m)
{
	return (__u16)((m[0] << 8 | m[1]) ^ (m[2] << 8 | m[3]) ^ (m[4] << 8 | m[5]));
}

static __always_inline int lag_parse_l3(struct lag_cursor *c, __be16 proto, struct lag_flow *f,
					int l4)
{
	if (proto == bpf_htons(LAG_ETH_P_IP))
		return lag_parse_ip4(c, f, l4);
	if (proto == bpf_htons(LAG_ETH_P_IPV6))
		return lag_parse_ip6(c, f, l4);
	if (proto == bpf_htons(LAG_ETH_P_ARP))
		return lag_parse_arp(c, f);
	return proto ? -2 : -1; /* -2: not keyed on L3; 0: a VLAN tag cut short */
}

/* encap34: VXLAN (UDP 4789) or GRE carrying IP or Ethernet: re-key on the
 * inner L3/L4. Returns 0 when the flow key now holds the inner headers.
 */
static __always_inline int lag_parse_encap(struct lag_cursor *c, struct lag_flow *f)
{
	struct lag_flow inner = {};
	struct ethhdr *ieth;
	__be16 iproto;
	__u16 ivlan = 0;

	if (f->proto == LAG_IPPROTO_UDP && f->dport == bpf_htons(LAG_VXLAN_PORT)) {
		if (c->pos + 8 > c->end) /* VXLAN header */
			return -1;
		c->pos += 8;
		iproto = lag_parse_eth(c, &ieth, &ivlan);
	} else if (f->proto == LAG_IPPROTO_GRE) {
		__be16 *gre = c->pos;
		__u16 flags;

		if ((void *)(gre + 2) > c->end)
			return -1;
		flags = bpf_ntohs(gre[0]);
		iproto = gre[1];
		if (flags & 0x4fff) /* routing, recursion, non-zero version */
			return -1;
		c->pos += 4 + ((flags & 0x8000) ? 4 : 0) + ((flags & 0x2000) ? 4 : 0) +
			  ((flags & 0x1000) ? 4 : 0);
		if (iproto == bpf_htons(LAG_ETH_P_TEB))
			iproto = lag_parse_eth(c, &ieth, &ivlan);
	} else {
		return -1;
	}
	if (lag_parse_l3(c, iproto, &inner, 1) < 0)
		return -1;
	*f = inner;
	return 0;
}

/* Fill the flow key for a policy. Frames the policy cannot key on (non-IP
 * for l23/l34, truncated headers) fall back to the L2 key; returns 1 when
 * that was for truncated headers (counted as tx_parse_short), -1 for no
 * Ethernet header at all.
 */
static __always_inline int lag_flow_key(void *data, void *data_end, __u32 policy,
					struct lag_flow *f)
{
	struct lag_cursor c = { .pos = data, .end = data_end };
	struct ethhdr *eth = 0;
	__be16 proto;
	__u16 vlan = 0;
	int l4 = policy == LAG_HASH_L34 || policy == LAG_HASH_ENCAP34;
	int ret = 0;

	proto = lag_parse_eth(&c, &eth, &vlan);
	if (!eth)
		return -1;
	f->vlan = vlan;
	if (policy == LAG_HASH_L2)
		goto l2;
	ret = lag_parse_l3(&c, proto, f, l4);
	if (ret < 0)
		goto l2;
	if (policy == LAG_HASH_L23) {
		f->sport = lag_mac_fold(eth->h_source);
		f->dport = lag_mac_fold(eth->h_dest);
		return 0;
	}
	if (policy == LAG_HASH_ENCAP34 && ret == 0)
		lag_parse_encap(&c, f); /* not encapsulated: keep the outer key */
	return 0;
l2:
	__builtin_memset(f, 0, sizeof(*f));
	f->vlan = vlan;
	lag_flow_l2(f, eth, proto);
	return ret == -1;
}

#endif
