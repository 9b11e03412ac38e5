#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Ownership through bpf_links and the pins' ABI version:
#
#   ns A                                     ns B
#   lag0 198.18.15.1 --+-- a0 ===== b0 --+-- lag0 198.18.15.2
#                      +-- a1 ===== b1 --+
#
# - Programs are attached by links pinned in the LAG's folder: another tool
#   cannot take the XDP program off a member; a TC filter someone else had on
#   a member stays through attach and detach (tcx leaves clsact alone).
# - Pins of another ABI version: restart and add refuse with a clear error and
#   change nothing (the controller, its table and the traffic stay); detach
#   still takes such a LAG apart completely.
# - Detach releases exactly this LAG's links (by id).
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init links_abi

lt_ns A a; lt_ns B b
lt_veth "$A" a0 "$B" b0
lt_veth "$A" a1 "$B" b1
lt_veth "$A" a2 "$B" b2
# Someone else's TC filter on a member, before lagbpf.
tc -n "$A" qdisc add dev a1 clsact
# (a classic-BPF filter: the one classifier this kernel has built in)
tc -n "$A" filter add dev a1 ingress pref 7 bpf bytecode '1,6 0 0 0,' classid 1:1 ||
	lt_fail "cannot add the foreign TC filter"
lt_attach "$A" lag0 a0 a1 --mode static || lt_fail "attach on A"
lt_attach "$B" lag0 b0 b1 --mode static || lt_fail "attach on B"
ip -n "$A" addr add 198.18.15.1/24 dev lag0
ip -n "$B" addr add 198.18.15.2/24 dev lag0
lt_wait 5 lt_distributing "$A" lag0 2 || lt_fail "A: not 2 members distributing"
lt_wait 5 lt_distributing "$B" lag0 2 || lt_fail "B: not 2 members distributing"
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 1 198.18.15.2 || lt_fail "ping A->B"

pins=/sys/fs/bpf/lagbpf/netns/$A/lag0
ids=()
for p in "$pins"/link_*; do
	id=$(bpftool -j link show pinned "$p" | jq .id) || lt_fail "bpftool link show pinned $p"
	ids+=("$id")
done
lt_log "links: ${ids[*]} ($(cd "$pins" && echo *))"
[ "${#ids[@]}" = 5 ] || lt_fail "wanted 5 links (2 XDP, 2 TC ingress, 1 TC egress), got ${#ids[@]}"
for p in prog_lag_xdp prog_lag_tx prog_lag_rx lag_abi; do
	[ -e "$pins/$p" ] || lt_fail "no pin $p"
done

# A link cannot be replaced or removed by another tool.
! ip -n "$A" link set dev a0 xdpgeneric off 2>>"$LT_LOG" || lt_fail "ip link took lagbpf's XDP program off a0"
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 1 198.18.15.2 || lt_fail "ping A->B after ip link's try"
tc -n "$A" filter show dev a1 ingress | grep -q "bytecode '1,6 0 0 0'" || lt_fail "the foreign TC filter on a1 went at attach"

# Pins of another layout: the running LAG is left untouched.
abi() { bpftool map update pinned "$pins/lag_abi" key 0 0 0 0 value "$1" 0 0 0 0 0 0 0; }
pid=$(lt_jq "$A" lag0 .controllerPid)
abi 1 || lt_fail "cannot set lag_abi"
out=$("$LAGBPF" -n "$A" restart lag0 2>&1) && lt_fail "restart adopted pins of layout 1"
lt_log "restart: $out"
grep -q "layout 1; this one has layout 3" <<<"$out" || lt_fail "restart's error does not name the layouts: $out"
out=$("$LAGBPF" -n "$A" add lag0 a2 2>&1) && lt_fail "add joined a LAG of layout 1"
grep -q "layout 1" <<<"$out" || lt_fail "add's error does not name the layout: $out"
[ "$(lt_jq "$A" lag0 .controllerPid)" = "$pid" ] || lt_fail "the controller changed"
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 1 198.18.15.2 || lt_fail "ping A->B with pins of layout 1"
[ "$(ip -n "$A" -j link show a2 | jq -r '.[0].ifalias // ""')" = "" ] || lt_fail "a2 was touched"

# detach takes a LAG of another layout apart all the same.
lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "detach of a LAG of layout 1"
lt_no_leftovers "$A" lag0 || lt_fail "leftovers on A after detach"
for id in "${ids[@]}"; do
	! bpftool link show id "$id" >/dev/null 2>&1 || lt_fail "link $id still exists after detach"
done
tc -n "$A" filter show dev a1 ingress | grep -q "bytecode '1,6 0 0 0'" || lt_fail "the foreign TC filter on a1 went at detach"
lt_pass "5 links, refused by ip link; layout 1 refused by restart and add; detach released every link"
