// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf detach LAG: stop its controller, then undo everything from the pins.
 * As a unit's ExecStop= (--service), only while that controller is the
 * service's main process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cmd.h"
#include "conf/names.h"
#include "daemon/daemon.h"
#include "lag/lag.h"
#include "sys/lock.h"
#include "sys/log.h"

#define DETACH_USAGE "lagbpf detach [--service] LAG\n"

/* --service, as lagbpf@.service's ExecStop=: systemd runs ExecStop= whenever
 * the service stops, also after its main process ended on its own. Detach
 * only when the LAG's controller is still that main process ($MAINPID, set
 * while it runs): that is systemctl stop. A controller that crashed is left
 * for Restart= to adopt (attach adopts a LAG without a controller), and one
 * that handed over (lagbpf restart) is left to its successor. 1 = detach.
 */
static int service_stops_controller(const char *lag, const struct lag_paths *p)
{
	const char *env = getenv("MAINPID");
	pid_t owner = lag_pidfile_owner(p->pid);
	char *end = NULL;
	long main_pid;

	errno = 0;
	main_pid = env ? strtol(env, &end, 10) : 0;
	if (env && (errno || end == env || *end || main_pid <= 0))
		main_pid = 0;
	if (owner > 0 && owner == main_pid)
		return 1;
	if (owner > 0)
		lag_log(LAG_LOG_WARN,
			"detach %s: left as it is: its controller %d is not the service's main "
			"process (MAINPID %s): it took over (lagbpf restart)\n",
			lag, (int)owner, env ? env : "unset");
	else
		lag_log(LAG_LOG_WARN,
			"detach %s: left as it is: its controller is gone (a crash): Restart= "
			"adopts the LAG, lagbpf detach removes it\n",
			lag);
	return 0;
}

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
	int err, service = 0;

	if (argc == 3 && !strcmp(argv[1], "--service")) {
		service = 1;
		argv++;
		argc--;
	} else if (argc == 3 && !strcmp(argv[2], "--service")) {
		service = 1;
		argc--;
	}
	if (argc != 2 || argv[1][0] == '-')
		return cmd_usage(argc == 2 && !strcmp(argv[1], "--help"), DETACH_USAGE);
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
	if (service && !service_stops_controller(argv[1], &p))
		return 0;
	daemon_stop(&p);
	return lag_detach(argv[1], &p) ? 1 : 0;
}
