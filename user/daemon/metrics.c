// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Prometheus text exposition format, made from show -j documents: every
 * counter there is a lagbpf_member_<name>_total here. Used by `lagbpf
 * metrics` (the namespace's LAGs, asked over their control sockets) and by
 * the controller's --metrics-listen (its own document). Formatting only.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "daemon/metrics.h"

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

/* lacpduRx -> lacpdu_rx */
static void snake(const char *camel, char *out, size_t len)
{
	size_t n = 0;

	for (const char *c = camel; *c && n + 2 < len; c++) {
		if (isupper((unsigned char)*c) && n)
			out[n++] = '_';
		out[n++] = (char)tolower((unsigned char)*c);
	}
	out[n] = '\0';
}

/* Label values: \ " and newline escaped, as the format asks. */
static void label(const char *v, char *out, size_t len)
{
	size_t n = 0;

	for (; v && *v && n + 3 < len; v++) {
		if (*v == '\\' || *v == '"' || *v == '\n') {
			out[n++] = '\\';
			out[n++] = *v == '\n' ? 'n' : *v;
		} else {
			out[n++] = *v;
		}
	}
	out[n] = '\0';
}

struct family {
	const char *name, *type, *help;
};

static const struct family lag_families[] = {
	{ "lagbpf_lag_up", "gauge",
	  "1 while the LAG is available (at least max(1, min-links) members distribute)" },
	{ "lagbpf_lag_members", "gauge", "Members of the LAG" },
	{ "lagbpf_lag_members_distributing", "gauge", "Members in the live selection table" },
	{ "lagbpf_lag_min_links", "gauge", "Configured minimum links" },
	{ "lagbpf_lag_table_switches_total", "counter", "Selection table switches" },
	{ "lagbpf_lag_buckets_rebalanced_total", "counter",
	  "Table buckets --rebalance moved to another member" },
	{ "lagbpf_lag_tx_no_member_total", "counter",
	  "Egress frames dropped with no distributing member" },
	{ "lagbpf_lag_rx_not_member_total", "counter",
	  "Ingress frames on an interface that is not a member" },
	{ "lagbpf_controller_up", "gauge", "1 while the LAG's controller answers" },
};

static const struct family member_families[] = {
	{ "lagbpf_member_carrier", "gauge", "1 while the member has carrier" },
	{ "lagbpf_member_collecting", "gauge",
	  "1 while frames received on the member reach the LAG" },
	{ "lagbpf_member_distributing", "gauge", "1 while the member is in the live table" },
	{ "lagbpf_member_selected", "gauge", "1 while LACP selection has selected the member" },
	{ "lagbpf_member_lacp_synchronized", "gauge",
	  "1 while both actor and partner are in sync (LACP)" },
	{ "lagbpf_member_actor_state", "gauge", "LACP actor state octet" },
	{ "lagbpf_member_partner_state", "gauge", "LACP partner state octet" },
	{ "lagbpf_member_carrier_changes_total", "counter",
	  "Carrier changes seen by the controller" },
};

static void head(FILE *out, const struct family *f)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", f->name, f->help, f->name, f->type);
}

static long long num(json_object *o, const char *k)
{
	return (long long)json_object_get_int64(get(o, k));
}

static int state_bit(json_object *conn, const char *side, const char *bit)
{
	return json_object_get_boolean(get(get(get(conn, side), "state"), bit));
}

static void print_lag_family(FILE *out, json_object *all, const struct family *f)
{
	head(out, f);
	for (size_t i = 0; i < json_object_array_length(all); i++) {
		json_object *d = json_object_array_get_idx(all, i);
		char lag[64], ns[96];
		long long v = 0;

		label(json_object_get_string(get(d, "lagName")), lag, sizeof(lag));
		label(get(d, "namespace") ? json_object_get_string(get(d, "namespace")) : "", ns,
		      sizeof(ns));
		if (!strcmp(f->name, "lagbpf_lag_up"))
			v = !strcmp(json_object_get_string(get(d, "lagState")), "available");
		else if (!strcmp(f->name, "lagbpf_lag_members"))
			v = num(d, "numberOfConnections");
		else if (!strcmp(f->name, "lagbpf_lag_members_distributing"))
			v = num(d, "distributingConnections");
		else if (!strcmp(f->name, "lagbpf_lag_min_links"))
			v = num(d, "minimumLinks");
		else if (!strcmp(f->name, "lagbpf_lag_table_switches_total"))
			v = num(d, "tableSwitches");
		else if (!strcmp(f->name, "lagbpf_lag_buckets_rebalanced_total"))
			v = num(d, "bucketsRebalanced");
		else if (!strcmp(f->name, "lagbpf_lag_tx_no_member_total"))
			v = num(d, "txNoMember");
		else if (!strcmp(f->name, "lagbpf_lag_rx_not_member_total"))
			v = num(d, "rxNotMember");
		else if (!strcmp(f->name, "lagbpf_lag_tx_deadman_total"))
			v = num(d, "txDeadman");
		else if (!strcmp(f->name, "lagbpf_controller_up"))
			v = 1;
		fprintf(out, "%s{lag=\"%s\",namespace=\"%s\"} %lld\n", f->name, lag, ns, v);
	}
}

static long long member_value(json_object *c, const char *name)
{
	if (!strcmp(name, "lagbpf_member_carrier"))
		return json_object_get_boolean(get(c, "carrier"));
	if (!strcmp(name, "lagbpf_member_collecting"))
		return json_object_get_boolean(get(c, "collecting"));
	if (!strcmp(name, "lagbpf_member_distributing"))
		return json_object_get_boolean(get(c, "distributing"));
	if (!strcmp(name, "lagbpf_member_selected"))
		return !strcmp(json_object_get_string(get(c, "selected")), "selected");
	if (!strcmp(name, "lagbpf_member_lacp_synchronized"))
		return state_bit(c, "actor", "synchronization") &&
		       state_bit(c, "partner", "synchronization");
	if (!strcmp(name, "lagbpf_member_actor_state"))
		return num(get(c, "actor"), "stateByte");
	if (!strcmp(name, "lagbpf_member_partner_state"))
		return num(get(c, "partner"), "stateByte");
	return num(c, "carrierChanges");
}

/* One line per member of every LAG; value(conn) picks the number. */
static void print_members(FILE *out, json_object *all, const char *metric, const char *counter)
{
	for (size_t i = 0; i < json_object_array_length(all); i++) {
		json_object *d = json_object_array_get_idx(all, i), *conns = get(d, "connections");
		char lag[64], ns[96];

		label(json_object_get_string(get(d, "lagName")), lag, sizeof(lag));
		label(get(d, "namespace") ? json_object_get_string(get(d, "namespace")) : "", ns,
		      sizeof(ns));
		for (size_t k = 0; conns && k < json_object_array_length(conns); k++) {
			json_object *c = json_object_array_get_idx(conns, k);
			char member[64];
			long long v = counter ? num(get(c, "counters"), counter)
					      : member_value(c, metric);

			label(json_object_get_string(get(c, "connectionName")), member,
			      sizeof(member));
			fprintf(out, "%s{lag=\"%s\",namespace=\"%s\",member=\"%s\"} %lld\n", metric,
				lag, ns, member, v);
		}
	}
}

int metrics_write(json_object *all, FILE *out)
{
	json_object *first = NULL;

	for (size_t i = 0; i < sizeof(lag_families) / sizeof(*lag_families); i++)
		print_lag_family(out, all, &lag_families[i]);
	for (size_t i = 0; i < sizeof(member_families) / sizeof(*member_families); i++) {
		head(out, &member_families[i]);
		print_members(out, all, member_families[i].name, NULL);
	}
	/* Every counter of show -j, whatever the programs and machines count. */
	for (size_t i = 0; i < json_object_array_length(all) && !first; i++) {
		json_object *conns = get(json_object_array_get_idx(all, i), "connections");

		if (conns && json_object_array_length(conns))
			first = get(json_object_array_get_idx(conns, 0), "counters");
	}
	if (!first)
		return ferror(out) ? -EIO : 0;
	json_object_object_foreach(first, key, val)
	{
		char name[128], metric[160];
		struct family f = { metric, "counter", NULL };
		char help[160];

		(void)val;
		snake(key, name, sizeof(name));
		snprintf(metric, sizeof(metric), "lagbpf_member_%s_total", name);
		snprintf(help, sizeof(help), "Counter %s of show -j (per member)", key);
		f.help = help;
		head(out, &f);
		print_members(out, all, metric, key);
	}
	return ferror(out) ? -EIO : 0;
}
