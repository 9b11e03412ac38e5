// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The status document of a LAG (`lagbpf show -j`), with the field names of
 * docs/json.md (the AWS Direct Connect LAG model). The mode adds its own
 * fields. `show` without -j prints from this same document.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "daemon/mode.h"
#include "daemon/state.h"
#include "sys/links.h"
#include "sys/clock.h"
#include "daemon/status.h"
#include "lacp/lacp.h"

static const char *const state_bit_name[8] = {
	"activity",   "timeout",      "aggregation", "synchronization",
	"collecting", "distributing", "defaulted",   "expired",
};

json_object *status_mac(const uint8_t *m)
{
	char buf[18];

	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
		 m[5]);
	return J_STR(buf);
}

json_object *status_state_bits(uint8_t st)
{
	json_object *o = json_object_new_object();

	for (int b = 0; b < 8; b++)
		J_ADD(o, state_bit_name[b], J_BOOL(st & (1u << b)));
	return o;
}

/* The speed beside its words: Mb/s, null when unknown. */
static json_object *bandwidth_mbps(unsigned int mbps)
{
	return mbps ? J_INT(mbps) : NULL;
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

/* "tcx" or "clsact": how a TC program of ours is attached. */
static const char *tc_attach(const struct ctrl *c, int ifindex, const char *kind)
{
	const char *mode;

	return links_tc_mode(&c->maps, ifindex, kind, &mode) ? "unknown" : mode;
}

static json_object *counters_json(struct ctrl *c, const struct ctrl_member *mb)
{
	json_object *o = json_object_new_object();
	struct lag_counters k;
	const struct lacp_counters *lc = c->mode->counters(c, mb);

	if (maps_cnt_sum(&c->maps, (__u32)mb->slot, &k))
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
	J_ADD(o, "slowRxXdp", J_INT(k.slow_rx_xdp));
	J_ADD(o, "slowRxTc", J_INT(k.slow_rx_tc));
	J_ADD(o, "slowBadDst", J_INT(k.slow_bad_dst));
	J_ADD(o, "slowBadSubtype", J_INT(k.slow_bad_subtype));
	J_ADD(o, "slowShort", J_INT(k.slow_short));
	J_ADD(o, "slowPoliced", J_INT(k.slow_policed));
	J_ADD(o, "slowToXsk", J_INT(k.slow_to_xsk));
	J_ADD(o, "slowXskMiss", J_INT(k.slow_xsk_miss));
	J_ADD(o, "slowToRing", J_INT(k.slow_to_ring));
	J_ADD(o, "slowDropped", J_INT(k.slow_dropped));
	return o;
}

static json_object *connection_json(struct ctrl *c, const struct ctrl_member *mb)
{
	json_object *o = json_object_new_object();

	J_ADD(o, "connectionName", J_STR(mb->name));
	J_ADD(o, "ifindex", J_INT(mb->ifindex));
	J_ADD(o, "connectionState", J_STR(ctrl_member_state(c, mb)));
	J_ADD(o, "bandwidth", bandwidth(mb->speed));
	J_ADD(o, "bandwidthMbps", bandwidth_mbps(mb->speed));
	J_ADD(o, "carrier", J_BOOL(mb->carrier));
	J_ADD(o, "carrierChanges", J_INT(mb->carrier_changes));
	J_ADD(o, "carrierPoll", J_BOOL(mb->polled && c->cfg.carrier_poll_ms));
	J_ADD(o, "collecting", J_BOOL(mb->collecting));
	J_ADD(o, "distributing", J_BOOL(mb->distributing));
	c->mode->status_member(c, mb, o);
	J_ADD(o, "xdpAttach", J_STR(mb->gone ? "none" : links_xdp_mode(mb->ifindex)));
	J_ADD(o, "tcAttach", J_STR(tc_attach(c, mb->ifindex, "rx")));
	J_ADD(o, "counters", counters_json(c, mb));
	return o;
}

json_object *ctrl_status(struct ctrl *c)
{
	json_object *o = json_object_new_object(), *conns = json_object_new_array();
	struct lag_lag_counters lc;
	struct lag_heartbeat hb;
	uint64_t now = clock_now_ns();
	unsigned int n_dist = 0;
	__u32 active = 0;

	for (int i = 0; i < c->n; i++) {
		json_object_array_add(conns, connection_json(c, &c->m[i]));
		n_dist += c->m[i].distributing;
	}
	J_ADD(o, "schemaVersion", J_INT(LAG_JSON_SCHEMA_VERSION));
	J_ADD(o, "lagName", J_STR(c->cfg.name));
	J_ADD(o, "lagState", J_STR(ctrl_lag_state(c)));
	J_ADD(o, "minimumLinks", J_INT(c->cfg.min_links));
	J_ADD(o, "numberOfConnections", J_INT(c->n));
	J_ADD(o, "distributingConnections", J_INT(n_dist));
	J_ADD(o, "connectionsBandwidth", bandwidth(c->m[0].speed));
	J_ADD(o, "connectionsBandwidthMbps", bandwidth_mbps(c->m[0].speed));
	J_ADD(o, "mode", J_STR(lag_mode_name[c->cfg.mode]));
	J_ADD(o, "hashPolicy", J_STR(lag_hash_name[c->cfg.hash]));
	J_ADD(o, "hashSeed", J_INT(c->cfg.hash_seed));
	J_ADD(o, "macAddress", status_mac(c->cfg.mac));
	J_ADD(o, "mtu", J_INT(c->stack.mtu));
	J_ADD(o, "namespace", c->paths.ns[0] ? J_STR(c->paths.ns) : NULL);
	J_ADD(o, "ifindex", J_INT(c->lag_ifindex));
	J_ADD(o, "carrier", J_BOOL(c->lag_carrier_set));
	J_ADD(o, "pinPath", J_STR(c->paths.pin_dir));
	J_ADD(o, "txPath", J_STR(lag_tx_path_name[c->cfg.tx_path]));
	J_ADD(o, "tcAttach",
	      J_STR(tc_attach(c, c->cfg.tx_path == LAG_TX_DEVICE ? c->peer_ifindex : c->lag_ifindex,
			      "tx")));
	J_ADD(o, "controller", J_STR("running"));
	J_ADD(o, "controllerPid", J_INT(getpid()));
	J_ADD(o, "metricsListen", c->http_fd >= 0 ? J_STR(c->cfg.metrics_listen) : NULL);
	J_ADD(o, "uptimeMs", J_INT((now - c->started_ns) / 1000000));
	J_ADD(o, "availableAfterMs",
	      c->first_available_ns ? json_object_new_double(
					      (double)(c->first_available_ns - c->started_ns) / 1e6)
				    : NULL);
	maps_active_get(&c->maps, &active);
	J_ADD(o, "liveTable", J_INT(active));
	J_ADD(o, "tableSwitches", J_INT(c->table_switches));
	J_ADD(o, "carrierPollMs", J_INT(c->cfg.carrier_poll_ms));
	J_ADD(o, "rebalance", J_INT(c->cfg.rebalance_s));
	J_ADD(o, "rebalances", J_INT(c->rebalance.runs));
	J_ADD(o, "bucketsRebalanced", J_INT(c->rebalance.moved));
	J_ADD(o, "egressMaxMin",
	      c->rebalance.max_min > 0
		      ? json_object_new_double((double)(long)(c->rebalance.max_min * 1000 + 0.5) /
					       1000)
		      : NULL);
	if (maps_cnt_lag_sum(&c->maps, &lc) == 0) {
		J_ADD(o, "txNoMember", J_INT(lc.tx_no_member));
		J_ADD(o, "txDeadman", J_INT(lc.tx_deadman));
		J_ADD(o, "rxNotMember", J_INT(lc.rx_not_member));
	}
	J_ADD(o, "deadmanTimeoutMs",
	      maps_heartbeat_get(&c->maps, &hb) == 0 && hb.refresh_ns
		      ? J_INT(hb.timeout_ns / 1000000)
		      : NULL);
	J_ADD(o, "lacp", c->mode->status_lag(c));
	J_ADD(o, "connections", conns);
	return o;
}
