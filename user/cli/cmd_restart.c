// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf restart LAG: replace the controller without touching the data path.
 * The running one hands over (it changes nothing on its way out), the new
 * one adopts the LAG from its pins and its running configuration. Also how
 * an upgrade happens: restart with the new binary.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli/cmd.h"
#include "conf/conffile.h"
#include "daemon/daemon.h"
#include "lag/lag.h"
#include "sys/lock.h"
#include "sys/log.h"

int cmd_restart(int argc, char **argv)
{
	char text[8192], err[LAG_ERR_LEN];
	static char prefix[64];
	struct lag_config c;
	struct lag_paths p;
	struct lag_maps m;
	size_t n;
	FILE *f;

	if (argc != 2 || argv[1][0] == '-')
		return cmd_usage(argc == 2 && !strcmp(argv[1], "--help"), "lagbpf restart LAG\n");
	snprintf(prefix, sizeof(prefix), "restart %.32s", argv[1]);
	lag_log_prefix = prefix;
	if (cmd_lag_paths(argv[1], &p))
		return 1;
	f = fopen(p.conf, "re");
	if (!f) {
		lag_err("no running configuration %s: %s", p.conf,
			errno == ENOENT ? "not attached here (attach it)" : strerror(errno));
		return 1;
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	lag_config_defaults(&c);
	if (lag_conffile_parse(&c, text, p.conf, err, sizeof(err)) ||
	    lag_config_set_name(&c, argv[1], err, sizeof(err)) ||
	    lag_config_check(&c, err, sizeof(err))) {
		lag_err("%s", err);
		return 1;
	}
	/* Pins this binary cannot adopt (another ABI): the running controller stays. */
	if (lag_pins_open(&m, argv[1], &p))
		return 1;
	maps_close(&m);
	daemon_stop_for_restart(&p);
	if (lag_pidfile_owner(p.pid)) {
		lag_err("the running controller did not stop: nothing changed");
		return 1;
	}
	if (lag_adopt(&c, &p))
		return 1;
	if (daemon_spawn(&c, &p, 1)) {
		lag_err("the new controller did not start; the LAG forwards without one until "
			"its dead-man fires: attach it again to adopt it");
		return 1;
	}
	return 0;
}
