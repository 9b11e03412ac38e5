#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Interop with a third-party LACP speaker: lagbpf facing Open vSwitch 3.x (userspace datapath,
# tools/ovs-partner.sh) over 2 members, in both activity directions and at both rates:
#
#   ns A (lagbpf)                                   ns B (Open vSwitch, datapath netdev)
#   lag0 198.18.40.1/24 --+-- a0 ===== veth ===== b0 --+-- bond0 -- br-lacp 198.18.40.2/24
#                         +-- a1 ===== veth ===== b1 --+            (internal port)
#
#   round 1: OVS passive, slow   <->  lagbpf active, fast
#   round 2: OVS active,  fast   <->  lagbpf passive, slow
#
# Each round: the passive side starts first (an active OVS that gave up on a silent partner
# sends only every 30 s); the LAG forms on both sides: OVS's lacp/show has lagbpf's systemId as
# partner with every member current, attached and in sync both ways; lagbpf's show -j has OVS's
# system id as partnerSystemId and every member distributing. The rates are what each side asked
# for (the partner's Timeout bit sets the periodic rate, 802.1AX 6.4.13): the fast side receives
# an LACPDU a second. ping and TCP (iperf3, 16 flows) cross in both directions and lagbpf's
# counters show both members used.
#
# lagbpf's members run with tx checksum offload off: OVS's netdev datapath reads frames with
# AF_PACKET and forwards a CHECKSUM_PARTIAL skb's unfinished checksum as is (measured: TCP SYNs
# reach OVS's internal port with a bad checksum and are dropped; the same from a plain veth
# without lagbpf). ICMP is unaffected.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init ovs_interop
lt_ovs_need
command -v iperf3 >/dev/null || lt_skip "iperf3 not installed"

IPA=198.18.40.1 IPB=198.18.40.2
lt_ns A a; lt_ns B b
lt_veth "$A" a0 "$B" b0
lt_veth "$A" a1 "$B" b1
# Persistent iperf3 servers, one per side (killed at teardown).
lt_bg "$A" iperf3 -s -p 5201
lt_bg "$B" iperf3 -s -p 5201

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ovs_sysid DIR: OVS's own LACP system id for bond0.
ovs_sysid() { "$LT_OVS" show --dir "$1" --bond bond0 2>>"$LT_LOG" | awk '$1 == "sys_id:" { print $2; exit }'; }

RE_ASYNC=' actor=[^ ]*synchronized' RE_PSYNC=' partner=[^ ]*synchronized'
# ovs_formed DIR LAGSYS: every OVS member current, attached, enabled, in sync both ways, and
# its partner is LAGSYS.
# shellcheck disable=SC2317 # run through lt_wait
ovs_formed() {
	local m line
	for m in b0 b1; do
		line=$(lt_ovs_member "$1" bond0 "$m")
		[[ $line == *" rx=current attach=attached enabled=1 "* ]] || return 1
		[[ $line =~ $RE_ASYNC ]] && [[ $line =~ $RE_PSYNC ]] || return 1
		[[ $line == *" partner_sys=$2 "* ]] || return 1
	done
}

# lag_formed OVSSYS: lagbpf's LAG available, 2 distributing, partner OVSSYS on the LAG and on
# every member.
# shellcheck disable=SC2317 # run through lt_wait
lag_formed() {
	lt_show "$A" lag0 | jq -e --arg p "$1" '.lagState == "available" and
		.lacp.partnerSystemId == $p and .distributingConnections == 2 and
		([.connections[] | select(.distributing and .rx == "current" and
			.partner.systemId == $p)] | length) == 2' >/dev/null
}

# tcp NS ARGS...: iperf3 client in NS, its summary logged (all of it on failure).
tcp() {
	local ns=$1 out rc; shift
	lt_log "+ iperf3 $*"
	out=$(lt_nsexec "$ns" timeout 30 iperf3 "$@" 2>&1); rc=$?
	if [ $rc = 0 ]; then lt_log "$(grep -E 'SUM.*(sender|receiver)' <<<"$out")"; else lt_log "$out"; fi
	return $rc
}

# counter_grew MEMBER FIELD BASE N: the member's counter is at least BASE + N.
# shellcheck disable=SC2317 # run through lt_wait
counter_grew() { [ "$(lt_counter "$A" lag0 "$1" "$2")" -ge $(($3 + $4)) ]; }

# traffic ROUND: ping and 16-flow TCP both ways; both lagbpf members carry TCP.
traffic() {
	local m tx0=() tx1=()
	lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 2 "$IPB" || lt_fail "$1: ping A -> B"
	lt_run lt_nsexec "$B" ping -c 3 -i 0.1 -W 2 "$IPA" || lt_fail "$1: ping B -> A"
	for m in a0 a1; do tx0+=("$(lt_counter "$A" lag0 $m txPackets)"); done
	lt_wait 5 lt_nsexec "$B" ss -Hltn sport = :5201 || lt_fail "iperf3 server in B"
	tcp "$A" -c "$IPB" -p 5201 -t 1 -P 16 --connect-timeout 3000 ||
		lt_fail "$1: TCP A -> B (lag0 -> OVS internal port)"
	lt_wait 5 lt_nsexec "$A" ss -Hltn sport = :5201 || lt_fail "iperf3 server in A"
	tcp "$B" -c "$IPA" -p 5201 -t 1 -P 16 --connect-timeout 3000 ||
		lt_fail "$1: TCP B -> A (OVS internal port -> lag0)"
	for m in a0 a1; do tx1+=("$(lt_counter "$A" lag0 $m txPackets)"); done
	# 16 flows leave a member of 2 empty with probability 2^-15: each must have sent data.
	# shellcheck disable=SC2015 # lt_fail unless both hold
	[ $((tx1[0] - tx0[0])) -gt 100 ] && [ $((tx1[1] - tx0[1])) -gt 100 ] ||
		lt_fail "$1: TCP did not use both members (tx a0 +$((tx1[0] - tx0[0])), a1 +$((tx1[1] - tx0[1])))"
	# OVS hashes its own flows (balance-tcp): frames from it arrived and were collected.
	for m in a0 a1; do
		[ "$(lt_counter "$A" lag0 $m rxPackets)" -gt 0 ] || lt_fail "$1: nothing collected on $m"
	done
}

# members_tx_off: see the header (checksums towards OVS's netdev datapath).
members_tx_off() {
	local m
	for m in a0 a1; do lt_run lt_nsexec "$A" ethtool -K $m tx off || lt_fail "ethtool -K $m tx off"; done
}

# ---- round 1: OVS passive slow first, then lagbpf active fast --------------------------------
lt_ovs_start O1 "$B" --bond bond0 --members b0,b1 --lacp passive --rate slow \
	--addr "$IPB/24" || lt_fail "round 1: start OVS"
OSYS=$(ovs_sysid "$O1")
[ -n "$OSYS" ] || lt_fail "round 1: no sys_id in OVS's lacp/show"
members_tx_off
t0=$(now_ms)
lt_attach "$A" lag0 a0 a1 --rate fast || lt_fail "round 1: attach"
ip -n "$A" addr add "$IPA/24" dev lag0
LSYS=$(lt_jq "$A" lag0 .lacp.systemId)
lt_wait 15 lag_formed "$OSYS" || lt_fail "round 1: lagbpf did not aggregate with OVS $OSYS"
lt_wait 10 ovs_formed "$O1" "$LSYS" || lt_fail "round 1: OVS did not negotiate with lagbpf $LSYS"
T1=$(($(now_ms) - t0))
lt_ovs "$O1" show --bond bond0
lt_run "$LAGBPF" -n "$A" show lag0
# Rates: lagbpf asked for fast, so passive-slow OVS answers every second; OVS is slow.
[ "$(lt_jq "$A" lag0 '[.connections[] | .actor.state.timeout, .partner.state.activity,
	.partner.state.timeout] | map(tostring) | join(",")')" = "true,false,false,true,false,false" ] ||
	lt_fail "round 1: states are not lagbpf active+fast / OVS passive+slow"
for m in b0 b1; do
	[[ $(lt_ovs_member "$O1" bond0 $m) =~ " partner=activity,timeout,aggregation," ]] ||
		lt_fail "round 1: OVS does not see lagbpf as active+fast on $m"
done
base=$(lt_counter "$A" lag0 a0 lacpduRx)
lt_wait 6 counter_grew a0 lacpduRx "$base" 3 || lt_fail "round 1: OVS does not send fast"
traffic "round 1"

lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "round 1: detach"
lt_ovs "$O1" stop || lt_fail "round 1: OVS stop"

# ---- round 2: lagbpf passive slow first, then OVS active fast --------------------------------
members_tx_off
lt_attach "$A" lag0 a0 a1 --passive --rate slow || lt_fail "round 2: attach"
ip -n "$A" addr add "$IPA/24" dev lag0
LSYS=$(lt_jq "$A" lag0 .lacp.systemId)
t0=$(now_ms)
lt_ovs_start O2 "$B" --bond bond0 --members b0,b1 --lacp active --rate fast \
	--sys-prio 100 --addr "$IPB/24" || lt_fail "round 2: start OVS"
OSYS=$(ovs_sysid "$O2")
lt_wait 15 lag_formed "$OSYS" || lt_fail "round 2: lagbpf did not aggregate with OVS $OSYS"
lt_wait 10 ovs_formed "$O2" "$LSYS" || lt_fail "round 2: OVS did not negotiate with lagbpf $LSYS"
T2=$(($(now_ms) - t0))
lt_ovs "$O2" show --bond bond0
lt_run "$LAGBPF" -n "$A" show lag0
[ "$(lt_jq "$A" lag0 '.lacp.active, .lacp.partnerSystemPriority' | tr '\n' ,)" = "false,100," ] ||
	lt_fail "round 2: lagbpf is not passive or does not see OVS's system priority 100"
[ "$(lt_jq "$A" lag0 '[.connections[] | .actor.state.activity, .actor.state.timeout,
	.partner.state.activity, .partner.state.timeout] | map(tostring) | join(",")')" = \
	"false,false,true,true,false,false,true,true" ] ||
	lt_fail "round 2: states are not lagbpf passive+slow / OVS active+fast"
for m in b0 b1; do
	[[ $(lt_ovs_member "$O2" bond0 $m) =~ " partner=aggregation," ]] ||
		lt_fail "round 2: OVS does not see lagbpf as passive+slow on $m"
done
# OVS asked for fast: lagbpf, passive and slow itself, must send every second.
base=$(lt_counter "$A" lag0 a1 lacpduTx)
lt_wait 6 counter_grew a1 lacpduTx "$base" 3 || lt_fail "round 2: lagbpf does not send fast"
traffic "round 2"

lt_pass "formed in ${T1} ms (OVS passive/slow, lagbpf active/fast), ${T2} ms (OVS active/fast, lagbpf passive/slow)"
