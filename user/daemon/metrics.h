/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Prometheus text exposition format of LAG status documents (show -j), for
 * `lagbpf metrics` and the controller's HTTP /metrics alike.
 */
#ifndef LAGBPF_DAEMON_METRICS_H
#define LAGBPF_DAEMON_METRICS_H

#include <stdio.h>

struct json_object;

#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* The metrics of every document of the array all, to out: 0, or -EIO. */
int metrics_write(struct json_object *all, FILE *out);

#endif
