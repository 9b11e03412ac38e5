// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Unix control socket transport, both ends. No LAG logic here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/types.h>
#include "sys/ctl_socket.h"

static int sun_set(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	strcpy(sun->sun_path, path);
	return 0;
}

int ctl_listen(const char *path)
{
	struct sockaddr_un sun;
	int fd, err;

	err = sun_set(&sun, path);
	if (err)
		return err;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) || chmod(path, 0600) || listen(fd, 64)) {
		err = -errno;
		close(fd);
		unlink(path);
		return err;
	}
	return fd;
}

static void set_timeout(int fd, int sec)
{
	struct timeval tv = { .tv_sec = sec };

	/* Best effort, client side only: a stalled controller fails the call. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		return;
}

int ctl_client_accept(int lfd, struct ctl_client *cl, uint64_t deadline_ns)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd;

	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) || cred.uid != 0) {
		close(fd);
		return -EPERM;
	}
	memset(cl, 0, sizeof(*cl));
	cl->fd = fd;
	cl->deadline_ns = deadline_ns;
	return 0;
}

int ctl_client_read(struct ctl_client *cl)
{
	for (;;) {
		char *nl;
		ssize_t n = read(cl->fd, cl->in + cl->in_len, sizeof(cl->in) - 1 - cl->in_len);

		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		if (n == 0)
			return -ECONNRESET; /* gone before a whole line */
		cl->in_len += (size_t)n;
		cl->in[cl->in_len] = '\0';
		nl = memchr(cl->in, '\n', cl->in_len);
		if (nl) {
			/* One request per connection: anything after it is junk. */
			if ((size_t)(nl - cl->in) + 1 != cl->in_len)
				return -EPROTO;
			*nl = '\0';
			return 1;
		}
		if (cl->in_len + 1 >= sizeof(cl->in))
			return -EPROTO;
	}
}

int ctl_client_flush(struct ctl_client *cl)
{
	while (cl->out_off < cl->out_len) {
		ssize_t n = write(cl->fd, cl->out + cl->out_off, cl->out_len - cl->out_off);

		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		cl->out_off += (size_t)n;
	}
	return 1;
}

int ctl_client_reply(struct ctl_client *cl, const char *doc)
{
	free(cl->out);
	cl->out_len = strlen(doc);
	cl->out_off = 0;
	cl->out = malloc(cl->out_len + 1);
	if (!cl->out)
		return -ENOMEM;
	memcpy(cl->out, doc, cl->out_len + 1);
	return ctl_client_flush(cl);
}

void ctl_client_close(struct ctl_client *cl)
{
	char sink[512];

	if (cl->fd >= 0) {
		/* Unread input would reset the connection and lose the reply. */
		while (read(cl->fd, sink, sizeof(sink)) > 0)
			;
		close(cl->fd);
	}
	free(cl->out);
	memset(cl, 0, sizeof(*cl));
	cl->fd = -1;
}

int ctl_call(const char *path, const char *req, char **reply)
{
	struct sockaddr_un sun;
	size_t cap = 4096, got = 0;
	char *buf;
	int fd, err;

	err = sun_set(&sun, path);
	if (err)
		return err;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	set_timeout(fd, 5);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    write(fd, req, strlen(req)) != (ssize_t)strlen(req) || write(fd, "\n", 1) != 1) {
		err = -errno;
		close(fd);
		return err;
	}
	buf = malloc(cap);
	for (;;) {
		ssize_t n;

		if (!buf) {
			close(fd);
			return -ENOMEM;
		}
		if (got + 1 == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				buf = NULL;
				continue;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + got, cap - 1 - got);
		if (n < 0) {
			err = -errno;
			free(buf);
			close(fd);
			return err;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	close(fd);
	*reply = buf;
	return 0;
}

int ctl_stream_sndbuf(int fd, int bytes)
{
	return setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof(bytes)) ? -errno : 0;
}

long ctl_stream_write(int fd, const void *data, size_t len)
{
	ssize_t n = send(fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	return (long)n;
}

int ctl_stream_drain(int fd)
{
	char sink[256];

	for (;;) {
		ssize_t n = recv(fd, sink, sizeof(sink), MSG_DONTWAIT);

		if (n == 0)
			return -ECONNRESET;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	}
}

int ctl_subscribe(const char *path, const char *req)
{
	struct sockaddr_un sun;
	int fd, err;

	err = sun_set(&sun, path);
	if (err)
		return err;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    write(fd, req, strlen(req)) != (ssize_t)strlen(req) || write(fd, "\n", 1) != 1) {
		err = -errno;
		close(fd);
		return err ? err : -EIO;
	}
	return fd;
}
