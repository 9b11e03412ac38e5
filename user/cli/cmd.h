/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The verbs of the lagbpf command. Each returns 0, 1 (error) or 2 (usage). */
#ifndef LAGBPF_CLI_CMD_H
#define LAGBPF_CLI_CMD_H

#include "sys/netns.h"

extern int cmd_json;   /* -j */
extern int cmd_pretty; /* -p */
/* -n NS of a namespace that no longer exists (detach of an orphan), or NULL. */
extern const char *cmd_orphan_ns;

int cmd_attach(int argc, char **argv);
int cmd_detach(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_del(int argc, char **argv);
int cmd_restart(int argc, char **argv);
int cmd_metrics(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_capture(int argc, char **argv);

/* "usage: " + synopsis: asked for (--help) on stdout and 0, else on
 * stderr and 2.
 */
int cmd_usage(int asked, const char *synopsis);
/* Ask a LAG's controller (request line req): 0, or 1 with its error printed,
 * prefixed by what (may be NULL).
 */
int cmd_ctl(const char *sock, const char *req, const char *what);

/* The paths of LAG in the current namespace, once its name passed the one
 * name validator: 0, or -errno with the reason printed.
 */
int cmd_lag_paths(const char *lag, struct lag_paths *p);
/* Subscribe to a LAG's controller (request "monitor ..." or "capture ..."):
 * the connection's fd once the controller said yes, the stream follows; or
 * -errno with the reason in err (the controller's own words when it said no).
 */
int cmd_subscribe(const char *sock, const char *req, char *err, size_t len);
/* cb for every LAG of the namespace whose controller has a socket: 0, or 1
 * if cb failed for one (it said why).
 */
int cmd_each_lag(int (*cb)(void *ctx, const char *lag, const struct lag_paths *p), void *ctx);

#endif
