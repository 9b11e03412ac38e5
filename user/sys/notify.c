// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* sd_notify by hand: $NOTIFY_SOCKET names an AF_UNIX datagram socket, a
 * path or, with a leading '@', an abstract address. One datagram per state
 * change, sent without blocking. Protocol only: what to say is the daemon's.
 * An abstract address lives in a network namespace: a controller that
 * entered its LAG's namespace (-n NS) reaches only a path (systemd's is one).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "sys/notify.h"

#define NOTIFY_MSG_MAX 1024

/* $NOTIFY_SOCKET into sun: the address length, or -errno. */
static int notify_addr(const char *name, struct sockaddr_un *sun)
{
	size_t len = strlen(name);

	/* systemd also knows "vsock:CID:PORT" (a VM's manager): not ours. */
	if (len < 2 || (name[0] != '/' && name[0] != '@'))
		return -EAFNOSUPPORT;
	if (len >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, name, len);
	if (name[0] == '@')
		sun->sun_path[0] = '\0'; /* abstract: no NUL at the end, the length bounds it */
	else
		len++; /* a path: its NUL counts */
	return (int)(offsetof(struct sockaddr_un, sun_path) + len);
}

int notify_send(const char *fmt, ...)
{
	const char *name = getenv("NOTIFY_SOCKET");
	char msg[NOTIFY_MSG_MAX];
	struct sockaddr_un sun;
	int fd, alen, n, err = 0;
	ssize_t sent;
	va_list ap;

	if (!name || !name[0])
		return 0;
	alen = notify_addr(name, &sun);
	if (alen < 0)
		return alen;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return -EMSGSIZE;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	sent = sendto(fd, msg, (size_t)n, MSG_NOSIGNAL, (struct sockaddr *)&sun, (socklen_t)alen);
	if (sent < 0)
		err = -errno;
	else if (sent != n)
		err = -EMSGSIZE;
	if (close(fd) && !err)
		err = -errno;
	return err;
}
