#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# --max-active is make-before-break (issue 11): the preferred member returns without a window
# with one fewer active member, fast rate:
#
#   ns A (--max-active 2 --min-links 2)      ns B
#   lag0 198.18.97.1 --+-- a0 ===== b0 --+-- lag0 198.18.97.2
#                      +-- a1 ===== b1 --+
#                      +-- a2 ===== b2 --+
#
# a0 and a1 distribute, a2 stands by. a0 down: a2 takes over (the LAG stays available). a0 up:
# a0 outranks a2 again, but a2 keeps distributing until a0 does; A's LAG never goes down
# (lagState polled throughout; it used to be down for about 2 s, since min-links equals
# max-active) and A never has fewer than 2 members distributing. In the end a0 and a1
# distribute and a2 is standby (max-active) again.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lacp_standby_return
LT_CLEANUP+=(lt_detach_parallel)

lt_ns A a; lt_ns B b
for i in 0 1 2; do lt_veth "$A" a$i "$B" b$i; done
lt_attach "$A" lag0 a0 a1 a2 --rate fast --max-active 2 --min-links 2 || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 b2 --rate fast || lt_fail "attach B"
ip -n "$A" addr add 198.18.97.1/24 dev lag0
ip -n "$B" addr add 198.18.97.2/24 dev lag0

dist_set() { # NS "m0 m1": exactly these members distributing
	[ "$(lt_show "$1" lag0 | jq -r '[.connections[] | select(.distributing) | .connectionName] | join(" ")')" = "$2" ]
}
lt_wait 15 dist_set "$A" "a0 a1" || lt_fail "A: not a0 a1"
lt_wait 5 dist_set "$B" "b0 b1" || lt_fail "B: not b0 b1"
ip -n "$A" link set a0 down
lt_wait 10 dist_set "$A" "a1 a2" || lt_fail "a2 did not take over"
lt_wait 5 lt_lag_state "$A" lag0 available || lt_fail "not available on a1 a2"

ip -n "$A" link set a0 up
deadline=$(($(lt_ms) + 8000)) worst=3 states=
while [ "$(lt_ms)" -lt "$deadline" ]; do
	s=$(lt_show "$A" lag0 | jq -r '"\(.lagState) \([.connections[] | select(.distributing)] | length)"')
	states="$states|$s"
	[ "${s% *}" = available ] || lt_fail "A's LAG went ${s% *} when a0 returned: $states"
	[ "${s#* }" -lt "$worst" ] && worst=${s#* }
	dist_set "$A" "a0 a1" && break
	sleep 0.05
done
[ "$worst" -ge 2 ] || lt_fail "A had $worst members distributing during the swap: $states"
lt_wait 5 dist_set "$A" "a0 a1" || lt_fail "a0 did not take its place back"
lt_wait 5 dist_set "$B" "b0 b1" || lt_fail "B: not back to b0 b1"
[ "$(lt_member "$A" lag0 a2 '"\(.selected) \(.reason)"')" = "standby max-active" ] ||
	lt_fail "a2: $(lt_member "$A" lag0 a2 '"\(.selected) \(.reason)"')"
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 1 198.18.97.2 || lt_fail "ping"
lt_pass "never below 2 distributing while a0 returned"
