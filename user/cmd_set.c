// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf set LAG [--min-links N] [--rate fast|slow] [--hash POLICY]: each
 * setting is sent to the LAG's controller, which applies it at once.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include "cmd.h"
#include "ctl.h"
#include "log.h"
#include "netns.h"

static const struct option set_opts[] = {
	{ "min-links", required_argument, NULL, 'm' },
	{ "rate", required_argument, NULL, 'r' },
	{ "hash", required_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{}
};

static int send_set(const char *sock, const char *key, const char *val)
{
	char req[128], *reply = NULL;
	json_object *doc, *e;
	int err;

	snprintf(req, sizeof(req), "set %s %s", key, val);
	err = ctl_call(sock, req, &reply);
	if (err) {
		lag_err("controller does not answer: %s", strerror(-err));
		return 1;
	}
	doc = json_tokener_parse(reply);
	free(reply);
	if (doc && json_object_object_get_ex(doc, "error", &e)) {
		lag_err("%s", json_object_get_string(e));
		json_object_put(doc);
		return 1;
	}
	json_object_put(doc);
	return doc ? 0 : 1;
}

int cmd_set(int argc, char **argv)
{
	static char prefix[64];
	const char *keys[3], *vals[3];
	struct lag_paths p;
	int opt, n = 0;

	while ((opt = getopt_long(argc, argv, "", set_opts, NULL)) != -1) {
		if (opt == '?' || opt == 'h' || n == 3) {
			fprintf(stderr, "usage: lagbpf set LAG [--min-links N] [--rate fast|slow] "
					"[--hash l2|l23|l34|encap34]\n");
			return opt == 'h' ? 0 : 2;
		}
		keys[n] = opt == 'm' ? "min-links" : opt == 'r' ? "rate" : "hash";
		vals[n++] = optarg;
	}
	if (optind != argc - 1 || !n) {
		fprintf(stderr, "usage: lagbpf set LAG [--min-links N] [--rate fast|slow] "
				"[--hash l2|l23|l34|encap34]\n");
		return 2;
	}
	snprintf(prefix, sizeof(prefix), "set %s", argv[optind]);
	lag_log_prefix = prefix;
	if (lag_paths_get(argv[optind], &p) || access(p.sock, F_OK)) {
		lag_err("no LAG named %s", argv[optind]);
		return 1;
	}
	for (int i = 0; i < n; i++)
		if (send_set(p.sock, keys[i], vals[i]))
			return 1;
	return 0;
}
