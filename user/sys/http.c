// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* HTTP/1.x server transport for /metrics: listen, accept, read a request
 * head, write one response, close. Non-blocking throughout; no LAG logic.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "sys/http.h"

int http_listen(int family, const uint8_t *addr, uint16_t port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int fd, one = 1, err;

	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, addr, 16);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, addr, 4);
		len = sizeof(*s4);
	}
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* SO_REUSEADDR: a restarted controller binds again despite the old
	 * one's connections in TIME_WAIT; a listener already there still wins
	 * (EADDRINUSE). IPV6_V6ONLY: [::] means IPv6 only, as asked.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 16)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int http_client_accept(int lfd, struct http_client *cl, uint64_t deadline_ns)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	memset(cl, 0, sizeof(*cl));
	cl->fd = fd;
	cl->deadline_ns = deadline_ns;
	return 0;
}

/* The end of the head: a blank line (CRLF CRLF, or bare LF LF from a sloppy client). */
static int head_complete(const struct http_client *cl)
{
	return strstr(cl->in, "\r\n\r\n") || strstr(cl->in, "\n\n");
}

int http_client_read(struct http_client *cl)
{
	for (;;) {
		ssize_t n;

		if (cl->in_len >= HTTP_REQ_MAX)
			return -E2BIG;
		n = read(cl->fd, cl->in + cl->in_len, HTTP_REQ_MAX - cl->in_len);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		if (n == 0)
			return -ECONNRESET;
		if (memchr(cl->in + cl->in_len, '\0', (size_t)n))
			return -EPROTO;
		cl->in_len += (size_t)n;
		cl->in[cl->in_len] = '\0';
		if (head_complete(cl))
			return 1;
	}
}

int http_request_line(const struct http_client *cl, char *method, size_t mlen, char *path,
		      size_t plen)
{
	size_t m = strcspn(cl->in, " \r\n"), p;
	const char *at = cl->in + m, *ver;

	if (!m || m >= mlen || *at != ' ')
		return -EPROTO;
	at++;
	p = strcspn(at, " \r\n");
	if (!p || p >= plen || at[p] != ' ')
		return -EPROTO;
	ver = at + p + 1;
	if (strncmp(ver, "HTTP/1.", 7))
		return -EPROTO;
	memcpy(method, cl->in, m);
	method[m] = '\0';
	memcpy(path, at, p);
	path[p] = '\0';
	path[strcspn(path, "?")] = '\0';
	return 0;
}

static const char *reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 431:
		return "Request Header Fields Too Large";
	case 503:
		return "Service Unavailable";
	default:
		return "Internal Server Error";
	}
}

int http_client_respond(struct http_client *cl, int status, const char *type, const char *body,
			size_t len, int head_only)
{
	char head[256];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "%sConnection: close\r\n\r\n",
			 status, reason(status), type, len,
			 status == 405 ? "Allow: GET, HEAD\r\n" : "");

	if (n < 0 || (size_t)n >= sizeof(head))
		return -ENOSPC;
	if (head_only)
		len = 0;
	free(cl->out);
	cl->out = malloc((size_t)n + len);
	if (!cl->out)
		return -ENOMEM;
	memcpy(cl->out, head, (size_t)n);
	if (len)
		memcpy(cl->out + n, body, len);
	cl->out_len = (size_t)n + len;
	cl->out_off = 0;
	return http_client_flush(cl);
}

int http_client_flush(struct http_client *cl)
{
	while (cl->out_off < cl->out_len) {
		ssize_t n = send(cl->fd, cl->out + cl->out_off, cl->out_len - cl->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		cl->out_off += (size_t)n;
	}
	return 1;
}

int http_client_linger(struct http_client *cl)
{
	if (shutdown(cl->fd, SHUT_WR))
		return -errno;
	cl->lingering = 1;
	return 0;
}

int http_client_discard(struct http_client *cl)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(cl->fd, buf, sizeof(buf));

		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		if (n == 0)
			return 1;
	}
}

void http_client_close(struct http_client *cl)
{
	if (cl->fd >= 0 && close(cl->fd))
		cl->fd = -1; /* closed anyway (Linux); nothing else to undo */
	cl->fd = -1;
	free(cl->out);
	cl->out = NULL;
	cl->out_len = cl->out_off = cl->in_len = 0;
	cl->lingering = 0;
}
