#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# min-links reaches the partner (issue 11): below --min-links the LAG is down on both ends,
# fast rate:
#
#   ns A (--min-links 2)                     ns B (no min-links)
#   lag0 198.18.91.1 --+-- a0 ===== b0 --+-- lag0 198.18.91.2
#                      +-- a1 ===== b1 --+
#
# Formed: both ends distribute on both links. a1 down: A is below min-links, so a0 stands by
# (selected standby, reason min-links) and leaves Synchronization: B sees it (b0's partner
# not in sync) and stops collecting and distributing on b0 too; B's LAG is not available.
# a0 keeps its partner (rx current): it is only not aggregated. a1 up: both ends distribute on
# both links again. a1 down, then `lagbpf set lag0 --min-links 1` on A: B distributes on b0
# again and ping crosses.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lacp_minlinks_partner
LT_CLEANUP+=(lt_detach_parallel)

lt_ns A a; lt_ns B b
lt_veth "$A" a0 "$B" b0
lt_veth "$A" a1 "$B" b1
lt_attach "$A" lag0 a0 a1 --rate fast --min-links 2 || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --rate fast || lt_fail "attach B"
ip -n "$A" addr add 198.18.91.1/24 dev lag0
ip -n "$B" addr add 198.18.91.2/24 dev lag0

# b0_view: what B knows of b0: "distributing collecting partner-sync rx"
b0_view() { lt_member "$B" lag0 b0 '"\(.distributing) \(.collecting) \(.partner.state.synchronization) \(.rx)"'; }
# shellcheck disable=SC2317 # run through lt_wait
b0_stopped() { [ "$(b0_view)" = "false false false current" ]; }
# shellcheck disable=SC2317 # run through lt_wait
both_two() { lt_distributing "$A" lag0 2 && lt_distributing "$B" lag0 2; }
# shellcheck disable=SC2317 # run through lt_wait
b0_back() { [ "$(b0_view)" = "true true true current" ] && lt_distributing "$A" lag0 1; }

lt_wait 15 both_two || lt_fail "not 2 distributing on both ends"
lt_run lt_nsexec "$A" ping -c 2 -i 0.2 -W 1 198.18.91.2 || lt_fail "ping when formed"

ip -n "$A" link set a1 down
lt_wait 5 b0_stopped || lt_fail "B still uses b0 below A's min-links: $(b0_view)"
[ "$(lt_member "$A" lag0 a0 '"\(.selected) \(.reason) \(.actor.state.synchronization) \(.rx)"')" = \
	"standby min-links false current" ] ||
	lt_fail "a0: $(lt_member "$A" lag0 a0 '"\(.selected) \(.reason) \(.actor.state.synchronization) \(.rx)"')"
lt_lag_state "$A" lag0 down || lt_fail "A: $(lt_jq "$A" lag0 .lagState)"
! lt_lag_state "$B" lag0 available || lt_fail "B's LAG still available"
sleep 2 # it holds (longer than the 2 s aggregate wait)
b0_stopped || lt_fail "B went back to b0: $(b0_view)"
lt_distributing "$B" lag0 0 || lt_fail "B distributes below A's min-links"

ip -n "$A" link set a1 up
lt_wait 15 both_two || lt_fail "not back to 2 on both ends"

ip -n "$A" link set a1 down
lt_wait 5 b0_stopped || lt_fail "B still uses b0 (second time): $(b0_view)"
lt_run "$LAGBPF" -n "$A" set lag0 --min-links 1 || lt_fail "set --min-links 1"
lt_wait 5 b0_back || lt_fail "set --min-links 1 did not reach B: $(b0_view)"
lt_wait 5 lt_nsexec "$A" ping -c 1 -W 1 198.18.91.2 || lt_fail "ping with one member"
lt_pass
