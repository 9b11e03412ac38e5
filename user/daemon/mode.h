/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* How a LAG decides which members collect and distribute: static (carrier
 * alone) or LACP (the 802.1AX machines). The rest of the daemon talks to a
 * mode only through this table. Operations that may move the machines
 * return nonzero when collecting or distributing changed; the caller then
 * publishes. A mode never publishes itself.
 */
#ifndef LAGBPF_DAEMON_MODE_H
#define LAGBPF_DAEMON_MODE_H

#include <stdint.h>
#include "daemon/state.h"

struct json_object;
struct lacp_counters;

struct ctrl_mode {
	int (*init)(struct ctrl *c); /* after the members are loaded */
	void (*fini)(struct ctrl *c);
	int (*member_add)(struct ctrl *c, struct ctrl_member *mb);
	void (*member_del)(struct ctrl *c, struct ctrl_member *mb);
	int (*carrier)(struct ctrl *c, struct ctrl_member *mb); /* mb->carrier changed */
	int (*tick)(struct ctrl *c);				/* every 100 ms */
	int (*rx)(struct ctrl *c, uint64_t tag);		/* a socket it watches */
	int (*set_rate)(struct ctrl *c);			/* c->cfg.rate changed */
	int (*set_min_links)(struct ctrl *c);			/* c->cfg.min_links changed */
	/* mb leaves (del, detach, stop): tell the partner now, not at its timeout. */
	void (*goodbye)(struct ctrl *c, struct ctrl_member *mb);
	int (*collecting)(const struct ctrl *c, const struct ctrl_member *mb);
	int (*distributing)(const struct ctrl *c, const struct ctrl_member *mb);
	void (*published)(struct ctrl *c); /* after every publish: mirror state */
	/* lagState while enough links are up but not distributing: "pending"
	 * (negotiating) or "down".
	 */
	const char *not_available_state;
	/* Status: fields of one connection, the LAG's "lacp" object (or NULL),
	 * and the protocol counters of a member (or NULL).
	 */
	void (*status_member)(const struct ctrl *c, const struct ctrl_member *mb,
			      struct json_object *conn);
	struct json_object *(*status_lag)(const struct ctrl *c);
	const struct lacp_counters *(*counters)(const struct ctrl *c, const struct ctrl_member *mb);
	/* For monitors: why mb is not distributing (a reason word of docs/json.md),
	 * or NULL.
	 */
	const char *(*reason)(const struct ctrl *c, const struct ctrl_member *mb);
};

extern const struct ctrl_mode ctrl_mode_static;
extern const struct ctrl_mode ctrl_mode_lacp;

#endif
