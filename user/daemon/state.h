/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The controller's state, shared by the daemon's files: the event loop
 * (loop.c), members and carrier (members.c), the publisher (publish.c), the
 * requests (requests.c), the status document (status.c) and the mode that
 * decides who collects and distributes (mode.h).
 */
#ifndef LAGBPF_DAEMON_STATE_H
#define LAGBPF_DAEMON_STATE_H

#include <stdint.h>
#include <stdio.h>
#include "conf/config.h"
#include "sys/maps.h"
#include "sys/netns.h"
#include "sys/ctl_socket.h"
#include "sys/http.h"
#include "sys/nl.h"

struct ctrl_mode;
struct ctrl_events;
struct lag_event;

#define CTRL_MAX_CLIENTS      64  /* control-socket clients served at once */
#define CTRL_MAX_SUBS	      16  /* monitor and capture subscribers at once */
#define CTRL_MAX_HTTP_CLIENTS 4	  /* --metrics-listen clients served at once */
#define CTRL_MAX_MC	      256 /* multicast addresses mirrored from the LAG */

/* What the stack set on the LAG device, as mirrored onto the members. */
struct ctrl_stack {
	int fd;	       /* AF_PACKET: holds the members' memberships */
	FILE *mc_file; /* /proc/net/dev_mcast, kept open: read again every 100 ms */
	unsigned int mtu;
	unsigned int flags; /* IFF_PROMISC | IFF_ALLMULTI */
	unsigned int n_mc;
	uint8_t mc[CTRL_MAX_MC][6];
};

/* rebalance.c: egress load per bucket, from lag_load once a second. */
struct ctrl_rebalance {
	__u64 prev[LAG_BUCKETS]; /* lag_load as last read */
	__u64 acc[LAG_BUCKETS];	 /* bytes since the last rebalance */
	int primed;		 /* prev holds a reading */
	unsigned int secs;	 /* seconds accumulated in acc */
	uint64_t runs;		 /* table switches it made */
	uint64_t moved;		 /* buckets those moved */
	double max_min;		 /* member egress max/min over the last second, 0 = none */
};

struct ctrl_member {
	char name[IF_NAMESIZE];
	int ifindex;
	__u32 slot;
	uint8_t own_mac[6]; /* the member's MAC before attach: LACPDU source */
	unsigned int speed; /* Mb/s, 0 unknown */
	int carrier;	    /* admin up and carrier, as last seen */
	int collecting;	    /* as published to lag_members */
	int distributing;   /* in the live table */
	int gone;	    /* its device was deleted: out for good, `del` forgets it */
	unsigned int carrier_changes;
	int polled;	 /* linkwatch may hold its carrier events back: --carrier-poll reads it */
	int no_get_link; /* the driver cannot tell its carrier on demand (no GLINK) */
	const char *ev_state; /* connectionState last told to monitors (events.c) */
};

struct ctrl {
	struct lag_config cfg; /* cfg.members follows add and del */
	struct lag_paths paths;
	struct lag_maps maps;
	struct nl nl;  /* requests */
	struct nl mon; /* link events */
	int lag_ifindex;
	int peer_ifindex;
	int n;
	struct ctrl_member m[LAG_MAX_MEMBERS];
	__u32 table[LAG_BUCKETS]; /* content of the live table */
	__u32 live_slot;	  /* LAG_TABLE_LIVE0 or LIVE1 */
	int loss_ready;		  /* loss tables match the live table */
	int available;		  /* >= max(1, min_links) members distribute */
	int lag_carrier_set;	  /* the peer is up */
	uint64_t table_switches;
	uint64_t last_switch_ns; /* CLOCK_MONOTONIC */
	uint64_t started_ns;
	uint64_t first_available_ns; /* when the LAG first became available */
	int epfd;
	unsigned int tick_ms;	    /* the timer's period now (loop.c), 0 before it is set */
	int netns_gone;		    /* the namespace lost its name: stop and tear down */
	int handover;		    /* stopping for a restart: leave everything as it is */
	const char *notified_state; /* lagState last told the service manager */
	unsigned int notified_dist; /* and its distributing members */
	int adopting; /* started on a LAG that was forwarding: carry on from its pins */
	struct ctl_client client[CTRL_MAX_CLIENTS];
	struct ctrl_events *events; /* events.c: subscribers of monitor and capture */
	int http_fd;		    /* --metrics-listen, or -1 */
	struct http_client http[CTRL_MAX_HTTP_CLIENTS];
	struct ctrl_stack stack;
	struct ctrl_rebalance rebalance;
	const struct ctrl_mode *mode;
	void *mode_priv; /* the mode's own state */
};

/* Event loop tags: metrics clients take CTRL_EP_HTTP_CLIENT + slot,
 * control clients CTRL_EP_CLIENT + slot, the mode's sockets CTRL_EP_MODE and
 * above.
 */
enum ctrl_ep_tag {
	CTRL_EP_MON,
	CTRL_EP_TIMER,
	CTRL_EP_SIGNAL,
	CTRL_EP_CTL,
	CTRL_EP_HTTP,
	CTRL_EP_HTTP_CLIENT,
	CTRL_EP_CLIENT = CTRL_EP_HTTP_CLIENT + CTRL_MAX_HTTP_CLIENTS,
	CTRL_EP_SUB = CTRL_EP_CLIENT + CTRL_MAX_CLIENTS,
	CTRL_EP_MODE = CTRL_EP_SUB + CTRL_MAX_SUBS,
};

/* state.c: the daemon's bottom, calling no other daemon file. */
/* Watch fd in the event loop under tag (for input, or for events) / change
 * what is watched / stop watching it.
 */
int ctrl_watch(struct ctrl *c, int fd, uint64_t tag);
int ctrl_watch_events(struct ctrl *c, int fd, uint64_t tag, uint32_t events);
int ctrl_watch_modify(struct ctrl *c, int fd, uint64_t tag, uint32_t events);
void ctrl_unwatch(struct ctrl *c, int fd);

struct ctrl_member *ctrl_member_by_ifindex(struct ctrl *c, int ifindex);
struct ctrl_member *ctrl_member_by_name(struct ctrl *c, const char *name);
struct ctrl_member *ctrl_member_by_slot(struct ctrl *c, __u32 slot);
/* Operational state words of docs/json.md: lagState, a connection's connectionState. */
const char *ctrl_lag_state(const struct ctrl *c);
const char *ctrl_member_state(const struct ctrl *c, const struct ctrl_member *mb);

/* events.c: the event stream (lagbpf monitor) and the PDU capture (lagbpf
 * capture), fed by whoever sees a transition; it calls only state.c. A slow
 * subscriber never blocks the loop: its queue is bounded, and what does not
 * fit is counted and reported ("lost N events").
 */
int ctrl_events_init(struct ctrl *c);
void ctrl_events_fini(struct ctrl *c);
/* The request "monitor [json]" or "capture [MEMBER]" of a client: its socket
 * (fd, watched by the loop) becomes a subscriber, 0; else -errno and err.
 */
int ctrl_events_subscribe(struct ctrl *c, int fd, const char *req, char *err, size_t len);
int ctrl_events_is_subscription(const char *req);
void ctrl_events_io(struct ctrl *c, unsigned int i); /* the loop saw subscriber i */
void ctrl_events_second(struct ctrl *c);	     /* every second: PDU error summaries */
/* Start an event of the LAG (mb NULL) or of a member, stamped now; add its
 * fields (event/event.h), then ctrl_event_emit it. Both do nothing without
 * a monitor (ctrl_events_monitored).
 */
int ctrl_events_monitored(const struct ctrl *c);
void ctrl_event_start(const struct ctrl *c, struct lag_event *e, int type,
		      const struct ctrl_member *mb);
void ctrl_event_emit(struct ctrl *c, const struct lag_event *e);
/* lagState and connectionStates against what monitors last heard: one event
 * per change (after every publish).
 */
void ctrl_events_sync(struct ctrl *c);
/* A slow-protocol frame the controller received (in) or sent (out) on mb. */
void ctrl_event_pdu(struct ctrl *c, const struct ctrl_member *mb, int out, const void *frame,
		    size_t len);
/* mb received a frame the codec rejected (enum lacpdu_reason): counted,
 * summarised once a second.
 */
void ctrl_event_pdu_error(struct ctrl *c, const struct ctrl_member *mb, int reason);

/* members.c */
/* Members of the configuration, from the pins: 0, or -ENODEV if one is missing. */
int ctrl_members_load(struct ctrl *c);
/* A prepared member joins / a member leaves (the command prepares and restores). */
int ctrl_member_add(struct ctrl *c, const char *name, char *err, size_t len);
int ctrl_member_del(struct ctrl *c, const char *name, char *err, size_t len);
/* Carrier: from a link event, or the poll (members.c). */
void ctrl_link_event(void *ctx, const struct nl_link *l, int deleted);
/* Read the carrier of the members link events may tell late, or of all
 * (all: also their names, catching renames and deletions).
 */
void ctrl_poll_carriers(struct ctrl *c, int all);
/* 1 while a member needs the carrier poll (and --carrier-poll is not 0). */
int ctrl_polling(const struct ctrl *c);

/* publish.c: the only writer of selection tables, member flags and LAG carrier. */
void ctrl_publish(struct ctrl *c);
/* A distributing member went down: flip to its precomputed loss table now. */
void ctrl_publish_loss(struct ctrl *c, struct ctrl_member *mb);
/* --rebalance: tbl, the live table with `moved` buckets traded between the
 * distributing members set[0..n-1], goes live the same way; loss tables
 * follow. 0, -EAGAIN while a loss table is live or the LAG is down, or -errno.
 */
int ctrl_publish_moved(struct ctrl *c, const __u32 *tbl, const __u32 *set, unsigned int n,
		       unsigned int moved);
/* Drop the loss tables: the next publish recomputes them. */
void ctrl_publish_invalidate(struct ctrl *c);
/* Member flags in lag_members, as the mode wants them. */
void ctrl_publish_flags(struct ctrl *c, struct ctrl_member *mb, int collecting, int distributing);

/* rebalance.c: once a second, read egress load; every --rebalance seconds,
 * move buckets from busy members to idle ones.
 */
void ctrl_rebalance_second(struct ctrl *c);

/* stack.c: MTU, multicast list, promisc and allmulti of the LAG on every member. */
int ctrl_stack_init(struct ctrl *c);
void ctrl_stack_fini(struct ctrl *c);
void ctrl_stack_lag_event(struct ctrl *c, const struct nl_link *lag);
void ctrl_stack_poll(struct ctrl *c); /* every 100 ms: what no event tells of */
void ctrl_stack_member_add(struct ctrl *c, struct ctrl_member *mb);
void ctrl_stack_member_del(struct ctrl *c, struct ctrl_member *mb);

/* clients.c: control-socket clients, never blocking the loop. */
void ctrl_clients_init(struct ctrl *c);
void ctrl_clients_accept(struct ctrl *c, int lfd);
void ctrl_clients_event(struct ctrl *c, unsigned int slot);
void ctrl_clients_expire(struct ctrl *c, uint64_t now_ns);
void ctrl_clients_fini(struct ctrl *c);

/* metrics_http.c: --metrics-listen, GET /metrics, never blocking the loop. */
void ctrl_http_init(struct ctrl *c); /* nothing open yet: fini is safe */
/* Listen if asked: 0, or -errno with the reason said (address in use...). */
int ctrl_http_listen(struct ctrl *c);
/* set --metrics-listen: listen on addr ("" for none) instead: 0, or -errno
 * with err filled, the old listener kept.
 */
int ctrl_http_relisten(struct ctrl *c, const char *addr, char *err, size_t len);
void ctrl_http_accept(struct ctrl *c);
void ctrl_http_event(struct ctrl *c, unsigned int slot);
void ctrl_http_expire(struct ctrl *c, uint64_t now_ns);
void ctrl_http_fini(struct ctrl *c);

/* requests.c: one control-socket request line in, one JSON document out. */
/* The running configuration into paths.conf, for restart (atomically). */
void ctrl_conf_save(struct ctrl *c);
struct json_object *ctrl_request(struct ctrl *c, const char *req);

/* heartbeat.c: the dead-man's heartbeat (lag_heartbeat), at start and every 100 ms. */
void ctrl_heartbeat(struct ctrl *c);

/* status.c */
struct json_object *ctrl_status(struct ctrl *c);

#endif
