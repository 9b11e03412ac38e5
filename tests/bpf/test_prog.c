// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_PROG_TEST_RUN fixtures for the three programs, loaded by maps_load() as the
 * controller loads them (maps pinned in a private folder). Each case is a crafted frame
 * with an expected verdict and counter deltas; for lag_tx the chosen member (seen through
 * its per-member tx counter, test_run does not return the redirect target) must be the
 * one userspace computes with hash.bpf.h from a flow key written out by hand.
 * Needs root/CAP_BPF: without it every test skips and says why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/mman.h>
#include <linux/if_link.h>
#include <xdp/xsk.h>
#include <cmocka.h>

#include "fixture.h"
#include "sys/clock.h"

#define SEED	   0x5eed0001u
#define LAG_IFX	   77
#define LO	   1 /* loopback: the device lag_rx/lag_xdp test runs see */
#define N_MEM	   4
#define ETH_P_IP   0x0800
#define ETH_P_IPV6 0x86dd
#define ETH_P_ARP  0x0806

static struct fx F;
static const __u32 mem[N_MEM] = { 101, 102, 103, 104 };
static struct lag_table live;

static const __u8 mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01 };
static const __u8 mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x0b, 0x02 };
static const __u8 slow_dst[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x02 };
static const __u8 ip6_a[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0x11, 0, 0, 0, 0, 0, 0, 0, 1 };
static const __u8 ip6_b[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0x22, 0, 0, 0, 0, 0, 0, 0, 2 };

/* lag_slow, read as the controller reads it (maps_slow_ring_*). */
static struct lag_slow_ring *ring;

struct got {
	unsigned n;
	__u32 ifindex[16];
	size_t len[16];
	__u8 frame[16][LAG_SLOW_FRAME_MAX];
};

static void got_frame(void *ctx, __u32 ifindex, const void *frame, size_t len)
{
	struct got *g = ctx;

	if (g->n < 16) {
		g->ifindex[g->n] = ifindex;
		g->len[g->n] = len;
		memcpy(g->frame[g->n], frame, len < LAG_SLOW_FRAME_MAX ? len : LAG_SLOW_FRAME_MAX);
	}
	g->n++;
}

/* Every record waiting in lag_slow; returns how many. */
static unsigned ring_read(struct got *g)
{
	int n;

	memset(g, 0, sizeof(*g));
	n = maps_slow_ring_rx(ring, got_frame, g);
	assert_true(n >= 0);
	assert_int_equal((unsigned)n, g->n);
	return g->n;
}

static void ring_drain(void)
{
	struct got g;

	ring_read(&g);
}

static int group_setup(void **state)
{
	(void)state;
	if (fx_load(&F, "prog"))
		return -1;
	if (F.skip_reason[0]) {
		print_message("skipping every test: %s\n", F.skip_reason);
		return 0;
	}
	return maps_slow_ring_open(&ring, &F.m) ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	maps_slow_ring_close(ring);
	fx_unload(&F);
	return 0;
}

static void set_policy(__u32 policy)
{
	struct lag_cfg cfg = { .lag_ifindex = LAG_IFX,
			       .peer_ifindex = LAG_IFX + 1,
			       .hash_policy = policy,
			       .hash_seed = SEED };

	assert_int_equal(maps_cfg_set(&F.m, &cfg), 0);
}

static void set_lo_flags(__u32 flags)
{
	struct lag_member lo = { .ifindex = LO, .slot = fx_slot(LO), .flags = flags };

	assert_int_equal(maps_member_put(&F.m, &lo), 0);
}

/* Every test starts from: l34, 4 members in slot 0 live, slot 1 empty, loopback a
 * collecting member, all counters zero.
 */
static int setup(void **state)
{
	struct lag_table empty;

	(void)state;
	if (F.skip_reason[0])
		return 0;
	set_policy(LAG_HASH_L34);
	assert_int_equal(fx_table(&F, LAG_TABLE_LIVE0, mem, N_MEM, &live), 0);
	assert_int_equal(fx_table(&F, LAG_TABLE_LIVE1, NULL, 0, &empty), 0);
	assert_int_equal(maps_active_set(&F.m, LAG_TABLE_LIVE0), 0);
	for (unsigned i = 0; i < N_MEM; i++)
		assert_int_equal(maps_cnt_init(&F.m, fx_slot(mem[i])), 0);
	assert_int_equal(maps_cnt_init(&F.m, fx_slot(LO)), 0);
	set_lo_flags(LAG_M_COLLECTING | LAG_M_DISTRIBUTING);
	assert_int_equal(fx_reset_lag_counters(&F), 0);
	assert_int_equal(maps_police_reset(&F.m, 3), 0);
	ring_drain();
	assert_int_equal(maps_heartbeat_set(&F.m, 0, 0), 0); /* no dead-man */
	return 0;
}

#define NEED_BPF()                                                                                 \
	do {                                                                                       \
		if (F.skip_reason[0])                                                              \
			skip();                                                                    \
	} while (0)

/* ---- flow keys written out by hand, as parse.bpf.h must fill them ---- */

static struct lag_flow k4(__u32 s, __u32 d, __u16 proto, __u16 sp, __u16 dp, __u16 vlan)
{
	struct lag_flow k;

	memset(&k, 0, sizeof(k));
	k.src[0] = htonl(s);
	k.dst[0] = htonl(d);
	k.proto = proto;
	k.sport = htons(sp);
	k.dport = htons(dp);
	k.vlan = vlan;
	return k;
}

static struct lag_flow k6(const __u8 *s, const __u8 *d, __u16 proto, __u16 sp, __u16 dp)
{
	struct lag_flow k;

	memset(&k, 0, sizeof(k));
	memcpy(k.src, s, 16);
	memcpy(k.dst, d, 16);
	k.proto = proto;
	k.sport = htons(sp);
	k.dport = htons(dp);
	return k;
}

static struct lag_flow kl2(const __u8 *dst, const __u8 *src, __u16 ethertype, __u16 vlan)
{
	struct lag_flow k;

	memset(&k, 0, sizeof(k));
	memcpy(k.src, src, 6);
	memcpy(k.dst, dst, 6);
	k.proto = ethertype;
	k.vlan = vlan;
	return k;
}

static __u16 fold(const __u8 *m)
{
	return (__u16)((m[0] << 8 | m[1]) ^ (m[2] << 8 | m[3]) ^ (m[4] << 8 | m[5]));
}

/* l23: the l3 key without ports, the folded MACs in their place. */
static struct lag_flow k23(struct lag_flow k, const __u8 *dst, const __u8 *src)
{
	k.sport = fold(src);
	k.dport = fold(dst);
	return k;
}

static __u32 expect_in(const struct lag_table *t, const struct lag_flow *k)
{
	return t->ifindex[lag_flow_hash(k, SEED) & (LAG_BUCKETS - 1)];
}

static __u32 expect(const struct lag_flow *k)
{
	return expect_in(&live, k);
}

/* ---- running the programs ---- */

static __u32 run(int fd, const struct frame *f, void *ctx, __u32 ctx_size)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b, .data_size_in = f->len, .ctx_in = ctx,
		    .ctx_size_in = ctx_size, .repeat = 1);

	assert_int_equal(bpf_prog_test_run_opts(fd, &o), 0);
	return o.retval;
}

static void cnt(__u32 ifindex, struct lag_counters *c)
{
	assert_int_equal(maps_cnt_sum(&F.m, fx_slot(ifindex), c), 0);
}

static void cnt_lag(struct lag_lag_counters *c)
{
	assert_int_equal(maps_cnt_lag_sum(&F.m, c), 0);
}

/* Run lag_tx on a frame. Returns the member it redirected to, known from the one
 * member tx counter that moved (by one packet and the frame's bytes), or 0 when it
 * dropped the frame (then no member counter moved and tx_no_member did).
 */
static __u32 tx_members(const struct frame *f, const __u32 *ms, unsigned n)
{
	struct lag_counters before[8], after;
	struct lag_lag_counters lb, la;
	__u64 load0[LAG_BUCKETS], load1[LAG_BUCKETS];
	__u32 chosen = 0, ret;
	unsigned int moved = 0;

	for (unsigned i = 0; i < n; i++)
		cnt(ms[i], &before[i]);
	cnt_lag(&lb);
	assert_int_equal(maps_load_read(&F.m, load0), 0);
	ret = run(F.fd_tx, f, NULL, 0);
	cnt_lag(&la);
	assert_int_equal(maps_load_read(&F.m, load1), 0);
	/* lag_load: the frame's bytes on its one bucket, if it was sent. */
	for (unsigned b = 0; b < LAG_BUCKETS; b++) {
		if (load1[b] == load0[b])
			continue;
		assert_int_equal(load1[b], load0[b] + f->len);
		moved++;
	}
	assert_int_equal(moved, ret == TC_ACT_REDIRECT ? 1 : 0);
	for (unsigned i = 0; i < n; i++) {
		cnt(ms[i], &after);
		if (after.tx_packets == before[i].tx_packets)
			continue;
		assert_int_equal(after.tx_packets, before[i].tx_packets + 1);
		assert_int_equal(after.tx_bytes, before[i].tx_bytes + f->len);
		assert_int_equal(chosen, 0); /* one member only */
		chosen = ms[i];
	}
	if (ret == TC_ACT_SHOT) {
		assert_int_equal(chosen, 0);
		assert_int_equal(la.tx_no_member, lb.tx_no_member + 1);
		return 0;
	}
	assert_int_equal(ret, TC_ACT_REDIRECT);
	assert_int_not_equal(chosen, 0);
	assert_int_equal(la.tx_no_member, lb.tx_no_member);
	return chosen;
}

static __u32 tx(const struct frame *f)
{
	return tx_members(f, mem, N_MEM);
}

/* ---- frames ---- */

static void ip4_udp(struct frame *f, __u32 s, __u32 d, __u16 sp, __u16 dp)
{
	fr_macs(f, mac_b, mac_a);
	fr_u16(f, ETH_P_IP);
	fr_ip4(f, 17, s, d, 0, 8 + 32);
	fr_udp(f, sp, dp, 32);
	fr_zero(f, 32);
}

static void ip4_tcp_vlan(struct frame *f, const __u16 *tpid, const __u16 *vid, unsigned tags,
			 __u32 s, __u32 d, __u16 sp, __u16 dp)
{
	fr_macs(f, mac_b, mac_a);
	for (unsigned i = 0; i < tags; i++)
		fr_vlan(f, tpid[i], vid[i]);
	fr_u16(f, ETH_P_IP);
	fr_ip4(f, 6, s, d, 0, 20 + 10);
	fr_tcp(f, sp, dp);
	fr_zero(f, 10);
}

static void ip6_tcp(struct frame *f, const __u8 *s, const __u8 *d, __u16 sp, __u16 dp)
{
	fr_macs(f, mac_b, mac_a);
	fr_u16(f, ETH_P_IPV6);
	fr_ip6(f, 6, s, d, 20 + 10);
	fr_tcp(f, sp, dp);
	fr_zero(f, 10);
}

static void arp(struct frame *f, const __u8 *sha, __u32 spa, __u32 tpa)
{
	static const __u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	fr_macs(f, bcast, sha);
	fr_u16(f, ETH_P_ARP);
	fr_u16(f, 1); /* Ethernet */
	fr_u16(f, ETH_P_IP);
	fr_u8(f, 6);
	fr_u8(f, 4);
	fr_u16(f, 1); /* request */
	fr_put(f, sha, 6);
	fr_u32(f, spa);
	fr_zero(f, 6);
	fr_u32(f, tpa);
	fr_zero(f, 18); /* padding to 60 */
}

/* A slow-protocol frame of len octets (len >= 15): dst, subtype, version 1,
 * then a counting byte pattern (so a copy is checked byte for byte).
 */
static void slow(struct frame *f, const __u8 *dst, const __u8 *src, __u8 subtype, unsigned len)
{
	fr_macs(f, dst, src);
	fr_u16(f, ETH_P_SLOW_PROTO);
	fr_u8(f, subtype);
	while (f->len < len)
		fr_u8(f, (__u8)f->len);
}

static void lacpdu(struct frame *f, const __u8 *src, __u8 subtype)
{
	slow(f, slow_dst, src, subtype, 124); /* 1 LACP, 2 Marker */
}

static __u32 ip(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return (__u32)a << 24 | b << 16 | c << 8 | d;
}

/* ---- lag_tx ---- */

/* 64 IPv4/UDP flows: each on the member userspace computes, every member used. */
static void test_tx_ipv4_udp(void **state)
{
	unsigned used[N_MEM] = { 0 };
	struct frame f;

	(void)state;
	NEED_BPF();
	for (unsigned i = 0; i < 64; i++) {
		__u32 s = ip(10, 71, 0, 1 + i), d = ip(10, 71, 1, 200 - i);
		struct lag_flow k = k4(s, d, 17, 40000 + i * 13, 5201, 0);
		__u32 m;

		ip4_udp(&f, s, d, 40000 + i * 13, 5201);
		m = tx(&f);
		assert_int_equal(m, expect(&k));
		used[m - mem[0]]++;
	}
	for (unsigned i = 0; i < N_MEM; i++)
		assert_true(used[i] > 0);
}

static void test_tx_ipv6_tcp(void **state)
{
	__u8 s[16], d[16];
	struct frame f;

	(void)state;
	NEED_BPF();
	memcpy(s, ip6_a, 16);
	memcpy(d, ip6_b, 16);
	for (unsigned i = 0; i < 32; i++) {
		struct lag_flow k;

		s[15] = (__u8)i;
		d[9] = (__u8)(i * 7);
		k = k6(s, d, 6, 33000 + i, 443);
		ip6_tcp(&f, s, d, 33000 + i, 443);
		assert_int_equal(tx(&f), expect(&k));
	}
}

/* 802.1Q and QinQ (802.1ad outer): the outermost VID is part of the key. */
static void test_tx_vlan_and_qinq(void **state)
{
	const __u16 tpid1[1] = { 0x8100 }, vid1[1] = { 100 };
	const __u16 tpid2[2] = { 0x88a8, 0x8100 }, vid2[2] = { 0x2000 | 200, 100 };
	struct frame f;

	(void)state;
	NEED_BPF();
	for (unsigned i = 0; i < 32; i++) {
		__u32 s = ip(10, 71, 2, 1 + i), d = ip(10, 71, 3, 1);
		struct lag_flow k = k4(s, d, 6, 50000 + i, 80, 100);

		ip4_tcp_vlan(&f, tpid1, vid1, 1, s, d, 50000 + i, 80);
		assert_int_equal(tx(&f), expect(&k));
		k = k4(s, d, 6, 50000 + i, 80, 200); /* PCP bits masked off */
		ip4_tcp_vlan(&f, tpid2, vid2, 2, s, d, 50000 + i, 80);
		assert_int_equal(tx(&f), expect(&k));
	}
}

/* ARP hashes on its IPv4 addresses, so it follows the hosts. */
static void test_tx_arp(void **state)
{
	struct frame f;

	(void)state;
	NEED_BPF();
	for (unsigned i = 0; i < 32; i++) {
		__u32 spa = ip(10, 71, 4, 1 + i), tpa = ip(10, 71, 4, 250);
		struct lag_flow k = k4(spa, tpa, ETH_P_ARP, 0, 0, 0);

		arp(&f, mac_a, spa, tpa);
		assert_int_equal(tx(&f), expect(&k));
	}
}

/* Every fragment of a datagram (first one with ports, later ones without) hashes on
 * L3 only and takes one member.
 */
static void test_tx_ipv4_fragments(void **state)
{
	struct frame f;

	(void)state;
	NEED_BPF();
	for (unsigned i = 0; i < 32; i++) {
		__u32 s = ip(10, 71, 5, 1 + i), d = ip(10, 71, 6, 9), m;
		struct lag_flow k = k4(s, d, 17, 0, 0, 0);

		fr_macs(&f, mac_b, mac_a); /* first: MF, offset 0, UDP header */
		fr_u16(&f, ETH_P_IP);
		fr_ip4(&f, 17, s, d, 0x2000, 8 + 1472);
		fr_udp(&f, 1234 + i, 5000, 1472);
		fr_zero(&f, 64);
		m = tx(&f);
		assert_int_equal(m, expect(&k));

		fr_macs(&f, mac_b, mac_a); /* middle: MF, offset 185 (1480 bytes) */
		fr_u16(&f, ETH_P_IP);
		fr_ip4(&f, 17, s, d, 0x2000 | 185, 1480);
		fr_u16(&f, 0xabcd); /* payload that would read as ports */
		fr_u16(&f, 0x1234);
		fr_zero(&f, 60);
		assert_int_equal(tx(&f), m);

		fr_macs(&f, mac_b, mac_a); /* last: offset 370, no MF */
		fr_u16(&f, ETH_P_IP);
		fr_ip4(&f, 17, s, d, 370, 100);
		fr_u16(&f, 0x4321);
		fr_u16(&f, 0x8765);
		fr_zero(&f, 40);
		assert_int_equal(tx(&f), m);
	}
}

static void ip6_frag(struct frame *f, const __u8 *s, const __u8 *d, __u16 off, int more, __u16 sp)
{
	fr_macs(f, mac_b, mac_a);
	fr_u16(f, ETH_P_IPV6);
	fr_ip6(f, 44, s, d, 8 + 8 + 32);
	fr_u8(f, 17); /* next header: UDP */
	fr_u8(f, 0);
	fr_u16(f, (__u16)(off << 3 | (more ? 1 : 0)));
	fr_u32(f, 0xfeed); /* identification */
	fr_udp(f, sp, 53, 32);
	fr_zero(f, 32);
}

static void test_tx_ipv6_fragments(void **state)
{
	__u8 s[16];
	struct frame f;

	(void)state;
	NEED_BPF();
	memcpy(s, ip6_a, 16);
	for (unsigned i = 0; i < 32; i++) {
		struct lag_flow k;
		__u32 m;

		s[14] = (__u8)i;
		k = k6(s, ip6_b, 0, 0, 0); /* fragment: addresses only, proto 0 */
		ip6_frag(&f, s, ip6_b, 0, 1, 7000 + i);
		m = tx(&f);
		assert_int_equal(m, expect(&k));
		ip6_frag(&f, s, ip6_b, 181, 0, 9999 - i); /* later fragment, "ports" differ */
		assert_int_equal(tx(&f), m);
	}
}

/* A LACPDU (or any EtherType l34 cannot key on) is hashed on L2, not dropped. Not
 * truncated: tx_parse_short stays put.
 */
static void test_tx_lacpdu_l2_fallback(void **state)
{
	struct lag_lag_counters lc;
	__u8 src[6];
	struct frame f;

	(void)state;
	NEED_BPF();
	memcpy(src, mac_a, 6);
	for (unsigned i = 0; i < 32; i++) {
		struct lag_flow k;

		src[5] = (__u8)i;
		k = kl2(slow_dst, src, ETH_P_SLOW_PROTO, 0);
		lacpdu(&f, src, 1);
		assert_int_equal(tx(&f), expect(&k));
	}
	cnt_lag(&lc);
	assert_int_equal(lc.tx_parse_short, 0);
}

/* Ethernet and an 802.1Q tag with VID 5, then `type`. The kernel's test_run refuses
 * an untagged frame whose IP header is cut short (it reads it), so cut IP headers
 * travel tagged, as they may on the wire.
 */
static void tagged(struct frame *f, const __u8 *src, __u16 type)
{
	fr_macs(f, mac_b, src);
	fr_vlan(f, 0x8100, 5);
	fr_u16(f, type);
}

/* Truncated headers: cut IPv4/IPv6/ARP/VLAN fall back to the L2 key (and count
 * tx_parse_short); an IPv4 datagram cut inside its UDP header keys on L3 only.
 */
static void test_tx_truncated(void **state)
{
	static const __u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct lag_lag_counters lc;
	unsigned shorts = 0;
	__u8 src[6];
	struct frame f;

	(void)state;
	NEED_BPF();
	memcpy(src, mac_a, 6);
	for (unsigned i = 0; i < 16; i++) {
		__u32 s = ip(10, 71, 7, 1 + i), d = ip(10, 71, 8, 1);
		struct lag_flow k;

		src[5] = (__u8)(0x40 + i);
		k = kl2(mac_b, src, ETH_P_IP, 5);
		/* One byte of IPv4 header. */
		tagged(&f, src, ETH_P_IP);
		fr_u8(&f, 0x45);
		assert_int_equal(tx(&f), expect(&k));
		shorts++;
		/* 10 of 20 IPv4 header bytes. */
		tagged(&f, src, ETH_P_IP);
		fr_ip4(&f, 17, s, d, 0, 0);
		f.len -= 10;
		assert_int_equal(tx(&f), expect(&k));
		shorts++;
		/* IHL 15 (60 bytes) with only 20 present. */
		tagged(&f, src, ETH_P_IP);
		fr_ip4(&f, 17, s, d, 0, 0);
		f.b[18] = 0x4f;
		assert_int_equal(tx(&f), expect(&k));
		shorts++;
		/* IHL 4 (16 bytes): not a valid header. */
		f.b[18] = 0x44;
		assert_int_equal(tx(&f), expect(&k));
		shorts++;
		/* IPv6 header cut at 30 of 40 bytes. */
		tagged(&f, src, ETH_P_IPV6);
		fr_ip6(&f, 6, ip6_a, ip6_b, 0);
		f.len -= 10;
		k = kl2(mac_b, src, ETH_P_IPV6, 5);
		assert_int_equal(tx(&f), expect(&k));
		shorts++;
		/* Full IPv4 header, UDP header cut after 4 bytes: L3 key, no ports. */
		fr_macs(&f, mac_b, src);
		fr_u16(&f, ETH_P_IP);
		fr_ip4(&f, 17, s, d, 0, 8);
		fr_u16(&f, 1111);
		fr_u16(&f, 2222);
		k = k4(s, d, 17, 0, 0, 0);
		assert_int_equal(tx(&f), expect(&k));
		/* ARP cut before the target protocol address. */
		arp(&f, src, s, d);
		f.len = 14 + 8 + 14;
		k = kl2(bcast, src, ETH_P_ARP, 0);
		assert_int_equal(tx(&f), expect(&k));
		shorts++;
		/* 802.1Q tag cut in half: no VID, no EtherType. */
		fr_macs(&f, mac_b, src);
		fr_u16(&f, 0x8100);
		fr_u16(&f, 100);
		f.len -= 1;
		k = kl2(mac_b, src, 0, 0);
		assert_int_equal(tx(&f), expect(&k));
		shorts++;
	}
	cnt_lag(&lc);
	print_message("tx_parse_short %llu after %u truncated frames\n",
		      (unsigned long long)lc.tx_parse_short, shorts);
	assert_int_equal(lc.tx_parse_short, shorts);
}

static void vxlan_frame(struct frame *f, __u32 os, __u32 od, __u16 osp, __u32 is, __u32 id,
			__u16 isp, __u16 idp)
{
	fr_macs(f, mac_b, mac_a);
	fr_u16(f, ETH_P_IP);
	fr_ip4(f, 17, os, od, 0, 8 + 8 + 14 + 20 + 20);
	fr_udp(f, osp, 4789, 8 + 14 + 20 + 20);
	fr_u32(f, 0x08000000); /* VXLAN: I flag */
	fr_u32(f, 42 << 8);    /* VNI 42 */
	fr_put(f, mac_a, 6);   /* inner Ethernet */
	fr_put(f, mac_b, 6);
	fr_u16(f, ETH_P_IP);
	fr_ip4(f, 6, is, id, 0, 20);
	fr_tcp(f, isp, idp);
}

/* encap34: VXLAN keys on the inner IPv4/TCP; l34 on the same frames keys on the outer
 * headers; a frame that is not encapsulated keys as l34.
 */
static void test_tx_encap34_vxlan(void **state)
{
	const __u32 os = ip(192, 0, 2, 1), od = ip(192, 0, 2, 2);
	unsigned used[N_MEM] = { 0 }, n_used = 0;
	struct lag_flow outer = k4(os, od, 17, 49152, 4789, 0);
	struct frame f;

	(void)state;
	NEED_BPF();
	set_policy(LAG_HASH_ENCAP34);
	for (unsigned i = 0; i < 32; i++) {
		__u32 is = ip(10, 71, 9, 1 + i), id = ip(10, 71, 10, 1);
		struct lag_flow k = k4(is, id, 6, 41000 + i, 22, 0);
		__u32 m;

		vxlan_frame(&f, os, od, 49152, is, id, 41000 + i, 22);
		m = tx(&f);
		assert_int_equal(m, expect(&k));
		n_used += !used[m - mem[0]]++;
	}
	assert_true(n_used > 1); /* inner flows spread though the outer header is fixed */
	/* Not encapsulated: the outer key. */
	ip4_udp(&f, os, od, 49152, 4790);
	outer.dport = htons(4790);
	assert_int_equal(tx(&f), expect(&outer));

	set_policy(LAG_HASH_L34);
	outer.dport = htons(4789);
	for (unsigned i = 0; i < 8; i++) {
		vxlan_frame(&f, os, od, 49152, ip(10, 71, 9, 1 + i), ip(10, 71, 10, 1), 41000 + i,
			    22);
		assert_int_equal(tx(&f), expect(&outer));
	}
}

/* encap34 over GRE: plain GRE carrying IPv4, keyed GRE carrying Ethernet (TEB) with
 * IPv6 inside; GRE with the routing bit is not parsed and keeps the outer key.
 */
static void test_tx_encap34_gre(void **state)
{
	const __u32 os = ip(192, 0, 2, 5), od = ip(192, 0, 2, 6);
	__u8 is6[16];
	struct frame f;

	(void)state;
	NEED_BPF();
	set_policy(LAG_HASH_ENCAP34);
	memcpy(is6, ip6_a, 16);
	for (unsigned i = 0; i < 32; i++) {
		__u32 is = ip(10, 71, 11, 1 + i), id = ip(10, 71, 12, 1);
		struct lag_flow k = k4(is, id, 17, 30000 + i, 4000, 0);

		fr_macs(&f, mac_b, mac_a);
		fr_u16(&f, ETH_P_IP);
		fr_ip4(&f, 47, os, od, 0, 4 + 20 + 8 + 8);
		fr_u16(&f, 0); /* GRE: no flags, version 0 */
		fr_u16(&f, ETH_P_IP);
		fr_ip4(&f, 17, is, id, 0, 8 + 8);
		fr_udp(&f, 30000 + i, 4000, 8);
		fr_zero(&f, 8);
		assert_int_equal(tx(&f), expect(&k));

		is6[13] = (__u8)i;
		k = k6(is6, ip6_b, 6, 20000 + i, 8443);
		fr_macs(&f, mac_b, mac_a);
		fr_u16(&f, ETH_P_IP);
		fr_ip4(&f, 47, os, od, 0, 8 + 14 + 40 + 20);
		fr_u16(&f, 0x2000); /* K: a 4-byte key follows */
		fr_u16(&f, 0x6558); /* transparent Ethernet bridging */
		fr_u32(&f, 0xabcdef);
		fr_put(&f, mac_a, 6);
		fr_put(&f, mac_b, 6);
		fr_u16(&f, ETH_P_IPV6);
		fr_ip6(&f, 6, is6, ip6_b, 20);
		fr_tcp(&f, 20000 + i, 8443);
		assert_int_equal(tx(&f), expect(&k));
	}
	{
		struct lag_flow k = k4(os, od, 47, 0, 0, 0);

		fr_macs(&f, mac_b, mac_a);
		fr_u16(&f, ETH_P_IP);
		fr_ip4(&f, 47, os, od, 0, 4 + 20 + 8);
		fr_u16(&f, 0x4000); /* routing present: not parsed */
		fr_u16(&f, ETH_P_IP);
		fr_ip4(&f, 17, ip(10, 71, 13, 1), ip(10, 71, 13, 2), 0, 8);
		fr_udp(&f, 1, 2, 0);
		assert_int_equal(tx(&f), expect(&k));
	}
}

/* Two frames differing only in the L4 source port: may part under l34 (a pair that
 * does is picked), never under l23 or l2. Each policy's key is checked exactly.
 */
static void test_tx_policies(void **state)
{
	const __u32 s = ip(10, 71, 14, 1), d = ip(10, 71, 14, 2);
	struct lag_flow ka = k4(s, d, 6, 10000, 80, 0), kb;
	__u16 sp2 = 0;
	struct frame fa, fb;
	__u32 ma, mb;

	(void)state;
	NEED_BPF();
	for (unsigned p = 10001; p < 11000 && !sp2; p++) {
		kb = k4(s, d, 6, (__u16)p, 80, 0);
		if (expect(&kb) != expect(&ka))
			sp2 = (__u16)p;
	}
	assert_int_not_equal(sp2, 0);
	ip4_tcp_vlan(&fa, NULL, NULL, 0, s, d, 10000, 80);
	ip4_tcp_vlan(&fb, NULL, NULL, 0, s, d, sp2, 80);

	ma = tx(&fa);
	mb = tx(&fb);
	assert_int_equal(ma, expect(&ka));
	assert_int_equal(mb, expect(&kb));
	assert_int_not_equal(ma, mb);

	set_policy(LAG_HASH_L23);
	ka = k23(k4(s, d, 6, 0, 0, 0), mac_b, mac_a);
	ma = tx(&fa);
	assert_int_equal(ma, expect(&ka));
	assert_int_equal(tx(&fb), ma);
	/* l23 does follow the addresses: 32 hosts spread over more than one member. */
	{
		unsigned seen = 0;

		for (unsigned i = 0; i < 32; i++) {
			struct lag_flow k = k23(k4(ip(10, 71, 15, i), d, 6, 0, 0, 0), mac_b, mac_a);
			__u32 m;

			ip4_tcp_vlan(&fa, NULL, NULL, 0, ip(10, 71, 15, i), d, 10000, 80);
			m = tx(&fa);
			assert_int_equal(m, expect(&k));
			seen |= 1u << (m - mem[0]);
		}
		assert_int_not_equal(seen & (seen - 1), 0);
	}

	set_policy(LAG_HASH_L2);
	ip4_tcp_vlan(&fa, NULL, NULL, 0, s, d, 10000, 80);
	ka = kl2(mac_b, mac_a, ETH_P_IP, 0);
	ma = tx(&fa);
	assert_int_equal(ma, expect(&ka));
	assert_int_equal(tx(&fb), ma);
	/* Under l2 even another IP pair stays on the member of the MAC pair. */
	ip4_tcp_vlan(&fa, NULL, NULL, 0, ip(10, 71, 16, 1), ip(10, 71, 16, 2), 1, 2);
	assert_int_equal(tx(&fa), ma);
	{
		const __u16 tpid[1] = { 0x8100 }, vid[1] = { 7 };

		ip4_tcp_vlan(&fa, tpid, vid, 1, s, d, 10000, 80);
		ka = kl2(mac_b, mac_a, ETH_P_IP, 7);
		assert_int_equal(tx(&fa), expect(&ka));
	}
}

/* No distributing member: the frame is dropped and counted. Also a live slot with
 * an empty table.
 */
static void test_tx_no_member(void **state)
{
	struct lag_table t;
	struct frame f;

	(void)state;
	NEED_BPF();
	ip4_udp(&f, ip(10, 71, 17, 1), ip(10, 71, 17, 2), 1000, 2000);
	assert_int_equal(fx_table(&F, LAG_TABLE_LIVE0, NULL, 0, &t), 0);
	assert_int_equal(tx(&f), 0);
	assert_int_equal(fx_table(&F, LAG_TABLE_LIVE0, mem, N_MEM, &t), 0);
	assert_int_not_equal(tx(&f), 0);
	assert_int_equal(maps_active_set(&F.m, LAG_TABLE_LIVE1), 0); /* empty slot */
	assert_int_equal(tx(&f), 0);
	assert_int_equal(maps_active_set(&F.m, LAG_TABLE_LOSS(LAG_MAX_MEMBERS - 1)), 0);
	assert_int_equal(tx(&f), 0);
}

/* Flipping lag_active moves traffic to the other slot's members, and back. */
#define SEC_NS 1000000000ull

/* lag_tx under a stale heartbeat: every frame, of any kind, even with no member to take
 * it, is dropped and counted in tx_deadman alone; no member counter moves.
 */
static void tx_deadman_drops(const struct frame *f, __u64 times)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b, .data_size_in = f->len,
		    .repeat = (int)times);
	struct lag_counters before[N_MEM], after;
	struct lag_lag_counters lb, la;

	for (unsigned i = 0; i < N_MEM; i++)
		cnt(mem[i], &before[i]);
	cnt_lag(&lb);
	assert_int_equal(bpf_prog_test_run_opts(F.fd_tx, &o), 0);
	assert_int_equal(o.retval, TC_ACT_SHOT);
	cnt_lag(&la);
	assert_int_equal(la.tx_deadman, lb.tx_deadman + times);
	assert_int_equal(la.tx_no_member, lb.tx_no_member);
	assert_int_equal(la.tx_redirect_err, lb.tx_redirect_err);
	for (unsigned i = 0; i < N_MEM; i++) {
		cnt(mem[i], &after);
		assert_int_equal(after.tx_packets, before[i].tx_packets);
	}
}

/* The dead-man (lag_heartbeat): a heartbeat refreshed within its timeout distributes as
 * usual (also one stamped a little ahead of the program's clock); one older than its
 * timeout drops every frame and counts tx_deadman; the timeout is the heartbeat's own
 * (90 s at slow rate); a refresh brings distribution back; 0 (never refreshed, as here
 * before any controller) is no dead-man, however old.
 */
static void test_tx_deadman(void **state)
{
	struct lag_lag_counters lc;
	struct lag_table t;
	struct frame f, a;
	__u64 now;

	(void)state;
	NEED_BPF();
	ip4_udp(&f, ip(10, 71, 18, 1), ip(10, 71, 18, 2), 1000, 2000);
	arp(&a, mac_a, ip(10, 71, 18, 1), ip(10, 71, 18, 2));
	now = clock_now_ns();

	assert_int_equal(maps_heartbeat_set(&F.m, now, 3 * SEC_NS), 0);
	assert_int_not_equal(tx(&f), 0);
	assert_int_not_equal(tx(&a), 0);
	assert_int_equal(maps_heartbeat_set(&F.m, now + SEC_NS, 3 * SEC_NS), 0);
	assert_int_not_equal(tx(&f), 0);

	assert_int_equal(maps_heartbeat_set(&F.m, now - 4 * SEC_NS, 3 * SEC_NS), 0);
	tx_deadman_drops(&f, 1);
	tx_deadman_drops(&a, 1);
	tx_deadman_drops(&f, 100);
	assert_int_equal(fx_table(&F, LAG_TABLE_LIVE0, NULL, 0, &t), 0);
	tx_deadman_drops(&f, 1); /* the dead-man first: not tx_no_member */
	assert_int_equal(fx_table(&F, LAG_TABLE_LIVE0, mem, N_MEM, &t), 0);

	assert_int_equal(maps_heartbeat_set(&F.m, now - 4 * SEC_NS, 90 * SEC_NS), 0);
	assert_int_not_equal(tx(&f), 0);
	assert_int_equal(maps_heartbeat_set(&F.m, now - 91 * SEC_NS, 90 * SEC_NS), 0);
	tx_deadman_drops(&f, 1);

	assert_int_equal(maps_heartbeat_set(&F.m, clock_now_ns(), 3 * SEC_NS), 0);
	assert_int_not_equal(tx(&f), 0);
	assert_int_equal(maps_heartbeat_set(&F.m, 0, 3 * SEC_NS), 0);
	assert_int_not_equal(tx(&f), 0);

	cnt_lag(&lc);
	assert_int_equal(lc.tx_deadman, 1 + 1 + 100 + 1 + 1);
	assert_int_equal(lc.tx_no_member, 0);
}

static void test_tx_slot_flip(void **state)
{
	const __u32 other[2] = { 201, 202 }, all[6] = { 101, 102, 103, 104, 201, 202 };
	struct lag_table t1;
	struct frame f;

	(void)state;
	NEED_BPF();
	assert_int_equal(maps_cnt_init(&F.m, fx_slot(201)), 0);
	assert_int_equal(maps_cnt_init(&F.m, fx_slot(202)), 0);
	assert_int_equal(fx_table(&F, LAG_TABLE_LIVE1, other, 2, &t1), 0);
	for (unsigned i = 0; i < 16; i++) {
		__u32 s = ip(10, 71, 18, i), d = ip(10, 71, 18, 200);
		struct lag_flow k = k4(s, d, 17, 7777, 53, 0);

		ip4_udp(&f, s, d, 7777, 53);
		assert_int_equal(maps_active_set(&F.m, LAG_TABLE_LIVE1), 0);
		assert_int_equal(tx_members(&f, all, 6), expect_in(&t1, &k));
		assert_int_equal(maps_active_set(&F.m, LAG_TABLE_LIVE0), 0);
		assert_int_equal(tx_members(&f, all, 6), expect(&k));
	}
}

/* ---- lag_xdp (member ingress) on loopback, a fake member in slot 3 ---- */

static __u32 xdp(const struct frame *f)
{
	struct xdp_md ctx = { .data_end = f->len, .ingress_ifindex = LO, .rx_queue_index = 0 };

	return run(F.fd_xdp, f, &ctx, sizeof(ctx));
}

static __u32 xdp_on(const struct frame *f, __u32 ifindex, __u32 queue)
{
	struct xdp_md ctx = { .data_end = f->len,
			      .ingress_ifindex = ifindex,
			      .rx_queue_index = queue };

	return run(F.fd_xdp, f, &ctx, sizeof(ctx));
}

static void set_police(__u32 rate, __u32 burst)
{
	assert_int_equal(maps_slow_police_set(&F.m, rate, burst), 0);
	assert_int_equal(maps_police_reset(&F.m, 3), 0);
}

/* LACPDU and Marker with no AF_XDP socket registered: not lost but handed to the
 * controller through lag_slow (slow_xsk_miss, slow_to_ring), byte for byte, whatever
 * the member's collecting state; never counted as delivered to a socket.
 */
static void test_xdp_slow_no_xsk(void **state)
{
	struct lag_counters c;
	struct frame f[3];
	struct got g;

	(void)state;
	NEED_BPF();
	lacpdu(&f[0], mac_a, 1);
	assert_int_equal(xdp(&f[0]), XDP_DROP);
	lacpdu(&f[1], mac_a, 2);
	assert_int_equal(xdp(&f[1]), XDP_DROP);
	set_lo_flags(0);
	lacpdu(&f[2], mac_b, 1);
	assert_int_equal(xdp(&f[2]), XDP_DROP);
	cnt(LO, &c);
	assert_int_equal(c.slow_rx, 3);
	assert_int_equal(c.slow_rx_xdp, 3);
	assert_int_equal(c.slow_rx_tc, 0);
	assert_int_equal(c.slow_xsk_miss, 3);
	assert_int_equal(c.slow_to_ring, 3);
	assert_int_equal(c.slow_to_xsk, 0);
	assert_int_equal(c.slow_dropped, 0);
	assert_int_equal(c.rx_dropped, 0);
	assert_int_equal(ring_read(&g), 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(g.ifindex[i], LO);
		assert_int_equal(g.len[i], 124);
		assert_memory_equal(g.frame[i], f[i].b, 124);
	}
}

/* Only LACP and Marker PDUs to the Slow Protocols address, 124 octets or more, reach
 * the controller; every other 0x8809 frame is dropped and counted by reason. A padded
 * PDU passes, cut to LAG_SLOW_FRAME_MAX octets in the ring.
 */
static void test_xdp_slow_filter(void **state)
{
	static const __u8 other_group[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x03 };
	static const __u8 subtypes[4] = { 0, 3, 10, 0xee };
	struct lag_counters c;
	struct frame f;
	struct got g;

	(void)state;
	NEED_BPF();
	slow(&f, other_group, mac_a, 1, 124);
	assert_int_equal(xdp(&f), XDP_DROP);
	slow(&f, mac_b, mac_a, 2, 124);
	assert_int_equal(xdp(&f), XDP_DROP);
	for (unsigned i = 0; i < 4; i++) {
		slow(&f, slow_dst, mac_a, subtypes[i], 124);
		assert_int_equal(xdp(&f), XDP_DROP);
	}
	slow(&f, slow_dst, mac_a, 1, 123);
	assert_int_equal(xdp(&f), XDP_DROP);
	slow(&f, slow_dst, mac_a, 2, 60);
	assert_int_equal(xdp(&f), XDP_DROP);
	slow(&f, slow_dst, mac_a, 1, 15);
	f.len = 14; /* Ethernet header alone */
	assert_int_equal(xdp(&f), XDP_DROP);
	cnt(LO, &c);
	assert_int_equal(c.slow_bad_dst, 2);
	assert_int_equal(c.slow_bad_subtype, 4);
	assert_int_equal(c.slow_short, 3);
	assert_int_equal(c.slow_to_ring + c.slow_xsk_miss + c.slow_policed, 0);
	assert_int_equal(ring_read(&g), 0);

	slow(&f, slow_dst, mac_a, 1, 200); /* a longer (later version) PDU */
	assert_int_equal(xdp(&f), XDP_DROP);
	cnt(LO, &c);
	assert_int_equal(c.slow_rx, 10);
	assert_int_equal(c.slow_to_ring, 1);
	assert_int_equal(ring_read(&g), 1);
	assert_int_equal(g.len[0], LAG_SLOW_FRAME_MAX);
	assert_memory_equal(g.frame[0], f.b, LAG_SLOW_FRAME_MAX);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts))
		;
}

/* The per-member token bucket: a burst passes, the excess is dropped and counted; it
 * refills with time up to the burst; "unlimited" lets all through; the default (lag_cfg
 * zero) lets 100 through at once; XDP and TC draw from the one bucket.
 */
static void test_slow_police(void **state)
{
	struct lag_counters c;
	unsigned passed = 0;
	struct frame f;
	struct got g;

	(void)state;
	NEED_BPF();
	lacpdu(&f, mac_a, 1);
	set_police(1, 5);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(xdp(&f), XDP_DROP);
	cnt(LO, &c);
	assert_int_equal(c.slow_to_ring, 5);
	assert_int_equal(c.slow_policed, 3);
	assert_int_equal(ring_read(&g), 5);

	set_police(10, 2); /* one token per 100 ms, two at most */
	for (unsigned i = 0; i < 3; i++)
		xdp(&f);
	sleep_ms(350);
	for (unsigned i = 0; i < 3; i++)
		xdp(&f);
	cnt(LO, &c);
	assert_int_equal(c.slow_to_ring, 5 + 4);
	assert_int_equal(c.slow_policed, 3 + 2);
	ring_drain();

	set_police(LAG_SLOW_RATE_UNLIMITED, 0);
	for (unsigned i = 0; i < 200; i++)
		xdp(&f);
	cnt(LO, &c);
	assert_int_equal(c.slow_to_ring, 9 + 200);
	assert_int_equal(c.slow_policed, 5);
	ring_drain();

	set_police(0, 0); /* defaults: 50/s, burst 100 */
	for (unsigned i = 0; i < 110; i++)
		xdp(&f);
	cnt(LO, &c);
	passed = (unsigned)(c.slow_to_ring - 209);
	print_message("default policer: %u of 110 back-to-back frames passed\n", passed);
	assert_true(passed >= LAG_SLOW_BURST_DEFAULT && passed <= LAG_SLOW_BURST_DEFAULT + 2);
	assert_int_equal(c.slow_policed, 5 + 110 - passed);
	ring_drain();

	set_police(1, 3); /* XDP and TC share the member's bucket */
	assert_int_equal(xdp(&f), XDP_DROP);
	assert_int_equal(xdp(&f), XDP_DROP);
	assert_int_equal(run(F.fd_rx, &f, NULL, 0), TC_ACT_STOLEN);
	assert_int_equal(run(F.fd_rx, &f, NULL, 0), TC_ACT_SHOT);
	cnt(LO, &c);
	assert_int_equal(c.slow_rx_tc, 2);
	assert_int_equal(c.slow_to_ring, 209 + passed + 3);
	assert_int_equal(c.slow_policed, 5 + 110 - passed + 1);
	assert_int_equal(ring_read(&g), 3);
}

/* A member with 80 RX queues (a veth in a private namespace) and one AF_XDP socket, on
 * queue 1: a PDU on queue 1 goes to it (slow_to_xsk); one on queue 9 or 15 is not given
 * to the socket of queue 9 & 7 = 1 (the kernel would refuse it there) but goes through
 * lag_slow, counted as a miss; so does one on queue 65, above LAG_MAX_QUEUES.
 */
static void test_xdp_slow_queues(void **state)
{
	struct xsk_socket_config scfg = {
		.rx_size = 8,
		.tx_size = 8,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.xdp_flags = XDP_FLAGS_SKB_MODE,
		.bind_flags = XDP_COPY,
	};
	const size_t area_len = 16 * XSK_UMEM__DEFAULT_FRAME_SIZE;
	const __u32 slot = 5, key = slot * LAG_MAX_QUEUES + 1;
	struct xsk_ring_prod fq, tx;
	struct xsk_ring_cons cq, rx;
	struct xsk_socket *xsk = NULL;
	struct xsk_umem *umem = NULL;
	struct lag_member mb = {};
	struct lag_counters c;
	int home, ifx;
	struct frame f;
	void *area;
	struct got g;

	(void)state;
	NEED_BPF();
	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(home >= 0);
	assert_int_equal(unshare(CLONE_NEWNET), 0);
	assert_int_equal(
		system("ip link add lbpq0 numtxqueues 80 numrxqueues 80 type veth peer "
		       "name lbpq1 numtxqueues 80 numrxqueues 80 && ip link set lbpq0 up && "
		       "ip link set lbpq1 up"),
		0);
	ifx = (int)if_nametoindex("lbpq0");
	assert_true(ifx > 0);
	mb.ifindex = (__u32)ifx;
	mb.slot = slot;
	mb.flags = LAG_M_COLLECTING;
	assert_int_equal(maps_member_put(&F.m, &mb), 0);
	assert_int_equal(maps_cnt_init(&F.m, slot), 0);
	assert_int_equal(maps_police_reset(&F.m, slot), 0);

	area = mmap(NULL, area_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(area != MAP_FAILED);
	assert_int_equal(xsk_umem__create(&umem, area, area_len, &fq, &cq, NULL), 0);
	assert_int_equal(xsk_socket__create(&xsk, "lbpq0", 1, umem, &rx, &tx, &scfg), 0);
	assert_int_equal(maps_xsk_set(&F.m, key, xsk_socket__fd(xsk)), 0);

	lacpdu(&f, mac_a, 1);
	assert_int_equal(xdp_on(&f, mb.ifindex, 1), XDP_REDIRECT);
	assert_int_equal(xdp_on(&f, mb.ifindex, 9), XDP_DROP);
	assert_int_equal(xdp_on(&f, mb.ifindex, 15), XDP_DROP);
	assert_int_equal(xdp_on(&f, mb.ifindex, 0), XDP_DROP); /* no socket on queue 0 */
	assert_int_equal(xdp_on(&f, mb.ifindex, LAG_MAX_QUEUES + 1), XDP_DROP);
	assert_int_equal(maps_cnt_sum(&F.m, slot, &c), 0);
	assert_int_equal(c.slow_rx_xdp, 5);
	assert_int_equal(c.slow_to_xsk, 1);
	assert_int_equal(c.slow_xsk_miss, 4);
	assert_int_equal(c.slow_to_ring, 4);
	assert_int_equal(ring_read(&g), 4);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(g.ifindex[i], mb.ifindex);

	assert_int_equal(maps_xsk_del(&F.m, key), 0);
	xsk_socket__delete(xsk);
	assert_int_equal(xsk_umem__delete(umem), 0);
	assert_int_equal(munmap(area, area_len), 0);
	assert_int_equal(maps_member_del(&F.m, mb.ifindex), 0);
	assert_int_equal(setns(home, CLONE_NEWNET), 0); /* the namespace and veth go with it */
	close(home);
}

/* Data: passes on a collecting member (lag_rx counts it), dropped and counted on a
 * member that is not collecting, passed and counted as rx_not_member elsewhere.
 */
static void test_xdp_data(void **state)
{
	struct lag_lag_counters lc;
	struct lag_counters c;
	struct frame f;

	(void)state;
	NEED_BPF();
	ip4_udp(&f, ip(10, 71, 19, 1), ip(10, 71, 19, 2), 1, 2);
	assert_int_equal(xdp(&f), XDP_PASS);
	cnt(LO, &c);
	assert_int_equal(c.rx_dropped, 0);

	set_lo_flags(LAG_M_DISTRIBUTING); /* distributing alone does not collect */
	assert_int_equal(xdp(&f), XDP_DROP);
	arp(&f, mac_a, ip(10, 71, 19, 1), ip(10, 71, 19, 2));
	assert_int_equal(xdp(&f), XDP_DROP);
	cnt(LO, &c);
	assert_int_equal(c.rx_dropped, 2);
	assert_int_equal(c.slow_rx, 0);

	assert_int_equal(maps_member_del(&F.m, LO), 0);
	assert_int_equal(xdp(&f), XDP_PASS);
	cnt_lag(&lc);
	assert_int_equal(lc.rx_not_member, 1);
	cnt(LO, &c);
	assert_int_equal(c.rx_dropped, 2);
}

/* ---- lag_rx (member TC ingress) on loopback ---- */

static void test_rx(void **state)
{
	struct lag_counters c;
	struct frame f, s;
	struct got g;

	(void)state;
	NEED_BPF();
	ip4_udp(&f, ip(10, 71, 20, 1), ip(10, 71, 20, 2), 3, 4);
	lacpdu(&s, mac_a, 1);

	assert_int_equal(run(F.fd_rx, &f, NULL, 0), TC_ACT_REDIRECT);
	assert_int_equal(run(F.fd_rx, &f, NULL, 0), TC_ACT_REDIRECT);
	cnt(LO, &c);
	assert_int_equal(c.rx_packets, 2);
	assert_int_equal(c.rx_bytes, 2 * f.len);
	assert_int_equal(c.rx_dropped, 0);

	/* Slow protocols never reach the LAG device, collecting or not: TC sees them
	 * only when generic XDP skipped them (redirected into the member), and hands
	 * them to the controller through lag_slow.
	 */
	assert_int_equal(run(F.fd_rx, &s, NULL, 0), TC_ACT_STOLEN);
	cnt(LO, &c);
	assert_int_equal(c.slow_rx, 1);
	assert_int_equal(c.slow_rx_tc, 1);
	assert_int_equal(c.slow_rx_xdp, 0);
	assert_int_equal(c.slow_to_ring, 1);
	assert_int_equal(c.slow_dropped, 0);
	assert_int_equal(c.rx_packets, 2);

	set_lo_flags(LAG_M_DISTRIBUTING);
	assert_int_equal(run(F.fd_rx, &f, NULL, 0), TC_ACT_SHOT);
	assert_int_equal(run(F.fd_rx, &s, NULL, 0), TC_ACT_STOLEN);
	cnt(LO, &c);
	assert_int_equal(c.rx_dropped, 1);
	assert_int_equal(c.slow_to_ring, 2);
	assert_int_equal(c.rx_packets, 2);
	assert_int_equal(ring_read(&g), 2);
	assert_int_equal(g.ifindex[0], LO);
	assert_int_equal(g.len[1], s.len);
	assert_memory_equal(g.frame[1], s.b, s.len);

	/* The same filter as XDP's. */
	slow(&s, mac_b, mac_a, 1, 124);
	assert_int_equal(run(F.fd_rx, &s, NULL, 0), TC_ACT_SHOT);
	slow(&s, slow_dst, mac_a, 4, 124);
	assert_int_equal(run(F.fd_rx, &s, NULL, 0), TC_ACT_SHOT);
	slow(&s, slow_dst, mac_a, 2, 100);
	assert_int_equal(run(F.fd_rx, &s, NULL, 0), TC_ACT_SHOT);
	cnt(LO, &c);
	assert_int_equal(c.slow_bad_dst, 1);
	assert_int_equal(c.slow_bad_subtype, 1);
	assert_int_equal(c.slow_short, 1);
	assert_int_equal(c.slow_to_ring, 2);
	assert_int_equal(ring_read(&g), 0);

	/* Not a member (yet): the frame goes on to the next program or the stack. */
	assert_int_equal(maps_member_del(&F.m, LO), 0);
	assert_int_equal(run(F.fd_rx, &f, NULL, 0), (__u32)TC_ACT_UNSPEC);
	cnt(LO, &c);
	assert_int_equal(c.rx_packets, 2);
	assert_int_equal(c.rx_dropped, 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_tx_ipv4_udp),
		T(test_tx_ipv6_tcp),
		T(test_tx_vlan_and_qinq),
		T(test_tx_arp),
		T(test_tx_ipv4_fragments),
		T(test_tx_ipv6_fragments),
		T(test_tx_lacpdu_l2_fallback),
		T(test_tx_truncated),
		T(test_tx_encap34_vxlan),
		T(test_tx_encap34_gre),
		T(test_tx_policies),
		T(test_tx_no_member),
		T(test_tx_slot_flip),
		T(test_tx_deadman),
		T(test_xdp_slow_no_xsk),
		T(test_xdp_slow_filter),
		T(test_slow_police),
		T(test_xdp_slow_queues),
		T(test_xdp_data),
		T(test_rx),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
