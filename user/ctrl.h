/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The controller's state, shared by its parts: the event loop
 * (controller.c), the status document (status.c) and LACP I/O (lacp_io.c).
 */
#ifndef LAGBPF_CTRL_H
#define LAGBPF_CTRL_H

#include <stdint.h>
#include "lag.h"

struct xsk_port;

struct ctrl_member {
	char name[IF_NAMESIZE];
	int ifindex;
	__u32 slot;
	uint8_t own_mac[6];     /* the member's MAC before attach: LACPDU source */
	unsigned int speed;     /* Mb/s, 0 unknown */
	int carrier;            /* admin up and carrier, as last seen */
	int collecting;         /* as published to lag_members */
	int distributing;       /* in the live table */
	int lacp_port;          /* index in the lacp_sys, -1 in static mode */
	unsigned int carrier_changes;
	unsigned int n_xsk;
	struct xsk_port *xsk[LAG_MAX_QUEUES];
};

struct ctrl {
	struct lag_config cfg;
	struct lag_paths paths;
	struct lag_maps maps;
	struct nl nl;            /* requests */
	struct nl mon;           /* link events */
	int lag_ifindex;
	int peer_ifindex;
	int n;
	struct ctrl_member m[LAG_MAX_MEMBERS];
	__u32 table[LAG_BUCKETS];/* content of the live table */
	__u32 live_slot;         /* LAG_TABLE_LIVE0 or LIVE1 */
	int loss_ready;          /* loss tables match the live table */
	int available;           /* >= max(1, min_links) members distribute */
	int lag_carrier_set;     /* the peer is up */
	uint64_t table_switches;
	uint64_t last_switch_ns; /* CLOCK_MONOTONIC */
	uint64_t started_ns;
	int epfd;
	uint64_t xsk_tag_base;   /* epoll tags of AF_XDP sockets start here */
	struct lacp_sys *lacp;   /* NULL in static mode */
	unsigned int lacp_gen;
	uint64_t first_available_ns; /* when the LAG first became available */
};

uint64_t ctrl_now_ns(void);
/* Recompute the distributing set and switch tables, flags, carrier. */
void ctrl_publish(struct ctrl *c);

/* status.c: the `show -j` document of this LAG (caller puts it). */
struct json_object *ctrl_status(struct ctrl *c);
/* A `set` request ("min-links 2", "rate fast", "hash l23"): applied at once. */
struct json_object *ctrl_set(struct ctrl *c, const char *args);
/* Operational state words of DESIGN.md. */
const char *ctrl_lag_state(const struct ctrl *c);

#endif
