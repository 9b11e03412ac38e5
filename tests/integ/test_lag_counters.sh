#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# What operators' own tools see of a LAG: `ip -s link` counters on the LAG
# device, and `bpftool map dump` of lag_lacp with its states as names.
#
#   ns A (--tx-path direct)                  ns B (--tx-path device)
#   lag0 198.18.14.1 --+-- a0 ===== b0 --+-- lag0 198.18.14.2
#                      +-- a1 ===== b1 --+
#
# 200 pings A -> B: both LAG devices count the frames they received (RX);
# B's counts what it sent too (TX), A's egress program counts per member.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lag_counters

lt_ns A a; lt_ns B b
lt_veth "$A" a0 "$B" b0
lt_veth "$A" a1 "$B" b1
lt_attach "$A" lag0 a0 a1 --mode lacp --rate fast || lt_fail "attach on A"
lt_attach "$B" lag0 b0 b1 --mode lacp --rate fast --tx-path device || lt_fail "attach on B"
ip -n "$A" addr add 198.18.14.1/24 dev lag0
ip -n "$B" addr add 198.18.14.2/24 dev lag0
lt_wait 10 lt_distributing "$A" lag0 2 || lt_fail "A: not 2 members distributing"
lt_wait 10 lt_distributing "$B" lag0 2 || lt_fail "B: not 2 members distributing"
jq -e '.txPath == "direct" and .tcAttach == "tcx" and
	all(.connections[]; .xdpAttach == "skb" and .tcAttach == "tcx")' \
	<<<"$(lt_show "$A" lag0)" >/dev/null || lt_fail "A: attach modes in show -j"
jq -e '.txPath == "device"' <<<"$(lt_show "$B" lag0)" >/dev/null || lt_fail "B: txPath"

# stats64 of a device, as `ip -s link` prints them.
stat() { ip -n "$1" -s -j link show "$2" | jq ".[0].stats64.$3.packets"; }
rx_a=$(stat "$A" lag0 rx); rx_b=$(stat "$B" lag0 rx); tx_b=$(stat "$B" lag0 tx)
lt_run lt_nsexec "$A" ping -c 200 -i 0.005 -W 1 -q 198.18.14.2 || lt_fail "ping A->B"
d_rx_a=$(( $(stat "$A" lag0 rx) - rx_a )); d_rx_b=$(( $(stat "$B" lag0 rx) - rx_b ))
d_tx_b=$(( $(stat "$B" lag0 tx) - tx_b ))
lt_log "lag0 deltas: A rx $d_rx_a, B rx $d_rx_b, B tx $d_tx_b"
[ "$d_rx_b" -ge 200 ] || lt_fail "B's lag0 counted $d_rx_b RX packets of 200 echo requests"
[ "$d_rx_a" -ge 200 ] || lt_fail "A's lag0 counted $d_rx_a RX packets of 200 echo replies"
[ "$d_tx_b" -ge 200 ] || lt_fail "B's lag0 (--tx-path device) counted $d_tx_b TX packets of 200 replies"
# A's members counted what A's egress program sent them.
tx_a=$(lt_jq "$A" lag0 '[.connections[].counters.txPackets] | add')
[ "$tx_a" -ge 200 ] || lt_fail "A's members counted $tx_a TX packets"

# bpftool prints the LACP states by name (BTF enums in lag_lacp).
dump=$(bpftool -j map dump pinned "/sys/fs/bpf/lagbpf/netns/$A/lag0/lag_lacp") ||
	lt_fail "bpftool map dump of lag_lacp"
lt_log "$dump"
jq -e 'length == 2 and all(.[].formatted.value; .mux_state == "LAG_MUX_DISTRIBUTING" and
	.rx_state == "LAG_RX_CURRENT" and .selected == "LAG_SELECTED" and
	.reason == "LAG_REASON_NONE")' <<<"$dump" >/dev/null ||
	lt_fail "lag_lacp does not name its states"

# A member cut: its reason by name too.
ip -n "$B" link set b1 down
# shellcheck disable=SC2317 # run through lt_wait
cut_by_name() {
	[ "$(bpftool -j map dump pinned "/sys/fs/bpf/lagbpf/netns/$A/lag0/lag_lacp" |
		jq -r '[.[].formatted.value.reason] | sort | join(",")')" = \
		"LAG_REASON_NONE,LAG_REASON_PORT_DOWN" ]
}
lt_wait 5 cut_by_name ||
	lt_fail "lag_lacp: no port-down by name after b1 went down"
lt_pass "lag0 RX $d_rx_a/$d_rx_b, TX (device path) $d_tx_b of 200"
