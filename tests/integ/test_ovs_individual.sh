#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# An Individual partner forms an aggregation of one (802.1AX 6.4.14.1), against Open vSwitch
# (userspace datapath, tools/ovs-partner.sh), fast rate on both sides:
#
#   ns A (lagbpf)                                   ns B (Open vSwitch)
#   lag0 198.18.92.1/24 --+-- a0 ===== veth ===== b0 --+-- bond0 -- br-lacp 198.18.92.2/24
#                         +-- a1 ===== veth ===== b1 --+   (b1: removed from bond0, carrier up)
#
# 1. the LAG forms: both members distributing, OVS negotiated on both.
# 2. del-member b1: OVS stops speaking LACP on b1 (its carrier stays up) and, with one member
#    left, clears the Aggregation bit on b0 (Individual). lagbpf used to refuse that link as
#    partner-individual for good: LAG down, 100 % ping loss. Now a0 alone carries the LAG
#    (selected, distributing, lacp.partnerIndividual), a1 does not distribute (and no longer
#    carries traffic), OVS has b0 attached and in sync with lagbpf, and ping crosses.
# lagbpf's members run with tx checksum offload off (see test_ovs_interop.sh).
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init ovs_individual
lt_ovs_need

IPA=198.18.92.1 IPB=198.18.92.2
lt_ns A a; lt_ns B b
for i in 0 1; do lt_veth "$A" a$i "$B" b$i; done

now_ms() { echo $(($(date +%s%N) / 1000000)); }
RE_ASYNC=' actor=[^ ]*synchronized' RE_PSYNC=' partner=[^ ]*synchronized'
# ovs_ok MEMBER: current, attached, in sync both ways, partner lagbpf.
# shellcheck disable=SC2317 # run through lt_wait
ovs_ok() {
	local line
	line=$(lt_ovs_member "$O" bond0 "$1")
	[[ $line == *" rx=current attach=attached "* ]] && [[ $line =~ $RE_ASYNC ]] &&
		[[ $line =~ $RE_PSYNC ]] && [[ $line == *" partner_sys=$LSYS "* ]]
}
# lag_member MEMBER JQ-TEST: lagbpf's connection object passes the jq test.
lag_member() {
	lt_show "$A" lag0 |
		jq -e --arg m "$1" ".connections[] | select(.connectionName == \$m) | $2" >/dev/null
}
dist() { lag_member "$1" '.distributing and .rx == "current" and .mux == "collecting_distributing"'; }
# shellcheck disable=SC2317 # run through lt_wait
alone() {
	dist a0 && lag_member a0 '.selected == "selected" and (.partner.state.aggregation | not)' &&
		lag_member a1 '(.distributing | not) and .selected != "selected"' &&
		[ "$(lt_jq "$A" lag0 '"\(.lagState) \(.lacp.partnerIndividual)"')" = "available true" ]
}

lt_ovs_start O "$B" --bond bond0 --members b0,b1 --lacp active --rate fast \
	--addr "$IPB/24" || lt_fail "start OVS"
# On failure: both sides' views and lagbpf's controller log, before OVS and lagbpf go.
# shellcheck disable=SC2317 # run at teardown by the LT_CLEANUP entry below
dump() {
	"$LAGBPF" -n "$A" show lag0
	"$LT_OVS" show --dir "$O" --bond bond0
	tail -n 60 "/run/lagbpf/netns/$A/lag0.log"
}
# shellcheck disable=SC2016 # expanded when lt_teardown evals it
LT_CLEANUP+=('[ "$LT_RESULT" = PASS ] || dump')
for i in 0 1; do lt_run lt_nsexec "$A" ethtool -K a$i tx off || lt_fail "tx off a$i"; done
lt_attach "$A" lag0 a0 a1 --rate fast || lt_fail "attach"
ip -n "$A" addr add "$IPA/24" dev lag0
LSYS=$(lt_jq "$A" lag0 .lacp.systemId)

# ---- 1. formation ------------------------------------------------------------------------------
lt_wait 15 dist a0 || lt_fail "a0 not distributing"
lt_wait 5 dist a1 || lt_fail "a1 not distributing"
lt_wait 10 ovs_ok b0 || lt_fail "OVS b0: $(lt_ovs_member "$O" bond0 b0)"
lt_wait 10 ovs_ok b1 || lt_fail "OVS b1: $(lt_ovs_member "$O" bond0 b1)"
[ "$(lt_jq "$A" lag0 .lacp.partnerIndividual)" != true ] || lt_fail "partner Individual at start"
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 2 "$IPB" || lt_fail "ping before del-member"

# ---- 2. del-member: OVS's bond is left with one member, which turns Individual -----------------
# Back in B's stack, b1 must not answer ARP for B's address (with its own MAC) while lagbpf
# still collects on a1: A would learn a MAC that OVS's bridge does not own.
lt_run lt_nsexec "$B" sysctl -qw "net.ipv4.conf.b1.arp_ignore=8"
t0=$(now_ms)
lt_ovs "$O" del-member --bond bond0 --member b1 || lt_fail "del-member b1"
lt_wait 15 alone || lt_fail "lagbpf does not carry the LAG on a0 alone: $(lt_show "$A" lag0 |
	jq -c '[.lagState, .lacp.partnerIndividual, (.connections[] | [.connectionName,
	.distributing, .selected, .reason, .partner.state.aggregation])]')"
T_ALONE=$(($(now_ms) - t0))
lt_wait 10 ovs_ok b0 || lt_fail "OVS b0 after del-member: $(lt_ovs_member "$O" bond0 b0)"
lag_member a1 '.carrier' || lt_fail "a1 lost its carrier (it must stay up)"
lt_wait 5 lt_nsexec "$A" ping -c 1 -W 1 "$IPB" || lt_fail "no ping across the aggregation of one"
lt_run lt_nsexec "$A" ping -c 10 -i 0.1 -W 2 "$IPB" || lt_fail "ping across the aggregation of one"
tx0=$(lt_counter "$A" lag0 a1 txPackets)
lt_run lt_nsexec "$A" ping -c 10 -i 0.05 -W 2 "$IPB" || lt_fail "ping (2)"
tx1=$(lt_counter "$A" lag0 a1 txPackets)
[ "$tx1" = "$tx0" ] || lt_fail "lagbpf still sent $((tx1 - tx0)) packets on a1"
sleep 3 # it holds, a1's old information has timed out meanwhile
alone || lt_fail "the aggregation of one did not hold"
lt_run "$LAGBPF" -n "$A" show lag0
lt_pass "a0 alone carries the LAG ${T_ALONE} ms after OVS's bond went Individual"
