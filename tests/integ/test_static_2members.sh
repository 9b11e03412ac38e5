#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Static aggregation across 2 members (ends with differing ifindexes),
# lagbpf on both ends:
#
#   ns A                                     ns B
#   lag0 198.18.10.1 --+-- a0 ===== b0 --+-- lag0 198.18.10.2
#                      +-- a1 ===== b1 --+
#
# show -j describes a static LAG; ping crosses; 16 TCP flows each way put
# traffic on every member (tx on the sender's members, rx on the receiver's);
# detach on both ends leaves nothing and gives the members back their MAC,
# admin state (a1 was down before attach), IPv6 setting and MTU.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init static_2members

lt_ns A a; lt_ns B b
lt_veth "$A" a0 "$B" b0
lt_veth "$A" a1 "$B" b1
# Mixed admin states before attach: detach must give each its own back.
ip -n "$A" link set a0 up
ip -n "$B" link set b0 up
ip -n "$B" link set b1 up
nsenter --net="/var/run/netns/$B" sysctl -qw net.ipv6.conf.b1.disable_ipv6=1
ip -n "$B" link set b1 alias "uplink to rack 7" # an operator's alias stays
alias_of() { ip -n "$1" -j link show "$2" | jq -r '.[0].ifalias // ""'; }
declare -A before
for m in "$A a0" "$A a1" "$B b0" "$B b1"; do
	before[$m]=$(lt_link_snap "${m% *}" "${m#* }") || lt_fail "cannot read $m"
	lt_log "before: $m ${before[$m]}"
done

lt_attach "$A" lag0 a0 a1 --mode static || lt_fail "attach on A"
lt_attach "$B" lag0 b0 b1 --mode static || lt_fail "attach on B"
ip -n "$A" addr add 198.18.10.1/24 dev lag0
ip -n "$B" addr add 198.18.10.2/24 dev lag0
lt_wait 5 lt_lag_state "$A" lag0 available || lt_fail "A not available"
lt_wait 5 lt_lag_state "$B" lag0 available || lt_fail "B not available"
lt_wait 5 lt_distributing "$A" lag0 2 || lt_fail "A: not 2 members distributing"
lt_wait 5 lt_distributing "$B" lag0 2 || lt_fail "B: not 2 members distributing"

# What show -j says about a static LAG.
j=$(lt_show "$A" lag0)
lt_log "$j"
for check in '.mode == "static"' '.lacp == null' '.numberOfConnections == 2' \
	'.distributingConnections == 2' '.hashPolicy == "l34"' '.carrier == true' \
	'[.connections[].connectionName] == ["a0", "a1"]' \
	'all(.connections[]; .connectionState == "available" and .collecting and .distributing)' \
	'.controllerPid > 0'; do
	jq -e "$check" <<<"$j" >/dev/null || lt_fail "show -j on A: not $check"
done
# Members carry the LAG's MAC while attached, and say who holds them (ifalias).
mac=$(jq -r .macAddress <<<"$j")
for m in a0 a1; do
	[ "$(lt_link_snap "$A" $m | cut -d' ' -f1)" = "$mac" ] || lt_fail "$m lacks the LAG MAC $mac"
	[ "$(alias_of "$A" $m)" = "lagbpf: member of lag0" ] || lt_fail "$m alias: '$(alias_of "$A" $m)'"
done
[ "$(alias_of "$B" b1)" = "uplink to rack 7" ] || lt_fail "b1's own alias was replaced: '$(alias_of "$B" b1)'"
pid=$(jq -r .controllerPid <<<"$j")
kill -0 "$pid" 2>/dev/null || lt_fail "controller $pid of A is not running"

lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 1 198.18.10.2 || lt_fail "ping A->B"
lt_run lt_nsexec "$B" ping -c 3 -i 0.1 -W 1 198.18.10.1 || lt_fail "ping B->A"

lt_bg "$B" iperf3 -s -p 5201 --logfile /dev/null
lt_wait 3 lt_nsexec "$B" ss -ltn sport = :5201 || lt_fail "iperf3 server"
# A sends: A's members transmit, B's members receive.
lt_iperf "$A" -c 198.18.10.2 -p 5201 -t 1 -P 16 || lt_fail "iperf3 A->B 16 flows"
declare -A tx_a rx_b
for m in a0 a1; do
	tx_a[$m]=$(lt_counter "$A" lag0 $m txPackets)
	[ "${tx_a[$m]:-0}" -gt 1000 ] || lt_fail "A->B: $m sent only ${tx_a[$m]:-0} packets"
done
for m in b0 b1; do
	rx_b[$m]=$(lt_counter "$B" lag0 $m rxPackets)
	[ "${rx_b[$m]:-0}" -gt 1000 ] || lt_fail "A->B: $m received only ${rx_b[$m]:-0} packets"
done
# B sends (-R): B's members transmit, A's members receive.
lt_iperf "$A" -c 198.18.10.2 -p 5201 -t 1 -P 16 -R || lt_fail "iperf3 B->A 16 flows"
for m in b0 b1; do
	tx=$(lt_counter "$B" lag0 $m txPackets)
	[ "${tx:-0}" -gt 1000 ] || lt_fail "B->A: $m sent only ${tx:-0} packets"
done
for m in a0 a1; do
	rx=$(lt_counter "$A" lag0 $m rxPackets)
	[ "${rx:-0}" -gt 1000 ] || lt_fail "B->A: $m received only ${rx:-0} packets"
done
# Nothing was dropped on the way in, nothing left without a member.
jq -e '.txNoMember == 0 and .rxNotMember == 0' <<<"$(lt_show "$A" lag0)" >/dev/null ||
	lt_fail "A counted frames without a member or on a non-member"

lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "detach A"
lt_run "$LAGBPF" -n "$B" detach lag0 || lt_fail "detach B"
lt_no_leftovers "$A" lag0 || lt_fail "leftovers on A after detach"
lt_no_leftovers "$B" lag0 || lt_fail "leftovers on B after detach"
! lt_pid_running "$pid" || lt_fail "controller $pid of A still runs after detach"
for m in "$A a0" "$A a1" "$B b0" "$B b1"; do
	after=$(lt_link_snap "${m% *}" "${m#* }")
	[ "$after" = "${before[$m]}" ] || lt_fail "${m#* } not restored: was '${before[$m]}', now '$after'"
done
# shellcheck disable=SC2015 # lt_fail unless both hold
[ -z "$(alias_of "$A" a0)" ] && [ "$(alias_of "$B" b1)" = "uplink to rack 7" ] ||
	lt_fail "aliases after detach: a0 '$(alias_of "$A" a0)', b1 '$(alias_of "$B" b1)'"
lt_pass
