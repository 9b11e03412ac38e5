#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# --max-active: standby member takes over when an active one fails, fast rate:
#
#   ns A (--max-active 2)                    ns B
#   lag0 198.18.85.1 --+-- a0 ===== b0 --+-- lag0 198.18.85.2
#                      +-- a1 ===== b1 --+
#                      +-- a2 ===== b2 --+
#
# Two members distribute on both ends; a2 (highest port number) is selected=standby with
# reason max-active and does not distribute on either end (A keeps Actor.Sync off on it).
# a0 set down: a2 takes over (a1 + a2 distribute on both ends), ping crosses.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lacp_standby
LT_CLEANUP+=(lt_detach_parallel)

lt_ns A a; lt_ns B b
for i in 0 1 2; do lt_veth "$A" a$i "$B" b$i; done
lt_attach "$A" lag0 a0 a1 a2 --rate fast --max-active 2 || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 b2 --rate fast || lt_fail "attach B"
ip -n "$A" addr add 198.18.85.1/24 dev lag0
ip -n "$B" addr add 198.18.85.2/24 dev lag0
[ "$(lt_jq "$A" lag0 .lacp.maxActive)" = 2 ] || lt_fail "maxActive not 2"

dist_set() { # NS "m0 m1": exactly these members distributing
	[ "$(lt_show "$1" lag0 | jq -r '[.connections[] | select(.distributing) | .connectionName] | join(" ")')" = "$2" ]
}
lt_wait 15 dist_set "$A" "a0 a1" || lt_fail "A: distributing $(lt_show "$A" lag0 | jq -c '[.connections[] | [.connectionName, .distributing, .selected, .reason]]')"
lt_wait 15 dist_set "$B" "b0 b1" || lt_fail "B: distributing $(lt_show "$B" lag0 | jq -c '[.connections[] | [.connectionName, .distributing, .selected, .reason]]')"
[ "$(lt_member "$A" lag0 a2 '"\(.selected) \(.reason) \(.distributing) \(.carrier) \(.actor.state.synchronization)"')" = "standby max-active false true false" ] ||
	lt_fail "a2: $(lt_member "$A" lag0 a2 '"\(.selected) \(.reason) \(.distributing) \(.carrier) \(.actor.state.synchronization)"')"
sleep 2 # the standby stays standby (longer than the 2 s Aggregate_Wait_Time)
# shellcheck disable=SC2015 # lt_fail unless both hold
dist_set "$A" "a0 a1" && dist_set "$B" "b0 b1" || lt_fail "standby did not hold"
[ "$(lt_member "$A" lag0 a2 .selected)" = standby ] || lt_fail "a2 left standby"
lt_run lt_nsexec "$A" ping -c 2 -i 0.1 -W 1 198.18.85.2 || lt_fail "ping before failover"

t0=$(lt_ms)
ip -n "$A" link set a0 down
lt_wait 15 dist_set "$A" "a1 a2" || lt_fail "a2 did not take over on A"
lt_wait 15 dist_set "$B" "b1 b2" || lt_fail "b2 did not take over on B"
dt=$(( $(lt_ms) - t0 ))
[ "$(lt_member "$A" lag0 a0 '"\(.selected) \(.reason)"')" = "unselected port-down" ] ||
	lt_fail "a0: $(lt_member "$A" lag0 a0 '"\(.selected) \(.reason)"')"
[ "$(lt_member "$A" lag0 a2 .selected)" = selected ] || lt_fail "a2 not selected"
lt_run lt_nsexec "$A" ping -c 2 -i 0.1 -W 1 198.18.85.2 || lt_fail "ping after failover"
lt_pass "$(printf 'standby a2 distributing %.1f s after a0 went down' "$(bc <<<"scale=2; $dt/1000")")"
