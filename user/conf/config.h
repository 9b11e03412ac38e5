/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A LAG's configuration: what `attach` was asked for and what `set` may
 * change later. Pure data and checks, no I/O: errors come back as text so
 * the command prints them and the daemon answers them with the same words.
 */
#ifndef LAGBPF_CONF_CONFIG_H
#define LAGBPF_CONF_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include "lagbpf/abi.h"

#ifndef IF_NAMESIZE
#define IF_NAMESIZE 16
#endif
#define LAG_NAME_MAX		    11 /* the LAG's veth peer is "lbp-" + name: 15 characters */
#define LAG_PEER_PREFIX		    "lbp-"
#define LAG_SYSTEM_PRIORITY_DEFAULT 32768
#define LAG_PORT_PRIORITY_DEFAULT   32768
#define LAG_ERR_LEN		    256 /* room for one error line */
#define LAG_SLOW_RATE_DEFAULT	    50 /* slow frames/s per member: LACP and Marker with headroom */
#define LAG_SLOW_BURST_DEFAULT	    100

enum lag_mode { LAG_MODE_LACP, LAG_MODE_STATIC, LAG_MODE__COUNT };
enum lag_rate { LAG_RATE_SLOW, LAG_RATE_FAST, LAG_RATE__COUNT };
/* AUTO: native on drivers, generic (skb) on veth, whose peer loses TSO under native XDP. */
enum lag_xdp_mode { LAG_XDP_AUTO, LAG_XDP_NATIVE, LAG_XDP_SKB, LAG_XDP_MODE__COUNT };
/* Where lag_tx runs: on the LAG device's egress, straight to the member
 * (direct), or on its veth peer's ingress, after the LAG device's own
 * transmit, so the kernel counts the LAG's TX (device: costs small-packet
 * throughput, see README).
 */
enum lag_tx_path { LAG_TX_DIRECT, LAG_TX_DEVICE, LAG_TX_PATH__COUNT };
/* LACP fallback when no partner speaks (not 802.1AX; Open vSwitch's lacp-fallback-ab) */
enum lag_fallback { LAG_FALLBACK_OFF, LAG_FALLBACK_ACTIVE_BACKUP, LAG_FALLBACK__COUNT };
#define LAG_AGGREGATE_WAIT_DEFAULT   2000 /* ms: 802.1AX Aggregate_Wait_Time */
#define LAG_CARRIER_POLL_DEFAULT     10	  /* ms, like bonding's miimon but only where needed */
#define LAG_FALLBACK_TIMEOUT_DEFAULT 90	  /* s */

extern const char *const lag_mode_name[];
extern const char *const lag_rate_name[];
extern const char *const lag_hash_name[];
extern const char *const lag_xdp_mode_name[];
extern const char *const lag_tx_path_name[];
extern const char *const lag_fallback_name[];

/* --metrics-listen: an IPv4 or IPv6 address and a TCP port */
#define LAG_ADDRPORT_LEN 64 /* "[ipv6]:port" and its NUL */
struct lag_addrport {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint16_t port;
};

struct lag_port_prio {
	char ifname[IF_NAMESIZE];
	unsigned int prio;
};

struct lag_config {
	char name[IF_NAMESIZE];
	char peer[IF_NAMESIZE]; /* the LAG veth's other end: "lbp-" + name */
	int n_members;
	char members[LAG_MAX_MEMBERS][IF_NAMESIZE];
	enum lag_mode mode;
	int passive;
	enum lag_rate rate;
	enum lag_hash_policy hash;
	uint32_t hash_seed;
	int hash_seed_set;
	unsigned int min_links;
	unsigned int max_active; /* 0: no limit */
	unsigned int system_priority;
	int key; /* -1: derived from the speed */
	uint8_t mac[6];
	int mac_set;
	uint8_t system_id[6]; /* LACP System ID, if not the LAG's MAC */
	int system_id_set;
	unsigned int aggregate_wait_ms;
	enum lag_fallback fallback;
	unsigned int fallback_timeout; /* s */
	unsigned int rebalance_s;      /* --rebalance: s between load rebalances, 0 = off */
	unsigned int carrier_poll_ms;  /* --carrier-poll: ms, 0 = link events only */
	unsigned int mtu;	       /* 0: the first member's */
	unsigned int slow_rate;	       /* slow frames/s per member to the controller; 0: all */
	unsigned int slow_burst;
	enum lag_xdp_mode xdp_mode;
	enum lag_tx_path tx_path;
	char metrics_listen[LAG_ADDRPORT_LEN]; /* "" (off), or ADDR:PORT as given */
	int foreground;
	int n_port_prio;
	struct lag_port_prio port_prio[LAG_MAX_MEMBERS];
};

void lag_config_defaults(struct lag_config *c);
/* Name the LAG (and its peer): 0, or -EINVAL with err filled. */
int lag_config_set_name(struct lag_config *c, const char *name, char *err, size_t len);
/* Append a member: 0, or -E2BIG / -EINVAL with err filled. */
int lag_config_add_member(struct lag_config *c, const char *ifname, char *err, size_t len);
/* Cross-field rules (members given twice, min-links above the members,
 * options of the other mode, priorities of non-members), for attach and for
 * the daemon's `set` alike: 0, or -EINVAL with err filled.
 */
int lag_config_check(const struct lag_config *c, char *err, size_t len);
/* "127.0.0.1:9464", "[::1]:9464": 0, or -EINVAL. Numeric only, port 1..65535. */
int lag_addrport_parse(const char *s, struct lag_addrport *out);
/* Port priority of a member: --port-priority, else the default. */
unsigned int lag_config_port_priority(const struct lag_config *c, const char *ifname);
/* The LAG's operational key: --key, else derived from the member speed (Mb/s). */
uint16_t lag_config_key(const struct lag_config *c, unsigned int speed);

#endif
