/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The one logger. libbpf and libxdp print through it one level down. */
#ifndef LAGBPF_LOG_H
#define LAGBPF_LOG_H

enum lag_log_level { LAG_LOG_ERR, LAG_LOG_WARN, LAG_LOG_INFO, LAG_LOG_DEBUG };

extern int lag_log_verbosity;	   /* messages above this level are dropped */
extern int lag_log_json;	   /* errors as {"error": ...} on stdout */
extern const char *lag_log_prefix; /* e.g. "lagbpf: attach lag0" */

void lag_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One-line user-facing error: "lagbpf: <prefix>: <message>" (or JSON). */
void lag_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lag_log_route_libs(void);
/* The controller's log: timestamped lines appended to path, deduplicated,
 * rate-limited, rotated to path.1 past 512 KiB. 0 or -errno.
 */
int lag_log_to_file(const char *path);
/* The controller's log into the journal, when systemd connected stderr to it
 * ($JOURNAL_STREAM names stderr): lines with their syslog priority ("<3>..."),
 * deduplicated and rate-limited as in the file. 0, or -ENOENT elsewhere.
 */
int lag_log_to_journal(void);
/* 1 once lag_log_to_journal() succeeded: stderr must stay open. */
int lag_log_is_journal(void);
/* Reopen the same path (SIGHUP, after logrotate moved it). */
int lag_log_reopen(void);

#endif
