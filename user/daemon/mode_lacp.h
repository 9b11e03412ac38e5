/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* LACP mode's private state, shared by its I/O (mode_lacp.c) and its part of
 * the status document (mode_lacp_status.c).
 */
#ifndef LAGBPF_DAEMON_MODE_LACP_H
#define LAGBPF_DAEMON_MODE_LACP_H

#include "daemon/mode.h"
#include "lacp/lacp.h"

struct xsk_port;

/* A member's LACP port and its AF_XDP sockets, one per RX queue. */
struct lacp_mode_port {
	int idx;	    /* port index in sys, -1 if none */
	unsigned int n_xsk; /* sockets on queues 0 .. n_xsk-1 */
	struct xsk_port *xsk[LAG_MAX_QUEUES];
	int queues;	/* the RX queue count the sockets last followed */
	int tx_failing; /* the last send failed: said once in the log, again when it recovers */
	char ev_partner[64]; /* the partner monitors last heard of ("" before the first look) */
	struct lag_lacp_port mirrored; /* what lag_lacp holds for it, when mirrored_set */
	int mirrored_set;
};

struct lacp_mode {
	struct lacp_sys sys;
	unsigned int gen;			     /* sys generation last reported */
	unsigned int ticks;			     /* 100 ms ticks so far */
	char ev_partner[64];			     /* the LAG's partner monitors last heard of */
	struct lacp_mode_port port[LAG_MAX_MEMBERS]; /* by member slot */
};

static inline struct lacp_mode *lacp_mode(const struct ctrl *c)
{
	return c->mode_priv;
}

/* The member's LACP port, or NULL. */
static inline const struct lacp_port *lacp_mode_port(const struct ctrl *c,
						     const struct ctrl_member *mb)
{
	return lacp_port_get(&lacp_mode(c)->sys, lacp_mode(c)->port[mb->slot].idx);
}

/* mode_lacp_sockets.c: a member's sockets, opened (with the lag_slow ring
 * if it is the first), closed, and following its RX queue count (each tick).
 */
int lacp_sockets_open(struct ctrl *c, struct ctrl_member *mb);
void lacp_sockets_close(struct ctrl *c, struct ctrl_member *mb);
void lacp_sockets_poll(struct ctrl *c, struct ctrl_member *mb);
/* An event on the lag_slow ring (tag): its frames to cb, and 1; else 0. */
int lacp_sockets_ring_rx(struct ctrl *c, uint64_t tag, maps_slow_cb cb);

void lacp_mode_status_member(const struct ctrl *c, const struct ctrl_member *mb,
			     struct json_object *conn);
struct json_object *lacp_mode_status_lag(const struct ctrl *c);

#endif
