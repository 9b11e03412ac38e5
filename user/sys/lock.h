/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Locks with flock(2), released by the kernel when their holder dies: one
 * host-wide lock that serialises the commands that change LAGs, and the pid
 * file a controller holds locked for its life, so a stale pid file (the
 * controller died, its PID reused) never gets another process signalled.
 */
#ifndef LAGBPF_SYS_LOCK_H
#define LAGBPF_SYS_LOCK_H

#define LAG_HOST_LOCK "/run/lagbpf/lock"

/* Take the host lock, waiting up to wait_ms: 0, -EWOULDBLOCK when another
 * command kept it that long, other -errno. Held until lag_host_unlock() or
 * exit; a forked controller must drop it (lag_host_unlock in the child).
 */
int lag_host_lock(unsigned int wait_ms);
void lag_host_unlock(void);

/* Write our pid to path and hold it locked (the fd stays open, close-on-exec):
 * 0 or -errno; -EEXIST when a live controller holds it.
 */
int lag_pidfile_hold(const char *path);
/* The pid of the controller holding path locked, 0 when none does (a stale
 * or missing file), -errno on error.
 */
int lag_pidfile_owner(const char *path);

#endif
