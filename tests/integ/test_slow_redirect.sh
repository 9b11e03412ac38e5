#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# LACP over members whose frames arrive through a TC redirect (issue 11 item 5), as
# from a VM whose tap is wired to the member's veth peer with tc mirred:
#
#   ns A                          ns B
#   lag0 --+-- a0 ===== pa0 <-mirred-> pb0 ===== b0 --+-- lag0
#          +-- a1 ===== pa1 <-mirred-> pb1 ===== b1 --+
#   198.18.89.1                                        198.18.89.2
#
# pa* and pb* are helper veth ends in B joined by `tc ... action mirred egress redirect`
# both ways, so every frame a member receives was redirected into it and generic XDP
# skips it (skb_is_redirected): lag_rx sees the LACPDUs. They must reach the controller
# (slowRxTc, slowToRing, lacpduRx climb; nothing counted through XDP), LACP must form
# on both ends and the LAG must carry traffic.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init slow_redirect
LT_CLEANUP+=(lt_detach_parallel)

lt_ns A a; lt_ns B b
for i in 0 1; do
	lt_veth "$A" a$i "$B" pa$i
	lt_veth "$B" b$i "$B" pb$i
	for d in pa$i pb$i; do
		ip -n "$B" link set "$d" up || lt_fail "$d up"
		tc -n "$B" qdisc add dev "$d" clsact || lt_fail "clsact on $d"
	done
	lt_run tc -n "$B" filter add dev pa$i ingress protocol all u32 match u32 0 0 action mirred egress redirect dev pb$i ||
		lt_fail "mirred pa$i -> pb$i"
	lt_run tc -n "$B" filter add dev pb$i ingress protocol all u32 match u32 0 0 action mirred egress redirect dev pa$i ||
		lt_fail "mirred pb$i -> pa$i"
done
lt_attach "$A" lag0 a0 a1 --rate fast || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --rate fast || lt_fail "attach B"
ip -n "$A" addr add 198.18.89.1/24 dev lag0
ip -n "$B" addr add 198.18.89.2/24 dev lag0

# c NS MEMBER FIELD: a counter of a member
c() { lt_member "$1" lag0 "$2" ".counters.$3"; }
if ! lt_wait 20 lt_distributing "$A" lag0 2 || ! lt_wait 10 lt_distributing "$B" lag0 2; then
	for m in a0 a1; do lt_log "A $m: $(lt_member "$A" lag0 $m '.counters | tostring')"; done
	lt_fail "LACP did not form over the redirect path (A $(lt_jq "$A" lag0 .distributingConnections), B $(lt_jq "$B" lag0 .distributingConnections) distributing)"
fi
for ns in "$A" "$B"; do
	for m in $(lt_jq "$ns" lag0 '.connections[].connectionName'); do
		tc_rx=$(c "$ns" "$m" slowRxTc); ring=$(c "$ns" "$m" slowToRing)
		xdp=$(c "$ns" "$m" slowRxXdp); pdu=$(c "$ns" "$m" lacpduRx)
		lt_log "$m: slowRxTc $tc_rx slowToRing $ring slowRxXdp $xdp lacpduRx $pdu"
		for v in "$tc_rx" "$ring" "$pdu"; do
			[ "$v" -gt 0 ] || lt_fail "$m: LACPDUs did not come through TC and the ring ($tc_rx/$ring/$pdu)"
		done
		[ "$xdp" = 0 ] || lt_fail "$m: $xdp slow frames through XDP: the wiring is not a redirect"
		[ "$(c "$ns" "$m" slowDropped)" = 0 ] || lt_fail "$m: slow frames dropped"
	done
done
lt_run lt_nsexec "$A" ping -c 5 -i 0.1 -W 1 198.18.89.2 || lt_fail "no traffic over the LAG"
rx=$(( $(c "$B" b0 rxPackets) + $(c "$B" b1 rxPackets) ))
[ "$rx" -ge 5 ] || lt_fail "B's members delivered only $rx frames"
lt_pass "A $(c "$A" a0 slowToRing)+$(c "$A" a1 slowToRing) LACPDUs through the ring"
