/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A minimal HTTP/1.x server side for the controller's /metrics: a TCP
 * listener on one address, and clients read and written without ever
 * blocking: one request head (at most HTTP_REQ_MAX octets), one response,
 * then close. No LAG logic here.
 */
#ifndef LAGBPF_SYS_HTTP_H
#define LAGBPF_SYS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_REQ_MAX 1024 /* a request head, blank line included */

struct http_client {
	int fd; /* -1: free */
	char in[HTTP_REQ_MAX + 1];
	size_t in_len;
	char *out; /* the response being written (malloc'd) */
	size_t out_len, out_off;
	int lingering;	      /* response sent, our side shut: waiting for the peer to close */
	uint64_t deadline_ns; /* CLOCK_MONOTONIC: closed if not done by then */
};

/* Listen on exactly addr:port of family AF_INET (4 octets) or AF_INET6 (16;
 * it does not take IPv4 too): the listening fd (non-blocking), or -errno
 * (-EADDRINUSE when it is taken).
 */
int http_listen(int family, const uint8_t *addr, uint16_t port);
/* Accept one waiting client (non-blocking): 0, -EAGAIN when none waits, -errno. */
int http_client_accept(int lfd, struct http_client *cl, uint64_t deadline_ns);
/* Read what the client sent: 1 once a whole request head is in (cl->in,
 * NUL-terminated), 0 for more to come, -E2BIG for a head longer than
 * HTTP_REQ_MAX, other -errno (the peer left).
 */
int http_client_read(struct http_client *cl);
/* The request line's method and path (query string cut off), into the
 * buffers: 0, or -EPROTO if the head does not start with "METHOD PATH HTTP/1.x".
 */
int http_request_line(const struct http_client *cl, char *method, size_t mlen, char *path,
		      size_t plen);
/* Take the response (status line, headers, then body unless head_only) and
 * write what the socket takes: 1 all written, 0 more to write when the
 * socket is writable (http_client_flush), -errno.
 */
int http_client_respond(struct http_client *cl, int status, const char *type, const char *body,
			size_t len, int head_only);
int http_client_flush(struct http_client *cl);
/* After the response: shut our side and read until the peer closes, so that
 * what it sent beyond the head does not turn our close into a reset that
 * loses the response. 0, or -errno.
 */
int http_client_linger(struct http_client *cl);
/* Lingering: discard what came: 1 the peer closed, 0 more to come, -errno. */
int http_client_discard(struct http_client *cl);
void http_client_close(struct http_client *cl);

#endif
