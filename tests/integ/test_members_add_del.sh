#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# add/del of members on a running LAG (static and LACP):
#
#   ns A                                     ns B
#   lag0 198.18.80.1 --+-- a0 ===== b0 --+-- lag0 198.18.80.2
#                      +-- a1 ===== b1 --+
#                      +.. a2 ===== b2 ..+   (added, then a1/b1 removed)
#
# The added member carries traffic; a removed one gets its MAC and state
# back and carries none; bad adds and the last member's removal are refused.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init members_add_del

lt_ns A a; lt_ns B b
for i in 0 1 2; do lt_veth "$A" a$i "$B" b$i; done
mac_a2=$(ip -n "$A" -o link show a2 | grep -o 'link/ether [0-9a-f:]*')
mac_a1=$(ip -n "$A" -o link show a1 | grep -o 'link/ether [0-9a-f:]*')
lt_attach "$A" lag0 a0 a1 --rate fast || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --rate fast || lt_fail "attach B"
ip -n "$A" addr add 198.18.80.1/24 dev lag0
ip -n "$B" addr add 198.18.80.2/24 dev lag0
lt_wait 10 lt_distributing "$A" lag0 2 || lt_fail "A: 2 members not distributing"

lt_run "$LAGBPF" -n "$A" add lag0 a2 || lt_fail "add a2"
lt_run "$LAGBPF" -n "$B" add lag0 b2 || lt_fail "add b2"
lt_wait 10 lt_distributing "$A" lag0 3 || lt_fail "A: a2 not distributing after add"
lt_wait 10 lt_distributing "$B" lag0 3 || lt_fail "B: b2 not distributing after add"

lt_bg "$B" iperf3 -s -1 -p 5202
lt_wait 3 lt_nsexec "$B" ss -ltn sport = :5202 || lt_fail "iperf3 server"
lt_run lt_nsexec "$A" iperf3 -c 198.18.80.2 -p 5202 -t 1 -P 24 || lt_fail "iperf3 over 3 members"
tx=$(lt_counter "$A" lag0 a2 txPackets)
[ "${tx:-0}" -gt 50 ] || lt_fail "added member a2 sent only ${tx:-0} packets"

# Refused: a bad member leaves the LAG as it was.
"$LAGBPF" -n "$A" add lag0 nosuch0 2>>"$LT_LOG" && lt_fail "adding a missing member succeeded"
"$LAGBPF" -n "$A" add lag0 lo 2>>"$LT_LOG" && lt_fail "adding loopback succeeded"
[ "$(lt_jq "$A" lag0 .numberOfConnections)" = 3 ] || lt_fail "a refused add changed the LAG"

lt_run "$LAGBPF" -n "$A" del lag0 a1 || lt_fail "del a1"
[ "$(lt_jq "$A" lag0 .numberOfConnections)" = 2 ] || lt_fail "a1 still listed"
[ "$(ip -n "$A" -o link show a1 | grep -o 'link/ether [0-9a-f:]*')" = "$mac_a1" ] ||
	lt_fail "a1 did not get its MAC back"
ip -n "$A" -d link show a1 | grep -q 'prog/xdp' && lt_fail "a1 kept the XDP program"
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 1 198.18.80.2 || lt_fail "ping after del"

lt_run "$LAGBPF" -n "$A" del lag0 a0 || lt_fail "del a0"
"$LAGBPF" -n "$A" del lag0 a2 2>>"$LT_LOG" && lt_fail "removing the last member succeeded"
lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "detach"
[ "$(ip -n "$A" -o link show a2 | grep -o 'link/ether [0-9a-f:]*')" = "$mac_a2" ] ||
	lt_fail "a2 did not get its MAC back"
lt_no_leftovers "$A" lag0 || lt_fail "leftovers after detach"
lt_pass
