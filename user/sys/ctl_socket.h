/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The controller's Unix control socket: one request line in, one JSON
 * document out, then close. Root only (mode 0600 and SO_PEERCRED). The
 * server side never blocks: a client is read and written as its data comes.
 */
#ifndef LAGBPF_SYS_CTL_SOCKET_H
#define LAGBPF_SYS_CTL_SOCKET_H

#include <stddef.h>
#include <stdint.h>

#define CTL_REQ_MAX 256 /* one request line, newline included */

struct ctl_client {
	int fd; /* -1: free */
	char in[CTL_REQ_MAX];
	size_t in_len;
	char *out; /* the reply being written (malloc'd) */
	size_t out_len, out_off;
	uint64_t deadline_ns; /* CLOCK_MONOTONIC: closed if not done by then */
};

int ctl_listen(const char *path);
/* Accept one waiting client (non-blocking; root only): 0, -EAGAIN when none
 * waits, -EPERM for a peer that is not root (already closed), other -errno.
 */
int ctl_client_accept(int lfd, struct ctl_client *cl, uint64_t deadline_ns);
/* Read what the client sent: 1 once a whole request line is in cl->in (NUL
 * instead of the newline), 0 for more to come, -EPROTO for a line too long
 * or data after it, other -errno (the peer left) .
 */
int ctl_client_read(struct ctl_client *cl);
/* Take the reply (copied) and write what the socket takes: 1 all written,
 * 0 more to write when the socket is writable (ctl_client_flush), -errno.
 */
int ctl_client_reply(struct ctl_client *cl, const char *doc);
int ctl_client_flush(struct ctl_client *cl);
void ctl_client_close(struct ctl_client *cl);

/* Client: send req, return the malloc'd reply in *reply. */
int ctl_call(const char *path, const char *req, char **reply);

/* A subscription (lagbpf monitor, capture) keeps the connection: the server
 * streams into it, never blocking. Bound what the kernel holds for a reader
 * that does not read (our own queue bounds the rest): 0 or -errno.
 */
int ctl_stream_sndbuf(int fd, int bytes);
/* Write what the socket takes: bytes written (0 when full), or -errno. */
long ctl_stream_write(int fd, const void *data, size_t len);
/* Read and drop what the subscriber sent: 0 while it is connected,
 * -ECONNRESET once it left, other -errno.
 */
int ctl_stream_drain(int fd);
/* Client: send req on a new connection and return its fd (blocking, no
 * timeout: a stream has none), or -errno.
 */
int ctl_subscribe(const char *path, const char *req);

#endif
