/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A LAG's configuration, and its set-up and tear-down on the host: the LAG
 * device, the members' preparation and restoration, programs and pins.
 */
#ifndef LAGBPF_LAG_H
#define LAGBPF_LAG_H

#include <stdint.h>
#include "lagbpf/abi.h"
#include "maps.h"
#include "netns.h"
#include "nl.h"

enum lag_mode { LAG_MODE_LACP, LAG_MODE_STATIC, LAG_MODE__COUNT };
extern const char *const lag_mode_name[];
extern const char *const lag_hash_name[];

/* Member flags beyond the data-path ones of abi.h: teardown bookkeeping. */
#define LAG_M_OWN_QDISC (1u << 8) /* we created the member's clsact */

struct lag_port_prio {
	char ifname[IF_NAMESIZE];
	unsigned int prio;
};

struct lag_config {
	char name[IF_NAMESIZE];
	char peer[IF_NAMESIZE];               /* the LAG veth's other end */
	int n_members;
	char members[LAG_MAX_MEMBERS][IF_NAMESIZE];
	enum lag_mode mode;
	int passive;
	int fast;
	enum lag_hash_policy hash;
	uint32_t hash_seed;
	int hash_seed_set;
	unsigned int min_links;
	unsigned int max_active;              /* 0: no limit */
	unsigned int system_priority;
	int key;                              /* -1: derived from the speed */
	uint8_t mac[6];
	int mac_set;
	enum lag_xdp_mode xdp_mode;
	int foreground;
	int n_port_prio;
	struct lag_port_prio port_prio[LAG_MAX_MEMBERS];
};

void lag_config_defaults(struct lag_config *c);

/* All or nothing: on error everything done so far is undone and a one-line
 * reason has been printed with lag_err().
 */
int lag_attach(struct lag_config *c);
/* Stop the controller and undo everything a LAG did, from its pins. */
int lag_detach(const char *name);

/* Prepare one member / restore it: shared by attach, detach, add and del. */
int lag_member_prepare(struct nl *nl, struct lag_maps *m, enum lag_xdp_mode xdp_mode,
		       const struct nl_link *l, __u32 slot, const uint8_t lag_mac[6]);
int lag_member_restore(struct nl *nl, struct lag_maps *m, const struct lag_member *mb);
/* Check a would-be member; prints the reason and returns -errno if unfit. */
int lag_member_check(struct nl *nl, const char *lag, const char *ifname, struct nl_link *out);

/* Link speed in Mb/s via ethtool, 0 if unknown; and the number of RX queues. */
unsigned int lag_link_speed(const char *ifname);
unsigned int lag_link_rx_queues(const char *ifname);
/* Carrier as the driver sees it now (ethtool GLINK): no linkwatch delay. */
int lag_link_carrier(const char *ifname);

#endif
