// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The moment the data path of every given LAG distributes over N members:
 * polls each LAG's live table (lag_active, lag_tables: the table the
 * programs hash on) through user/sys/maps.c every 0.5 ms, opening the pins
 * as soon as they appear (start it before the attach), and prints the
 * CLOCK_REALTIME nanoseconds of the first poll that saw all of them at N,
 * and the poll's step in ns. Unlike the controllers' logs, it has no rate
 * limit, and unlike `lagbpf show` it costs microseconds. Asserts nothing.
 * usage: lagwait N TIMEOUT_S PIN_DIR...
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "sys/maps.h"

#define MAX_DIRS 8

static unsigned long long now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

/* Members in the live table of one LAG, or -1 if it cannot be read yet. */
static int live_members(struct lag_maps *m, int *open, const char *dir)
{
	static struct lag_table t;
	__u32 slot;

	if (!*open) {
		if (maps_open_pinned(m, dir))
			return -1;
		*open = 1;
	}
	if (maps_active_get(m, &slot) || maps_table_read(m, slot, &t))
		return -1;
	return (int)t.n_members;
}

int main(int argc, char **argv)
{
	struct lag_maps m[MAX_DIRS];
	int open[MAX_DIRS] = { 0 }, n, ndirs = argc - 3, rc = 1;
	unsigned long long end, prev;

	if (argc < 4 || ndirs > MAX_DIRS) {
		fprintf(stderr, "usage: lagwait N TIMEOUT_S PIN_DIR... (at most %d)\n", MAX_DIRS);
		return 2;
	}
	n = atoi(argv[1]);
	libbpf_set_print(NULL);
	end = now_ns(CLOCK_MONOTONIC) + strtoull(argv[2], NULL, 10) * 1000000000ull;
	prev = now_ns(CLOCK_REALTIME);
	while (now_ns(CLOCK_MONOTONIC) < end) {
		unsigned long long t;
		int all = 1;

		for (int i = 0; i < ndirs && all; i++)
			all = live_members(&m[i], &open[i], argv[3 + i]) == n;
		t = now_ns(CLOCK_REALTIME);
		if (all) {
			printf("%llu\t%llu\n", t, t - prev);
			rc = 0;
			break;
		}
		prev = t;
		usleep(500);
	}
	for (int i = 0; i < ndirs; i++)
		if (open[i])
			maps_close(&m[i]);
	if (rc)
		fprintf(stderr, "lagwait: not %d members in time\n", n);
	return rc;
}
