// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Per-interface sysctls under /proc/sys/net: IPv6 on or off. Reads and
 * writes the current network namespace's view.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "sys/sysctl.h"

static int ipv6_path(const char *ifname, char *path, size_t len)
{
	int n = snprintf(path, len, "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int sysctl_ipv6_disabled(const char *ifname)
{
	char path[128], v[8] = "";
	int fd, ret;
	ssize_t n;

	ret = ipv6_path(ifname, path, sizeof(path));
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 1 : -errno; /* no IPv6 at all: as disabled */
	n = read(fd, v, sizeof(v) - 1);
	ret = n < 0 ? -errno : atoi(v);
	close(fd);
	return ret;
}

int sysctl_ipv6_set_disabled(const char *ifname, int disabled)
{
	char path[128];
	int fd, ret;

	ret = ipv6_path(ifname, path, sizeof(path));
	if (ret)
		return ret;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	ret = write(fd, disabled ? "1\n" : "0\n", 2) == 2 ? 0 : -errno;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}
