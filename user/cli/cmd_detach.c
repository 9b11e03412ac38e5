// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf detach LAG: stop its controller, then undo everything from the pins. */
#include <stdio.h>
#include <string.h>
#include "cli/cmd.h"
#include "daemon/daemon.h"
#include "lag/lag.h"
#include "sys/log.h"

int cmd_detach(int argc, char **argv)
{
	static char prefix[64];
	struct lag_paths p;
	int err;

	if (argc != 2 || argv[1][0] == '-')
		return cmd_usage(argc == 2 && !strcmp(argv[1], "--help"), "lagbpf detach LAG\n");
	snprintf(prefix, sizeof(prefix), "detach %s", argv[1]);
	lag_log_prefix = prefix;
	err = cmd_lag_paths(argv[1], &p);
	if (err)
		return 1;
	if (!lag_exists(argv[1], &p)) {
		lag_err("no LAG named %s%s%s", argv[1], p.ns[0] ? " in namespace " : "", p.ns);
		return 1;
	}
	daemon_stop(&p);
	return lag_detach(argv[1], &p) ? 1 : 0;
}
