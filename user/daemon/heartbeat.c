// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The dead-man's heartbeat: at start and every 100 ms tick the controller
 * stamps lag_heartbeat with CLOCK_MONOTONIC and the partner's timeout;
 * lag_tx stops distributing once the stamp is older than that, so a dead or
 * hung controller never blackholes silently (tx_deadman). Writes that one map.
 */
#include <string.h>
#include "daemon/state.h"
#include "sys/clock.h"
#include "sys/log.h"

/* How long the data path goes on without us: as long as the partner goes on
 * without our LACPDUs. 802.1AX 6.4.4 Short_Timeout_Time 3 s (fast), Long
 * 90 s (slow), at our rate, so `set --rate` moves it at the next tick.
 * XXX: static mode has no partner timeout; 3 s, as at fast rate: no
 * controller means no failover (a member that loses carrier stays in the
 * table), so a crash should stop the LAG as soon as it would in LACP mode.
 */
#define DEADMAN_FAST_NS	  (3ull * 1000000000ull)
#define DEADMAN_SLOW_NS	  (90ull * 1000000000ull)
#define DEADMAN_STATIC_NS DEADMAN_FAST_NS

static __u64 deadman_timeout_ns(const struct ctrl *c)
{
	if (c->cfg.mode != LAG_MODE_LACP)
		return DEADMAN_STATIC_NS;
	return c->cfg.rate == LAG_RATE_FAST ? DEADMAN_FAST_NS : DEADMAN_SLOW_NS;
}

void ctrl_heartbeat(struct ctrl *c)
{
	int err = maps_heartbeat_set(&c->maps, clock_now_ns(), deadman_timeout_ns(c));

	/* The log folds the repeats: one line however long it lasts. */
	if (err)
		lag_log(LAG_LOG_WARN,
			"%s: cannot refresh the heartbeat: %s (the data path stops within %llu "
			"s)\n",
			c->cfg.name, strerror(-err),
			(unsigned long long)(deadman_timeout_ns(c) / 1000000000ull));
}
