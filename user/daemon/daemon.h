/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The per-LAG controller process: carrier tracking, LACP, the atomic table
 * switch, min-links, and the control socket. Its life: spawn, run, stop.
 */
#ifndef LAGBPF_DAEMON_DAEMON_H
#define LAGBPF_DAEMON_DAEMON_H

#include "conf/config.h"
#include "sys/netns.h"

/* Fork the controller of a freshly attached LAG and return once it serves
 * its socket, or -errno if it could not start (reason printed).
 */
int daemon_spawn(const struct lag_config *c, const struct lag_paths *p, int adopt);
/* Run the controller in this process until SIGTERM/SIGINT. ready_fd (or -1)
 * gets one byte once serving. adopt: the LAG has been forwarding without a
 * controller; carry on from its live table and member flags.
 */
int daemon_run(const struct lag_config *c, const struct lag_paths *p, int ready_fd, int adopt);
/* Stop it to hand over to a new controller: it leaves everything as it is. */
int daemon_stop_for_restart(const struct lag_paths *p);
/* Stop a LAG's controller (pid file): SIGTERM, then SIGKILL after 2 s. */
int daemon_stop(const struct lag_paths *p);

#endif
