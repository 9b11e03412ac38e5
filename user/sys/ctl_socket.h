/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The controller's Unix control socket: one request line in, one JSON
 * document out, then close. Root only (mode 0600).
 */
#ifndef LAGBPF_CTL_H
#define LAGBPF_CTL_H

#include <stddef.h>

int ctl_listen(const char *path);
/* Accept one client and read its request line into req; returns the client fd. */
int ctl_accept(int lfd, char *req, size_t len);
int ctl_reply(int fd, const char *doc);
/* Client: send req, return the malloc'd reply in *reply. */
int ctl_call(const char *path, const char *req, char **reply);

#endif
