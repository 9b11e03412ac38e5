// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the LACPDU / Marker PDU codec (user/lacp/lacp_codec.c), public API
 * only (lacp_codec.h). Every input is used three ways:
 *   1. as a whole frame: lacpdu_decode() must not crash, must classify the frame as the
 *      reference below does (802.1AX-2014 6.4.2.3 / 6.5.3.3 as lacp_codec.c reads them:
 *      the Version Number is not checked, a version 1 LACPDU ends with its Terminator,
 *      Actor_System is an individual MAC), and a frame it accepts must re-encode to the
 *      same octets (reserved fields, the version and the destination MAC aside) and
 *      decode again to the same fields;
 *   2. as field values: lacpdu_encode_lacp() / lacpdu_encode_marker() of them must decode
 *      back to the same fields, with trailing padding or not, and never when truncated;
 *   3. the encoders must refuse a buffer that is too small (exactly-sized heap buffers, so
 *      ASan sees any overrun) and a kind that is not a Marker.
 * A mismatch aborts: libFuzzer keeps the input as a crash artifact.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lacp/lacp_codec.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_codec: %s:%d: check failed: %s\n", __FILE__,         \
				__LINE__, #cond);                                                  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define FOFF(type, member) (LACP_ETH_HLEN + offsetof(type, member))
#define LOFF(member)	   FOFF(struct lacpdu, member)
#define MOFF(member)	   FOFF(struct markerpdu, member)

static const __u8 slow_dst[6] = LACP_SLOW_DST_MAC;

/* ---- a reference classification, written from the standard's tables ---- */

/* 6.3.2: a System ID's MAC is an individual address, not all zero */
static int individual_mac(const __u8 *a)
{
	return !(a[0] & 1) && (a[0] | a[1] | a[2] | a[3] | a[4] | a[5]);
}

/* 802.1AX-2014 6.4.2.3: neither the Version Number nor TLV types, lengths or Reserved fields are
 * validated; the subtype, the length and the Actor System decide.
 */
static int ref_lacpdu_ok(const __u8 *d, size_t n)
{
	if (n < LACP_FRAME_LEN || d[LOFF(subtype)] != LACP_SLOW_SUBTYPE_LACP)
		return 0;
	return individual_mac(d + LOFF(actor.system));
}

/* returns the kind, or 0: the Marker TLV_type alone says which PDU it is (6.5.3.3) */
static int ref_marker_kind(const __u8 *d, size_t n)
{
	if (n < LACP_FRAME_LEN || d[MOFF(subtype)] != LACP_SLOW_SUBTYPE_MARKER)
		return 0;
	if (d[MOFF(info.type)] == MARKER_TLV_INFO)
		return LACPDU_KIND_MARKER;
	if (d[MOFF(info.type)] == MARKER_TLV_RESPONSE)
		return LACPDU_KIND_MARKER_RESPONSE;
	return 0;
}

static void check_classification(const __u8 *d, size_t n, int rc, const struct lacpdu_msg *m)
{
	int slow, subtype = -1, want;

	CHECK(rc == LACPDU_KIND_LACPDU || rc == LACPDU_KIND_MARKER ||
	      rc == LACPDU_KIND_MARKER_RESPONSE || rc == -LACPDU_E_UNKNOWN ||
	      rc == -LACPDU_E_ILLEGAL);
	CHECK((unsigned)m->reason < LACPDU_R__COUNT);
	CHECK(lacpdu_reason_name[m->reason] && lacpdu_reason_name[m->reason][0]);
	CHECK((unsigned)m->kind < LACPDU_KIND__COUNT);
	CHECK(lacpdu_kind_name[m->kind] && lacpdu_kind_name[m->kind][0]);
	if (rc > 0) {
		CHECK(m->kind == (enum lacpdu_kind)rc);
		CHECK(m->reason == LACPDU_R_OK);
	} else {
		CHECK(m->kind == LACPDU_KIND_NONE);
		CHECK(m->reason != LACPDU_R_OK);
		CHECK((rc == -LACPDU_E_UNKNOWN) == (m->reason == LACPDU_R_SUBTYPE_UNKNOWN));
	}

	if (n < LACP_ETH_HLEN) {
		CHECK(m->reason == LACPDU_R_SHORT_ETH);
		return;
	}
	CHECK(memcmp(m->dst, d, 6) == 0);
	CHECK(memcmp(m->src, d + 6, 6) == 0);
	slow = d[12] == (ETH_P_SLOW_PROTO >> 8) && d[13] == (ETH_P_SLOW_PROTO & 0xff);
	if (!slow) {
		CHECK(m->reason == LACPDU_R_ETHERTYPE);
		return;
	}
	if (n > LACP_ETH_HLEN)
		subtype = d[LACP_ETH_HLEN];
	/* 802.3 57A.4: 1..10 are slow protocols (3..10 not ours), 0 and 11..255 illegal */
	if (subtype >= 3 && subtype <= LACP_SLOW_SUBTYPE_MAX)
		CHECK(rc == -LACPDU_E_UNKNOWN);
	else if (subtype != LACP_SLOW_SUBTYPE_LACP && subtype != LACP_SLOW_SUBTYPE_MARKER)
		CHECK(rc == -LACPDU_E_ILLEGAL);

	want = ref_lacpdu_ok(d, n) ? LACPDU_KIND_LACPDU : ref_marker_kind(d, n);
	if (want)
		CHECK(rc == want);
	else
		CHECK(rc < 0);
}

/* ---- round trips ---- */

static void info_eq(const struct lacp_info *a, const struct lacp_info *b)
{
	CHECK(a->system_priority == b->system_priority);
	CHECK(memcmp(a->system, b->system, 6) == 0);
	CHECK(a->key == b->key);
	CHECK(a->port_priority == b->port_priority);
	CHECK(a->port == b->port);
	CHECK(a->state == b->state);
}

static void marker_eq(const struct lacp_marker_info *a, const struct lacp_marker_info *b)
{
	CHECK(a->requester_port == b->requester_port);
	CHECK(memcmp(a->requester_system, b->requester_system, 6) == 0);
	CHECK(a->transaction_id == b->transaction_id);
}

static void msg_eq(const struct lacpdu_msg *a, const struct lacpdu_msg *b)
{
	CHECK(a->kind == b->kind);
	CHECK(memcmp(a->src, b->src, 6) == 0);
	if (a->kind == LACPDU_KIND_LACPDU) {
		info_eq(&a->lacp.actor, &b->lacp.actor);
		info_eq(&a->lacp.partner, &b->lacp.partner);
		CHECK(a->lacp.collector_max_delay == b->lacp.collector_max_delay);
	} else {
		marker_eq(&a->marker, &b->marker);
	}
}

/* reserved octets: not read, and zero when we write them */
static int reserved_octet(int kind, size_t i)
{
	if (kind == LACPDU_KIND_LACPDU)
		return (i >= LOFF(actor.reserved) && i < LOFF(actor.reserved) + 3) ||
		       (i >= LOFF(partner.reserved) && i < LOFF(partner.reserved) + 3) ||
		       (i >= LOFF(collector.reserved) && i < LOFF(collector.reserved) + 12) ||
		       i >= LOFF(reserved);
	return (i >= MOFF(info.pad) && i < MOFF(info.pad) + 2) || i >= MOFF(reserved);
}

/* octets a decoded frame may have and its re-encoding not: the destination, the version
 * (we write 1), the TLV types and lengths and the Terminator (never read: a later version or a
 * sloppy sender may have anything there; a Marker's TLV type is read), reserved ones */
static int ignored_octet(int kind, size_t i)
{
	if (i < 6 || i == LOFF(version) || reserved_octet(kind, i))
		return 1;
	if (kind == LACPDU_KIND_LACPDU)
		return i == LOFF(actor.type) || i == LOFF(actor.length) ||
		       i == LOFF(partner.type) || i == LOFF(partner.length) ||
		       i == LOFF(collector.type) || i == LOFF(collector.length) ||
		       i == LOFF(terminator_type) || i == LOFF(terminator_length);
	return i == MOFF(info.length) || i == MOFF(terminator_type) || i == MOFF(terminator_length);
}

static size_t encode_msg(__u8 *buf, size_t cap, const struct lacpdu_msg *m)
{
	if (m->kind == LACPDU_KIND_LACPDU)
		return lacpdu_encode_lacp(buf, cap, m->src, &m->lacp.actor, &m->lacp.partner,
					  m->lacp.collector_max_delay);
	return lacpdu_encode_marker(buf, cap, m->src, m->kind, &m->marker);
}

/* a frame the decoder accepted: encode what it read, compare octets and fields */
static void roundtrip_decoded(const __u8 *d, const struct lacpdu_msg *m)
{
	__u8 *buf = malloc(LACP_FRAME_LEN);
	struct lacpdu_msg m2;
	size_t i;

	CHECK(buf);
	CHECK(encode_msg(buf, LACP_FRAME_LEN, m) == LACP_FRAME_LEN);
	CHECK(memcmp(buf, slow_dst, 6) == 0);
	CHECK(buf[LOFF(version)] == LACP_VERSION); /* = MARKER_VERSION, same offset */
	for (i = 0; i < LACP_FRAME_LEN; i++) {
		if (reserved_octet(m->kind, i))
			CHECK(buf[i] == 0);
		else if (!ignored_octet(m->kind, i))
			CHECK(buf[i] == d[i]);
	}
	CHECK(lacpdu_decode(buf, LACP_FRAME_LEN, &m2) == (int)m->kind);
	CHECK(memcmp(m2.dst, slow_dst, 6) == 0);
	msg_eq(m, &m2);
	free(buf);
}

/* ---- field values from the input, encoded first ---- */

struct rd {
	const __u8 *d;
	size_t n, i;
};

/* the input's bytes, cycled: every input yields every field */
static __u8 u8(struct rd *r)
{
	return r->n ? r->d[r->i++ % r->n] : 0;
}

static __u16 u16(struct rd *r)
{
	__u16 hi = u8(r);

	return (__u16)(hi << 8 | u8(r));
}

static void rd_info(struct rd *r, struct lacp_info *i)
{
	int k;

	i->system_priority = u16(r);
	for (k = 0; k < 6; k++)
		i->system[k] = u8(r);
	i->key = u16(r);
	i->port_priority = u16(r);
	i->port = u16(r);
	i->state = u8(r);
}

/* decode `frame` (an encoder's output) cut or padded as the input says */
static void decode_variants(struct rd *r, const __u8 *frame, const struct lacpdu_msg *want)
{
	size_t cut = u8(r) % LACP_FRAME_LEN, pad = u8(r) % 64, n = LACP_FRAME_LEN + pad;
	__u8 *buf = malloc(n);
	struct lacpdu_msg m;

	CHECK(buf);
	/* Ethernet padding / FCS after the 110 octets are ignored */
	memcpy(buf, frame, LACP_FRAME_LEN);
	memset(buf + LACP_FRAME_LEN, u8(r), pad);
	CHECK(lacpdu_decode(buf, n, &m) == (int)want->kind);
	msg_eq(want, &m);
	free(buf);

	/* a truncated PDU is never accepted (exact-size copy: no read past it) */
	buf = malloc(cut ? cut : 1);
	CHECK(buf);
	memcpy(buf, frame, cut);
	CHECK(lacpdu_decode(buf, cut, &m) < 0);
	free(buf);
}

static void roundtrip_encoded(const __u8 *data, size_t size)
{
	struct rd r = { data, size, 0 };
	struct lacpdu_msg want, m;
	size_t small = u8(&r) % LACP_FRAME_LEN;
	__u8 frame[LACP_FRAME_LEN], *tiny;
	int k;

	memset(&want, 0, sizeof(want));
	for (k = 0; k < 6; k++)
		want.src[k] = u8(&r);

	/* LACPDU */
	want.kind = LACPDU_KIND_LACPDU;
	rd_info(&r, &want.lacp.actor);
	rd_info(&r, &want.lacp.partner);
	want.lacp.collector_max_delay = u16(&r);
	CHECK(encode_msg(frame, sizeof(frame), &want) == LACP_FRAME_LEN);
	if (individual_mac(want.lacp.actor.system)) {
		CHECK(lacpdu_decode(frame, sizeof(frame), &m) == LACPDU_KIND_LACPDU);
		CHECK(memcmp(m.dst, slow_dst, 6) == 0);
		msg_eq(&want, &m);
		decode_variants(&r, frame, &want);
	} else {
		/* we may write what we refuse to read (the encoder does not judge) */
		CHECK(lacpdu_decode(frame, sizeof(frame), &m) == -LACPDU_E_ILLEGAL);
	}

	/* Marker Information and Marker Response */
	want.kind = (u8(&r) & 1) ? LACPDU_KIND_MARKER_RESPONSE : LACPDU_KIND_MARKER;
	want.marker.requester_port = u16(&r);
	for (k = 0; k < 6; k++)
		want.marker.requester_system[k] = u8(&r);
	want.marker.transaction_id = (__u32)u16(&r) << 16;
	want.marker.transaction_id |= u16(&r);
	CHECK(encode_msg(frame, sizeof(frame), &want) == LACP_FRAME_LEN);
	CHECK(lacpdu_decode(frame, sizeof(frame), &m) == (int)want.kind);
	msg_eq(&want, &m);
	decode_variants(&r, frame, &want);

	/* a Marker encoder asked for anything but a Marker kind refuses */
	CHECK(lacpdu_encode_marker(frame, sizeof(frame), want.src, LACPDU_KIND_NONE,
				   &want.marker) == 0);
	CHECK(lacpdu_encode_marker(frame, sizeof(frame), want.src, LACPDU_KIND_LACPDU,
				   &want.marker) == 0);
	CHECK(lacpdu_encode_marker(frame, sizeof(frame), want.src,
				   (enum lacpdu_kind)(LACPDU_KIND__COUNT + u8(&r)),
				   &want.marker) == 0);

	/* too small a buffer: nothing written (ASan: exactly `small` octets) */
	tiny = malloc(small ? small : 1);
	CHECK(tiny);
	CHECK(lacpdu_encode_lacp(tiny, small, want.src, &want.lacp.actor, &want.lacp.partner, 0) ==
	      0);
	CHECK(lacpdu_encode_marker(tiny, small, want.src, LACPDU_KIND_MARKER, &want.marker) == 0);
	free(tiny);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lacpdu_msg m;
	int rc;

	memset(&m, 0xa5, sizeof(m)); /* decode must set every field it reports */
	rc = lacpdu_decode(data, size, &m);
	check_classification(data, size, rc, &m);
	if (rc > 0)
		roundtrip_decoded(data, &m);
	roundtrip_encoded(data, size);
	return 0;
}
