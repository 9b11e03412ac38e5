/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A LAG on the host: the LAG device, its programs and pins, and the
 * preparation and restoration of members. Knows nothing of the controller:
 * the command starts and stops it around these steps.
 */
#ifndef LAGBPF_LAG_LAG_H
#define LAGBPF_LAG_LAG_H

#include "conf/config.h"
#include "sys/maps.h"
#include "sys/netns.h"
#include "sys/nl.h"

/* Member flags beyond the data-path ones of abi.h: teardown bookkeeping. */
#define LAG_M_OWN_QDISC	 (1u << 8) /* we created the member's clsact */
#define LAG_M_OWN_ALIAS	 (1u << 9) /* we set the member's ifalias */
#define LAG_ALIAS_PREFIX "lagbpf: member of "

/* Make the LAG device, load and pin the programs, prepare every member.
 * All or nothing: on error everything done so far is undone and a one-line
 * reason has been printed with lag_err(). Fills c->mac and c->hash_seed.
 */
int lag_attach(struct lag_config *c, const struct lag_paths *p);
/* Undo everything a LAG did, from its pins (its controller must be stopped). */
int lag_detach(const char *name, const struct lag_paths *p);
/* Whether anything of LAG name exists here: pins, pid file or device. */
int lag_exists(const char *name, const struct lag_paths *p);

/* A LAG without a controller, for a new one: its pins and device exist and
 * its members are exactly c's (else a one-line error). Fills c->mac and
 * c->hash_seed from the LAG, applies c->hash. 0 or -errno.
 */
int lag_adopt(struct lag_config *c, const struct lag_paths *p);
/* The maps and programs of a running LAG from its pins; on error a one-line
 * reason is printed (pins of another ABI version are left untouched).
 */
int lag_pins_open(struct lag_maps *m, const char *name, const struct lag_paths *p);
/* What is left of a LAG whose namespace is gone: pins and run files. */
int lag_detach_orphan(const char *name, const struct lag_paths *p);
/* Every LAG on the host, from the pins: cb per LAG with its paths and whether
 * its namespace still exists. Returns how many.
 */
typedef void (*lag_walk_cb)(void *ctx, const char *lag, const struct lag_paths *p, int ns_alive);
int lag_walk_all(lag_walk_cb cb, void *ctx);

/* Prepare one member / restore it: shared by attach, detach, add and del. */
int lag_member_prepare(struct nl *nl, struct lag_maps *m, enum lag_xdp_mode xdp_mode,
		       const struct nl_link *l, __u32 slot, const char *lag,
		       const uint8_t lag_mac[6], unsigned int mtu);
int lag_member_restore(struct nl *nl, struct lag_maps *m, const struct lag_member *mb);
/* Check a would-be member; prints the reason and returns -errno if unfit. */
int lag_member_check(struct nl *nl, const char *lag, const char *ifname, struct nl_link *out);

#endif
