// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf show [LAG]: asks each LAG's controller for its status document and
 * prints it as JSON (-j/-p) or as aligned text made from that same document.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include <json-c/json.h>
#include "cli/cmd.h"
#include "conf/config.h"
#include "conf/names.h"
#include "lag/lag.h"
#include "sys/ctl_socket.h"
#include "sys/log.h"
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

static json_object *ask(const char *lag, const struct lag_paths *p)
{
	char *reply = NULL;
	json_object *doc;
	int err = ctl_call(p->sock, "show", &reply);

	if (err) {
		lag_err("show %s: its controller does not answer on %s: %s%s", lag, p->sock,
			strerror(-err),
			err == -ENOENT || err == -ECONNREFUSED
				? " (not attached, or the controller died: lagbpf detach cleans up)"
				: "");
		return NULL;
	}
	doc = json_tokener_parse(reply);
	free(reply);
	if (!doc)
		lag_err("show %s: unreadable answer from its controller", lag);
	return doc;
}

/* One LAG of `show --all`: its controller's document, or what the pins say. */
static void all_one(void *ctx, const char *lag, const struct lag_paths *p, int ns_alive)
{
	json_object *all = ctx, *doc = NULL;
	char *reply = NULL;

	if (access(p->sock, F_OK) == 0 && ctl_call(p->sock, "show", &reply) == 0) {
		doc = json_tokener_parse(reply);
		free(reply);
	}
	if (doc) {
		json_object_object_add(doc, "controller", json_object_new_string("running"));
	} else {
		doc = json_object_new_object();
		json_object_object_add(doc, "lagName", json_object_new_string(lag));
		json_object_object_add(doc, "lagState", json_object_new_string("unknown"));
		json_object_object_add(doc, "namespace",
				       p->ns[0] ? json_object_new_string(p->ns) : NULL);
		json_object_object_add(doc, "pinPath", json_object_new_string(p->pin_dir));
		json_object_object_add(doc, "controller", json_object_new_string("not running"));
	}
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

int cmd_show(int argc, char **argv)
{
	int flags = cmd_pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
			       : JSON_C_TO_STRING_PLAIN;
	json_object *all = json_object_new_array(), *doc;
	struct lag_paths p;
	struct dirent *de;
	int ret = 0;
	DIR *d;

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
		if (access(p.sock, F_OK)) {
			lag_err("show %s: no LAG named %s%s%s", argv[1], argv[1],
				p.ns[0] ? " in namespace " : "", p.ns);
			json_object_put(all);
			return 1;
		}
		doc = ask(argv[1], &p);
		if (!doc) {
			json_object_put(all);
			return 1;
		}
		if (cmd_json)
			printf("%s\n", json_object_to_json_string_ext(doc, flags));
		else
			print_text(doc);
		json_object_put(doc);
		json_object_put(all);
		return 0;
	}
	if (lag_paths_get(NULL, &p)) {
		json_object_put(all);
		return 1;
	}
	d = opendir(p.run_dir);
	while (d && (de = readdir(d))) {
		char name[64], why[LAG_ERR_LEN];
		size_t len = strlen(de->d_name);
		struct lag_paths lp;

		if (len < 6 || len - 5 >= sizeof(name) || strcmp(de->d_name + len - 5, ".sock"))
			continue;
		memcpy(name, de->d_name, len - 5);
		name[len - 5] = '\0';
		if (lag_name_check(name, why, sizeof(why)) || lag_paths_get(name, &lp))
			continue;
		doc = ask(name, &lp);
		if (!doc) {
			ret = 1;
			continue;
		}
		json_object_array_add(all, doc);
	}
	if (d)
		closedir(d);
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
