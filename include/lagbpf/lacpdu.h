/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LACPDU and Marker PDU wire layout (IEEE 802.1AX-2014 6.4.2 and 6.5.3), shared by BPF and
 * userspace. Fields are in wire order and network byte order; only user/lacp/lacp_codec.c converts
 * them. No logic here: constants, packed structs and size assertions only.
 */
#ifndef LAGBPF_LACPDU_H
#define LAGBPF_LACPDU_H

#include "lagbpf/abi.h"

/* Slow Protocols (IEEE 802.3 Annex 57A) */
#define LACP_SLOW_DST_MAC                                                                          \
	{                                                                                          \
		0x01, 0x80, 0xc2, 0x00, 0x00, 0x02                                                 \
	}
#define LACP_SLOW_SUBTYPE_LACP	 1
#define LACP_SLOW_SUBTYPE_MARKER 2
#define LACP_SLOW_SUBTYPE_MAX	 10 /* 57A.4: 1..10 assigned, 0 and 11..255 illegal */

/* 802.1AX-2014 6.4.2.3 */
#define LACP_VERSION		1
#define LACP_TLV_TERMINATOR	0
#define LACP_TLV_ACTOR		1
#define LACP_TLV_PARTNER	2
#define LACP_TLV_COLLECTOR	3
#define LACP_TLV_ACTOR_LEN	20
#define LACP_TLV_PARTNER_LEN	20
#define LACP_TLV_COLLECTOR_LEN	16
#define LACP_TLV_TERMINATOR_LEN 0

/* 802.1AX-2014 6.5.3.3 */
#define MARKER_VERSION	    1
#define MARKER_TLV_INFO	    1
#define MARKER_TLV_RESPONSE 2
#define MARKER_TLV_INFO_LEN 16

/* Actor_State / Partner_State bits, 802.1AX-2014 6.4.2.3 (bit 0 first) */
#define LACP_STATE_ACTIVITY	0x01 /* LACP_Activity: 1 = Active */
#define LACP_STATE_TIMEOUT	0x02 /* LACP_Timeout: 1 = Short */
#define LACP_STATE_AGGREGATION	0x04 /* 1 = Aggregatable, 0 = Individual */
#define LACP_STATE_SYNC		0x08 /* Synchronization */
#define LACP_STATE_COLLECTING	0x10
#define LACP_STATE_DISTRIBUTING 0x20
#define LACP_STATE_DEFAULTED	0x40
#define LACP_STATE_EXPIRED	0x80

struct lacp_ethhdr {
	__u8 dst[6];
	__u8 src[6];
	__be16 proto;
} __attribute__((packed));

/* Actor or Partner Information TLV: type, length 20, 18 octets of information */
struct lacpdu_info_tlv {
	__u8 type;
	__u8 length;
	__be16 system_priority;
	__u8 system[6];
	__be16 key;
	__be16 port_priority;
	__be16 port;
	__u8 state;
	__u8 reserved[3];
} __attribute__((packed));

struct lacpdu_collector_tlv {
	__u8 type;
	__u8 length;
	__be16 max_delay; /* tens of microseconds */
	__u8 reserved[12];
} __attribute__((packed));

/* The LACPDU from Subtype through the trailing Reserved field: 110 octets */
struct lacpdu {
	__u8 subtype;
	__u8 version;
	struct lacpdu_info_tlv actor;
	struct lacpdu_info_tlv partner;
	struct lacpdu_collector_tlv collector;
	__u8 terminator_type;
	__u8 terminator_length;
	__u8 reserved[50];
} __attribute__((packed));

/* Marker Information / Marker Response Information TLV, 802.1AX-2014 6.5.3.3 */
struct marker_info_tlv {
	__u8 type;
	__u8 length;
	__be16 requester_port;
	__u8 requester_system[6];
	__be32 requester_transaction_id;
	__u8 pad[2];
} __attribute__((packed));

/* The Marker PDU / Marker Response PDU from Subtype through Reserved: 110 octets */
struct markerpdu {
	__u8 subtype;
	__u8 version;
	struct marker_info_tlv info;
	__u8 terminator_type;
	__u8 terminator_length;
	__u8 reserved[90];
} __attribute__((packed));

struct lacpdu_frame {
	struct lacp_ethhdr eth;
	struct lacpdu pdu;
} __attribute__((packed));

struct markerpdu_frame {
	struct lacp_ethhdr eth;
	struct markerpdu pdu;
} __attribute__((packed));

#define LACP_ETH_HLEN  14
#define LACP_PDU_LEN   110
#define LACP_FRAME_LEN (LACP_ETH_HLEN + LACP_PDU_LEN) /* 124, no padding needed */
#define LACP_ETH_ZLEN  60			      /* minimum frame without FCS */

_Static_assert(sizeof(struct lacp_ethhdr) == LACP_ETH_HLEN, "wire");
_Static_assert(sizeof(struct lacpdu_info_tlv) == LACP_TLV_ACTOR_LEN, "wire");
_Static_assert(sizeof(struct lacpdu_collector_tlv) == LACP_TLV_COLLECTOR_LEN, "wire");
_Static_assert(sizeof(struct lacpdu) == LACP_PDU_LEN, "wire");
_Static_assert(sizeof(struct marker_info_tlv) == MARKER_TLV_INFO_LEN, "wire");
_Static_assert(sizeof(struct markerpdu) == LACP_PDU_LEN, "wire");
_Static_assert(sizeof(struct lacpdu_frame) == LACP_FRAME_LEN, "wire");
_Static_assert(sizeof(struct markerpdu_frame) == LACP_FRAME_LEN, "wire");

#endif /* LAGBPF_LACPDU_H */
