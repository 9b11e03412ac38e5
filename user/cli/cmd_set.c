// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf set LAG [options]: each setting of the option table that may change
 * at run time is sent to the LAG's controller, which validates it with the
 * same table and rules as attach and applies it at once.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cmd.h"
#include "conf/options.h"
#include "sys/log.h"
#include "sys/netns.h"

#define OPT_BASE 256
#define OPT_HELP (OPT_BASE + LAG_O__COUNT)

static int usage(int asked)
{
	FILE *out = asked ? stdout : stderr;

	fprintf(out, "usage: lagbpf set LAG\n");
	lag_options_synopsis(out, LAG_OPT_SET, "       ");
	if (asked)
		lag_options_help(out, LAG_OPT_SET);
	return asked ? 0 : 2;
}

int cmd_set(int argc, char **argv)
{
	struct option lo[LAG_O__COUNT + 2] = {};
	const struct lag_option *given[LAG_O__COUNT];
	const char *vals[LAG_O__COUNT];
	static char prefix[64];
	struct lag_paths p;
	int opt, n = 0, k = 0;

	for (int i = 0; i < lag_n_options; i++)
		if (lag_options[i].scope & LAG_OPT_SET)
			lo[k++] = (struct option){ lag_options[i].name, required_argument, NULL,
						   OPT_BASE + i };
	lo[k] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	while ((opt = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (opt == OPT_HELP)
			return usage(1);
		if (opt < OPT_BASE || opt >= OPT_HELP || n == LAG_O__COUNT)
			return usage(0);
		given[n] = &lag_options[opt - OPT_BASE];
		vals[n++] = optarg;
	}
	if (optind != argc - 1 || !n)
		return usage(0);
	snprintf(prefix, sizeof(prefix), "set %.32s", argv[optind]);
	lag_log_prefix = prefix;
	if (cmd_lag_paths(argv[optind], &p))
		return 1;
	if (access(p.sock, F_OK)) {
		lag_err("no LAG named %s", argv[optind]);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		char req[128];

		snprintf(req, sizeof(req), "set %s %.64s", given[i]->name, vals[i]);
		if (cmd_ctl(p.sock, req, NULL))
			return 1;
	}
	return 0;
}
