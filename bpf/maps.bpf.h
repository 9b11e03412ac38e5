/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Every map of a LAG, declared once and included by each program. All are
 * pinned by name under the LAG's folder (the loader sets pin_root_path), so
 * the three objects share them and `bpftool map dump pinned` prints typed
 * entries.
 */
#ifndef LAGBPF_MAPS_BPF_H
#define LAGBPF_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "lagbpf/abi.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lag_cfg);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} LAG_MAP_CFG SEC(".maps");

/* Which lag_tables slot is live: the controller flips this one word. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} LAG_MAP_ACTIVE SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LAG_TABLES);
	__type(key, __u32);
	__type(value, struct lag_table);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} LAG_MAP_TABLES SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LAG_MAX_MEMBERS);
	__type(key, __u32); /* ifindex */
	__type(value, struct lag_member);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} LAG_MAP_MEMBERS SEC(".maps");

/* Per member slot: an array lookup, which the verifier inlines. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LAG_MAX_MEMBERS);
	__type(key, __u32); /* member slot */
	__type(value, struct lag_counters);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} LAG_MAP_CNT SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lag_lag_counters);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} LAG_MAP_CNT_LAG SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LAG_BUCKETS);
	__type(key, __u32);
	__type(value, struct lag_load);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} LAG_MAP_LOAD SEC(".maps");

/* AF_XDP sockets of the controller: key = member slot * LAG_MAX_QUEUES + rx queue. */
struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, LAG_MAX_MEMBERS *LAG_MAX_QUEUES);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} LAG_MAP_XSKS SEC(".maps");

/* LACP port state, written by the controller for operators' eyes only. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LAG_MAX_MEMBERS);
	__type(key, __u32); /* ifindex */
	__type(value, struct lag_lacp_port);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} LAG_MAP_LACP SEC(".maps");

/* Slow-protocol token buckets, one per member slot (bpf/slow.bpf.h). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LAG_MAX_MEMBERS);
	__type(key, __u32); /* member slot */
	__type(value, struct lag_police);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} LAG_MAP_POLICE SEC(".maps");

/* Slow-protocol frames to the controller past its AF_XDP sockets: records
 * of struct lag_slow_frame.
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, LAG_SLOW_RING_SIZE);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} LAG_MAP_SLOW SEC(".maps");

/* The controller's dead-man heartbeat (struct lag_heartbeat), read by lag_tx. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lag_heartbeat);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} LAG_MAP_HEARTBEAT SEC(".maps");

/* The layout of this LAG's pins (struct lag_abi); no program reads it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lag_abi);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} LAG_MAP_ABI SEC(".maps");

static __always_inline struct lag_lag_counters *lag_cnt_lag_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&LAG_MAP_CNT_LAG, &zero);
}

#endif
