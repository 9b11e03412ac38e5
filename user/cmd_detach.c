// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf detach LAG */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "lag.h"
#include "log.h"

int cmd_detach(int argc, char **argv)
{
	static char prefix[64];

	if (argc != 2 || !strcmp(argv[1], "--help")) {
		fprintf(stderr, "usage: lagbpf detach LAG\n");
		return argc == 2 ? 0 : 2;
	}
	snprintf(prefix, sizeof(prefix), "detach %s", argv[1]);
	lag_log_prefix = prefix;
	return lag_detach(argv[1]) ? 1 : 0;
}
