// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The controller's life as a process: fork into a daemon that reports
 * readiness through a pipe, and stop it through its pid file.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "daemon/daemon.h"
#include "sys/lock.h"
#include "sys/log.h"

int daemon_spawn(const struct lag_config *c, const struct lag_paths *p, int adopt)
{
	int pipefd[2], status;
	char ok = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (pid == 0) {
		close(pipefd[0]);
		/* Daemon: own session, log to the journal when systemd runs
		 * us, else to the LAG's log file, errors to the parent's
		 * stderr until ready.
		 */
		if (setsid() < 0)
			_exit(1);
		lag_host_unlock(); /* the command's lock, not the controller's */
		if (lag_log_to_journal() == 0 || lag_log_to_file(p->log) == 0) {
			int devnull = open("/dev/null", O_RDWR);

			if (devnull >= 0) {
				dup2(devnull, STDIN_FILENO);
				dup2(devnull, STDOUT_FILENO);
				close(devnull);
			}
			if (lag_log_verbosity < LAG_LOG_INFO)
				lag_log_verbosity = LAG_LOG_INFO;
		}
		if (chdir("/"))
			_exit(1);
		_exit(daemon_run(c, p, pipefd[1], adopt) ? 1 : 0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &ok, 1) != 1)
		ok = 0;
	close(pipefd[0]);
	if (ok != '1') {
		waitpid(pid, &status, 0);
		return -ECHILD;
	}
	return 0;
}

/* Alive and not a zombie: a daemon's zombie may wait long for its reaper. */
static int pid_alive(pid_t pid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	if (kill(pid, 0) && errno == ESRCH)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* "pid (comm) S ...": comm may hold spaces */
	return !(p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'));
}

static int stop(const struct lag_paths *p, int sig)
{
	pid_t pid = lag_pidfile_owner(p->pid);
	int i;

	/* Only the process that holds the pid file locked is the controller:
	 * a stale file (a crash, the PID since reused) signals nobody.
	 */
	if (pid <= 1)
		return 0;
	if (kill(pid, sig))
		return 0;
	for (i = 0; i < 200 && pid_alive(pid); i++) {
		waitpid(pid, NULL, WNOHANG); /* our own child, in --foreground tests */
		usleep(10000);
	}
	if (pid_alive(pid)) {
		kill(pid, SIGKILL);
		for (i = 0; i < 100 && pid_alive(pid); i++)
			usleep(10000);
	}
	return 0;
}

int daemon_stop(const struct lag_paths *p)
{
	return stop(p, SIGTERM);
}

int daemon_stop_for_restart(const struct lag_paths *p)
{
	return stop(p, SIGUSR2);
}
