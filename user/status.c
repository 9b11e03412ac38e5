// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The status document of a LAG (`lagbpf show -j`), with the field names of
 * DESIGN.md (the AWS Direct Connect LAG model), and the `set` requests.
 * `show` without -j prints from this same document.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include "ctrl.h"
#include "lacp_io.h"
#include "log.h"

#define J_ADD(o, k, v) json_object_object_add((o), (k), (v))
#define J_STR(s) json_object_new_string(s)
#define J_INT(i) json_object_new_int64((int64_t)(i))
#define J_BOOL(b) json_object_new_boolean(!!(b))

static const char *const state_bit_name[8] = {
	"activity", "timeout", "aggregation", "synchronization",
	"collecting", "distributing", "defaulted", "expired",
};

static json_object *mac_str(const uint8_t *m)
{
	char buf[18];

	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
		 m[5]);
	return J_STR(buf);
}

static json_object *bandwidth(unsigned int mbps)
{
	char buf[32];

	if (!mbps)
		return NULL;
	if (mbps % 1000 == 0)
		snprintf(buf, sizeof(buf), "%uGbps", mbps / 1000);
	else
		snprintf(buf, sizeof(buf), "%uMbps", mbps);
	return J_STR(buf);
}

static json_object *state_bits(uint8_t st)
{
	json_object *o = json_object_new_object();

	for (int b = 0; b < 8; b++)
		J_ADD(o, state_bit_name[b], J_BOOL(st & (1u << b)));
	return o;
}

static json_object *lacp_info_json(const struct lacp_info *i, int with_system)
{
	json_object *o = json_object_new_object();

	if (with_system) {
		J_ADD(o, "systemPriority", J_INT(i->system_priority));
		J_ADD(o, "systemId", mac_str(i->system));
	}
	J_ADD(o, "portPriority", J_INT(i->port_priority));
	J_ADD(o, "portNumber", J_INT(i->port));
	J_ADD(o, "key", J_INT(i->key));
	J_ADD(o, "stateByte", J_INT(i->state));
	J_ADD(o, "state", state_bits(i->state));
	return o;
}

const char *ctrl_lag_state(const struct ctrl *c)
{
	unsigned int n_up = 0, need = c->cfg.min_links ? c->cfg.min_links : 1;

	if (c->available)
		return "available";
	for (int i = 0; i < c->n; i++)
		n_up += !!c->m[i].carrier;
	/* Negotiating: enough links are up to reach min-links, LACP has not brought them
	 * into sync yet. Fewer links up than min-links is down, not pending. */
	if (c->lacp && n_up >= need)
		return "pending";
	return "down";
}

static const char *member_state(const struct ctrl *c, const struct ctrl_member *mb)
{
	if (!mb->carrier)
		return "down";
	if (mb->distributing)
		return "available";
	return c->lacp ? "pending" : "down";
}

static json_object *counters_json(struct ctrl *c, const struct ctrl_member *mb)
{
	json_object *o = json_object_new_object();
	struct lag_counters k;
	const struct lacp_counters *lc = c->lacp ? &c->lacp->port[mb->lacp_port].cnt : NULL;

	if (maps_cnt_sum(&c->maps, (__u32)mb->ifindex, &k))
		memset(&k, 0, sizeof(k));
	J_ADD(o, "lacpduRx", J_INT(lc ? lc->lacpdu_rx : 0));
	J_ADD(o, "lacpduTx", J_INT(lc ? lc->lacpdu_tx : 0));
	J_ADD(o, "markerRx", J_INT(lc ? lc->marker_rx : 0));
	J_ADD(o, "markerResponseTx", J_INT(lc ? lc->marker_resp_tx : 0));
	J_ADD(o, "markerResponseRx", J_INT(lc ? lc->marker_resp_rx : 0));
	J_ADD(o, "unknownRx", J_INT(lc ? lc->unknown_rx : 0));
	J_ADD(o, "illegalRx", J_INT(lc ? lc->illegal_rx : 0));
	J_ADD(o, "txPackets", J_INT(k.tx_packets));
	J_ADD(o, "txBytes", J_INT(k.tx_bytes));
	J_ADD(o, "rxPackets", J_INT(k.rx_packets));
	J_ADD(o, "rxBytes", J_INT(k.rx_bytes));
	J_ADD(o, "rxDropped", J_INT(k.rx_dropped));
	J_ADD(o, "slowRx", J_INT(k.slow_rx));
	J_ADD(o, "slowDropped", J_INT(k.slow_dropped));
	return o;
}

static json_object *connection_json(struct ctrl *c, const struct ctrl_member *mb)
{
	json_object *o = json_object_new_object();

	J_ADD(o, "connectionName", J_STR(mb->name));
	J_ADD(o, "ifindex", J_INT(mb->ifindex));
	J_ADD(o, "connectionState", J_STR(member_state(c, mb)));
	J_ADD(o, "bandwidth", bandwidth(mb->speed));
	J_ADD(o, "carrier", J_BOOL(mb->carrier));
	J_ADD(o, "carrierChanges", J_INT(mb->carrier_changes));
	J_ADD(o, "collecting", J_BOOL(mb->collecting));
	J_ADD(o, "distributing", J_BOOL(mb->distributing));
	if (c->lacp) {
		const struct lacp_port *p = &c->lacp->port[mb->lacp_port];

		J_ADD(o, "selected", J_STR(lacp_selected_name[p->selected]));
		J_ADD(o, "reason", p->reason ? J_STR(lacp_reason_name[p->reason]) : NULL);
		J_ADD(o, "mux", J_STR(lacp_mux_state_name[p->mux_state]));
		J_ADD(o, "rx", J_STR(lacp_rx_state_name[p->rx_state]));
		J_ADD(o, "actor", lacp_info_json(&p->actor, 0));
		J_ADD(o, "partner", lacp_info_json(&p->partner, 1));
	} else {
		J_ADD(o, "selected", J_STR(mb->carrier ? "selected" : "unselected"));
		J_ADD(o, "reason", mb->carrier ? NULL : J_STR("port-down"));
		J_ADD(o, "mux", J_STR(mb->distributing ? "collecting_distributing" : "detached"));
	}
	J_ADD(o, "counters", counters_json(c, mb));
	return o;
}

static json_object *lacp_json(struct ctrl *c)
{
	json_object *o = json_object_new_object();
	const struct lacp_sys *s = c->lacp;

	J_ADD(o, "active", J_BOOL(!c->cfg.passive));
	J_ADD(o, "rate", J_STR(c->cfg.fast ? "fast" : "slow"));
	J_ADD(o, "systemPriority", J_INT(s->cfg.system_priority));
	J_ADD(o, "systemId", mac_str(s->cfg.system_id));
	J_ADD(o, "key", J_INT(s->cfg.key));
	J_ADD(o, "maxActive", s->cfg.max_active ? J_INT(s->cfg.max_active) : NULL);
	J_ADD(o, "partnerSystemId", s->partner_valid ? mac_str(s->partner_system) : NULL);
	J_ADD(o, "partnerSystemPriority", s->partner_valid ? J_INT(s->partner_system_priority) : NULL);
	J_ADD(o, "partnerKey", s->partner_valid ? J_INT(s->partner_key) : NULL);
	return o;
}

json_object *ctrl_status(struct ctrl *c)
{
	json_object *o = json_object_new_object(), *conns = json_object_new_array();
	struct lag_lag_counters lc;
	uint64_t now = ctrl_now_ns();
	unsigned int n_dist = 0;
	__u32 active = 0;

	for (int i = 0; i < c->n; i++) {
		json_object_array_add(conns, connection_json(c, &c->m[i]));
		n_dist += c->m[i].distributing;
	}
	J_ADD(o, "lagName", J_STR(c->cfg.name));
	J_ADD(o, "lagState", J_STR(ctrl_lag_state(c)));
	J_ADD(o, "minimumLinks", J_INT(c->cfg.min_links));
	J_ADD(o, "numberOfConnections", J_INT(c->n));
	J_ADD(o, "distributingConnections", J_INT(n_dist));
	J_ADD(o, "connectionsBandwidth", bandwidth(c->m[0].speed));
	J_ADD(o, "mode", J_STR(lag_mode_name[c->cfg.mode]));
	J_ADD(o, "hashPolicy", J_STR(lag_hash_name[c->cfg.hash]));
	J_ADD(o, "hashSeed", J_INT(c->cfg.hash_seed));
	J_ADD(o, "macAddress", mac_str(c->cfg.mac));
	J_ADD(o, "namespace", c->paths.ns[0] ? J_STR(c->paths.ns) : NULL);
	J_ADD(o, "ifindex", J_INT(c->lag_ifindex));
	J_ADD(o, "carrier", J_BOOL(c->lag_carrier_set));
	J_ADD(o, "pinPath", J_STR(c->paths.pin_dir));
	J_ADD(o, "controllerPid", J_INT(getpid()));
	J_ADD(o, "uptimeMs", J_INT((now - c->started_ns) / 1000000));
	J_ADD(o, "availableAfterMs", c->first_available_ns ?
		json_object_new_double((double)(c->first_available_ns - c->started_ns) / 1e6) : NULL);
	maps_active_get(&c->maps, &active);
	J_ADD(o, "liveTable", J_INT(active));
	J_ADD(o, "tableSwitches", J_INT(c->table_switches));
	if (maps_cnt_lag_sum(&c->maps, &lc) == 0) {
		J_ADD(o, "txNoMember", J_INT(lc.tx_no_member));
		J_ADD(o, "rxNotMember", J_INT(lc.rx_not_member));
	}
	J_ADD(o, "lacp", c->lacp ? lacp_json(c) : NULL);
	J_ADD(o, "connections", conns);
	return o;
}

static json_object *set_error(const char *fmt, const char *arg)
{
	json_object *o = json_object_new_object();
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, arg);
	J_ADD(o, "error", J_STR(msg));
	return o;
}

json_object *ctrl_set(struct ctrl *c, const char *args)
{
	char key[32] = "", val[64] = "";
	json_object *ok;

	if (sscanf(args, "%31s %63s", key, val) != 2)
		return set_error("bad set request: %s", args);
	if (!strcmp(key, "min-links")) {
		char *end;
		unsigned long v = strtoul(val, &end, 10);

		if (*end || v > (unsigned long)c->n)
			return set_error("--min-links %s: must be 0 up to the number of members", val);
		c->cfg.min_links = (unsigned int)v;
	} else if (!strcmp(key, "rate")) {
		if (strcmp(val, "fast") && strcmp(val, "slow"))
			return set_error("--rate %s: must be fast or slow", val);
		c->cfg.fast = !strcmp(val, "fast");
		if (c->lacp)
			lacp_io_set_rate(c, c->cfg.fast);
	} else if (!strcmp(key, "hash")) {
		struct lag_cfg cfg;
		int h = -1;

		for (int i = 0; i < LAG_HASH__COUNT; i++)
			if (!strcmp(val, lag_hash_name[i]))
				h = i;
		if (h < 0)
			return set_error("--hash %s: must be l2, l23, l34 or encap34", val);
		if (maps_cfg_get(&c->maps, &cfg))
			return set_error("cannot read lag_cfg%s", "");
		cfg.hash_policy = (__u32)h;
		if (maps_cfg_set(&c->maps, &cfg))
			return set_error("cannot write lag_cfg%s", "");
		c->cfg.hash = (enum lag_hash_policy)h;
	} else {
		return set_error("unknown setting %s", key);
	}
	lag_log(LAG_LOG_INFO, "%s: set %s %s\n", c->cfg.name, key, val);
	c->loss_ready = 0;
	ctrl_publish(c);
	ok = json_object_new_object();
	J_ADD(ok, "ok", J_BOOL(1));
	return ok;
}
