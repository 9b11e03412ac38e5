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
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) || chmod(path, 0600) || listen(fd, 16)) {
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

	/* Best effort: a client that stalls only delays this one request. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		return;
}

int ctl_accept(int lfd, char *req, size_t len)
{
	size_t got = 0;
	int fd;

	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return -errno;
	set_timeout(fd, 1);
	while (got + 1 < len) {
		ssize_t n = read(fd, req + got, len - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(req, '\n', got))
			break;
	}
	req[got] = '\0';
	req[strcspn(req, "\n")] = '\0';
	return fd;
}

int ctl_reply(int fd, const char *doc)
{
	size_t len = strlen(doc), off = 0;
	int ret = 0;

	while (off < len) {
		ssize_t n = write(fd, doc + off, len - off);

		if (n <= 0) {
			ret = -errno;
			break;
		}
		off += (size_t)n;
	}
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
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
