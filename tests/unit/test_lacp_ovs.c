// SPDX-License-Identifier: GPL-2.0
/*
 * lagbpf against Open vSwitch's LACP, replayed: LACPDUs captured on the wire (tcpdump on the
 * OVS end of a veth, OVS 3.1.0 userspace datapath facing lagbpf, Linux 6.18) decoded with
 * lacpdu_decode() and fed to the 802.1AX machines (user/lacp*.c) on a virtual clock, with the
 * lagbpf side configured exactly as it was in the capture, so that what the machines send back
 * can be compared with the frames lagbpf really sent, octet for octet. Pure: no I/O.
 *
 * The capture (tests/integ/test_ovs_interop.sh, round 1): OVS passive + slow, lagbpf active +
 * fast, lagbpf system 32768,8e:ef:0e:bf:f7:90 key 10, member a0 (MAC 3e:ff:55:62:ab:95)
 * port 32768,1; OVS system 65534,f6:25:67:5b:79:4f key 1, port 65535,1. Wire timeline:
 *   0.0 1.0 2.0   lagbpf  0xc7 (active fast aggregatable, defaulted expired), partner unknown
 *   2.0005        OVS     0x3c (passive slow, already sync+collecting+distributing)
 *   3.0           OVS     again (it sends fast: lagbpf asked for it)
 *   4.0           lagbpf  0x3f: the 2 s aggregate wait is over, in sync and distributing
 *   4.0009 ...    OVS     0x3c, now with lagbpf's 0x3f as its partner, once a second
 * Two more OVS frames come from a second capture: an active OVS (system 100,
 * 02:00:00:76:00:01) that has not heard its partner yet, and a one-member OVS port (OVS clears
 * Aggregation on those: Individual).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lacp/lacp.h"

#define SEC(s) ((s)*1000 / LACP_TICK_MS)

/* ---- captured frames (Ethernet header + 110-octet LACPDU, no FCS) ---- */

/* lagbpf a0 at 0.0, 1.0 and 2.0 s: nothing heard yet */
/* clang-format off */ /* bytes laid out as on the wire */
static const __u8 lagbpf_initial[] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x02, 0x3e, 0xff, 0x55, 0x62, 0xab, 0x95,
	0x88, 0x09, 0x01, 0x01, 0x01, 0x14, 0x80, 0x00, 0x8e, 0xef, 0x0e, 0xbf,
	0xf7, 0x90, 0x00, 0x0a, 0x80, 0x00, 0x00, 0x01, 0xc7, 0x00, 0x00, 0x00,
	0x02, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x03, 0x10, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};
/* clang-format on */

/* OVS b0 at 2.0 s: its first answer, partner = lagbpf as lagbpf described itself */
/* clang-format off */ /* bytes laid out as on the wire */
static const __u8 ovs_passive_reply[] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x02, 0x0a, 0x32, 0x6d, 0x26, 0x9a, 0x19,
	0x88, 0x09, 0x01, 0x01, 0x01, 0x14, 0xff, 0xfe, 0xf6, 0x25, 0x67, 0x5b,
	0x79, 0x4f, 0x00, 0x01, 0xff, 0xff, 0x00, 0x01, 0x3c, 0x00, 0x00, 0x00,
	0x02, 0x14, 0x80, 0x00, 0x8e, 0xef, 0x0e, 0xbf, 0xf7, 0x90, 0x00, 0x0a,
	0x80, 0x00, 0x00, 0x01, 0xc7, 0x00, 0x00, 0x00, 0x03, 0x10, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};
/* clang-format on */

/* lagbpf a0 at 4.0 s: attached, in sync, collecting, distributing */
/* clang-format off */ /* bytes laid out as on the wire */
static const __u8 lagbpf_sync[] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x02, 0x3e, 0xff, 0x55, 0x62, 0xab, 0x95,
	0x88, 0x09, 0x01, 0x01, 0x01, 0x14, 0x80, 0x00, 0x8e, 0xef, 0x0e, 0xbf,
	0xf7, 0x90, 0x00, 0x0a, 0x80, 0x00, 0x00, 0x01, 0x3f, 0x00, 0x00, 0x00,
	0x02, 0x14, 0xff, 0xfe, 0xf6, 0x25, 0x67, 0x5b, 0x79, 0x4f, 0x00, 0x01,
	0xff, 0xff, 0x00, 0x01, 0x3c, 0x00, 0x00, 0x00, 0x03, 0x10, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};
/* clang-format on */

/* OVS b0 from 4.0 s on, once a second */
/* clang-format off */ /* bytes laid out as on the wire */
static const __u8 ovs_passive_steady[] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x02, 0x0a, 0x32, 0x6d, 0x26, 0x9a, 0x19,
	0x88, 0x09, 0x01, 0x01, 0x01, 0x14, 0xff, 0xfe, 0xf6, 0x25, 0x67, 0x5b,
	0x79, 0x4f, 0x00, 0x01, 0xff, 0xff, 0x00, 0x01, 0x3c, 0x00, 0x00, 0x00,
	0x02, 0x14, 0x80, 0x00, 0x8e, 0xef, 0x0e, 0xbf, 0xf7, 0x90, 0x00, 0x0a,
	0x80, 0x00, 0x00, 0x01, 0x3f, 0x00, 0x00, 0x00, 0x03, 0x10, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};
/* clang-format on */

/* second capture: active fast OVS, system 100,02:00:00:76:00:01, partner not heard yet */
/* clang-format off */ /* bytes laid out as on the wire */
static const __u8 ovs_active_unknown[] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x02, 0xde, 0xeb, 0x46, 0x56, 0x44, 0x0e,
	0x88, 0x09, 0x01, 0x01, 0x01, 0x14, 0x00, 0x64, 0x02, 0x00, 0x00, 0x76,
	0x00, 0x01, 0x00, 0x01, 0xff, 0xff, 0x00, 0x01, 0xbf, 0x00, 0x00, 0x00,
	0x02, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x10, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};
/* clang-format on */

/* second capture: one-member OVS port, system 65535,02:00:00:76:00:03: Individual */
/* clang-format off */ /* bytes laid out as on the wire */
static const __u8 ovs_individual[] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x02, 0xe2, 0x7a, 0x54, 0x0f, 0x30, 0xb9,
	0x88, 0x09, 0x01, 0x01, 0x01, 0x14, 0xff, 0xff, 0x02, 0x00, 0x00, 0x76,
	0x00, 0x03, 0x00, 0x01, 0xff, 0xff, 0x00, 0x01, 0xbb, 0x00, 0x00, 0x00,
	0x02, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x10, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};
/* clang-format on */

/* ---- the lagbpf side, configured as in the capture ---- */

static const __u8 lag_sys_id[6] = { 0x8e, 0xef, 0x0e, 0xbf, 0xf7, 0x90 };
static const __u8 a0_mac[6] = { 0x3e, 0xff, 0x55, 0x62, 0xab, 0x95 };
static const __u8 ovs_sys_id[6] = { 0xf6, 0x25, 0x67, 0x5b, 0x79, 0x4f };
static const __u8 ovs2_sys_id[6] = { 0x02, 0x00, 0x00, 0x76, 0x00, 0x01 };
static const __u8 ovs3_sys_id[6] = { 0x02, 0x00, 0x00, 0x76, 0x00, 0x03 };

#define MAX_SENT 64
static struct lacp_sys S; /* large: off the stack */
static __u8 sent[MAX_SENT][128];
static size_t sent_len[MAX_SENT];
static __u64 sent_at[MAX_SENT];
static unsigned nsent;

static int setup(void **state)
{
	struct lacp_sys_cfg c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.system_priority = 32768;
	memcpy(c.system_id, lag_sys_id, 6);
	c.key = 10;
	lacp_sys_init(&S, &c);
	nsent = 0;
	return 0;
}

/* a member like lagbpf's a0 (port number n; a0's MAC plus n - 1), active, fast; enabled */
static int port(__u16 n)
{
	struct lacp_port_cfg pc;
	int idx;

	memset(&pc, 0, sizeof(pc));
	snprintf(pc.name, sizeof(pc.name), "a%u", n - 1);
	memcpy(pc.mac, a0_mac, 6);
	pc.mac[5] = (__u8)(pc.mac[5] + n - 1);
	pc.port_number = n;
	pc.port_priority = 32768;
	pc.active = 1;
	pc.fast = 1;
	idx = lacp_port_add(&S, &pc);
	assert_true(idx >= 0);
	lacp_port_set_enabled(&S, idx, 1);
	return idx;
}

/* collect what the port sends now */
static void drain(int idx)
{
	__u8 f[256];
	size_t n;

	while ((n = lacp_port_tx(&S, idx, f, sizeof(f))) > 0) {
		assert_true(n <= sizeof(sent[0]));
		if (nsent < MAX_SENT) {
			memcpy(sent[nsent], f, n);
			sent_len[nsent] = n;
			sent_at[nsent] = S.now;
		}
		nsent++;
	}
}

static void run(int idx, int ticks)
{
	while (ticks-- > 0) {
		lacp_tick(&S);
		drain(idx);
	}
}

static void rx(int idx, const __u8 *f, size_t n)
{
	assert_int_equal(lacp_port_rx(&S, idx, f, n), LACPDU_KIND_LACPDU);
	drain(idx);
}

static void info_is(const struct lacp_info *i, __u16 sprio, const __u8 sys[6], __u16 key,
		    __u16 pprio, __u16 port, __u8 state)
{
	assert_int_equal(i->system_priority, sprio);
	assert_memory_equal(i->system, sys, 6);
	assert_int_equal(i->key, key);
	assert_int_equal(i->port_priority, pprio);
	assert_int_equal(i->port, port);
	assert_int_equal(i->state, state);
}

/* ovs_passive_steady as OVS's member 'port' sends it facing lagbpf's port 'port', with key */
static void ovs_frame(__u8 *f, __u16 port, __u16 key)
{
	memcpy(f, ovs_passive_steady, sizeof(ovs_passive_steady));
	f[26] = (__u8)(key >> 8); /* Actor_Key (OVS) */
	f[27] = (__u8)key;
	f[31] = (__u8)port; /* Actor_Port (OVS) */
	f[51] = (__u8)port; /* Partner_Port (lagbpf) */
}

/* ---- decoding real OVS LACPDUs ---- */

static void test_decode_ovs_passive(void **state)
{
	static const __u8 zero[6];
	struct lacpdu_msg m;

	(void)state;
	assert_int_equal(lacpdu_decode(ovs_passive_reply, sizeof(ovs_passive_reply), &m),
			 LACPDU_KIND_LACPDU);
	assert_int_equal(m.reason, LACPDU_R_OK);
	assert_memory_equal(m.src, ovs_passive_reply + 6, 6);
	/* OVS: default priority 65534, port priority 65535, key 1; passive, slow, and in sync,
	 * collecting and distributing in its very first answer */
	info_is(&m.lacp.actor, 65534, ovs_sys_id, 1, 65535, 1,
		LACP_STATE_AGGREGATION | LACP_STATE_SYNC | LACP_STATE_COLLECTING |
			LACP_STATE_DISTRIBUTING);
	/* ... echoing lagbpf exactly as lagbpf described itself */
	info_is(&m.lacp.partner, 32768, lag_sys_id, 10, 32768, 1, 0xc7);
	assert_int_equal(m.lacp.collector_max_delay, 0);

	assert_int_equal(lacpdu_decode(ovs_passive_steady, sizeof(ovs_passive_steady), &m),
			 LACPDU_KIND_LACPDU);
	assert_int_equal(m.lacp.actor.state, 0x3c);
	info_is(&m.lacp.partner, 32768, lag_sys_id, 10, 32768, 1, 0x3f);

	/* an active OVS that has not heard its partner: Expired, yet claiming
	 * Synchronization, Collecting and Distributing; the partner all zero but Timeout */
	assert_int_equal(lacpdu_decode(ovs_active_unknown, sizeof(ovs_active_unknown), &m),
			 LACPDU_KIND_LACPDU);
	info_is(&m.lacp.actor, 100, ovs2_sys_id, 1, 65535, 1, 0xbf);
	info_is(&m.lacp.partner, 0, zero, 0, 0, 0, LACP_STATE_TIMEOUT);

	/* a one-member OVS port: Individual (no Aggregation bit) */
	assert_int_equal(lacpdu_decode(ovs_individual, sizeof(ovs_individual), &m),
			 LACPDU_KIND_LACPDU);
	info_is(&m.lacp.actor, 65535, ovs3_sys_id, 1, 65535, 1, 0xbb);
	assert_false(m.lacp.actor.state & LACP_STATE_AGGREGATION);

	/* and lagbpf's own frames from the same wire */
	assert_int_equal(lacpdu_decode(lagbpf_sync, sizeof(lagbpf_sync), &m), LACPDU_KIND_LACPDU);
	info_is(&m.lacp.actor, 32768, lag_sys_id, 10, 32768, 1, 0x3f);
	info_is(&m.lacp.partner, 65534, ovs_sys_id, 1, 65535, 1, 0x3c);
}

/* encode(decode(frame)) gives the captured octets back, for every captured frame */
static void test_reencode_captured(void **state)
{
	static const struct {
		const __u8 *f;
		size_t n;
	} all[] = {
		{ lagbpf_initial, sizeof(lagbpf_initial) },
		{ ovs_passive_reply, sizeof(ovs_passive_reply) },
		{ lagbpf_sync, sizeof(lagbpf_sync) },
		{ ovs_passive_steady, sizeof(ovs_passive_steady) },
		{ ovs_active_unknown, sizeof(ovs_active_unknown) },
		{ ovs_individual, sizeof(ovs_individual) },
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		struct lacpdu_msg m;
		__u8 buf[256];
		size_t n;

		assert_int_equal(lacpdu_decode(all[i].f, all[i].n, &m), LACPDU_KIND_LACPDU);
		n = lacpdu_encode_lacp(buf, sizeof(buf), m.src, &m.lacp.actor, &m.lacp.partner,
				       m.lacp.collector_max_delay);
		assert_int_equal(n, all[i].n);
		assert_memory_equal(buf, all[i].f, n);
	}
}

/* ---- replaying the exchange ---- */

/*
 * OVS passive/slow, lagbpf active/fast, as captured: lagbpf's machines, fed OVS's frames at
 * their times, send what lagbpf sent on the wire, octet for octet, at the same times.
 */
static void test_replay_ovs_passive_forms(void **state)
{
	int a0, t;
	unsigned i, n;

	(void)state;
	a0 = port(1);
	/* 0.0 s: the first LACPDU goes out at once; 1.0 and 2.0 s: fast periodic (the
	 * defaulted partner is short timeout) */
	drain(a0);
	run(a0, SEC(2));
	assert_int_equal(nsent, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(sent_len[i], sizeof(lagbpf_initial));
		assert_memory_equal(sent[i], lagbpf_initial, sizeof(lagbpf_initial));
		assert_int_equal(sent_at[i], (__u64)SEC(i));
	}
	/* 2.0 s: OVS answers. Its view of lagbpf is right, so nothing is due (update_NTT);
	 * the port is selected and waits the 2 s aggregate wait */
	rx(a0, ovs_passive_reply, sizeof(ovs_passive_reply));
	assert_int_equal(nsent, 3);
	assert_int_equal(S.port[a0].rx_state, LACP_RX_CURRENT);
	assert_int_equal(S.port[a0].selected, LACP_SELECTED);
	assert_int_equal(S.port[a0].mux_state, LACP_MUX_WAITING);
	assert_true(S.port[a0].partner.state & LACP_STATE_SYNC);
	/* 3.0 s: OVS again; lagbpf, now facing a slow partner, stays quiet */
	run(a0, SEC(1));
	rx(a0, ovs_passive_reply, sizeof(ovs_passive_reply));
	assert_int_equal(nsent, 3);
	/* 4.0 s: wait over: attached, collecting, distributing, and says so */
	t = 0;
	while (!lacp_port_distributing(&S, a0) && t++ < SEC(2))
		run(a0, 1);
	assert_int_equal(S.now, (__u64)SEC(4));
	assert_int_equal(S.port[a0].mux_state, LACP_MUX_DISTRIBUTING);
	assert_int_equal(nsent, 4);
	assert_int_equal(sent_len[3], sizeof(lagbpf_sync));
	assert_memory_equal(sent[3], lagbpf_sync, sizeof(lagbpf_sync));
	assert_int_equal(S.partner_valid, 1);
	assert_memory_equal(S.partner_system, ovs_sys_id, 6);
	assert_int_equal(S.partner_system_priority, 65534);
	assert_int_equal(S.partner_key, 1);
	/* steady state for 40 s, OVS once a second: lagbpf stays distributing and sends at the
	 * slow rate OVS asked for (one periodic LACPDU in 30 s), all like the 4.0 s frame */
	n = nsent;
	for (i = 0; i < 40; i++) {
		rx(a0, ovs_passive_steady, sizeof(ovs_passive_steady));
		run(a0, SEC(1));
		assert_true(lacp_port_distributing(&S, a0));
		assert_int_equal(S.port[a0].rx_state, LACP_RX_CURRENT);
	}
	assert_true(nsent - n >= 1 && nsent - n <= 2);
	for (i = n; i < nsent && i < MAX_SENT; i++)
		assert_memory_equal(sent[i], lagbpf_sync, sizeof(lagbpf_sync));
}

/*
 * OVS stops speaking LACP on the member (ovs-partner.sh del-member: the port leaves the bond,
 * its carrier stays up). lagbpf asked for fast LACPDUs, so current_while is the short timeout:
 * not distributing 3 s after the last LACPDU, defaulted (no-partner) 3 s later.
 */
static void test_replay_ovs_member_removed(void **state)
{
	__u8 b1[sizeof(ovs_passive_steady)];
	int a0, a1, t;
	__u64 last;

	(void)state;
	a0 = port(1);
	a1 = port(2);
	drain(a0);
	drain(a1);
	/* both ports hear OVS until they distribute (a1 gets a0's frame as OVS's b1 sends
	 * it: OVS port 2 facing lagbpf port 2) */
	memcpy(b1, ovs_passive_steady, sizeof(b1));
	b1[31] = 2; /* Actor_Port (OVS) */
	b1[51] = 2; /* Partner_Port (lagbpf's a1) */
	t = 0;
	while (lacp_sys_distributing(&S) < 2 && t++ < SEC(5)) {
		rx(a0, ovs_passive_steady, sizeof(ovs_passive_steady));
		rx(a1, b1, sizeof(b1));
		run(a0, SEC(1));
	}
	assert_int_equal(lacp_sys_distributing(&S), 2);
	/* a0's last LACPDU; from now on only a1 hears OVS */
	rx(a0, ovs_passive_steady, sizeof(ovs_passive_steady));
	rx(a1, b1, sizeof(b1));
	last = S.now;
	while (lacp_port_distributing(&S, a0) && S.now - last < (__u64)SEC(5)) {
		run(a0, 1);
		if ((S.now - last) % SEC(1) == 0)
			rx(a1, b1, sizeof(b1));
	}
	assert_int_equal(S.now - last, (__u64)LACP_SHORT_TIMEOUT_TICKS);
	assert_int_equal(S.port[a0].rx_state, LACP_RX_EXPIRED);
	assert_false(lacp_port_collecting(&S, a0));
	assert_true(lacp_port_distributing(&S, a1));
	while (S.port[a0].rx_state != LACP_RX_DEFAULTED && S.now - last < (__u64)SEC(10)) {
		run(a0, 1);
		if ((S.now - last) % SEC(1) == 0)
			rx(a1, b1, sizeof(b1));
	}
	assert_int_equal(S.now - last, (__u64)(2 * LACP_SHORT_TIMEOUT_TICKS));
	assert_int_equal(S.port[a0].selected, LACP_UNSELECTED);
	assert_int_equal(S.port[a0].reason, LACP_REASON_NO_PARTNER);
	assert_int_equal(S.port[a0].mux_state, LACP_MUX_DETACHED);
	assert_true(lacp_port_distributing(&S, a1));
	assert_int_equal(lacp_sys_distributing(&S), 1);
}

/*
 * An active OVS that has not heard lagbpf yet claims Synchronization with an all-zero
 * partner. That is not sync with lagbpf (recordPDU, 6.4.9: the PDU's Partner values must
 * match the Actor's): lagbpf answers at once (update_NTT) and, however long OVS keeps
 * sending that, attaches but never collects.
 */
static void test_replay_ovs_unknown_partner_not_in_sync(void **state)
{
	struct lacpdu_msg m;
	int a0, i;

	(void)state;
	a0 = port(1);
	drain(a0);
	nsent = 0;
	rx(a0, ovs_active_unknown, sizeof(ovs_active_unknown));
	assert_int_equal(nsent, 1);
	assert_int_equal(lacpdu_decode(sent[0], sent_len[0], &m), LACPDU_KIND_LACPDU);
	info_is(&m.lacp.partner, 100, ovs2_sys_id, 1, 65535, 1, 0xb7); /* Sync cleared */
	assert_false(S.port[a0].partner.state & LACP_STATE_SYNC);
	for (i = 0; i < 5; i++) {
		run(a0, SEC(1));
		rx(a0, ovs_active_unknown, sizeof(ovs_active_unknown));
		assert_false(lacp_port_collecting(&S, a0));
	}
	assert_int_equal(S.port[a0].selected, LACP_SELECTED);
	assert_int_equal(S.port[a0].mux_state, LACP_MUX_ATTACHED);
	assert_false(S.port[a0].partner.state & LACP_STATE_SYNC);
}

/*
 * One LAG cabled to three OVS ports: the bond that speaks first (OVS's own system id) is the
 * LAG's partner; a port of another system id is refused as other-partner-system, a one-member
 * OVS port (Individual) as partner-individual.
 */
static void test_replay_ovs_other_systems(void **state)
{
	int a0, a1, a2, t;

	(void)state;
	a0 = port(1);
	a1 = port(2);
	a2 = port(3);
	t = 0;
	while (!lacp_port_distributing(&S, a0) && t++ < SEC(5)) {
		rx(a0, ovs_passive_steady, sizeof(ovs_passive_steady));
		run(a0, SEC(1));
	}
	assert_true(lacp_port_distributing(&S, a0));
	for (t = 0; t < 5; t++) {
		rx(a0, ovs_passive_steady, sizeof(ovs_passive_steady));
		rx(a1, ovs_active_unknown, sizeof(ovs_active_unknown));
		rx(a2, ovs_individual, sizeof(ovs_individual));
		run(a0, SEC(1));
		drain(a1);
		drain(a2);
	}
	assert_true(lacp_port_distributing(&S, a0));
	assert_memory_equal(S.partner_system, ovs_sys_id, 6);
	assert_int_equal(S.port[a1].rx_state, LACP_RX_CURRENT);
	assert_memory_equal(S.port[a1].partner.system, ovs2_sys_id, 6);
	assert_int_equal(S.port[a1].selected, LACP_UNSELECTED);
	assert_int_equal(S.port[a1].reason, LACP_REASON_OTHER_PARTNER);
	assert_false(lacp_port_collecting(&S, a1));
	assert_int_equal(S.port[a2].rx_state, LACP_RX_CURRENT);
	assert_int_equal(S.port[a2].selected, LACP_UNSELECTED);
	assert_int_equal(S.port[a2].reason, LACP_REASON_INDIVIDUAL);
	assert_false(lacp_port_collecting(&S, a2));
	assert_int_equal(lacp_sys_distributing(&S), 1);
}

/*
 * Bug found by test_ovs_failover.sh (del-member): OVS keys a bond by its lowest member port id.
 * Taking that member out re-keys every other link (key 1 -> 3 seen), while lagbpf's port on
 * the member that left, silent, keeps OVS's old key until it times out. lagbpf used to keep
 * the LAG's partner pinned to that stale port: every live link was refused
 * (partner-key-mismatch) and the LAG was down for 6-8 s. It must follow the key that more
 * current ports hear. Frames: the captured one, with OVS's key and port numbers set as OVS
 * sends them on each member.
 */
static void test_replay_ovs_rekey_on_member_removed(void **state)
{
	__u8 f[3][2][sizeof(ovs_passive_steady)]; /* [port][old key, new key] */
	int a[3], i, t;
	__u64 t0;

	(void)state;
	for (i = 0; i < 3; i++) {
		a[i] = port((__u16)(i + 1));
		ovs_frame(f[i][0], (__u16)(i + 1), 1);
		ovs_frame(f[i][1], (__u16)(i + 1), 3);
	}
	t = 0;
	while (lacp_sys_distributing(&S) < 3 && t++ < SEC(5)) {
		for (i = 0; i < 3; i++)
			rx(a[i], f[i][0], sizeof(f[i][0]));
		run(a[0], SEC(1));
	}
	assert_int_equal(lacp_sys_distributing(&S), 3);
	assert_int_equal(S.partner_key, 1);
	/* OVS drops the member facing a2 and re-keys the others: a2 hears nothing more */
	for (i = 0; i < 3; i++)
		rx(a[i], f[i][0], sizeof(f[i][0]));
	run(a[0], 5);
	t0 = S.now;
	rx(a[0], f[0][1], sizeof(f[0][1]));
	/* one port of three on the new key: the LAG keeps the old one (a tie would too) */
	assert_int_equal(S.partner_key, 1);
	assert_int_equal(S.port[a[0]].reason, LACP_REASON_KEY_MISMATCH);
	assert_true(lacp_port_distributing(&S, a[1]));
	rx(a[1], f[1][1], sizeof(f[1][1]));
	/* two current ports on key 3, one on key 1: follow the partner's new key */
	assert_int_equal(S.partner_key, 3);
	assert_int_equal(S.port[a[2]].reason, LACP_REASON_KEY_MISMATCH);
	assert_false(lacp_port_collecting(&S, a[2]));
	/* a0 and a1 distribute again after the aggregate wait, OVS still sending each second */
	while (lacp_sys_distributing(&S) < 2 && S.now - t0 < (__u64)SEC(5)) {
		run(a[0], 1);
		if ((S.now - t0) % SEC(1) == 0) {
			rx(a[0], f[0][1], sizeof(f[0][1]));
			rx(a[1], f[1][1], sizeof(f[1][1]));
		}
	}
	assert_true(lacp_port_distributing(&S, a[0]) && lacp_port_distributing(&S, a[1]));
	assert_true(S.now - t0 <= (__u64)(LACP_AGGREGATE_WAIT_TICKS + 1));
	assert_int_equal(S.partner_key, 3);
	/* and a2 ends defaulted, no-partner */
	while (S.port[a[2]].rx_state != LACP_RX_DEFAULTED && S.now - t0 < (__u64)SEC(10)) {
		run(a[0], 1);
		if ((S.now - t0) % SEC(1) == 0) {
			rx(a[0], f[0][1], sizeof(f[0][1]));
			rx(a[1], f[1][1], sizeof(f[1][1]));
		}
	}
	assert_int_equal(S.port[a[2]].reason, LACP_REASON_NO_PARTNER);
	assert_int_equal(lacp_sys_distributing(&S), 2);
}

/*
 * Issue 11, item 1: a two-member OVS bond faces a0 and a1. OVS drops the member facing a1 (its
 * carrier stays up, it goes silent) and, with one member left, clears Aggregation on the other
 * (0x3c becomes 0x38, as in ovs_individual). lagbpf used to refuse that link as
 * partner-individual for good: 0 of 2 distributing. 802.1AX (6.4.14.1) lets an Individual link
 * form an aggregation of one: a0 distributes alone, before a1's information even expires, and
 * a1 stays out.
 */
static void test_replay_ovs_individual_after_member_removed(void **state)
{
	__u8 b1[sizeof(ovs_passive_steady)], ind[sizeof(ovs_passive_steady)];
	struct lacpdu_msg m;
	int a0, a1, t;
	__u64 t0;

	(void)state;
	a0 = port(1);
	a1 = port(2);
	memcpy(b1, ovs_passive_steady, sizeof(b1));
	b1[31] = 2;
	b1[51] = 2;
	t = 0;
	while (lacp_sys_distributing(&S) < 2 && t++ < SEC(5)) {
		rx(a0, ovs_passive_steady, sizeof(ovs_passive_steady));
		rx(a1, b1, sizeof(b1));
		run(a0, SEC(1));
	}
	assert_int_equal(lacp_sys_distributing(&S), 2);
	memcpy(ind, ovs_passive_steady, sizeof(ind));
	ind[32] = 0x38; /* Actor_State (OVS): in sync, collecting, distributing, Individual */
	t0 = S.now;
	rx(a0, ind, sizeof(ind));
	assert_false(lacp_port_distributing(&S, a0)); /* partner changed: detach first */
	while (!lacp_port_distributing(&S, a0) && S.now - t0 < (__u64)SEC(10)) {
		run(a0, 1);
		drain(a1);
		if ((S.now - t0) % SEC(1) == 0)
			rx(a0, ind, sizeof(ind));
	}
	assert_true(lacp_port_distributing(&S, a0));
	assert_true(S.now - t0 <= (__u64)SEC(5));
	assert_false(lacp_port_collecting(&S, a1));
	assert_int_equal(lacp_sys_distributing(&S), 1);
	assert_int_equal(S.port[a0].selected, LACP_SELECTED);
	/* what a0 says now: in sync and distributing, facing OVS's Individual port */
	nsent = 0;
	lacp_port_set_active(&S, a0, 1);
	drain(a0);
	assert_int_equal(lacpdu_decode(sent[nsent - 1], sent_len[nsent - 1], &m),
			 LACPDU_KIND_LACPDU);
	assert_int_equal(m.lacp.actor.state, 0x3f);
	assert_int_equal(m.lacp.partner.state, 0x38);
	/* it holds while OVS keeps sending; a1 ends defaulted */
	for (t = 0; t < 15; t++) {
		rx(a0, ind, sizeof(ind));
		run(a0, SEC(1));
		drain(a1);
		assert_true(lacp_port_distributing(&S, a0));
	}
	assert_int_equal(S.port[a1].rx_state, LACP_RX_DEFAULTED);
	assert_int_equal(S.port[a1].reason, LACP_REASON_NO_PARTNER);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_decode_ovs_passive),
		T(test_reencode_captured),
		T(test_replay_ovs_passive_forms),
		T(test_replay_ovs_member_removed),
		T(test_replay_ovs_unknown_partner_not_in_sync),
		T(test_replay_ovs_other_systems),
		T(test_replay_ovs_rekey_on_member_removed),
		T(test_replay_ovs_individual_after_member_removed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
