// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* flock(2) locks: the host lock and held pid files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include "sys/lock.h"
#include "sys/netns.h"

static int host_fd = -1;

int lag_host_lock(unsigned int wait_ms)
{
	struct timespec pause = { 0, 20 * 1000000L };
	int err;

	if (host_fd >= 0)
		return 0;
	err = lag_mkdir_p(LAG_RUN_ROOT);
	if (err)
		return err;
	host_fd = open(LAG_HOST_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (host_fd < 0)
		return -errno;
	for (unsigned int waited = 0;; waited += 20) {
		if (flock(host_fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		err = errno == EWOULDBLOCK ? -EWOULDBLOCK : -errno;
		if (err != -EWOULDBLOCK || waited >= wait_ms)
			break;
		nanosleep(&pause, NULL);
	}
	close(host_fd);
	host_fd = -1;
	return err;
}

void lag_host_unlock(void)
{
	if (host_fd >= 0)
		close(host_fd);
	host_fd = -1;
}

int lag_pidfile_hold(const char *path)
{
	char buf[32];
	int fd, n;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		int err = errno == EWOULDBLOCK ? -EEXIST : -errno;

		close(fd);
		return err;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", getpid());
	if (ftruncate(fd, 0) || pwrite(fd, buf, (size_t)n, 0) != n) {
		int err = -errno;

		close(fd);
		return err;
	}
	return 0; /* fd stays open, and locked, for the process's life */
}

int lag_pidfile_owner(const char *path)
{
	char buf[32] = "";
	int fd, pid;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	/* If we can lock it, nobody holds it: a stale file. */
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		close(fd);
		return 0;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	pid = n > 0 ? atoi(buf) : 0;
	return pid > 1 ? pid : 0;
}
