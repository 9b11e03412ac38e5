// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf show [LAG]: asks each LAG's controller for its status document and
 * prints it as JSON (-j/-p) or as aligned text made from that same document.
 * A LAG whose controller does not answer gets what its pins alone say.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include <json-c/json.h>
#include "cli/cmd.h"
#include "conf/config.h"
#include "conf/names.h"
#include "daemon/status.h"
#include "lag/lag.h"
#include "sys/ctl_socket.h"
#include "sys/clock.h"
#include "sys/log.h"
#include "sys/maps.h"
#include "sys/netns.h"

static const char *jstr(json_object *o, const char *k)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k, &v) || json_object_is_type(v, json_type_null))
		return "-";
	return json_object_get_string(v);
}

static json_object *jget(json_object *o, const char *k)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

static void state_letters(json_object *st, char *out)
{
	/* Like /proc/net/bonding: one letter per set bit, '.' otherwise. */
	static const char *const bits[] = { "activity",	       "timeout",    "aggregation",
					    "synchronization", "collecting", "distributing",
					    "defaulted",       "expired" };
	static const char letters[] = "ATGSCDFE";

	for (int b = 0; b < 8; b++)
		out[b] = json_object_get_boolean(jget(st, bits[b])) ? letters[b] : '.';
	out[8] = '\0';
}

static void print_text(json_object *lag)
{
	json_object *conns = jget(lag, "connections"), *lacp = jget(lag, "lacp");
	size_t n = conns ? json_object_array_length(conns) : 0;

	printf("%s: %s  mode %s  hash %s  min-links %s  members %s/%s  carrier %s  mac %s\n",
	       jstr(lag, "lagName"), jstr(lag, "lagState"), jstr(lag, "mode"),
	       jstr(lag, "hashPolicy"), jstr(lag, "minimumLinks"),
	       jstr(lag, "distributingConnections"), jstr(lag, "numberOfConnections"),
	       json_object_get_boolean(jget(lag, "carrier")) ? "on" : "off",
	       jstr(lag, "macAddress"));
	/* The balance line: when there is a figure or a rebalancer to show. */
	if (strcmp(jstr(lag, "egressMaxMin"), "-") ||
	    json_object_get_int64(jget(lag, "rebalance"))) {
		if (strcmp(jstr(lag, "egressMaxMin"), "-"))
			printf("  egress max/min %.3f",
			       json_object_get_double(jget(lag, "egressMaxMin")));
		else
			printf("  egress max/min -");
		if (json_object_get_int64(jget(lag, "rebalance")))
			printf("  rebalance every %s s: rebalances %s, buckets moved %s\n",
			       jstr(lag, "rebalance"), jstr(lag, "rebalances"),
			       jstr(lag, "bucketsRebalanced"));
		else
			printf("  rebalance off\n");
	}
	if (lacp && !json_object_is_type(lacp, json_type_null))
		printf("  lacp %s rate %s  system %s,%s key %s  partner %s,%s key %s\n",
		       json_object_get_boolean(jget(lacp, "active")) ? "active" : "passive",
		       jstr(lacp, "rate"), jstr(lacp, "systemPriority"), jstr(lacp, "systemId"),
		       jstr(lacp, "key"), jstr(lacp, "partnerSystemPriority"),
		       jstr(lacp, "partnerSystemId"), jstr(lacp, "partnerKey"));
	printf("  %-15s %-9s %-10s %-23s %-8s %-8s %-17s %-12s %10s %10s %8s\n", "member", "state",
	       "selected", "mux", "actor", "partner", "partner-system", "reason", "tx-pkts",
	       "rx-pkts", "rx-drop");
	for (size_t i = 0; i < n; i++) {
		json_object *m = json_object_array_get_idx(conns, i), *cnt = jget(m, "counters");
		json_object *actor = jget(m, "actor"), *partner = jget(m, "partner");
		char as[9] = "-", ps[9] = "-";

		if (actor)
			state_letters(jget(actor, "state"), as);
		if (partner)
			state_letters(jget(partner, "state"), ps);
		printf("  %-15s %-9s %-10s %-23s %-8s %-8s %-17s %-12s %10s %10s %8s\n",
		       jstr(m, "connectionName"), jstr(m, "connectionState"), jstr(m, "selected"),
		       jstr(m, "mux"), as, ps, partner ? jstr(partner, "systemId") : "-",
		       jstr(m, "reason"), jstr(cnt, "txPackets"), jstr(cnt, "rxPackets"),
		       jstr(cnt, "rxDropped"));
	}
}

/* The controller's status document in *doc: 0, or -errno of the call, or
 * -EBADMSG for an unreadable answer. ask_err() says which.
 */
static int ask(const struct lag_paths *p, json_object **doc)
{
	char *reply = NULL;
	int err = ctl_call(p->sock, "show", &reply);

	if (err)
		return err;
	*doc = json_tokener_parse(reply);
	free(reply);
	return *doc ? 0 : -EBADMSG;
}

static void ask_err(const char *lag, const struct lag_paths *p, int err)
{
	if (err == -EBADMSG)
		lag_err("show %s: unreadable answer from its controller", lag);
	else
		lag_err("show %s: its controller does not answer on %s: %s%s", lag, p->sock,
			strerror(-err),
			err == -ENOENT || err == -ECONNREFUSED
				? " (not attached, or the controller died: lagbpf detach cleans up)"
				: "");
}

static json_object *ms_or_null(int known, __u64 ns)
{
	return known ? json_object_new_int64((int64_t)(ns / 1000000)) : NULL;
}

/* What the pins alone say of a LAG whose controller does not answer: the
 * dead-man's heartbeat and the LAG counters (docs/json.md). lagState is
 * "down" once the dead-man fired (lag_tx drops every frame), else "unknown".
 */
static json_object *pins_doc(const char *lag, const struct lag_paths *p)
{
	json_object *doc = json_object_new_object();
	int got = 0, beat = 0, fired = 0;
	struct lag_lag_counters lc = {};
	struct lag_heartbeat hb = {};
	__s64 age = 0;

	if (maps_pinned_deadman(p->pin_dir, &hb, &lc) == 0) {
		got = 1;
		beat = hb.refresh_ns != 0;
		/* As lag_tx judges it, on CLOCK_MONOTONIC (lag_tx reads it coarse:
		 * it may start dropping a tick after this says "down").
		 */
		age = (__s64)(clock_now_ns() - hb.refresh_ns);
		fired = beat && age > (__s64)hb.timeout_ns;
	}
	json_object_object_add(doc, "schemaVersion", json_object_new_int(LAG_JSON_SCHEMA_VERSION));
	json_object_object_add(doc, "lagName", json_object_new_string(lag));
	json_object_object_add(doc, "lagState", json_object_new_string(fired ? "down" : "unknown"));
	json_object_object_add(doc, "namespace", p->ns[0] ? json_object_new_string(p->ns) : NULL);
	json_object_object_add(doc, "pinPath", json_object_new_string(p->pin_dir));
	json_object_object_add(doc, "controller", json_object_new_string("not running"));
	json_object_object_add(doc, "heartbeatAgeMs", ms_or_null(beat, age > 0 ? (__u64)age : 0));
	json_object_object_add(doc, "deadmanTimeoutMs", ms_or_null(beat, hb.timeout_ns));
	json_object_object_add(doc, "txDeadman",
			       got ? json_object_new_int64((int64_t)lc.tx_deadman) : NULL);
	json_object_object_add(doc, "txNoMember",
			       got ? json_object_new_int64((int64_t)lc.tx_no_member) : NULL);
	json_object_object_add(doc, "rxNotMember",
			       got ? json_object_new_int64((int64_t)lc.rx_not_member) : NULL);
	return doc;
}

/* The text of pins_doc(). */
static void print_text_pins(json_object *doc)
{
	json_object *age = jget(doc, "heartbeatAgeMs");

	printf("%s: %s  controller not running  ", jstr(doc, "lagName"), jstr(doc, "lagState"));
	if (!age || json_object_is_type(age, json_type_null))
		printf("heartbeat -");
	else
		printf("heartbeat %s ms old (dead-man after %s ms%s)", jstr(doc, "heartbeatAgeMs"),
		       jstr(doc, "deadmanTimeoutMs"),
		       !strcmp(jstr(doc, "lagState"), "down") ? ": fired, egress dropped" : "");
	printf("  tx-deadman %s\n  pins %s (lagbpf detach removes the LAG)\n",
	       jstr(doc, "txDeadman"), jstr(doc, "pinPath"));
}

/* One LAG of `show --all`: its controller's document, or what the pins say. */
static void all_one(void *ctx, const char *lag, const struct lag_paths *p, int ns_alive)
{
	json_object *all = ctx, *doc = NULL;

	if (access(p->sock, F_OK) || ask(p, &doc))
		doc = pins_doc(lag, p);
	else /* a controller older than the field */
		json_object_object_add(doc, "controller", json_object_new_string("running"));
	json_object_object_add(doc, "orphan", json_object_new_boolean(!ns_alive));
	json_object_array_add(all, doc);
}

/* Every LAG on the host, orphans included, whatever namespace this runs in. */
static int show_all(int flags)
{
	json_object *all = json_object_new_array();

	lag_walk_all(all_one, all);
	if (cmd_json) {
		printf("%s\n", json_object_to_json_string_ext(all, flags));
	} else {
		printf("%-24s %-12s %-10s %-12s %s\n", "namespace", "lag", "state", "controller",
		       "");
		for (size_t i = 0; i < json_object_array_length(all); i++) {
			json_object *o = json_object_array_get_idx(all, i);

			printf("%-24s %-12s %-10s %-12s %s\n", jstr(o, "namespace"),
			       jstr(o, "lagName"), jstr(o, "lagState"), jstr(o, "controller"),
			       json_object_get_boolean(jget(o, "orphan"))
				       ? "orphan: namespace gone (lagbpf -n NS detach LAG removes "
					 "it)"
				       : "");
		}
	}
	json_object_put(all);
	return 0;
}

/* show LAG: its controller's document (exit 0); with no controller to answer
 * but the pins there, what they say (exit 1: a degraded answer, docs/json.md).
 */
static int show_one(const char *lag, const struct lag_paths *p, int flags)
{
	json_object *doc = NULL;
	int err = -ENOENT;

	if (access(p->sock, F_OK) == 0)
		err = ask(p, &doc);
	if (err && access(p->pin_dir, F_OK)) {
		if (err == -ENOENT)
			lag_err("show %s: no LAG named %s%s%s", lag, lag,
				p->ns[0] ? " in namespace " : "", p->ns);
		else
			ask_err(lag, p, err);
		return 1;
	}
	if (err)
		doc = pins_doc(lag, p);
	if (cmd_json)
		printf("%s\n", json_object_to_json_string_ext(doc, flags));
	else if (err)
		print_text_pins(doc);
	else
		print_text(doc);
	json_object_put(doc);
	/* In text mode, why: on stderr after the document (in JSON, "controller" says it). */
	if (err && !cmd_json)
		ask_err(lag, p, err);
	return err ? 1 : 0;
}

/* One LAG of plain `show`: its document into the array, or say why not. */
static int show_collect(void *ctx, const char *lag, const struct lag_paths *p)
{
	json_object *doc;
	int err = ask(p, &doc);

	if (err) {
		ask_err(lag, p, err);
		return 1;
	}
	json_object_array_add(ctx, doc);
	return 0;
}

int cmd_show(int argc, char **argv)
{
	int flags = cmd_pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
			       : JSON_C_TO_STRING_PLAIN;
	json_object *all = json_object_new_array();
	struct lag_paths p;
	int ret;

	if (argc == 2 && !strcmp(argv[1], "--all")) {
		json_object_put(all);
		return show_all(flags);
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		json_object_put(all);
		return cmd_usage(argc == 2 && !strcmp(argv[1], "--help"),
				 "lagbpf [-j] [-p] show [LAG | --all]\n");
	}
	if (argc == 2) {
		static char prefix[64];

		snprintf(prefix, sizeof(prefix), "show %.32s", argv[1]);
		lag_log_prefix = prefix;
		if (cmd_lag_paths(argv[1], &p)) {
			json_object_put(all);
			return 1;
		}
		lag_log_prefix = NULL; /* the messages below name the LAG themselves */
		json_object_put(all);
		return show_one(argv[1], &p, flags);
	}
	ret = cmd_each_lag(show_collect, all);
	if (cmd_json) {
		printf("%s\n", json_object_to_json_string_ext(all, flags));
	} else {
		for (size_t i = 0; i < json_object_array_length(all); i++) {
			if (i)
				printf("\n");
			print_text(json_object_array_get_idx(all, i));
		}
	}
	json_object_put(all);
	return ret;
}
