/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The one clock of the controller: CLOCK_MONOTONIC in nanoseconds; and the
 * wall clock, only to stamp events for people (lagbpf monitor, capture).
 */
#ifndef LAGBPF_SYS_CLOCK_H
#define LAGBPF_SYS_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t clock_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t clock_real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif
