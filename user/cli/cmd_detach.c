// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf detach LAG: stop its controller, then undo everything from the pins. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cmd.h"
#include "conf/names.h"
#include "daemon/daemon.h"
#include "lag/lag.h"
#include "sys/log.h"

/* -n NS of a deleted namespace: what its pins and run files left. */
static int detach_orphan(const char *lag)
{
	char why[LAG_ERR_LEN];
	struct lag_paths p;

	if (lag_name_check(lag, why, sizeof(why))) {
		lag_err("%s", why);
		return 1;
	}
	if (lag_paths_in(cmd_orphan_ns, lag, &p)) {
		lag_err("cannot name the paths of %s", lag);
		return 1;
	}
	if (access(p.pin_dir, F_OK) && access(p.pid, F_OK) && access(p.sock, F_OK)) {
		lag_err("no LAG named %s in namespace %s (the namespace does not exist)", lag,
			cmd_orphan_ns);
		return 1;
	}
	daemon_stop(&p);
	return lag_detach_orphan(lag, &p) ? 1 : 0;
}

int cmd_detach(int argc, char **argv)
{
	static char prefix[64];
	struct lag_paths p;
	int err;

	if (argc != 2 || argv[1][0] == '-')
		return cmd_usage(argc == 2 && !strcmp(argv[1], "--help"), "lagbpf detach LAG\n");
	snprintf(prefix, sizeof(prefix), "detach %s", argv[1]);
	lag_log_prefix = prefix;
	if (cmd_orphan_ns)
		return detach_orphan(argv[1]);
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
