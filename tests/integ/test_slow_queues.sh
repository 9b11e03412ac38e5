#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# LACP on members with 16 RX queues whose LACPDUs arrive on queues above 7 (issue 11
# item 9: the XDP program masked the queue with & 7 and the controller opened at most 8
# sockets, so such a PDU went to the socket of another queue, the kernel refused it, and
# slowToXsk counted it as delivered):
#
#   ns A                     ns M (relay)                        ns B
#   lag0 --+-- a0 ===== l-a0 <-AF_PACKET-> r-b0 ===== b0 --+-- lag0
#          +-- a1 ===== l-a1 <-AF_PACKET-> r-b1 ===== b1 --+
#   198.18.90.1                                              198.18.90.2
#
# Every veth has 16 RX and 16 TX queues. A userspace relay in M forwards each frame,
# and M's transmit packet steering (xps_cpus) sends everything out of r-b0 on TX queue
# 9, r-b1 on 13, l-a0 on 11 and l-a1 on 15: a veth delivers on the peer's RX queue of
# the TX queue used. LACP must form on both ends, every PDU reaching the socket of its
# own queue (slowToXsk, no slowXskMiss), and the LAG must carry traffic.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init slow_queues
LT_CLEANUP+=(lt_detach_parallel)
Q=16

lt_ns A a; lt_ns B b; lt_ns M m
for i in 0 1; do
	lt_veth_queues "$A" a$i "$M" l-a$i $Q
	lt_veth_queues "$B" b$i "$M" r-b$i $Q
	ip -n "$M" link set l-a$i up || lt_fail "l-a$i up"
	ip -n "$M" link set r-b$i up || lt_fail "r-b$i up"
done
lt_xps "$M" r-b0 9; lt_xps "$M" r-b1 13; lt_xps "$M" l-a0 11; lt_xps "$M" l-a1 15
lt_bg "$M" /usr/bin/python3 "$LT_ROOT/tests/lib/relay.py" l-a0 r-b0 l-a1 r-b1
lt_wait 5 grep -q "relay up" "$LT_LOG" || lt_fail "relay"

lt_attach "$A" lag0 a0 a1 --rate fast || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --rate fast || lt_fail "attach B"
ip -n "$A" addr add 198.18.90.1/24 dev lag0
ip -n "$B" addr add 198.18.90.2/24 dev lag0
c() { lt_member "$1" lag0 "$2" ".counters.$3"; }
if ! lt_wait 20 lt_distributing "$A" lag0 2 || ! lt_wait 10 lt_distributing "$B" lag0 2; then
	for m in a0 a1; do lt_log "A $m: $(lt_member "$A" lag0 $m '.counters | tostring')"; done
	for m in b0 b1; do lt_log "B $m: $(lt_member "$B" lag0 $m '.counters | tostring')"; done
	lt_fail "LACP did not form with PDUs on RX queues above 7"
fi
for pair in "$A a0" "$A a1" "$B b0" "$B b1"; do
	read -r ns m <<<"$pair"
	xsk=$(c "$ns" "$m" slowToXsk); miss=$(c "$ns" "$m" slowXskMiss); pdu=$(c "$ns" "$m" lacpduRx)
	lt_log "$m: slowToXsk $xsk slowXskMiss $miss slowToRing $(c "$ns" "$m" slowToRing) lacpduRx $pdu"
	[ "$xsk" -gt 0 ] || lt_fail "$m: no slow frame through its queue's socket"
	[ "$pdu" -gt 0 ] || lt_fail "$m: no LACPDU received"
	[ "$miss" = 0 ] || lt_fail "$m: $miss slow frames found no socket for their queue"
done
lt_run lt_nsexec "$A" ping -c 5 -i 0.1 -W 1 198.18.90.2 || lt_fail "no traffic over the LAG"
lt_pass "LACPDUs on RX queues 9/13 (B) and 11/15 (A): $(c "$B" b0 slowToXsk) to b0's socket"
