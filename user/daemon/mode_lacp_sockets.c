// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* LACP mode's way in and out: one AF_XDP socket per RX queue of each member,
 * in lag_xsks and watched by the event loop, following the member's queue
 * count; and the lag_slow ring for the frames no socket took.
 */
#include <errno.h>
#include <string.h>
#include "daemon/mode_lacp.h"
#include "sys/ethtool.h"
#include "sys/log.h"
#include "sys/xsk.h"

static uint64_t xsk_tag(__u32 slot, unsigned int q)
{
	return CTRL_EP_MODE + (uint64_t)slot * LAG_MAX_QUEUES + q;
}

/* lag_slow: the slow-protocol frames no socket took (TC path, a queue
 * without a socket). One per LAG, opened with the first member's sockets
 * and closed with the last one's; one controller per process.
 */
static struct lag_slow_ring *slow_ring;
#define SLOW_RING_TAG (CTRL_EP_MODE + (uint64_t)LAG_MAX_MEMBERS * LAG_MAX_QUEUES)

static void queue_close(struct ctrl *c, struct ctrl_member *mb, unsigned int q)
{
	struct lacp_mode_port *mp = &lacp_mode(c)->port[mb->slot];

	/* Out of lag_xsks first: a frame of this queue goes to lag_slow meanwhile. */
	maps_xsk_del(&c->maps, mb->slot * LAG_MAX_QUEUES + q);
	ctrl_unwatch(c, xsk_port_fd(mp->xsk[q]));
	xsk_port_close(mp->xsk[q]);
	mp->xsk[q] = NULL;
}

static int queue_open(struct ctrl *c, struct ctrl_member *mb, unsigned int q, int wait_busy)
{
	struct lacp_mode_port *mp = &lacp_mode(c)->port[mb->slot];
	int err = xsk_port_open(&mp->xsk[q], mb->name, q, wait_busy);

	if (err)
		return err;
	err = ctrl_watch(c, xsk_port_fd(mp->xsk[q]), xsk_tag(mb->slot, q));
	if (err)
		goto err_close;
	err = maps_xsk_set(&c->maps, mb->slot * LAG_MAX_QUEUES + q, xsk_port_fd(mp->xsk[q]));
	if (err)
		goto err_unwatch;
	return 0;
err_unwatch:
	ctrl_unwatch(c, xsk_port_fd(mp->xsk[q]));
err_close:
	xsk_port_close(mp->xsk[q]);
	mp->xsk[q] = NULL;
	return err;
}

/* Sockets on queues 0 .. want-1 exactly: the ones above closed (highest first),
 * the missing ones opened. On a failure the queues below it keep theirs.
 */
static int sockets_follow(struct ctrl *c, struct ctrl_member *mb, unsigned int want, int wait_busy)
{
	struct lacp_mode_port *mp = &lacp_mode(c)->port[mb->slot];
	int err;

	while (mp->n_xsk > want)
		queue_close(c, mb, --mp->n_xsk);
	while (mp->n_xsk < want) {
		err = queue_open(c, mb, mp->n_xsk, wait_busy);
		if (err) {
			lag_err("controller: AF_XDP socket on %s queue %u: %s", mb->name, mp->n_xsk,
				strerror(-err));
			return err;
		}
		mp->n_xsk++;
	}
	return 0;
}

/* The sockets a member's RX queue count asks for: one per queue, at most LAG_MAX_QUEUES. */
static unsigned int sockets_wanted(struct ctrl *c, struct ctrl_member *mb, int queues)
{
	if (queues > LAG_MAX_QUEUES) {
		lag_log(LAG_LOG_INFO,
			"%s %s: %d RX queues, sockets on the first %u (lag_slow takes the rest)\n",
			c->cfg.name, mb->name, queues, LAG_MAX_QUEUES);
		return LAG_MAX_QUEUES;
	}
	return (unsigned int)queues;
}

void lacp_sockets_close(struct ctrl *c, struct ctrl_member *mb)
{
	struct lacp_mode_port *mp = &lacp_mode(c)->port[mb->slot];

	if (sockets_follow(c, mb, 0, 0))
		return; /* closing never fails */
	mp->queues = 0;
	for (int i = 0; i < LAG_MAX_MEMBERS; i++)
		if (lacp_mode(c)->port[i].n_xsk)
			return;
	if (slow_ring) {
		ctrl_unwatch(c, maps_slow_ring_fd(slow_ring));
		maps_slow_ring_close(slow_ring);
		slow_ring = NULL;
	}
}

/* One socket per RX queue (a veth delivers on any of them), in lag_xsks and watched. */
int lacp_sockets_open(struct ctrl *c, struct ctrl_member *mb)
{
	struct lacp_mode_port *mp = &lacp_mode(c)->port[mb->slot];
	int queues = ethtool_rx_queues(mb->name);
	int err;

	if (!slow_ring) {
		err = maps_slow_ring_open(&slow_ring, &c->maps);
		if (!err && (err = ctrl_watch(c, maps_slow_ring_fd(slow_ring), SLOW_RING_TAG)))
			maps_slow_ring_close(slow_ring);
		if (err) {
			slow_ring = NULL;
			lag_err("controller: lag_slow ring: %s", strerror(-err));
			return err;
		}
	}
	if (queues < 0) {
		lag_log(LAG_LOG_WARN, "%s %s: RX queue count unreadable (%s): one socket for now\n",
			c->cfg.name, mb->name, strerror(-queues));
		queues = 1;
	}
	mp->queues = queues;
	return sockets_follow(c, mb, sockets_wanted(c, mb, queues), 1);
}

/*
 * ethtool -L at run time: the sockets follow the member's RX queue count,
 * read at every tick with ETHTOOL_GCHANNELS. A poll rather than the ethtool
 * netlink monitor group: it costs 10 ioctls a second per member (the carrier
 * poll makes 100), it sees a count however it changed (a driver may change
 * its channels without a notification, and a kernel may lack ethtool
 * netlink), and it needs no second netlink socket with its own family
 * resolution and overrun handling. Until the next tick (100 ms), a LACPDU on a
 * new queue reaches the controller through lag_slow (slowXskMiss): late, not
 * lost.
 * Fewer queues: the kernel refuses `ethtool -L` below a queue that an AF_XDP
 * socket holds (copy mode too), so a count that drops came another way; the
 * sockets above it close. A socket that cannot be opened is said once per
 * count and tried again when the count changes.
 */
void lacp_sockets_poll(struct ctrl *c, struct ctrl_member *mb)
{
	struct lacp_mode_port *mp = &lacp_mode(c)->port[mb->slot];
	int queues, was = mp->queues;

	if (mb->gone || mp->idx < 0)
		return;
	queues = ethtool_rx_queues(mb->name);
	if (queues <= 0 || queues == was)
		return; /* unreadable now (a rename, a deletion): keep what is open */
	mp->queues = queues;
	lag_log(LAG_LOG_INFO, "%s %s: %d RX queues (were %d): AF_XDP sockets follow\n", c->cfg.name,
		mb->name, queues, was);
	if (sockets_follow(c, mb, sockets_wanted(c, mb, queues), 0))
		lag_log(LAG_LOG_WARN,
			"%s %s: AF_XDP sockets on queues 0-%u only: the others reach the "
			"controller through lag_slow (slowXskMiss)\n",
			c->cfg.name, mb->name, mp->n_xsk ? mp->n_xsk - 1 : 0);
}

int lacp_sockets_ring_rx(struct ctrl *c, uint64_t tag, maps_slow_cb cb)
{
	if (tag != SLOW_RING_TAG)
		return 0;
	if (slow_ring && maps_slow_ring_rx(slow_ring, cb, c) < 0)
		lag_log(LAG_LOG_DEBUG, "%s: lag_slow not read\n", c->cfg.name);
	return 1;
}
