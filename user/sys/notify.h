/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The service manager's readiness protocol (sd_notify(3), written by hand):
 * one datagram of "KEY=VALUE" lines to the AF_UNIX socket in $NOTIFY_SOCKET.
 * Without that variable every call does nothing, so callers need not care
 * whether systemd started them.
 */
#ifndef LAGBPF_SYS_NOTIFY_H
#define LAGBPF_SYS_NOTIFY_H

/* Send the formatted state ("READY=1\nSTATUS=serving"): 0 when sent or when
 * no manager listens ($NOTIFY_SOCKET unset), else -errno.
 */
int notify_send(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
