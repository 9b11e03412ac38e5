// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Static mode ("mode on"): a member collects and distributes while its
 * carrier is up. No protocol, no sockets.
 */
#include <json-c/json.h>
#include "daemon/mode.h"

static int carrier_up(const struct ctrl *c, const struct ctrl_member *mb)
{
	return mb->carrier;
}

static int changed_by_carrier(struct ctrl *c, struct ctrl_member *mb)
{
	return 1;
}

static void status_member(const struct ctrl *c, const struct ctrl_member *mb, json_object *o)
{
	json_object_object_add(o, "selected",
			       json_object_new_string(mb->carrier ? "selected" : "unselected"));
	json_object_object_add(o, "reason",
			       mb->carrier ? NULL : json_object_new_string("port-down"));
	json_object_object_add(
		o, "mux",
		json_object_new_string(mb->distributing ? "collecting_distributing" : "detached"));
}

static json_object *status_lag(const struct ctrl *c)
{
	return NULL;
}

static const struct lacp_counters *counters(const struct ctrl *c, const struct ctrl_member *mb)
{
	return NULL;
}

/* For monitors: a member with carrier is out only when min-links keeps it out. */
static const char *reason(const struct ctrl *c, const struct ctrl_member *mb)
{
	if (!mb->carrier)
		return "port-down";
	return mb->distributing ? NULL : "min-links";
}

const struct ctrl_mode ctrl_mode_static = {
	.carrier = changed_by_carrier,
	.collecting = carrier_up,
	.distributing = carrier_up,
	.not_available_state = "down",
	.status_member = status_member,
	.status_lag = status_lag,
	.counters = counters,
	.reason = reason,
};
