/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The ABI between the BPF programs and the controller: map names, keys, values
 * and limits. Both sides include this one file; fixed-size types only, layouts
 * frozen by _Static_assert so a mismatch fails the build, not the data path.
 */
#ifndef LAGBPF_ABI_H
#define LAGBPF_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define LAG_MAX_MEMBERS	   64
#define LAG_BUCKETS	   256 /* resilient table size; power of two */
#define LAG_MAX_QUEUES	   8   /* AF_XDP sockets per member (one per RX queue) */
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

/* Map names: used by the SEC(".maps") declarations and the pin paths. */
#define LAG_MAP_CFG	lag_cfg
#define LAG_MAP_ACTIVE	lag_active
#define LAG_MAP_TABLES	lag_tables
#define LAG_MAP_MEMBERS lag_members
#define LAG_MAP_CNT	lag_cnt_member
#define LAG_MAP_CNT_LAG lag_cnt_lag
#define LAG_MAP_XSKS	lag_xsks
#define LAG_MAP_LACP	lag_lacp

enum lag_hash_policy {
	LAG_HASH_L2 = 0,
	LAG_HASH_L23 = 1,
	LAG_HASH_L34 = 2,
	LAG_HASH_ENCAP34 = 3,
	LAG_HASH__COUNT
};

/* lag_cfg[0]: knobs the programs read on every packet. */
struct lag_cfg {
	__u32 lag_ifindex; /* the LAG device: ingress redirect target */
	__u32 hash_policy; /* enum lag_hash_policy */
	__u32 hash_seed;   /* per-LAG jhash seed: stacked LAGs do not polarize */
	__u32 flags;	   /* reserved */
};
_Static_assert(sizeof(struct lag_cfg) == 16, "abi");

/* lag_tables[i]: bucket -> member ifindex (0 = no member: drop). */
struct lag_table {
	__u32 n_members; /* distinct distributing members in this table */
	__u32 pad;
	__u32 ifindex[LAG_BUCKETS];
};
_Static_assert(sizeof(struct lag_table) == 8 + 4 * LAG_BUCKETS, "abi");

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

/* lag_cnt_member[ifindex], per CPU. Names match the JSON counters. */
struct lag_counters {
	__u64 tx_packets;
	__u64 tx_bytes;
	__u64 rx_packets;
	__u64 rx_bytes;
	__u64 rx_dropped;   /* data frames on a member that is not collecting */
	__u64 slow_rx;	    /* slow-protocol frames seen by XDP */
	__u64 slow_to_xsk;  /* ... handed to the controller's AF_XDP socket */
	__u64 slow_dropped; /* ... with no socket to take them (dropped) */
};
_Static_assert(sizeof(struct lag_counters) == 64, "abi");

/* lag_cnt_lag[0], per CPU: LAG-level events not tied to one member. */
struct lag_lag_counters {
	__u64 tx_no_member;   /* egress frames dropped: no distributing member */
	__u64 tx_parse_short; /* egress frames too short to hash on L3/L4 (hashed on L2) */
	__u64 tx_redirect_err;
	__u64 rx_not_member; /* ingress on an ifindex that is not a member */
};
_Static_assert(sizeof(struct lag_lag_counters) == 32, "abi");

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
	__u8 mux_state;
	__u8 rx_state;
	__u8 selected;
	__u8 reason;
	__u8 pad[6];
};
_Static_assert(sizeof(struct lag_lacp_port) == 32, "abi");

#endif
