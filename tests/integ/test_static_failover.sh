#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Static aggregation across 4 members: failover under load.
#
#   ns A                                     ns B
#   lag0 198.18.30.1 --+-- a0 ===== b0 --+-- lag0 198.18.30.2
#                      +-- a1 ===== b1 --+
#                      +-- a2 ===== b2 --+
#                      +-- a3 ===== b3 --+
#
# While 32+32 TCP flows (--bidir) and a ping run:
#  1. a1 (A's own end) goes down: A and B both take the member out (show -j:
#     down, not distributing), its counters stop while the other members'
#     move, iperf3 and the ping go on; a1 up: it rejoins and carries traffic.
#  2. b3 (the PEER's end) goes down: same from A's side (carrier loss); back up.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init static_failover

lt_ns A a; lt_ns B b
for i in 0 1 2 3; do lt_veth "$A" a$i "$B" b$i; done
lt_attach "$A" lag0 a0 a1 a2 a3 --mode static || lt_fail "attach on A"
lt_attach "$B" lag0 b0 b1 b2 b3 --mode static || lt_fail "attach on B"
ip -n "$A" addr add 198.18.30.1/24 dev lag0
ip -n "$B" addr add 198.18.30.2/24 dev lag0
lt_wait 5 lt_distributing "$A" lag0 4 || lt_fail "A: not 4 members distributing"
lt_wait 5 lt_distributing "$B" lag0 4 || lt_fail "B: not 4 members distributing"
lt_run lt_nsexec "$A" ping -c 2 -i 0.1 -W 1 198.18.30.2 || lt_fail "ping A->B"
# Distinct ifindexes: linkwatch reports at once, the controller does not poll.
jq -e '[.connections[].carrierPoll] == [false, false, false, false]' <<<"$(lt_show "$A" lag0)" >/dev/null ||
	lt_fail "A: distinct-ifindex members polled: $(lt_show "$A" lag0 | jq -c '[.connections[].carrierPoll]')"
lt_bg "$B" iperf3 -s -p 5201 --logfile /dev/null
lt_wait 3 lt_nsexec "$B" ss -ltn sport = :5201 || lt_fail "iperf3 server"

# Sum of a counter over some members of one side.
sum() { # NS MEMBERS FIELD
	local ns=$1 members=$2 f=$3
	lt_jq "$ns" lag0 "[.connections[] | select(.connectionName | IN($members)) | .counters.$f] | add"
}

# is_out NS LAG MEMBER: show -j has MEMBER down, out of distribution, with no carrier.
# shellcheck disable=SC2317 # run through lt_wait
is_out() {
	lt_jq "$1" "$2" ".connections[] | select(.connectionName == \"$3\") |
		.connectionState == \"down\" and .distributing == false and .collecting == false and
		.carrier == false and .selected == \"unselected\" and .reason == \"port-down\"" |
		grep -qx true
}

# failover DOWN_NS DOWN_IF MEMBER_A MEMBER_B: take DOWN_IF down under load,
# check both sides, bring it back.
failover() {
	local dns=$1 dif=$2 ma=$3 mb=$4 others_a others_b ipid tx1 rx1 tx2 rx2 o1 o2 pid
	others_a=$(printf '"a%s",' 0 1 2 3 | sed "s/\"$ma\",//; s/,$//")
	others_b=$(printf '"b%s",' 0 1 2 3 | sed "s/\"$mb\",//; s/,$//")
	lt_log "== $dif down in $dns (members $ma / $mb)"
	lt_nsexec "$A" iperf3 -c 198.18.30.2 -p 5201 -t 5 -P 32 --bidir >"$LT_LOG.iperf" 2>&1 &
	ipid=$!; LT_PIDS+=("$ipid")
	lt_nsexec "$A" ping -c 40 -i 0.1 -W 1 198.18.30.2 >"$LT_LOG.ping" 2>&1 &
	pid=$!; LT_PIDS+=("$pid")
	LT_CLEANUP+=("rm -f '$LT_LOG.iperf' '$LT_LOG.ping'")
	sleep 0.5
	ip -n "$dns" link set "$dif" down || lt_fail "cannot set $dif down"
	lt_wait 5 is_out "$A" lag0 "$ma" || lt_fail "A: $ma not out after $dif down: $(lt_member "$A" lag0 "$ma" 'del(.counters) | tostring')"
	lt_wait 5 is_out "$B" lag0 "$mb" || lt_fail "B: $mb not out after $dif down"
	j=$(lt_show "$A" lag0)
	jq -e '.distributingConnections == 3 and .lagState == "available" and .carrier' <<<"$j" >/dev/null ||
		lt_fail "A's LAG after $dif down: $(jq -c 'del(.connections)' <<<"$j")"
	# Let frames in flight drain, then the member must be still while the others move.
	sleep 0.2
	tx1=$(lt_counter "$A" lag0 "$ma" txPackets); rx1=$(lt_counter "$B" lag0 "$mb" rxPackets)
	o1=$(( $(sum "$A" "$others_a" txPackets) + $(sum "$B" "$others_b" txPackets) ))
	sleep 1
	tx2=$(lt_counter "$A" lag0 "$ma" txPackets); rx2=$(lt_counter "$B" lag0 "$mb" rxPackets)
	o2=$(( $(sum "$A" "$others_a" txPackets) + $(sum "$B" "$others_b" txPackets) ))
	lt_log "$ma tx $tx1 -> $tx2, $mb rx $rx1 -> $rx2, other members tx $o1 -> $o2"
	[ "$tx1" = "$tx2" ] || lt_fail "$ma still sends while out ($tx1 -> $tx2)"
	[ "$rx1" = "$rx2" ] || lt_fail "$mb still receives while out ($rx1 -> $rx2)"
	[ $((o2 - o1)) -gt 1000 ] || lt_fail "traffic stopped on the other members ($o1 -> $o2)"
	wait "$ipid" || { lt_log "$(cat "$LT_LOG.iperf")"; lt_fail "iperf3 failed across the failover of $dif"; }
	lt_log "$(grep -E 'SUM.*(sender|receiver)' "$LT_LOG.iperf")"
	wait "$pid"
	lt_log "$(tail -2 "$LT_LOG.ping")"
	# A ping every 100 ms for 4 s: at most a couple lost at the switch.
	local got
	got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$LT_LOG.ping")
	[ "${got:-0}" -ge 35 ] || lt_fail "ping across the failover of $dif: only ${got:-0} of 40 answered"

	lt_log "== $dif up"
	ip -n "$dns" link set "$dif" up || lt_fail "cannot set $dif up"
	lt_wait 5 lt_distributing "$A" lag0 4 || lt_fail "A: $ma did not rejoin"
	lt_wait 5 lt_distributing "$B" lag0 4 || lt_fail "B: $mb did not rejoin"
	lt_member_is "$A" lag0 "$ma" .connectionState available || lt_fail "$ma not available after rejoining"
	lt_iperf "$A" -c 198.18.30.2 -p 5201 -t 1 -P 32 --bidir || lt_fail "iperf3 after $dif came back"
	[ "$(lt_counter "$A" lag0 "$ma" txPackets)" -gt "$tx2" ] || lt_fail "$ma sends nothing after rejoining"
	[ "$(lt_counter "$B" lag0 "$mb" rxPackets)" -gt "$rx2" ] || lt_fail "$mb receives nothing after rejoining"
}

failover "$A" a1 a1 b1  # own end
failover "$B" b3 a3 b3  # the peer's end

lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "detach A"
lt_run "$LAGBPF" -n "$B" detach lag0 || lt_fail "detach B"
lt_no_leftovers "$A" lag0 || lt_fail "leftovers on A after detach"
lt_no_leftovers "$B" lag0 || lt_fail "leftovers on B after detach"
lt_pass
