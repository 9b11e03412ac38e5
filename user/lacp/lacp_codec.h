/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LACPDU / Marker PDU encode, decode and validate (802.1AX-2014 6.4.2, 6.5.3), in host
 * byte order. Pure: no I/O, no allocation. The only place where wire byte order is converted.
 */
#ifndef LAGBPF_USER_LACPDU_H
#define LAGBPF_USER_LACPDU_H

#include <stddef.h>
#include <linux/types.h>
#include "lagbpf/lacpdu.h"

/* One side's information as carried in an Actor/Partner Information TLV (host order) */
struct lacp_info {
	__u16 system_priority;
	__u8 system[6];
	__u16 key;
	__u16 port_priority;
	__u16 port;
	__u8 state;
};

/* Marker Information / Marker Response Information (host order) */
struct lacp_marker_info {
	__u16 requester_port;
	__u8 requester_system[6];
	__u32 transaction_id;
};

enum lacpdu_kind {
	LACPDU_KIND_NONE = 0,
	LACPDU_KIND_LACPDU = 1,
	LACPDU_KIND_MARKER = 2,		 /* Marker Information PDU */
	LACPDU_KIND_MARKER_RESPONSE = 3, /* Marker Response PDU */
	LACPDU_KIND__COUNT
};
extern const char *const lacpdu_kind_name[];

/* Decode failures: returned negated */
enum lacpdu_err {
	LACPDU_E_UNKNOWN = 1, /* a valid slow protocol that is not ours (e.g. OAM) */
	LACPDU_E_ILLEGAL = 2, /* malformed */
};

/* Why a frame was classified as it was; name table lacpdu_reason_name[] */
enum lacpdu_reason {
	LACPDU_R_OK,
	LACPDU_R_SHORT_ETH,	  /* shorter than an Ethernet header */
	LACPDU_R_ETHERTYPE,	  /* not 0x8809 */
	LACPDU_R_SUBTYPE_ILLEGAL, /* subtype 0 or > 10 (802.3 57A.4) */
	LACPDU_R_SUBTYPE_UNKNOWN, /* subtype 3..10: another slow protocol */
	LACPDU_R_TRUNCATED,	  /* shorter than the 110-octet PDU */
	LACPDU_R_MARKER_TYPE,	  /* a Marker TLV_type neither Information (1) nor Response (2) */
	LACPDU_R_ACTOR_SYSTEM,	  /* Actor_System 0 or a group address (6.3.2) */
	LACPDU_R__COUNT
};
extern const char *const lacpdu_reason_name[];

struct lacpdu_msg {
	enum lacpdu_kind kind;
	enum lacpdu_reason reason;
	__u8 dst[6];
	__u8 src[6];
	union {
		struct {
			struct lacp_info actor;
			struct lacp_info partner;
			__u16 collector_max_delay;
		} lacp;
		struct lacp_marker_info marker;
	};
};

/*
 * Decode a whole Ethernet frame (trailing padding / FCS allowed). Returns the kind (> 0) and
 * fills *m, or -LACPDU_E_UNKNOWN / -LACPDU_E_ILLEGAL with m->reason saying why.
 */
int lacpdu_decode(const void *frame, size_t len, struct lacpdu_msg *m);

/*
 * Build a full Ethernet frame (dst 01:80:c2:00:00:02, src, 0x8809, PDU) in buf. Returns the
 * frame length (LACP_FRAME_LEN), or 0 if cap is too small.
 */
size_t lacpdu_encode_lacp(void *buf, size_t cap, const __u8 src[6], const struct lacp_info *actor,
			  const struct lacp_info *partner, __u16 collector_max_delay);
size_t lacpdu_encode_marker(void *buf, size_t cap, const __u8 src[6], enum lacpdu_kind kind,
			    const struct lacp_marker_info *mi);

#endif /* LAGBPF_USER_LACPDU_H */
