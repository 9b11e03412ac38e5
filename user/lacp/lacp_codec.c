// SPDX-License-Identifier: GPL-2.0
/*
 * LACPDU / Marker PDU codec: frame bytes <-> host-order structs (802.1AX-2014 6.4.2.3 and
 * 6.5.3.3). The only file that converts byte order. It reads the version 1 fields at their
 * offsets and validates neither the Version Number, nor TLV types and lengths, nor Reserved
 * fields (decode_lacp); no I/O.
 */
#include <string.h>
#include <arpa/inet.h>
#include "lacp/lacp_codec.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *const lacpdu_kind_name[] = {
	[LACPDU_KIND_NONE] = "none",
	[LACPDU_KIND_LACPDU] = "lacpdu",
	[LACPDU_KIND_MARKER] = "marker",
	[LACPDU_KIND_MARKER_RESPONSE] = "marker-response",
};
_Static_assert(ARRAY_SIZE(lacpdu_kind_name) == LACPDU_KIND__COUNT, "names");

const char *const lacpdu_reason_name[] = {
	[LACPDU_R_OK] = "ok",
	[LACPDU_R_SHORT_ETH] = "short-ethernet-header",
	[LACPDU_R_ETHERTYPE] = "not-slow-protocols",
	[LACPDU_R_SUBTYPE_ILLEGAL] = "illegal-subtype",
	[LACPDU_R_SUBTYPE_UNKNOWN] = "unknown-subtype",
	[LACPDU_R_TRUNCATED] = "truncated",
	[LACPDU_R_MARKER_TYPE] = "bad-marker-tlv-type",
	[LACPDU_R_ACTOR_SYSTEM] = "illegal-actor-system",
};
_Static_assert(ARRAY_SIZE(lacpdu_reason_name) == LACPDU_R__COUNT, "names");

static const __u8 slow_dst[6] = LACP_SLOW_DST_MAC;

static int fail(struct lacpdu_msg *m, enum lacpdu_reason r)
{
	m->reason = r;
	return r == LACPDU_R_SUBTYPE_UNKNOWN ? -LACPDU_E_UNKNOWN : -LACPDU_E_ILLEGAL;
}

static void info_from_wire(struct lacp_info *i, const struct lacpdu_info_tlv *t)
{
	i->system_priority = ntohs(t->system_priority);
	memcpy(i->system, t->system, 6);
	i->key = ntohs(t->key);
	i->port_priority = ntohs(t->port_priority);
	i->port = ntohs(t->port);
	i->state = t->state;
}

static void info_to_wire(struct lacpdu_info_tlv *t, __u8 type, const struct lacp_info *i)
{
	t->type = type;
	t->length = LACP_TLV_ACTOR_LEN;
	t->system_priority = htons(i->system_priority);
	memcpy(t->system, i->system, 6);
	t->key = htons(i->key);
	t->port_priority = htons(i->port_priority);
	t->port = htons(i->port);
	t->state = i->state;
}

/* 6.3.2: a System ID's MAC is an individual address, and not all zero */
static int individual_mac(const __u8 *a)
{
	return !(a[0] & 1) && (a[0] | a[1] | a[2] | a[3] | a[4] | a[5]);
}

/*
 * 802.1AX-2014 6.4.2.3 (and 802.3ad before it): a receiver does not validate the Version
 * Number, the TLV_type and Information_Length fields or the Reserved fields, so that the
 * LACPDUs of later versions are read for their version 1 fields: every version keeps those at
 * the offsets of version 1. The Actor and Partner Information and the Collector Max Delay are
 * read there and nothing else is looked at: what follows them (the Terminator of version 1, a
 * later version's own TLVs, which may run past the 110 octets), Reserved fields, Ethernet
 * padding and FCS are ignored.
 * An Actor_System that is not an individual MAC (0, or a group address) is illegal: such a
 * LACPDU changes nothing (6.3.2).
 */
static int decode_lacp(const __u8 *pdu, struct lacpdu_msg *m)
{
	struct lacpdu p;

	memcpy(&p, pdu, sizeof(p));
	if (!individual_mac(p.actor.system))
		return fail(m, LACPDU_R_ACTOR_SYSTEM);

	info_from_wire(&m->lacp.actor, &p.actor);
	info_from_wire(&m->lacp.partner, &p.partner);
	m->lacp.collector_max_delay = ntohs(p.collector.max_delay);
	m->kind = LACPDU_KIND_LACPDU;
	return m->kind;
}

/*
 * 802.1AX-2014 6.5.3.3: Marker Information (TLV_type 1) or Marker Response Information
 * (TLV_type 2). As for LACPDUs, neither the Version Number, the Information_Length, the
 * Terminator nor the Pad and Reserved fields are validated. The TLV_type is read, since it alone
 * says which of the two PDUs this is; another value is neither, and the PDU is illegal.
 */
static int decode_marker(const __u8 *pdu, struct lacpdu_msg *m)
{
	struct markerpdu p;

	memcpy(&p, pdu, sizeof(p));
	if (p.info.type != MARKER_TLV_INFO && p.info.type != MARKER_TLV_RESPONSE)
		return fail(m, LACPDU_R_MARKER_TYPE);

	m->marker.requester_port = ntohs(p.info.requester_port);
	memcpy(m->marker.requester_system, p.info.requester_system, 6);
	m->marker.transaction_id = ntohl(p.info.requester_transaction_id);
	m->kind = p.info.type == MARKER_TLV_INFO ? LACPDU_KIND_MARKER : LACPDU_KIND_MARKER_RESPONSE;
	return m->kind;
}

int lacpdu_decode(const void *frame, size_t len, struct lacpdu_msg *m)
{
	const __u8 *b = frame;
	struct lacp_ethhdr eth;
	__u8 subtype;

	memset(m, 0, sizeof(*m));
	if (!frame || len < LACP_ETH_HLEN)
		return fail(m, LACPDU_R_SHORT_ETH);
	memcpy(&eth, b, sizeof(eth));
	memcpy(m->dst, eth.dst, 6);
	memcpy(m->src, eth.src, 6);
	if (ntohs(eth.proto) != ETH_P_SLOW_PROTO)
		return fail(m, LACPDU_R_ETHERTYPE);
	if (len < LACP_ETH_HLEN + 1)
		return fail(m, LACPDU_R_TRUNCATED);

	/* 802.3 57A.4: subtypes 1..10 are assigned slow protocols, the rest illegal */
	subtype = b[LACP_ETH_HLEN];
	if (subtype == 0 || subtype > LACP_SLOW_SUBTYPE_MAX)
		return fail(m, LACPDU_R_SUBTYPE_ILLEGAL);
	if (subtype != LACP_SLOW_SUBTYPE_LACP && subtype != LACP_SLOW_SUBTYPE_MARKER)
		return fail(m, LACPDU_R_SUBTYPE_UNKNOWN);
	if (len < LACP_FRAME_LEN)
		return fail(m, LACPDU_R_TRUNCATED);

	if (subtype == LACP_SLOW_SUBTYPE_LACP)
		return decode_lacp(b + LACP_ETH_HLEN, m);
	return decode_marker(b + LACP_ETH_HLEN, m);
}

static void eth_to_wire(struct lacp_ethhdr *eth, const __u8 src[6])
{
	memcpy(eth->dst, slow_dst, 6);
	memcpy(eth->src, src, 6);
	eth->proto = htons(ETH_P_SLOW_PROTO);
}

size_t lacpdu_encode_lacp(void *buf, size_t cap, const __u8 src[6], const struct lacp_info *actor,
			  const struct lacp_info *partner, __u16 collector_max_delay)
{
	struct lacpdu_frame f;

	_Static_assert(LACP_FRAME_LEN >= LACP_ETH_ZLEN, "no padding needed");
	if (!buf || cap < sizeof(f))
		return 0;
	memset(&f, 0, sizeof(f));
	eth_to_wire(&f.eth, src);
	f.pdu.subtype = LACP_SLOW_SUBTYPE_LACP;
	f.pdu.version = LACP_VERSION;
	info_to_wire(&f.pdu.actor, LACP_TLV_ACTOR, actor);
	info_to_wire(&f.pdu.partner, LACP_TLV_PARTNER, partner);
	f.pdu.collector.type = LACP_TLV_COLLECTOR;
	f.pdu.collector.length = LACP_TLV_COLLECTOR_LEN;
	f.pdu.collector.max_delay = htons(collector_max_delay);
	f.pdu.terminator_type = LACP_TLV_TERMINATOR;
	f.pdu.terminator_length = LACP_TLV_TERMINATOR_LEN;
	memcpy(buf, &f, sizeof(f));
	return sizeof(f);
}

size_t lacpdu_encode_marker(void *buf, size_t cap, const __u8 src[6], enum lacpdu_kind kind,
			    const struct lacp_marker_info *mi)
{
	struct markerpdu_frame f;

	if (!buf || cap < sizeof(f))
		return 0;
	if (kind != LACPDU_KIND_MARKER && kind != LACPDU_KIND_MARKER_RESPONSE)
		return 0;
	memset(&f, 0, sizeof(f));
	eth_to_wire(&f.eth, src);
	f.pdu.subtype = LACP_SLOW_SUBTYPE_MARKER;
	f.pdu.version = MARKER_VERSION;
	f.pdu.info.type = kind == LACPDU_KIND_MARKER ? MARKER_TLV_INFO : MARKER_TLV_RESPONSE;
	f.pdu.info.length = MARKER_TLV_INFO_LEN;
	f.pdu.info.requester_port = htons(mi->requester_port);
	memcpy(f.pdu.info.requester_system, mi->requester_system, 6);
	f.pdu.info.requester_transaction_id = htonl(mi->transaction_id);
	f.pdu.terminator_type = LACP_TLV_TERMINATOR;
	f.pdu.terminator_length = LACP_TLV_TERMINATOR_LEN;
	memcpy(buf, &f, sizeof(f));
	return sizeof(f);
}
