#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# AF_XDP sockets that follow `ethtool -L` (issue 11: one socket per real RX queue). The
# members start with 4 of their 16 channels; once raised to 16, LACPDUs arrive on queues
# 9..15, which had no socket (today's code: slowXskMiss, through lag_slow):
#
#   ns A                     ns M (relay)                        ns B
#   lag0 --+-- a0 ===== l-a0 <-AF_PACKET-> r-b0 ===== b0 --+-- lag0
#          +-- a1 ===== l-a1 <-AF_PACKET-> r-b1 ===== b1 --+
#   198.18.91.1                                              198.18.91.2
#
# Every veth has room for 16 RX and 16 TX queues; a0, a1, b0 and b1 start with
# `ethtool -L rx 4 tx 4`. M's transmit packet steering (xps_cpus) sends everything out
# of r-b0 on TX queue 9, r-b1 on 13, l-a0 on 11 and l-a1 on 15: a veth delivers on the
# peer's RX queue of the TX queue used, once the peer has that queue.
# 1. LACP forms on 4 queues (rxQueues 4, xskSockets 4).
# 2. ethtool -L rx 16 tx 16 on every member: the controllers open 12 more sockets each
#    (xskSockets 16), and from then on every LACPDU goes to AF_XDP: slowToXsk grows,
#    slowXskMiss does not, the LAG keeps distributing and carries traffic.
# 3. Fewer queues: the kernel refuses `ethtool -L` below a queue an AF_XDP socket holds;
#    `del`, `ethtool -L rx 2 tx 2`, `add` gives a1 two sockets, and it forms again.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init slow_queues_ethtool
LT_CLEANUP+=(lt_detach_parallel)
Q=16

lt_ns A a; lt_ns B b; lt_ns M m
# channels NS DEV N: ethtool -L DEV rx N tx N
channels() { lt_run ip netns exec "$1" ethtool -L "$2" rx "$3" tx "$3"; }
for i in 0 1; do
	lt_veth_queues "$A" a$i "$M" l-a$i $Q
	lt_veth_queues "$B" b$i "$M" r-b$i $Q
	ip -n "$M" link set l-a$i up || lt_fail "l-a$i up"
	ip -n "$M" link set r-b$i up || lt_fail "r-b$i up"
	channels "$A" a$i 4 || lt_skip "ethtool -L on a veth: not supported here"
	channels "$B" b$i 4 || lt_fail "ethtool -L b$i rx 4 tx 4"
done
lt_xps "$M" r-b0 9; lt_xps "$M" r-b1 13; lt_xps "$M" l-a0 11; lt_xps "$M" l-a1 15
lt_bg "$M" /usr/bin/python3 "$LT_ROOT/tests/lib/relay.py" l-a0 r-b0 l-a1 r-b1
lt_wait 5 grep -q "relay up" "$LT_LOG" || lt_fail "relay"

lt_attach "$A" lag0 a0 a1 --rate fast || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --rate fast || lt_fail "attach B"
ip -n "$A" addr add 198.18.91.1/24 dev lag0
ip -n "$B" addr add 198.18.91.2/24 dev lag0
MEMBERS=("$A a0" "$A a1" "$B b0" "$B b1")
c() { lt_member "$1" lag0 "$2" ".counters.$3"; }
f() { lt_member "$1" lag0 "$2" ".$3"; }
dump() {
	local pair ns m
	for pair in "${MEMBERS[@]}"; do
		read -r ns m <<<"$pair"
		lt_log "$m: rxQueues $(f "$ns" "$m" rxQueues) xskSockets $(f "$ns" "$m" xskSockets)" \
			"$(lt_member "$ns" lag0 "$m" '.counters | tostring')"
	done
}
# a1_sockets N: a1 of A has N RX queues and N sockets
# shellcheck disable=SC2317 # run through lt_wait
a1_sockets() { [ "$(f "$A" a1 rxQueues)" = "$1" ] && [ "$(f "$A" a1 xskSockets)" = "$1" ]; }
formed() { lt_wait 20 lt_distributing "$A" lag0 2 && lt_wait 10 lt_distributing "$B" lag0 2; }
# sockets N: every member has N RX queues and N sockets
# shellcheck disable=SC2317 # run through lt_wait
sockets() {
	local pair ns m
	for pair in "${MEMBERS[@]}"; do
		read -r ns m <<<"$pair"
		[ "$(f "$ns" "$m" rxQueues)" = "$1" ] && [ "$(f "$ns" "$m" xskSockets)" = "$1" ] || return 1
	done
}

# ---- 1. four queues ------------------------------------------------------------------------
formed || { dump; lt_fail "LACP did not form on 4 queues"; }
sockets 4 || { dump; lt_fail "not 4 RX queues and 4 sockets on every member"; }

# ---- 2. sixteen ----------------------------------------------------------------------------
for pair in "${MEMBERS[@]}"; do
	read -r ns m <<<"$pair"
	channels "$ns" "$m" $Q || lt_fail "ethtool -L $m rx $Q tx $Q"
done
lt_wait 5 sockets $Q || { dump; lt_fail "the sockets did not follow ethtool -L to $Q queues"; }
declare -A xsk0 miss0 pdu0
for pair in "${MEMBERS[@]}"; do
	read -r ns m <<<"$pair"
	xsk0[$m]=$(c "$ns" "$m" slowToXsk); miss0[$m]=$(c "$ns" "$m" slowXskMiss)
	pdu0[$m]=$(c "$ns" "$m" lacpduRx)
done
# fast rate: a LACPDU a second on each member, now on queues 9..15
# shellcheck disable=SC2317 # run through lt_wait
grown() {
	local pair ns m
	for pair in "${MEMBERS[@]}"; do
		read -r ns m <<<"$pair"
		[ "$(c "$ns" "$m" slowToXsk)" -ge $((xsk0[$m] + 4)) ] || return 1
	done
}
lt_wait 10 grown || { dump; lt_fail "slowToXsk did not grow by 4 on every member"; }
dump
for pair in "${MEMBERS[@]}"; do
	read -r ns m <<<"$pair"
	miss=$(c "$ns" "$m" slowXskMiss); pdu=$(c "$ns" "$m" lacpduRx)
	[ "$miss" = "${miss0[$m]}" ] ||
		lt_fail "$m: slowXskMiss ${miss0[$m]} -> $miss after the sockets followed $Q queues"
	[ "$pdu" -ge $((pdu0[$m] + 4)) ] || lt_fail "$m: lacpduRx ${pdu0[$m]} -> $pdu"
done
formed || { dump; lt_fail "the LAG stopped distributing"; }
lt_run lt_nsexec "$A" ping -c 5 -i 0.1 -W 1 198.18.91.2 || lt_fail "no traffic over the LAG"

# ---- 3. fewer: refused while held; del, ethtool -L, add --------------------------------------
if channels "$A" a1 2; then
	lt_log "this kernel let ethtool -L go below a held AF_XDP queue"
else
	lt_run "$LAGBPF" -n "$A" del lag0 a1 || lt_fail "del a1"
	channels "$A" a1 2 || lt_fail "ethtool -L a1 rx 2 tx 2 after del"
	lt_run "$LAGBPF" -n "$A" add lag0 a1 || lt_fail "add a1"
fi
lt_wait 5 a1_sockets 2 || { dump; lt_fail "a1: not 2 queues and 2 sockets"; }
formed || { dump; lt_fail "LACP did not form again with a1 on 2 queues"; }
lt_pass "4 -> $Q queues: $(( $(c "$B" b0 slowToXsk) - xsk0[b0] )) LACPDUs to b0's new sockets, no slowXskMiss"
