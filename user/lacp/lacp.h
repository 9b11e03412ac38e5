/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IEEE 802.1AX-2014 LACP machines for ONE Link Aggregation Group (one aggregator per
 * lacp_sys): Receive, Periodic Transmission, Selection, Mux (independent control), Transmit,
 * Churn Detection and the Marker Responder. Pure C: time only moves in lacp_tick()
 * (LACP_TICK_MS per call); no clocks, sleeps, allocation or I/O. The controller feeds frames
 * in with lacp_port_rx(), pulls frames out with lacp_port_tx() (and hands back one it could
 * not send with lacp_port_tx_failed()), and applies
 * lacp_port_collecting()/lacp_port_distributing() to the data path when
 * lacp_sys_generation() moves.
 */
#ifndef LAGBPF_USER_LACP_H
#define LAGBPF_USER_LACP_H

#include <stddef.h>
#include <linux/types.h>
#include "lacp/lacp_codec.h"

#define LACP_TICK_MS		 100
#define LACP_MAX_PORTS		 64
#define LACP_COLLECTOR_MAX_DELAY 0 /* tens of us: we deliver at once */

/* 802.1AX-2014 6.4.4 constants, in ticks */
#define LACP_TICKS(ms)		   ((ms) / LACP_TICK_MS)
#define LACP_FAST_PERIODIC_TICKS   LACP_TICKS(1000)  /* Fast_Periodic_Time 1 s */
#define LACP_SLOW_PERIODIC_TICKS   LACP_TICKS(30000) /* Slow_Periodic_Time 30 s */
#define LACP_SHORT_TIMEOUT_TICKS   LACP_TICKS(3000)  /* Short_Timeout_Time 3 s */
#define LACP_LONG_TIMEOUT_TICKS	   LACP_TICKS(90000) /* Long_Timeout_Time 90 s */
#define LACP_CHURN_DETECTION_TICKS LACP_TICKS(60000) /* Churn_Detection_Time 60 s */
#define LACP_AGGREGATE_WAIT_TICKS  LACP_TICKS(2000)  /* Aggregate_Wait_Time 2 s (default) */
#define LACP_AGGREGATE_WAIT_MAX_MS 2000
#define LACP_STALE_CONFIRM_TICKS   LACP_TICKS(500) /* ours: lacp_select.c, choose_group */
#define LACP_TX_LIMIT		   3		   /* LACPDUs per Fast_Periodic_Time (6.4.16) */
#define LACP_MARKER_LIMIT	   5		   /* Marker Responses per second (ours) */
#define LACP_MARKER_QUEUE	   8		   /* pending Marker Responses per port */

enum lacp_selected { LACP_UNSELECTED, LACP_SELECTED, LACP_STANDBY, LACP_SELECTED__COUNT };
extern const char *const lacp_selected_name[]; /* "unselected", "selected", "standby" */

/* Why a port is not SELECTED (or NONE); shown by `show -j` */
enum lacp_unsel_reason {
	LACP_REASON_NONE,
	LACP_REASON_PORT_DOWN,	     /* port_enabled is FALSE (carrier or admin down) */
	LACP_REASON_LACP_DISABLED,   /* LACP_Enabled is FALSE (e.g. half duplex) */
	LACP_REASON_NO_PARTNER,	     /* defaulted: partner never heard or timed out */
	LACP_REASON_PASSIVE_BOTH,    /* we are passive and the partner never spoke */
	LACP_REASON_OTHER_PARTNER,   /* partner system differs from the LAG's partner */
	LACP_REASON_KEY_MISMATCH,    /* partner key differs from the LAG's partner key */
	LACP_REASON_ACTOR_KEY,	     /* our port key differs from the LAG key */
	LACP_REASON_INDIVIDUAL,	     /* partner port is not aggregatable */
	LACP_REASON_MAX_ACTIVE,	     /* standby: more candidates than max_active */
	LACP_REASON_LOOPBACK,	     /* partner is this very system */
	LACP_REASON_PARTNER_CHANGED, /* partner info changed: detach, then reselect */
	LACP_REASON_AGG_INDIVIDUAL,  /* the LAG's one aggregator carries an Individual link */
	LACP_REASON_MIN_LINKS,	     /* standby: fewer selectable ports than min_links */
	LACP_REASON__COUNT
};
extern const char *const lacp_reason_name[];

/* Receive machine, 802.1AX-2014 6.4.12 Figure 6-18 */
enum lacp_rx_state {
	LACP_RX_INITIALIZE,
	LACP_RX_PORT_DISABLED,
	LACP_RX_EXPIRED,
	LACP_RX_LACP_DISABLED,
	LACP_RX_DEFAULTED,
	LACP_RX_CURRENT,
	LACP_RX__COUNT
};
extern const char *const lacp_rx_state_name[]; /* "initialize", ... "current" (JSON) */

/* Periodic Transmission machine, 802.1AX-2014 6.4.13 Figure 6-19 */
enum lacp_ptx_state {
	LACP_PTX_NO_PERIODIC,
	LACP_PTX_FAST_PERIODIC,
	LACP_PTX_SLOW_PERIODIC,
	LACP_PTX_PERIODIC_TX,
	LACP_PTX__COUNT
};
extern const char *const lacp_ptx_state_name[];

/* Mux machine, independent control, 802.1AX-2014 6.4.15 Figure 6-22 */
enum lacp_mux_state {
	LACP_MUX_DETACHED,
	LACP_MUX_WAITING,
	LACP_MUX_ATTACHED,
	LACP_MUX_COLLECTING,
	LACP_MUX_DISTRIBUTING,
	LACP_MUX__COUNT
};
/* "detached","waiting","attached","collecting","collecting_distributing" (JSON) */
extern const char *const lacp_mux_state_name[];

/* Actor / Partner Churn Detection machines, 802.1AX-2014 6.4.17 Figures 6-23, 6-24 */
enum lacp_churn_state {
	LACP_CHURN_MONITOR, /* ACTOR_CHURN_MONITOR / PARTNER_CHURN_MONITOR */
	LACP_CHURN_NONE,    /* NO_ACTOR_CHURN / NO_PARTNER_CHURN */
	LACP_CHURN_CHURN,   /* ACTOR_CHURN / PARTNER_CHURN */
	LACP_CHURN__COUNT
};
extern const char *const lacp_actor_churn_state_name[];
extern const char *const lacp_partner_churn_state_name[];

/* Per-port timers, tick countdowns (802.1AX-2014 6.4.8) */
enum lacp_timer {
	LACP_T_CURRENT_WHILE,
	LACP_T_PERIODIC,
	LACP_T_WAIT_WHILE,
	LACP_T_ACTOR_CHURN,
	LACP_T_PARTNER_CHURN,
	LACP_T__COUNT
};

struct lacp_counters {
	__u64 lacpdu_rx;
	__u64 lacpdu_tx;
	__u64 marker_rx;
	__u64 marker_resp_tx;
	__u64 marker_resp_rx;
	__u64 unknown_rx;
	__u64 illegal_rx;
	__u64 tx_limited;     /* LACPDUs deferred by the 3-per-second limit */
	__u64 marker_dropped; /* Marker Info PDUs not answered (rate limit / queue full) */
	__u64 actor_churn;    /* entries into ACTOR_CHURN */
	__u64 partner_churn;  /* entries into PARTNER_CHURN */
};

struct lacp_port_cfg {
	char name[16];
	__u8 mac[6];
	__u16 port_number;   /* Actor_Port_Number, 1..65535 (0 is reserved) */
	__u16 port_priority; /* Actor_Port_Priority */
	__u16 key;	     /* Actor_Oper_Port_Key; 0 = the LAG key */
	int active;	     /* LACP_Activity */
	int fast;	     /* LACP_Timeout: short */
};

struct lacp_sys_cfg {
	__u16 system_priority;
	__u8 system_id[6];
	__u16 key; /* the LAG's (aggregator's) key; follows its ports (lacp_port_set_key) */
	unsigned max_active;	 /* 0 = unlimited */
	unsigned min_links;	 /* below this many selectable ports none is attached; 0, 1 = off */
	int fallback;		 /* active-backup fallback when no LACPDU is heard (not 802.1AX) */
	unsigned fallback_ticks; /* ... for this long */
};

/* Effects of one machine step, applied by lacp.c (STYLE 4) */
struct lacp_actions {
	int ntt;
	int unselect;	    /* Selected = UNSELECTED */
	int attach, detach; /* Attach_Mux_To_Aggregator / Detach_Mux_From_Aggregator */
	int enable_collecting, disable_collecting;
	int enable_distributing, disable_distributing;
};

struct lacp_port {
	char name[16];
	__u8 mac[6];
	int active; /* admin LACP_Activity */
	int fast;   /* admin LACP_Timeout */

	struct lacp_info actor;		/* Actor_Oper_*: actor.state is Actor_Oper_Port_State */
	struct lacp_info partner;	/* Partner_Oper_* */
	struct lacp_info partner_admin; /* Partner_Admin_* (recordDefault) */

	enum lacp_selected selected;
	enum lacp_unsel_reason reason;
	enum lacp_rx_state rx_state;
	enum lacp_ptx_state ptx_state;
	enum lacp_mux_state mux_state;
	enum lacp_churn_state actor_churn_state;
	enum lacp_churn_state partner_churn_state;

	int port_enabled;
	int lacp_enabled; /* LACP_Enabled (full duplex) */
	int port_moved;
	int ntt;
	int ready_n;
	int actor_churn;   /* Actor_Churn */
	int partner_churn; /* Partner_Churn */

	/* what Attach/Enable_* did: the data path view */
	int attached;
	int collecting;
	int distributing;

	__u32 timer[LACP_T__COUNT]; /* ticks left; 0 with the running bit set = expired */
	__u32 timer_running;	    /* bit per enum lacp_timer */
	__u64 partner_since;	    /* tick when the current partner was first recorded */
	__u64 last_rx;		    /* tick of the last LACPDU recorded (recordPDU) */

	/* Transmit machine limit as data: ticks of the last LACP_TX_LIMIT sends */
	__u64 tx_log[LACP_TX_LIMIT];
	unsigned tx_log_n;
	int tx_deferred;
	/* what the last lacp_port_tx() committed, so that lacp_port_tx_failed() can undo it */
	enum lacpdu_kind tx_last;
	__u64 tx_undo_log[LACP_TX_LIMIT];
	unsigned tx_undo_log_n;

	/* Marker Responder: pending responses and the ticks of the last accepted ones */
	struct lacp_marker_info marker_q[LACP_MARKER_QUEUE];
	unsigned marker_q_head, marker_q_len;
	__u64 marker_log[LACP_MARKER_LIMIT];
	unsigned marker_log_n;

	struct lacp_counters cnt;
};

typedef void (*lacp_log_fn)(void *ctx, const char *port_name, const char *machine, const char *from,
			    const char *event, const char *to);

struct lacp_sys {
	struct lacp_sys_cfg cfg;
	struct lacp_port port[LACP_MAX_PORTS];
	int used[LACP_MAX_PORTS];
	lacp_log_fn log; /* optional: one call per transition */
	void *log_ctx;
	__u64 now; /* ticks since lacp_sys_init */
	unsigned generation;
	__u32 aggregate_wait; /* Aggregate_Wait_Time in ticks */
	/*
	 * The LAG's partner (its one aggregator's): a partner system and key, or one Individual
	 * partner port (partner_individual = our port index + 1). Chosen by lacp_select.c.
	 */
	int partner_valid;
	__u16 partner_system_priority;
	__u8 partner_system[6];
	__u16 partner_key;
	int partner_individual;
	/* since when a group beats the LAG's only because the LAG's ports went silent */
	int stale_beaten;
	__u64 stale_beaten_since;
	/* --fallback active-backup: the port that carries the LAG without a partner, or -1 */
	int fallback_idx;
	__u64 last_heard; /* tick of the last LACPDU received on any port */
};

void lacp_sys_init(struct lacp_sys *s, const struct lacp_sys_cfg *cfg);
void lacp_sys_set_log(struct lacp_sys *s, lacp_log_fn log, void *ctx);
void lacp_sys_set_max_active(struct lacp_sys *s, unsigned max_active);
/* below min_links selectable ports, every port stands by and leaves Sync (0, 1: off) */
void lacp_sys_set_min_links(struct lacp_sys *s, unsigned min_links);
/* Aggregate_Wait_Time, 0 to LACP_AGGREGATE_WAIT_MAX_MS, in 100 ms steps (rounded up) */
void lacp_sys_set_aggregate_wait(struct lacp_sys *s, unsigned ms);
/* active-backup fallback after 'ticks' without any LACPDU (on = 0: never) */
void lacp_sys_set_fallback(struct lacp_sys *s, int on, unsigned ticks);
/* returns port index >= 0 or -ENOSPC, -EEXIST (same port_number), -EINVAL */
int lacp_port_add(struct lacp_sys *s, const struct lacp_port_cfg *cfg);
void lacp_port_del(struct lacp_sys *s, int idx);
/* carrier + admin up; down takes effect at once: the mux detaches now, not at a timeout */
void lacp_port_set_enabled(struct lacp_sys *s, int idx, int up);
void lacp_port_set_lacp_enabled(struct lacp_sys *s, int idx, int on); /* duplex */
void lacp_port_set_active(struct lacp_sys *s, int idx, int active);
void lacp_port_set_fast(struct lacp_sys *s, int idx, int fast);
/* Actor_Oper_Port_Key (e.g. after a speed change): a new key unselects the port */
void lacp_port_set_key(struct lacp_sys *s, int idx, __u16 key);
/* whole Ethernet frame; returns enum lacpdu_kind or -LACPDU_E_*; never crashes on any input */
int lacp_port_rx(struct lacp_sys *s, int idx, const void *frame, size_t len);
/* advance LACP_TICK_MS for every port and run the machines until stable */
void lacp_tick(struct lacp_sys *s);
/* next frame to send now from this port, or 0; the caller loops until 0 */
size_t lacp_port_tx(struct lacp_sys *s, int idx, void *buf, size_t cap);
/*
 * The frame the last lacp_port_tx() on this port returned was not sent: undo it (a LACPDU
 * keeps NTT and is not counted, nor held against the 3-per-second limit; a Marker Response
 * goes back to the head of its queue). Call it at once, before anything else reaches the
 * machines; the caller stops sending on this port until the next tick.
 */
void lacp_port_tx_failed(struct lacp_sys *s, int idx);
/* A restarted controller takes over a port as the old one left it: actor and
 * partner information from the pins, and (distributing) selected and Mux
 * DISTRIBUTING at once. 0 or -EINVAL.
 */
int lacp_port_adopt(struct lacp_sys *s, int idx, const struct lacp_info *actor,
		    const struct lacp_info *partner, int distributing);
/* The last LACPDU of a port that leaves (del, detach, stop): our state with
 * Synchronization, Collecting and Distributing cleared. Length, or 0.
 */
size_t lacp_port_goodbye(struct lacp_sys *s, int idx, void *buf, size_t cap);
/* read-only view of a port for status and mirrors; NULL if idx is not a port */
const struct lacp_port *lacp_port_get(const struct lacp_sys *s, int idx);
int lacp_port_collecting(const struct lacp_sys *s, int idx);
int lacp_port_distributing(const struct lacp_sys *s, int idx);
/* increments whenever any port's collecting/distributing changes */
unsigned lacp_sys_generation(const struct lacp_sys *s);
/* number of ports distributing */
unsigned lacp_sys_distributing(const struct lacp_sys *s);
/* the port carrying the LAG in fallback, or -1 */
int lacp_sys_fallback_port(const struct lacp_sys *s);

/* ---- internal: shared by user/lacp/lacp_*.c only ---- */
#define LACP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void lacp_timer_start(struct lacp_port *p, enum lacp_timer t, __u32 ticks);
void lacp_timer_stop(struct lacp_port *p, enum lacp_timer t);
int lacp_timer_expired(const struct lacp_port *p, enum lacp_timer t);
void lacp_log_transition(const struct lacp_sys *s, const struct lacp_port *p, const char *machine,
			 const char *from, const char *event, const char *to);
int lacp_info_same_system(const struct lacp_info *a, const struct lacp_info *b);
void lacp_state_set(__u8 *state, __u8 bit, int on);
/* apply one step's effects to the port (NTT, Selected, attach, collecting, distributing) */
void lacp_apply(struct lacp_sys *s, struct lacp_port *p, const struct lacp_actions *act);

/* Receive machine (lacp_rx.c) */
enum lacp_rx_ev {
	LACP_RX_EV_NONE,
	LACP_RX_EV_BEGIN,
	LACP_RX_EV_PORT_DISABLED, /* !port_enabled && !port_moved (global) */
	LACP_RX_EV_PORT_MOVED,
	LACP_RX_EV_ENABLED,	    /* port_enabled && LACP_Enabled */
	LACP_RX_EV_ENABLED_NO_LACP, /* port_enabled && !LACP_Enabled */
	LACP_RX_EV_LACP_ENABLED,
	LACP_RX_EV_LACP_DISABLED, /* LACP_Enabled went FALSE (ours: not in the figure) */
	LACP_RX_EV_LACPDU,	  /* LACPDU Received */
	LACP_RX_EV_CURRENT_WHILE, /* current_while_timer expired */
	LACP_RX_EV_UCT,
	LACP_RX_EV__COUNT
};
int lacp_rx_step(struct lacp_sys *s, struct lacp_port *p, enum lacp_rx_ev ev,
		 const struct lacpdu_msg *pdu, struct lacp_actions *act);
int lacp_rx_run(struct lacp_sys *s, struct lacp_port *p);
void lacp_rx_port_moved(struct lacp_sys *s, int idx, const struct lacpdu_msg *pdu);

/* Periodic Transmission machine (lacp_ptx.c) */
enum lacp_ptx_ev {
	LACP_PTX_EV_NONE,
	LACP_PTX_EV_BEGIN,
	LACP_PTX_EV_NO_PERIODIC, /* !LACP_Enabled || !port_enabled || passive both */
	LACP_PTX_EV_UCT,
	LACP_PTX_EV_PERIODIC_TIMER, /* periodic_timer expired */
	LACP_PTX_EV_PARTNER_SHORT,  /* Partner_Oper_Port_State.LACP_Timeout == Short */
	LACP_PTX_EV_PARTNER_LONG,   /* ... == Long */
	LACP_PTX_EV__COUNT
};
int lacp_ptx_step(struct lacp_sys *s, struct lacp_port *p, enum lacp_ptx_ev ev,
		  struct lacp_actions *act);
int lacp_ptx_run(struct lacp_sys *s, struct lacp_port *p);

/* Selection Logic (lacp_select.c) */
int lacp_select(struct lacp_sys *s);
int lacp_sys_ready(const struct lacp_sys *s);
/* fallback (lacp_select.c): enter, move or leave it; returns nonzero when it moved */
int lacp_fallback_run(struct lacp_sys *s);

/* Mux machine (lacp_mux.c) */
enum lacp_mux_ev {
	LACP_MUX_EV_NONE,
	LACP_MUX_EV_BEGIN,
	LACP_MUX_EV_SELECTED,		/* Selected == SELECTED */
	LACP_MUX_EV_STANDBY,		/* Selected == STANDBY */
	LACP_MUX_EV_UNSELECTED,		/* Selected == UNSELECTED */
	LACP_MUX_EV_READY,		/* Selected == SELECTED && Ready */
	LACP_MUX_EV_PARTNER_SYNC,	/* Selected == SELECTED && Partner.Sync */
	LACP_MUX_EV_PARTNER_NOT_SYNC,	/* !Partner.Sync */
	LACP_MUX_EV_PARTNER_COLLECTING, /* Selected == SELECTED && Partner.Sync && .Collecting */
	LACP_MUX_EV_PARTNER_NOT_COLLECTING,
	LACP_MUX_EV__COUNT
};
int lacp_mux_step(struct lacp_sys *s, struct lacp_port *p, enum lacp_mux_ev ev,
		  struct lacp_actions *act);
int lacp_mux_run(struct lacp_sys *s, struct lacp_port *p);

/* Transmit machine (lacp_tx.c) */
int lacp_tx_allowed(const struct lacp_sys *s, const struct lacp_port *p);
size_t lacp_tx_lacpdu(struct lacp_sys *s, struct lacp_port *p, void *buf, size_t cap);
void lacp_marker_rx(struct lacp_sys *s, struct lacp_port *p, const struct lacpdu_msg *m);
size_t lacp_tx_marker(struct lacp_sys *s, struct lacp_port *p, void *buf, size_t cap);

/* Churn Detection machines (lacp_churn.c) */
enum lacp_churn_ev {
	LACP_CHURN_EV_NONE,
	LACP_CHURN_EV_BEGIN, /* BEGIN || !port_enabled (global) */
	LACP_CHURN_EV_SYNC,  /* <side>_Oper_Port_State.Synchronization */
	LACP_CHURN_EV_NOT_SYNC,
	LACP_CHURN_EV_TIMER, /* <side>_churn_timer expired */
	LACP_CHURN_EV__COUNT
};
int lacp_churn_step(struct lacp_sys *s, struct lacp_port *p, int partner, enum lacp_churn_ev ev);
int lacp_churn_run(struct lacp_sys *s, struct lacp_port *p);

#endif /* LAGBPF_USER_LACP_H */
