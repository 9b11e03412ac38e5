// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for user/lacp/lacp_codec.c: encode/decode round trips, a captured LACPDU as
 * bytes, later versions read as version 1, TLV types, lengths and Reserved fields never
 * validated (garbage there still decodes), and rejection of what is malformed (truncation,
 * ethertype, subtype, a Marker TLV that is neither kind, an Actor System that is not an
 * individual MAC). Pure: no I/O.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "lacp/lacp_codec.h"

static const __u8 slow_dst[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x02 };
static const __u8 mac_a[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/*
 * A LACPDU as Linux bonding sends it (802.3ad mode, lacp_rate fast, port up and
 * distributing), written out octet by octet, plus a 4-octet FCS as some captures keep.
 */
/* clang-format off */ /* bytes laid out as on the wire */
static const __u8 captured_lacpdu[] = {
	/* Ethernet: dst, src, type */
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x02, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x88, 0x09,
	/* subtype LACP, version 1 */
	0x01, 0x01,
	/* Actor TLV: type 1 len 20, sys prio 65535, system, key 13, port prio 255, port 1,
	 * state 0x3d (activity, aggregation, sync, collecting, distributing... no timeout? 0x3d:
	 * activity|aggregation|sync|collecting|distributing), 3 reserved */
	0x01, 0x14, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x00, 0x0d, 0x00, 0xff,
	0x00, 0x01, 0x3d, 0x00, 0x00, 0x00,
	/* Partner TLV: type 2 len 20, sys prio 32768, system, key 17, port prio 32768, port 2,
	 * state 0x3f */
	0x02, 0x14, 0x80, 0x00, 0x02, 0x00, 0x00, 0xab, 0xcd, 0xef, 0x00, 0x11, 0x80, 0x00,
	0x00, 0x02, 0x3f, 0x00, 0x00, 0x00,
	/* Collector TLV: type 3 len 16, max delay 0, 12 reserved */
	0x03, 0x10, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* Terminator TLV: type 0 len 0 */
	0x00, 0x00,
	/* 50 reserved */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* FCS */
	0xde, 0xad, 0xbe, 0xef,
};
/* clang-format on */

static void make_infos(struct lacp_info *actor, struct lacp_info *partner)
{
	const struct lacp_info a = { 0x8000, { 0x02, 0, 0, 0, 0, 0x0a }, 17, 0x1234, 7, 0x3f };
	const struct lacp_info p = { 0x00ff, { 0x02, 0, 0, 0, 0, 0x0b }, 0xbeef, 0x8001, 0xfffe,
				     0xc5 };

	*actor = a;
	*partner = p;
}

static size_t make_lacpdu(__u8 *buf, size_t cap)
{
	struct lacp_info a, p;

	make_infos(&a, &p);
	return lacpdu_encode_lacp(buf, cap, mac_a, &a, &p, 0x0102);
}

static size_t make_marker(__u8 *buf, size_t cap, enum lacpdu_kind kind)
{
	const struct lacp_marker_info mi = { 0x0203, { 0x02, 0, 0, 0, 0, 0x0a }, 0xa1b2c3d4 };

	return lacpdu_encode_marker(buf, cap, mac_a, kind, &mi);
}

static void info_equal(const struct lacp_info *x, const struct lacp_info *y)
{
	assert_int_equal(x->system_priority, y->system_priority);
	assert_memory_equal(x->system, y->system, 6);
	assert_int_equal(x->key, y->key);
	assert_int_equal(x->port_priority, y->port_priority);
	assert_int_equal(x->port, y->port);
	assert_int_equal(x->state, y->state);
}

static void test_lacpdu_roundtrip(void **state)
{
	__u8 buf[256];
	struct lacp_info a, p;
	struct lacpdu_msg m;
	size_t n;

	(void)state;
	make_infos(&a, &p);
	n = make_lacpdu(buf, sizeof(buf));
	assert_int_equal(n, 124);
	/* wire checks at fixed offsets: Ethernet, subtype, version, TLV headers, big endian */
	assert_memory_equal(buf, slow_dst, 6);
	assert_memory_equal(buf + 6, mac_a, 6);
	assert_int_equal(buf[12], 0x88);
	assert_int_equal(buf[13], 0x09);
	assert_int_equal(buf[14], 1);
	assert_int_equal(buf[15], 1);
	assert_int_equal(buf[16], 1);
	assert_int_equal(buf[17], 20);
	assert_int_equal(buf[18], 0x80);
	assert_int_equal(buf[19], 0x00);
	assert_int_equal(buf[36], 2);
	assert_int_equal(buf[37], 20);
	assert_int_equal(buf[56], 3);
	assert_int_equal(buf[57], 16);
	assert_int_equal(buf[58], 0x01);
	assert_int_equal(buf[59], 0x02);
	assert_int_equal(buf[72], 0);
	assert_int_equal(buf[73], 0);

	assert_int_equal(lacpdu_decode(buf, n, &m), LACPDU_KIND_LACPDU);
	assert_int_equal(m.kind, LACPDU_KIND_LACPDU);
	assert_int_equal(m.reason, LACPDU_R_OK);
	assert_memory_equal(m.dst, slow_dst, 6);
	assert_memory_equal(m.src, mac_a, 6);
	info_equal(&m.lacp.actor, &a);
	info_equal(&m.lacp.partner, &p);
	assert_int_equal(m.lacp.collector_max_delay, 0x0102);
}

static void test_marker_roundtrip(void **state)
{
	enum lacpdu_kind kinds[] = { LACPDU_KIND_MARKER, LACPDU_KIND_MARKER_RESPONSE };
	unsigned i;

	(void)state;
	for (i = 0; i < 2; i++) {
		__u8 buf[256];
		struct lacpdu_msg m;
		size_t n = make_marker(buf, sizeof(buf), kinds[i]);

		assert_int_equal(n, 124);
		assert_int_equal(buf[14], 2); /* subtype Marker */
		assert_int_equal(buf[15], 1); /* version */
		assert_int_equal(buf[16], i == 0 ? 1 : 2);
		assert_int_equal(buf[17], 16);
		assert_int_equal(buf[18], 0x02); /* requester port, big endian */
		assert_int_equal(buf[19], 0x03);
		assert_int_equal(buf[26], 0xa1); /* transaction id, big endian */
		assert_int_equal(buf[29], 0xd4);
		assert_int_equal(lacpdu_decode(buf, n, &m), kinds[i]);
		assert_int_equal(m.marker.requester_port, 0x0203);
		assert_int_equal(m.marker.requester_system[5], 0x0a);
		assert_int_equal(m.marker.transaction_id, 0xa1b2c3d4);
	}
}

static void test_encode_refuses(void **state)
{
	__u8 buf[256];
	struct lacp_info a, p;
	const struct lacp_marker_info mi = { 1, { 0 }, 1 };

	(void)state;
	make_infos(&a, &p);
	assert_int_equal(lacpdu_encode_lacp(buf, 123, mac_a, &a, &p, 0), 0);
	assert_int_equal(lacpdu_encode_lacp(NULL, 200, mac_a, &a, &p, 0), 0);
	assert_int_equal(lacpdu_encode_marker(buf, 123, mac_a, LACPDU_KIND_MARKER, &mi), 0);
	assert_int_equal(lacpdu_encode_marker(buf, 200, mac_a, LACPDU_KIND_LACPDU, &mi), 0);
}

static void test_captured_lacpdu(void **state)
{
	struct lacpdu_msg m;
	__u8 again[256];
	size_t n;

	(void)state;
	assert_int_equal(lacpdu_decode(captured_lacpdu, sizeof(captured_lacpdu), &m),
			 LACPDU_KIND_LACPDU);
	assert_int_equal(m.lacp.actor.system_priority, 65535);
	assert_memory_equal(m.lacp.actor.system, mac_a, 6);
	assert_int_equal(m.lacp.actor.key, 13);
	assert_int_equal(m.lacp.actor.port_priority, 255);
	assert_int_equal(m.lacp.actor.port, 1);
	assert_int_equal(m.lacp.actor.state, 0x3d);
	assert_true(m.lacp.actor.state & LACP_STATE_DISTRIBUTING);
	assert_false(m.lacp.actor.state & LACP_STATE_TIMEOUT);
	assert_int_equal(m.lacp.partner.system_priority, 32768);
	assert_int_equal(m.lacp.partner.system[5], 0xef);
	assert_int_equal(m.lacp.partner.key, 17);
	assert_int_equal(m.lacp.partner.port_priority, 32768);
	assert_int_equal(m.lacp.partner.port, 2);
	assert_int_equal(m.lacp.partner.state, 0x3f);
	assert_int_equal(m.lacp.collector_max_delay, 0);

	/* re-encoding what we decoded gives the same 124 octets */
	n = lacpdu_encode_lacp(again, sizeof(again), m.src, &m.lacp.actor, &m.lacp.partner,
			       m.lacp.collector_max_delay);
	assert_int_equal(n, 124);
	assert_memory_equal(again, captured_lacpdu, 124);
}

static void expect_illegal(const __u8 *buf, size_t len, enum lacpdu_reason why)
{
	struct lacpdu_msg m;

	assert_int_equal(lacpdu_decode(buf, len, &m), -LACPDU_E_ILLEGAL);
	assert_int_equal(m.reason, why);
}

static void test_truncated(void **state)
{
	__u8 buf[256];
	size_t len, i;

	(void)state;
	for (i = 0; i < 2; i++) {
		size_t n = i ? make_marker(buf, sizeof(buf), LACPDU_KIND_MARKER)
			     : make_lacpdu(buf, sizeof(buf));

		for (len = 0; len < n; len++)
			expect_illegal(buf, len,
				       len < 14 ? LACPDU_R_SHORT_ETH : LACPDU_R_TRUNCATED);
	}
	expect_illegal(NULL, 0, LACPDU_R_SHORT_ETH);
}

static void test_trailing_padding_accepted(void **state)
{
	__u8 buf[1600];
	struct lacpdu_msg m;
	size_t n;

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	n = make_lacpdu(buf, sizeof(buf));
	assert_int_equal(lacpdu_decode(buf, n + 4, &m), LACPDU_KIND_LACPDU);
	assert_int_equal(lacpdu_decode(buf, sizeof(buf), &m), LACPDU_KIND_LACPDU);
	/* reserved octets are ignored on receipt */
	buf[14 + offsetof(struct lacpdu, reserved) + 3] = 0x55;
	buf[14 + offsetof(struct lacpdu, actor) + offsetof(struct lacpdu_info_tlv, reserved)] = 1;
	assert_int_equal(lacpdu_decode(buf, n, &m), LACPDU_KIND_LACPDU);
}

/*
 * 802.1AX (as 802.3ad 43.4.12 put it): a receiver does not validate the Version Number, so that
 * the PDUs of a later version are read for their version 1 fields. A version 2 LACPDU carries
 * its own TLVs where version 1 has its Terminator, and may be longer than 110 octets.
 */
static void test_version_not_validated(void **state)
{
	const __u8 versions[] = { 0, 2, 3, 0xff };
	struct lacp_info a, p;
	struct lacpdu_msg m;
	__u8 buf[256], *tlv = buf + 14 + offsetof(struct lacpdu, terminator_type);
	size_t n, i;

	(void)state;
	make_infos(&a, &p);
	for (i = 0; i < sizeof(versions); i++) {
		n = make_lacpdu(buf, sizeof(buf));
		buf[15] = versions[i];
		assert_int_equal(lacpdu_decode(buf, n, &m), LACPDU_KIND_LACPDU);
		info_equal(&m.lacp.actor, &a);
		info_equal(&m.lacp.partner, &p);
		/* Port Algorithm TLV (4, length 6), Port Conversation ID Digest TLV (5, 20),
		 * Terminator, then 40 more octets */
		memset(tlv, 0, 50);
		tlv[0] = 4;
		tlv[1] = 6;
		tlv[5] = 1;
		tlv[6] = 5;
		tlv[7] = 20;
		memset(tlv + 8, 0xc3, 18);
		memset(buf + n, 0x77, 40);
		assert_int_equal(lacpdu_decode(buf, n + 40, &m), LACPDU_KIND_LACPDU);
		assert_int_equal(m.reason, LACPDU_R_OK);
		info_equal(&m.lacp.actor, &a);
		info_equal(&m.lacp.partner, &p);
		assert_int_equal(m.lacp.collector_max_delay, 0x0102);
		n = make_marker(buf, sizeof(buf), LACPDU_KIND_MARKER);
		buf[15] = versions[i];
		assert_int_equal(lacpdu_decode(buf, n, &m), LACPDU_KIND_MARKER);
		assert_int_equal(m.marker.transaction_id, 0xa1b2c3d4);
	}
	/* nor does version 1's Terminator matter: what follows the Collector TLV is ignored */
	n = make_lacpdu(buf, sizeof(buf));
	tlv[0] = 4;
	tlv[1] = 0x99;
	assert_int_equal(lacpdu_decode(buf, n, &m), LACPDU_KIND_LACPDU);
	info_equal(&m.lacp.actor, &a);
}

/* 6.3.2: a System ID is an individual MAC address; the partner of an actor may be all zero */
static void test_actor_system_individual(void **state)
{
	static const __u8 bad[][6] = {
		{ 0, 0, 0, 0, 0, 0 },
		{ 0x01, 0x80, 0xc2, 0x00, 0x00, 0x02 },
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0x33, 0, 0, 0, 0, 1 },
	};
	const size_t sys = 14 + offsetof(struct lacpdu, actor.system);
	const size_t psys = 14 + offsetof(struct lacpdu, partner.system);
	struct lacpdu_msg m;
	__u8 buf[256];
	size_t n, i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = make_lacpdu(buf, sizeof(buf));
		memcpy(buf + sys, bad[i], 6);
		expect_illegal(buf, n, LACPDU_R_ACTOR_SYSTEM);
	}
	assert_string_equal(lacpdu_reason_name[LACPDU_R_ACTOR_SYSTEM], "illegal-actor-system");
	n = make_lacpdu(buf, sizeof(buf));
	memset(buf + psys, 0, 6);
	assert_int_equal(lacpdu_decode(buf, n, &m), LACPDU_KIND_LACPDU);
	/* the locally administered bit is fine */
	buf[sys] = 0x02;
	assert_int_equal(lacpdu_decode(buf, n, &m), LACPDU_KIND_LACPDU);
}

/*
 * 802.1AX-2014 6.4.2.3: TLV_type, Information_Length and Reserved fields are not validated on
 * receipt; the v1 fields are read at their offsets whatever those octets hold.
 */
static void test_tlv_fields_not_validated(void **state)
{
	static const size_t lacp[] = {
		offsetof(struct lacpdu, actor.type),	    offsetof(struct lacpdu, actor.length),
		offsetof(struct lacpdu, partner.type),	    offsetof(struct lacpdu, partner.length),
		offsetof(struct lacpdu, collector.type),    offsetof(struct lacpdu, collector.length),
		offsetof(struct lacpdu, terminator_type),   offsetof(struct lacpdu, terminator_length),
		offsetof(struct lacpdu, actor.reserved),    offsetof(struct lacpdu, partner.reserved),
		offsetof(struct lacpdu, collector.reserved), offsetof(struct lacpdu, reserved),
	}, marker[] = {
		offsetof(struct markerpdu, info.length),
		offsetof(struct markerpdu, info.pad),
		offsetof(struct markerpdu, terminator_type),
		offsetof(struct markerpdu, terminator_length),
		offsetof(struct markerpdu, reserved),
	};
	const __u8 garbage[] = { 0, 1, 2, 3, 4, 15, 16, 19, 20, 21, 0x80, 0xff };
	struct lacp_info a, p;
	struct lacpdu_msg m;
	__u8 buf[256];
	size_t i, j, n;

	(void)state;
	make_infos(&a, &p);
	for (i = 0; i < sizeof(lacp) / sizeof(lacp[0]); i++) {
		for (j = 0; j < sizeof(garbage); j++) {
			n = make_lacpdu(buf, sizeof(buf));
			buf[14 + lacp[i]] = garbage[j];
			assert_int_equal(lacpdu_decode(buf, n, &m), LACPDU_KIND_LACPDU);
			assert_int_equal(m.reason, LACPDU_R_OK);
			info_equal(&m.lacp.actor, &a);
			info_equal(&m.lacp.partner, &p);
			assert_int_equal(m.lacp.collector_max_delay, 0x0102);
		}
	}
	/* every TLV header garbage at once, version 2 */
	n = make_lacpdu(buf, sizeof(buf));
	buf[15] = 2;
	for (i = 0; i < 8; i++)
		buf[14 + lacp[i]] = (__u8)(0xa5 + i);
	assert_int_equal(lacpdu_decode(buf, n, &m), LACPDU_KIND_LACPDU);
	info_equal(&m.lacp.actor, &a);
	info_equal(&m.lacp.partner, &p);
	for (i = 0; i < sizeof(marker) / sizeof(marker[0]); i++) {
		for (j = 0; j < sizeof(garbage); j++) {
			n = make_marker(buf, sizeof(buf), LACPDU_KIND_MARKER_RESPONSE);
			buf[14 + marker[i]] = garbage[j];
			assert_int_equal(lacpdu_decode(buf, n, &m), LACPDU_KIND_MARKER_RESPONSE);
			assert_int_equal(m.marker.requester_port, 0x0203);
			assert_int_equal(m.marker.transaction_id, 0xa1b2c3d4);
		}
	}
}

/* The Marker TLV_type alone says which PDU it is: neither Information nor Response is illegal */
static void test_marker_tlv_type(void **state)
{
	struct lacpdu_msg m;
	__u8 buf[256];
	unsigned int t;
	size_t n;

	(void)state;
	for (t = 0; t < 256; t++) {
		n = make_marker(buf, sizeof(buf), LACPDU_KIND_MARKER);
		buf[14 + offsetof(struct markerpdu, info.type)] = (__u8)t;
		if (t == MARKER_TLV_INFO)
			assert_int_equal(lacpdu_decode(buf, n, &m), LACPDU_KIND_MARKER);
		else if (t == MARKER_TLV_RESPONSE)
			assert_int_equal(lacpdu_decode(buf, n, &m), LACPDU_KIND_MARKER_RESPONSE);
		else
			expect_illegal(buf, n, LACPDU_R_MARKER_TYPE);
	}
}

static void test_bad_ethertype(void **state)
{
	const __u16 types[] = { 0x0800, 0x8100, 0x88cc, 0x0988, 0x8808 };
	__u8 buf[256];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		n = make_lacpdu(buf, sizeof(buf));
		buf[12] = types[i] >> 8;
		buf[13] = types[i] & 0xff;
		expect_illegal(buf, n, LACPDU_R_ETHERTYPE);
	}
}

static void test_subtypes(void **state)
{
	__u8 buf[256];
	struct lacpdu_msg m;
	unsigned st;
	size_t n;

	(void)state;
	for (st = 0; st < 256; st++) {
		n = make_lacpdu(buf, sizeof(buf));
		buf[14] = (__u8)st;
		if (st == 1) {
			assert_int_equal(lacpdu_decode(buf, n, &m), LACPDU_KIND_LACPDU);
		} else if (st == 2) {
			/* a LACPDU body under the Marker subtype: its TLV is type 1, read as
			 * Marker Information (its length, 20, is not validated) */
			assert_int_equal(lacpdu_decode(buf, n, &m), LACPDU_KIND_MARKER);
		} else if (st >= 3 && st <= 10) {
			/* OAM (3), OSSP (10), ...: another slow protocol, not an error of ours */
			assert_int_equal(lacpdu_decode(buf, n, &m), -LACPDU_E_UNKNOWN);
			assert_int_equal(m.reason, LACPDU_R_SUBTYPE_UNKNOWN);
			/* and unknown even when shorter than a LACPDU */
			assert_int_equal(lacpdu_decode(buf, 60, &m), -LACPDU_E_UNKNOWN);
		} else {
			expect_illegal(buf, n, LACPDU_R_SUBTYPE_ILLEGAL);
		}
	}
}

static void test_name_tables(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < LACPDU_R__COUNT; i++)
		assert_non_null(lacpdu_reason_name[i]);
	for (i = 0; i < LACPDU_KIND__COUNT; i++)
		assert_non_null(lacpdu_kind_name[i]);
	assert_string_equal(lacpdu_reason_name[LACPDU_R_TRUNCATED], "truncated");
	assert_string_equal(lacpdu_kind_name[LACPDU_KIND_MARKER_RESPONSE], "marker-response");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lacpdu_roundtrip),
		cmocka_unit_test(test_marker_roundtrip),
		cmocka_unit_test(test_encode_refuses),
		cmocka_unit_test(test_captured_lacpdu),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_trailing_padding_accepted),
		cmocka_unit_test(test_version_not_validated),
		cmocka_unit_test(test_actor_system_individual),
		cmocka_unit_test(test_tlv_fields_not_validated),
		cmocka_unit_test(test_marker_tlv_type),
		cmocka_unit_test(test_bad_ethertype),
		cmocka_unit_test(test_subtypes),
		cmocka_unit_test(test_name_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
