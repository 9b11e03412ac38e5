/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The ABI between the BPF programs and the controller: map names, keys, values
 * and limits. Both sides include this one file; fixed-size types only, layouts
 * frozen by _Static_assert so a mismatch fails the build, not the data path.
 */
#ifndef LAGBPF_ABI_H
#define LAGBPF_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#include <linux/bpf.h> /* struct bpf_spin_lock */
#endif

/* The layout of every map below. Pins carry it (lag_abi); a binary adopts
 * only pins of its own version. Bump it with any change to a key, value or
 * map type. Version 1 had no lag_abi map.
 */
#define LAG_ABI_VERSION 3 /* 3: lag_load */

#define LAG_MAX_MEMBERS	   64
#define LAG_BUCKETS	   256 /* resilient table size; power of two */
#define LAG_MAX_QUEUES	   64  /* AF_XDP sockets per member (one per RX queue, 0..63) */
#define LAG_VLAN_MAX_DEPTH 2
/* Slots 0 and 1 are the double-buffered live table; slot 2 + i is the live
 * table minus member slot i, precomputed so a carrier loss is one 4-byte write.
 */
#define LAG_TABLE_LIVE0	  0
#define LAG_TABLE_LIVE1	  1
#define LAG_TABLE_LOSS(i) (2 + (i))
#define LAG_TABLES	  (2 + LAG_MAX_MEMBERS)

_Static_assert((LAG_BUCKETS & (LAG_BUCKETS - 1)) == 0, "LAG_BUCKETS must be a power of two");
_Static_assert((LAG_MAX_QUEUES & (LAG_MAX_QUEUES - 1)) == 0,
	       "LAG_MAX_QUEUES must be a power of two");

#define ETH_P_SLOW_PROTO 0x8809

/* Slow-protocol frames to the controller: the per-member policer's defaults
 * (LACP sends at most 3 LACPDUs a second per port, Marker rarely: ample
 * headroom), the lag_slow ring and the bytes of a frame a record carries
 * (a LACPDU or Marker PDU is 124 with its Ethernet header; later versions
 * are longer: their v1 fields come first).
 */
#define LAG_SLOW_RATE_DEFAULT	50	   /* frames per second per member */
#define LAG_SLOW_BURST_DEFAULT	100	   /* frames */
#define LAG_SLOW_RATE_UNLIMITED 0xffffffff /* lag_cfg.slow_rate: no policing */
#define LAG_SLOW_FRAME_MAX	128
#define LAG_SLOW_RING_SIZE	(64 * 1024) /* bytes: ~450 records */

/* Map names: used by the SEC(".maps") declarations and the pin paths. */
#define LAG_MAP_CFG	  lag_cfg
#define LAG_MAP_ACTIVE	  lag_active
#define LAG_MAP_TABLES	  lag_tables
#define LAG_MAP_MEMBERS	  lag_members
#define LAG_MAP_CNT	  lag_cnt_member
#define LAG_MAP_CNT_LAG	  lag_cnt_lag
#define LAG_MAP_XSKS	  lag_xsks
#define LAG_MAP_LACP	  lag_lacp
#define LAG_MAP_POLICE	  lag_police
#define LAG_MAP_SLOW	  lag_slow
#define LAG_MAP_HEARTBEAT lag_heartbeat
#define LAG_MAP_ABI	  lag_abi
#define LAG_MAP_LOAD	  lag_load

enum lag_hash_policy {
	LAG_HASH_L2 = 0,
	LAG_HASH_L23 = 1,
	LAG_HASH_L34 = 2,
	LAG_HASH_ENCAP34 = 3,
	LAG_HASH__COUNT
};

/* lag_cfg[0]: knobs the programs read on every packet. */
struct lag_cfg {
	__u32 lag_ifindex;  /* the LAG device */
	__u32 hash_policy;  /* enum lag_hash_policy */
	__u32 hash_seed;    /* per-LAG jhash seed: stacked LAGs do not polarize */
	__u32 peer_ifindex; /* the LAG device's veth peer: received frames leave
			     * through it, so the kernel counts them as lag0's RX */
	/* Slow-protocol frames to the controller, per member: a token bucket of
	 * slow_burst frames refilled at slow_rate frames/s; 0 = the default,
	 * LAG_SLOW_RATE_UNLIMITED = no policing. Read per slow frame only.
	 */
	__u32 slow_rate;
	__u32 slow_burst;
};
_Static_assert(sizeof(struct lag_cfg) == 24, "abi");

/* lag_tables[i]: bucket -> member ifindex (0 = no member: drop), and the
 * member's slot (its lag_cnt_member key), so egress counts without a hash
 * lookup.
 */
struct lag_table {
	__u32 n_members; /* distinct distributing members in this table */
	__u32 pad;
	__u32 ifindex[LAG_BUCKETS];
	__u8 slot[LAG_BUCKETS];
};
_Static_assert(sizeof(struct lag_table) == 8 + 5 * LAG_BUCKETS, "abi");

/* lag_load[bucket]: bytes egress sent through each bucket of the table, per
 * CPU. The controller's --rebalance reads it to move buckets between members.
 */
struct lag_load {
	__u64 bytes;
};

/* lag_members[ifindex]: one entry per member. */
enum lag_member_flags {
	LAG_M_COLLECTING = 1u << 0,   /* frames received on it reach the LAG */
	LAG_M_DISTRIBUTING = 1u << 1, /* it is in the live table */
};

struct lag_member {
	__u32 ifindex;
	__u32 slot;	   /* 0..LAG_MAX_MEMBERS-1: XSK key base, loss table */
	__u32 flags;	   /* enum lag_member_flags */
	__u32 saved_flags; /* the member's IFF_* before attach, restored on detach */
	__u8 saved_mac[6]; /* the member's MAC before attach */
	__u16 port_number; /* LACP port number */
	__u32 saved_mtu;
	__u32 saved_no_ipv6; /* the member's disable_ipv6 before attach */
};
_Static_assert(sizeof(struct lag_member) == 32, "abi");

/* lag_cnt_member[member slot], per CPU (an array: the cheapest lookup). Names match the JSON
 * counters. Every slow-protocol frame (EtherType 0x8809) counts in slow_rx and in the path it took
 * (slow_rx_xdp, or slow_rx_tc when it came redirected into the member and generic XDP skipped it),
 * then in exactly one of: slow_bad_dst, slow_bad_subtype, slow_short, slow_policed, slow_to_xsk,
 * slow_to_ring, slow_dropped. slow_xsk_miss counts the XDP frames that found no socket for their RX
 * queue and went to the ring instead.
 */
struct lag_counters {
	__u64 tx_packets;
	__u64 tx_bytes;
	__u64 rx_packets;
	__u64 rx_bytes;
	__u64 rx_dropped;	/* data frames on a member that is not collecting */
	__u64 slow_rx;		/* slow-protocol frames seen, either hook */
	__u64 slow_to_xsk;	/* ... redirected to the controller's AF_XDP socket */
	__u64 slow_dropped;	/* ... valid, but lag_slow was full (dropped) */
	__u64 slow_rx_xdp;	/* ... seen by XDP */
	__u64 slow_rx_tc;	/* ... seen by TC ingress only (redirected in) */
	__u64 slow_bad_dst;	/* ... dropped: not to 01:80:c2:00:00:02 */
	__u64 slow_bad_subtype; /* ... dropped: neither LACP (1) nor Marker (2) */
	__u64 slow_short;	/* ... dropped: shorter than 124 octets */
	__u64 slow_policed;	/* ... dropped: over slow_rate/slow_burst */
	__u64 slow_xsk_miss;	/* ... no socket for the RX queue: to lag_slow */
	__u64 slow_to_ring;	/* ... handed to the controller through lag_slow */
};
_Static_assert(sizeof(struct lag_counters) == 128, "abi");

/* lag_cnt_lag[0], per CPU: LAG-level events not tied to one member. */
struct lag_lag_counters {
	__u64 tx_no_member;   /* egress frames dropped: no distributing member */
	__u64 tx_parse_short; /* egress frames too short to hash on L3/L4 (hashed on L2) */
	__u64 tx_redirect_err;
	__u64 rx_not_member; /* ingress on an ifindex that is not a member */
	__u64 tx_deadman;    /* egress frames dropped: the controller's heartbeat is stale */
};
_Static_assert(sizeof(struct lag_lag_counters) == 40, "abi");

/* lag_heartbeat[0]: the dead-man. The controller writes it every 100 ms tick:
 * refresh_ns from CLOCK_MONOTONIC (the clock of bpf_ktime_get_ns() and of its
 * coarse version, which lag_tx reads) and timeout_ns, the partner's timeout
 * (3 s at fast rate, 90 s at slow; 3 s in static mode). Once now - refresh_ns
 * > timeout_ns, no controller has spoken for as long as the partner waits
 * before it stops collecting from us, and lag_tx drops every egress frame
 * (tx_deadman) rather than hash it onto links nobody manages. refresh_ns 0
 * (never written): no dead-man.
 */
struct lag_heartbeat {
	__u64 refresh_ns;
	__u64 timeout_ns;
};
_Static_assert(sizeof(struct lag_heartbeat) == 16, "abi");

/* The LACP machines' states as lag_lacp records them: one-byte enums, so
 * the map's BTF carries their names and `bpftool map dump` prints
 * "LAG_MUX_DISTRIBUTING" rather than 4. Same order as user/lacp/lacp.h
 * (checked there).
 */
enum __attribute__((packed)) lag_mux_state {
	LAG_MUX_DETACHED,
	LAG_MUX_WAITING,
	LAG_MUX_ATTACHED,
	LAG_MUX_COLLECTING,
	LAG_MUX_DISTRIBUTING,
};

enum __attribute__((packed)) lag_rx_state {
	LAG_RX_INITIALIZE,
	LAG_RX_PORT_DISABLED,
	LAG_RX_EXPIRED,
	LAG_RX_LACP_DISABLED,
	LAG_RX_DEFAULTED,
	LAG_RX_CURRENT,
};

enum __attribute__((packed)) lag_selected {
	LAG_UNSELECTED,
	LAG_SELECTED,
	LAG_STANDBY,
};

/* Why a port is not selected (show -j's "reason", in its own words). */
enum __attribute__((packed)) lag_reason {
	LAG_REASON_NONE,
	LAG_REASON_PORT_DOWN,
	LAG_REASON_LACP_DISABLED,
	LAG_REASON_NO_PARTNER,
	LAG_REASON_PASSIVE_BOTH,
	LAG_REASON_OTHER_PARTNER_SYSTEM,
	LAG_REASON_PARTNER_KEY_MISMATCH,
	LAG_REASON_ACTOR_KEY_MISMATCH,
	LAG_REASON_PARTNER_INDIVIDUAL,
	LAG_REASON_MAX_ACTIVE,
	LAG_REASON_LOOPBACK,
	LAG_REASON_PARTNER_CHANGED,
	LAG_REASON_AGGREGATOR_INDIVIDUAL,
	LAG_REASON_MIN_LINKS,
};

/* lag_lacp[ifindex]: LACP port state mirrored for `bpftool map dump`. */
struct lag_lacp_port {
	__u16 actor_port;
	__u16 actor_port_priority;
	__u16 actor_key;
	__u8 actor_state;
	__u8 partner_state;
	__u8 partner_system[6];
	__u16 partner_system_priority;
	__u16 partner_key;
	__u16 partner_port;
	__u16 partner_port_priority;
	enum lag_mux_state mux_state;
	enum lag_rx_state rx_state;
	enum lag_selected selected;
	enum lag_reason reason;
	__u8 pad[6];
};
_Static_assert(sizeof(struct lag_lacp_port) == 32, "abi");
_Static_assert(sizeof(enum lag_mux_state) == 1 && sizeof(enum lag_reason) == 1, "abi");

/* lag_police[member slot]: the member's slow-protocol token bucket. BPF's
 * own state, shared by lag_xdp and lag_rx; userspace only zeroes it.
 */
struct lag_police {
	struct bpf_spin_lock lock;
	__u32 pad;
	__u64 last_ns;	 /* bpf_ktime_get_ns() of the last refill */
	__u64 credit_ns; /* tokens as refill time: a frame costs 1e9 / rate ns */
};
_Static_assert(sizeof(struct lag_police) == 24, "abi");

/* lag_slow (BPF ring buffer) records: slow-protocol frames for the controller
 * that took the TC path, or found no AF_XDP socket for their RX queue.
 */
enum lag_slow_path {
	LAG_SLOW_PATH_XDP = 1,
	LAG_SLOW_PATH_TC = 2,
};

struct lag_slow_frame {
	__u32 ifindex;	/* the member it arrived on */
	__u32 wire_len; /* its length; frame[] holds the first len octets */
	__u16 len;
	__u8 path; /* enum lag_slow_path */
	__u8 pad[5];
	__u8 frame[LAG_SLOW_FRAME_MAX];
};
_Static_assert(sizeof(struct lag_slow_frame) == 16 + LAG_SLOW_FRAME_MAX, "abi");

/* lag_abi[0]: the layout of this LAG's pins, LAG_ABI_VERSION when written. */
struct lag_abi {
	__u32 version;
	__u32 pad;
};
_Static_assert(sizeof(struct lag_abi) == 8, "abi");

#endif
