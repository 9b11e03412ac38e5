// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf attach LAG MEMBER... [options]: argv to a lag_config through the
 * option table, the LAG set up on the host, then its controller started.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cmd.h"
#include "conf/options.h"
#include "daemon/daemon.h"
#include "lag/lag.h"
#include "sys/lock.h"
#include "sys/log.h"

#define OPT_BASE 256 /* getopt values: OPT_BASE + row of lag_options */
#define OPT_HELP (OPT_BASE + LAG_O__COUNT)

static int usage(int asked)
{
	FILE *out = asked ? stdout : stderr;

	fprintf(out, "usage: lagbpf attach LAG MEMBER...\n");
	lag_options_synopsis(out, LAG_OPT_ATTACH, "       ");
	if (asked)
		lag_options_help(out, LAG_OPT_ATTACH);
	return asked ? 0 : 2;
}

/* Options into c: 0, -1 (--help), 1 (bad value, said why) or 2 (usage). */
static int parse(struct lag_config *c, int argc, char **argv)
{
	struct option lo[LAG_O__COUNT + 2] = {};
	char err[LAG_ERR_LEN];
	int n = 0, opt;

	for (int i = 0; i < lag_n_options; i++) {
		if (!(lag_options[i].scope & LAG_OPT_ATTACH))
			continue;
		lo[n++] = (struct option){ lag_options[i].name,
					   lag_options[i].type == LAG_OPT_FLAG ? no_argument
									       : required_argument,
					   NULL, OPT_BASE + i };
	}
	lo[n] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	while ((opt = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (opt == OPT_HELP)
			return -1;
		if (opt < OPT_BASE || opt >= OPT_HELP)
			return usage(0);
		if (lag_option_apply(c, &lag_options[opt - OPT_BASE], optarg, err, sizeof(err))) {
			lag_err("%s", err);
			return 1;
		}
	}
	return 0;
}

int cmd_attach(int argc, char **argv)
{
	static char prefix[64];
	char err[LAG_ERR_LEN];
	struct lag_config c;
	struct lag_paths p;
	int ret;

	lag_config_defaults(&c);
	ret = parse(&c, argc, argv);
	if (ret < 0)
		return usage(1);
	if (ret)
		return ret;
	if (optind >= argc) {
		lag_err("attach: no LAG name given (usage: lagbpf attach LAG MEMBER...)");
		return 2;
	}
	snprintf(prefix, sizeof(prefix), "attach %.32s", argv[optind]);
	lag_log_prefix = prefix;
	if (lag_config_set_name(&c, argv[optind], err, sizeof(err))) {
		lag_err("%s", err);
		return 1;
	}
	for (int i = optind + 1; i < argc; i++) {
		if (lag_config_add_member(&c, argv[i], err, sizeof(err))) {
			lag_err("%s", err);
			return 1;
		}
	}
	if (lag_config_check(&c, err, sizeof(err))) {
		lag_err("%s", err);
		return 1;
	}
	if (cmd_lag_paths(c.name, &p))
		return 1;
	if (lag_attach(&c, &p))
		return 1;
	if (c.foreground) {
		/* In the foreground the LAG lives as long as this process,
		 * which must not hold the host lock that long.
		 */
		lag_host_unlock();
		ret = daemon_run(&c, &p, -1);
		lag_detach(c.name, &p);
		return ret ? 1 : 0;
	}
	ret = daemon_spawn(&c, &p);
	if (ret) {
		/* The controller already printed why; undo from the pins. */
		lag_log_prefix = NULL;
		lag_detach(c.name, &p);
		return 1;
	}
	return 0;
}
