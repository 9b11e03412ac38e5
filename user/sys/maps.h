/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The only file touching skeletons, BPF maps and their pins (attachment: links.h). */
#ifndef LAGBPF_MAPS_H
#define LAGBPF_MAPS_H

#include <stddef.h>
#include <linux/types.h>
#include "lagbpf/abi.h"

/* Map fds of one LAG, from a fresh load or from its pins. */
struct lag_maps {
	int cfg, active, tables, members, cnt, cnt_lag, xsks, lacp, police, slow, heartbeat, abi,
		load;
	void *skel_xdp, *skel_tx, *skel_rx; /* set only after maps_load() */
	int prog_xdp, prog_tx, prog_rx;	    /* -1 until loaded or opened */
	char pin_dir[256];		    /* where its pins (and links) are */
};

/* Open and load the three programs with their maps pinned under pin_dir,
 * the programs pinned beside them and lag_abi set to LAG_ABI_VERSION.
 */
int maps_load(struct lag_maps *m, const char *pin_dir);
/* The maps and programs of a running LAG from its pins; -EPROTONOSUPPORT
 * if they have another layout (maps_pinned_abi() says which).
 */
int maps_open_pinned(struct lag_maps *m, const char *pin_dir);
/* The ABI version of pin_dir's pins (1: made before lag_abi), or -errno. */
int maps_pinned_abi(const char *pin_dir);
/* Only lag_members, whose layout every version shares: enough to restore
 * the members of a LAG of another ABI version (detach).
 */
int maps_open_pinned_members(struct lag_maps *m, const char *pin_dir);
void maps_close(struct lag_maps *m);
/* Remove every pin of pin_dir (maps, programs, links) and the folder. */
int maps_unpin(const char *pin_dir);

int maps_cfg_set(struct lag_maps *m, const struct lag_cfg *cfg);
int maps_cfg_get(struct lag_maps *m, struct lag_cfg *cfg);
/* The slow-protocol policer of every member (lag_cfg.slow_rate, slow_burst):
 * rate frames/s with a burst of burst frames; 0 = the default,
 * LAG_SLOW_RATE_UNLIMITED = off. Takes effect at the next slow frame.
 */
int maps_slow_police_set(struct lag_maps *m, __u32 rate, __u32 burst);
/* Refill a member slot's token bucket (lag_police) to a full burst. */
int maps_police_reset(struct lag_maps *m, __u32 slot);
int maps_table_write(struct lag_maps *m, __u32 slot, const struct lag_table *t);
/* A table as the data path sees it (adoption reads the live one). */
int maps_table_read(struct lag_maps *m, __u32 slot, struct lag_table *t);
int maps_active_set(struct lag_maps *m, __u32 slot);
int maps_active_get(struct lag_maps *m, __u32 *slot);
int maps_member_put(struct lag_maps *m, const struct lag_member *mb);
int maps_member_get(struct lag_maps *m, __u32 ifindex, struct lag_member *mb);
int maps_member_del(struct lag_maps *m, __u32 ifindex);
/* Every member; returns how many (at most max). */
int maps_members_list(struct lag_maps *m, struct lag_member *out, int max);
/* Counters by member slot, summed over CPUs; init zeroes a slot's. */
int maps_cnt_init(struct lag_maps *m, __u32 slot);
int maps_cnt_sum(struct lag_maps *m, __u32 slot, struct lag_counters *out);
int maps_cnt_lag_sum(struct lag_maps *m, struct lag_lag_counters *out);
/* lag_load: bytes egress sent through each bucket, summed over CPUs. */
int maps_load_read(struct lag_maps *m, __u64 bytes[LAG_BUCKETS]);
/* The dead-man (lag_heartbeat): the controller's last refresh (CLOCK_MONOTONIC
 * ns) and its timeout. Read both it and the LAG counters from the pins alone
 * (no controller needed): maps_pinned_deadman().
 */
int maps_heartbeat_set(struct lag_maps *m, __u64 refresh_ns, __u64 timeout_ns);
int maps_heartbeat_get(struct lag_maps *m, struct lag_heartbeat *hb);
int maps_pinned_deadman(const char *pin_dir, struct lag_heartbeat *hb, struct lag_lag_counters *lc);
/* Which LAG under pin_root (one namespace's folder) holds ifindex as a
 * member: 0 and its name, or -ENOENT.
 */
int maps_member_owner(const char *pin_root, __u32 ifindex, char *lag, size_t len);
int maps_xsk_set(struct lag_maps *m, __u32 key, int xsk_fd);
int maps_xsk_del(struct lag_maps *m, __u32 key);
int maps_lacp_put(struct lag_maps *m, __u32 ifindex, const struct lag_lacp_port *p);
int maps_lacp_get(struct lag_maps *m, __u32 ifindex, struct lag_lacp_port *p);
int maps_lacp_del(struct lag_maps *m, __u32 ifindex);

/* Reader of lag_slow, the ring of slow-protocol frames that reached no
 * AF_XDP socket (the TC path, or an RX queue without a socket). Open it on
 * the maps of a LAG (from maps_open_pinned() or maps_load()); watch its fd
 * (readable when frames wait); maps_slow_ring_rx() hands each waiting frame
 * to cb and returns how many, or -errno. It keeps its own reference to the
 * map: close it before or after the maps.
 */
struct lag_slow_ring;
typedef void (*maps_slow_cb)(void *ctx, __u32 ifindex, const void *frame, size_t len);
int maps_slow_ring_open(struct lag_slow_ring **out, const struct lag_maps *m);
int maps_slow_ring_fd(const struct lag_slow_ring *r);
int maps_slow_ring_rx(struct lag_slow_ring *r, maps_slow_cb cb, void *ctx);
void maps_slow_ring_close(struct lag_slow_ring *r);

#endif
