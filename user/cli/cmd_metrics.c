// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf metrics [LAG]: the status of the namespace's LAGs in Prometheus'
 * text exposition format, for node_exporter's textfile collector
 * (lagbpf metrics > /var/lib/prometheus/node-exporter/lagbpf.prom). Asks
 * each controller for its show -j document; daemon/metrics.c formats them,
 * as it does for the controller's own --metrics-listen.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include "cli/cmd.h"
#include "conf/config.h"
#include "conf/names.h"
#include "daemon/metrics.h"
#include "sys/ctl_socket.h"
#include "sys/log.h"

static int ask(const struct lag_paths *p, json_object *all);

static int ask_one(void *ctx, const char *lag, const struct lag_paths *p)
{
	return ask(p, ctx);
}

static int ask(const struct lag_paths *p, json_object *all)
{
	char *reply = NULL;
	json_object *doc;

	if (ctl_call(p->sock, "show", &reply))
		return -1;
	doc = json_tokener_parse(reply);
	free(reply);
	if (!doc)
		return -1;
	if (json_object_array_add(all, doc)) {
		json_object_put(doc);
		return -1;
	}
	return 0;
}

int cmd_metrics(int argc, char **argv)
{
	json_object *all = json_object_new_array();
	struct lag_paths p;
	int ret = 0;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		json_object_put(all);
		return cmd_usage(argc == 2 && !strcmp(argv[1], "--help"), "lagbpf metrics [LAG]\n");
	}
	if (argc == 2) {
		if (cmd_lag_paths(argv[1], &p) || ask(&p, all)) {
			if (!json_object_array_length(all))
				lag_err("metrics %s: no LAG answers", argv[1]);
			json_object_put(all);
			return 1;
		}
	} else {
		ret = cmd_each_lag(ask_one, all);
	}
	if (metrics_write(all, stdout) || fflush(stdout)) {
		lag_err("metrics: cannot write: %s", strerror(errno));
		ret = 1;
	}
	json_object_put(all);
	return ret;
}
