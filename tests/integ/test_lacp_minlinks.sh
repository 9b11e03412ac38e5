#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# min-links with LACP: below it the LAG is down and the LAG device loses carrier:
#
#   ns A (--min-links 2)                     ns B
#   lag0 198.18.86.1 --+-- a0 ===== b0 --+-- lag0 198.18.86.2
#                      +-- a1 ===== b1 --+
#
# Formed: A available, lag0 has carrier. b1 down (a1 loses carrier): A down (not pending),
# lag0 NO-CARRIER, no member distributes, a0 keeps its partner. b1 up: available again, carrier back, ping
# crosses. b1 down again, then `lagbpf set lag0 --min-links 1` at run time: available with
# one member, carrier back, ping crosses.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lacp_minlinks
LT_CLEANUP+=(lt_detach_parallel)

lt_ns A a; lt_ns B b
lt_veth "$A" a0 "$B" b0
lt_veth "$A" a1 "$B" b1
lt_attach "$A" lag0 a0 a1 --rate fast --min-links 2 || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --rate fast || lt_fail "attach B"
ip -n "$A" addr add 198.18.86.1/24 dev lag0
ip -n "$B" addr add 198.18.86.2/24 dev lag0

# shellcheck disable=SC2317 # called by functions that lt_wait runs
no_carrier() { ip -n "$A" link show lag0 | grep -q NO-CARRIER; }
# shellcheck disable=SC2317 # called by functions that lt_wait runs
has_carrier() { ! no_carrier && ip -n "$A" link show lag0 | grep -q LOWER_UP; }
# shellcheck disable=SC2317 # run through lt_wait
up_state() { lt_lag_state "$A" lag0 available && has_carrier && [ "$(lt_jq "$A" lag0 .carrier)" = true ]; }
# shellcheck disable=SC2317 # run through lt_wait
down_state() { lt_lag_state "$A" lag0 down && no_carrier && [ "$(lt_jq "$A" lag0 .carrier)" = false ]; }

[ "$(lt_jq "$A" lag0 .minimumLinks)" = 2 ] || lt_fail "minimumLinks not 2"
lt_wait 15 lt_distributing "$A" lag0 2 || lt_fail "A not distributing on 2"
lt_wait 5 up_state || lt_fail "A not available with carrier: $(ip -n "$A" link show lag0)"

ip -n "$B" link set b1 down
lt_wait 5 down_state || lt_fail "below min-links: $(lt_jq "$A" lag0 .lagState), $(ip -n "$A" -br link show lag0)"
lt_distributing "$A" lag0 0 || lt_fail "a LAG that is down still distributes"
[ "$(lt_member "$A" lag0 a0 '.carrier and .rx == "current"')" = true ] || lt_fail "a0 lost its partner"
! lt_nsexec "$A" ping -c 1 -W 1 198.18.86.2 >/dev/null 2>&1 || lt_fail "ping crosses a LAG that is down"

ip -n "$B" link set b1 up
lt_wait 15 up_state || lt_fail "not back up: $(lt_jq "$A" lag0 .lagState), $(ip -n "$A" -br link show lag0)"
lt_wait 5 lt_nsexec "$A" ping -c 1 -W 1 198.18.86.2 || lt_fail "ping after restore"

ip -n "$B" link set b1 down
lt_wait 5 down_state || lt_fail "not down again"
lt_run "$LAGBPF" -n "$A" set lag0 --min-links 1 || lt_fail "set --min-links 1"
lt_wait 5 up_state || lt_fail "set --min-links 1 did not bring it up: $(lt_jq "$A" lag0 .lagState), $(ip -n "$A" -br link show lag0)"
[ "$(lt_jq "$A" lag0 .minimumLinks)" = 1 ] || lt_fail "minimumLinks not 1 after set"
lt_wait 5 lt_nsexec "$A" ping -c 1 -W 1 198.18.86.2 || lt_fail "ping with one member"
lt_pass
