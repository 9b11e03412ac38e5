// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf monitor [LAG] [-j]: the controllers' events as they happen, one
 * line each (JSON lines with -j), like ip monitor. With a LAG: until it is
 * detached (a restart is followed). Without: every LAG of the namespace,
 * also those attached (or restarted) later, until interrupted. The
 * controllers render the lines; this copies whole lines from each of them to
 * stdout, and adds its own "controller" lines when one goes or comes.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cmd.h"
#include "conf/config.h"
#include "event/event.h"
#include "sys/clock.h"
#include "sys/log.h"

#define MON_MAX	  64   /* LAGs followed at once */
#define MON_BUF	  8192 /* one controller's partial line */
#define RESCAN_MS 1000
#define RESUME_MS 10000 /* a restarted controller serves again within this */

struct mon {
	char lag[64];
	int fd; /* -1: free */
	size_t len;
	char buf[MON_BUF];
};

static struct mon mons[MON_MAX];

static const char *request(void)
{
	return cmd_json ? "monitor json" : "monitor";
}

/* A line of our own, in the controllers' form: the controller of lag changed. */
static int say(const char *lag, const char *change)
{
	struct lag_event e;
	char b[512];
	int n;

	lag_event_init(&e, LAG_EV_CONTROLLER, clock_real_ns(), lag, NULL);
	lag_event_str(&e, "change", change);
	n = cmd_json ? lag_event_json(&e, b, sizeof(b)) : lag_event_text(&e, b, sizeof(b));
	if (n > 0 && (fwrite(b, 1, (size_t)n, stdout) != (size_t)n || fflush(stdout)))
		return -EPIPE;
	return 0;
}

/* The controller of one LAG went away: a restart brings a new one within
 * RESUME_MS (its running configuration stays); a detach removes that file.
 * The new controller's fd, or -1.
 */
static int resume(const struct lag_paths *p)
{
	char err[LAG_ERR_LEN];
	uint64_t until = clock_now_ns() + RESUME_MS * 1000000ull;

	while (clock_now_ns() < until && access(p->conf, F_OK) == 0) {
		int fd = cmd_subscribe(p->sock, request(), err, sizeof(err));

		if (fd >= 0)
			return fd;
		usleep(100 * 1000);
	}
	return -1;
}

/* Whole lines to stdout (a line longer than the buffer goes out in pieces). */
static int out_lines(struct mon *m)
{
	char *nl = memrchr(m->buf, '\n', m->len);
	size_t n = nl ? (size_t)(nl - m->buf) + 1 : (m->len == sizeof(m->buf) ? m->len : 0);

	if (!n)
		return 0;
	if (fwrite(m->buf, 1, n, stdout) != n || fflush(stdout))
		return -EPIPE;
	memmove(m->buf, m->buf + n, m->len - n);
	m->len -= n;
	return 0;
}

static int past_start; /* past the first scan: a LAG followed anew is news ("started") */

static int follow(const char *lag, const char *sock, int quiet)
{
	char err[LAG_ERR_LEN];
	int slot = -1, fd;

	for (int i = 0; i < MON_MAX; i++) {
		if (mons[i].fd >= 0 && !strcmp(mons[i].lag, lag))
			return 0;
		if (mons[i].fd < 0 && slot < 0)
			slot = i;
	}
	if (slot < 0)
		return quiet ? 0 : -ENOSPC;
	fd = cmd_subscribe(sock, request(), err, sizeof(err));
	if (fd < 0) {
		if (!quiet)
			lag_err("%s", err);
		else
			lag_log(LAG_LOG_DEBUG, "monitor %s: %s\n", lag, err);
		return fd;
	}
	snprintf(mons[slot].lag, sizeof(mons[slot].lag), "%s", lag);
	mons[slot].fd = fd;
	mons[slot].len = 0;
	return past_start ? say(lag, "started") : 0;
}

static int follow_cb(void *ctx, const char *lag, const struct lag_paths *p)
{
	follow(lag, p->sock, 1);
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	static char prefix[64];
	const char *one = NULL;
	struct lag_paths p;
	uint64_t scanned = clock_now_ns();

	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		return cmd_usage(argc == 2 && !strcmp(argv[1], "--help"),
				 "lagbpf [-n NS] monitor [LAG] [-j]\n");
	for (int i = 0; i < MON_MAX; i++)
		mons[i].fd = -1;
	signal(SIGPIPE, SIG_IGN);
	if (argc == 2) {
		one = argv[1];
		snprintf(prefix, sizeof(prefix), "monitor %.32s", one);
		lag_log_prefix = prefix;
		if (cmd_lag_paths(one, &p) || follow(one, p.sock, 0))
			return 1;
	} else if (cmd_each_lag(follow_cb, NULL)) {
		return 1;
	}
	past_start = 1;
	for (;;) {
		struct pollfd pfd[MON_MAX];
		int idx[MON_MAX], n = 0, r;

		for (int i = 0; i < MON_MAX; i++) {
			if (mons[i].fd < 0)
				continue;
			pfd[n] = (struct pollfd){ .fd = mons[i].fd, .events = POLLIN };
			idx[n++] = i;
		}
		r = poll(pfd, (nfds_t)n, one ? -1 : RESCAN_MS);
		if (r < 0 && errno != EINTR) {
			lag_err("poll: %s", strerror(errno));
			return 1;
		}
		for (int k = 0; k < n && r > 0; k++) {
			struct mon *m = &mons[idx[k]];
			ssize_t got;

			if (!pfd[k].revents)
				continue;
			got = read(m->fd, m->buf + m->len, sizeof(m->buf) - m->len);
			if (got < 0 && errno == EINTR)
				continue;
			if (got > 0) {
				m->len += (size_t)got;
				if (out_lines(m))
					return 0; /* stdout closed: the reader is done */
				continue;
			}
			/* The controller stopped (detach, restart): its last lines are out. */
			close(m->fd);
			m->fd = -1;
			m->len = 0;
			if (one && (m->fd = resume(&p)) >= 0) {
				if (say(one, "restarted"))
					return 0;
				continue;
			}
			if (say(m->lag, "stopped"))
				return 0;
			if (one) {
				lag_err("the controller of %s stopped", one);
				return 1;
			}
		}
		/* New LAGs, and restarted controllers, once a second. */
		if (!one && clock_now_ns() - scanned >= RESCAN_MS * 1000000ull) {
			cmd_each_lag(follow_cb, NULL);
			scanned = clock_now_ns();
		}
	}
}
