#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Static aggregation across 2 members, lagbpf on both ends:
#
#   ns A                                   ns B
#   lag0 10.77.0.1 --+-- a0 ===== b0 --+-- lag0 10.77.0.2
#                    +-- a1 ===== b1 --+
#
# ping crosses; TCP with many flows reaches every member; counters move;
# detach leaves nothing.
. "$(dirname "$0")/../lib/netns.sh"
lt_init static_basic

lt_ns A a; lt_ns B b
lt_veth "$A" a0 "$B" b0
lt_veth "$A" a1 "$B" b1
lt_attach "$A" lag0 a0 a1 --mode static || lt_fail "attach on A"
lt_attach "$B" lag0 b0 b1 --mode static || lt_fail "attach on B"
ip -n "$A" addr add 10.77.0.1/24 dev lag0
ip -n "$B" addr add 10.77.0.2/24 dev lag0
lt_wait 5 lt_lag_state "$A" lag0 available || lt_fail "A not available"
lt_wait 5 lt_lag_state "$B" lag0 available || lt_fail "B not available"
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 1 10.77.0.2 || lt_fail "ping A->B"

lt_bg "$B" iperf3 -s -1 -p 5201
lt_wait 3 lt_nsexec "$B" ss -ltn sport = :5201 || lt_fail "iperf3 server"
lt_run lt_nsexec "$A" iperf3 -c 10.77.0.2 -p 5201 -t 1 -P 16 || lt_fail "iperf3 16 flows"
for m in a0 a1; do
	tx=$(lt_counter "$A" lag0 $m txPackets)
	[ "${tx:-0}" -gt 100 ] || lt_fail "$m sent only ${tx:-0} packets"
done
for m in b0 b1; do
	rx=$(lt_counter "$B" lag0 $m rxPackets)
	[ "${rx:-0}" -gt 100 ] || lt_fail "$m received only ${rx:-0} packets"
done

lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "detach A"
lt_no_leftovers "$A" lag0 || lt_fail "leftovers after detach"
lt_pass
