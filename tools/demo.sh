#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `make demo`: two network namespaces joined by 4 veth pairs, lagbpf (LACP,
# fast rate) on both ends, traffic across, per-member counters, one member
# cut and restored. Installs nothing; needs root and a built lagbpf. Tears
# everything down on every exit path. Namespaces are lagdemo-<random>-{a,b},
# so parallel runs do not collide.
#
#   lagdemo-XXXX-a                                 lagdemo-XXXX-b
#   lag0 198.18.77.1 --+-- eth0 ========== eth0 --+-- lag0 198.18.77.2
#                      +-- eth1 ========== eth1 --+
#                      +-- eth2 ========== eth2 --+
#                      +-- eth3 ========== eth3 --+
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAGBPF=${LAGBPF:-$ROOT/build/lagbpf}
MEMBERS=(eth0 eth1 eth2 eth3)
CUT=eth1

if [ -t 1 ]; then B=$'\e[1m' G=$'\e[32m' R=$'\e[31m' N=$'\e[0m'; else B='' G='' R='' N=''; fi
step=0
section() { step=$((step + 1)); printf '\n%s==== %d. %s ====%s\n' "$B" "$step" "$*" "$N"; }
say() { printf '%s\n' "$*"; }
run() { printf '%s$ %s%s\n' "$B" "$*" "$N"; "$@"; }
die() { printf '%sdemo: %s%s\n' "$R" "$*" "$N" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, BPF): run 'sudo make demo'"
[ -x "$LAGBPF" ] || die "$LAGBPF is not built: run 'make' first (or 'make demo', which builds)"
for t in ip iperf3 jq ping nsenter; do
	command -v "$t" >/dev/null || die "$t is missing: run 'make deps' first"
done

ID=$(tr -dc 'a-z0-9' </dev/urandom | head -c 6)
NA=lagdemo-$ID-a
NB=lagdemo-$ID-b
ATTACHED=()
IPERF_PID=

cleanup() {
	local rc=$? ns
	trap - EXIT INT TERM
	printf '\n%s==== teardown ====%s\n' "$B" "$N"
	[ -n "$IPERF_PID" ] && kill "$IPERF_PID" 2>/dev/null && wait "$IPERF_PID" 2>/dev/null
	for ns in "${ATTACHED[@]}"; do
		"$LAGBPF" -n "$ns" detach lag0 && say "detached lag0 in $ns"
	done
	for ns in "$NA" "$NB"; do
		ip netns del "$ns" 2>/dev/null && say "deleted namespace $ns"
	done
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

nsx() { local ns=$1; shift; nsenter --net="/var/run/netns/$ns" "$@"; }
show() { run "$LAGBPF" -n "$1" show lag0; }
distributing() { "$LAGBPF" -n "$1" show lag0 -j 2>/dev/null | jq -r .distributingConnections; }
# wait_for SECONDS CMD...: poll CMD every 100 ms; 0 if it succeeded in time.
wait_for() {
	local end=$(($(date +%s%N) + $1 * 1000000000)); shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -lt "$end" ] || return 1
		sleep 0.1
	done
}
all_distributing() { [ "$(distributing "$NA")" = "$1" ] && [ "$(distributing "$NB")" = "$1" ]; }
# Per-member counters of both ends, side by side.
counters() {
	printf '%-10s %-6s %12s %14s %12s %14s\n' side member tx-packets tx-bytes rx-packets rx-bytes
	for ns in "$NA" "$NB"; do
		"$LAGBPF" -n "$ns" show lag0 -j | jq -r --arg side "${ns##*-}" '.connections[] |
			[$side, .connectionName, .counters.txPackets, .counters.txBytes,
			 .counters.rxPackets, .counters.rxBytes] | @tsv' |
			while IFS=$'\t' read -r s m tp tb rp rb; do
				printf '%-10s %-6s %12s %14s %12s %14s\n' "ns $s" "$m" "$tp" "$tb" "$rp" "$rb"
			done
	done
}
traffic() { # SECONDS
	run nsx "$NA" ping -c 3 -i 0.2 198.18.77.2 | tail -n 2
	say "iperf3: 16 TCP flows for $1 s from A to B (each flow hashes to one member, l34):"
	run nsx "$NA" iperf3 -c 198.18.77.2 -t "$1" -P 16 | grep -E 'SUM.*(sender|receiver)'
}

section "Topology: namespaces $NA and $NB, 4 veth pairs"
ip netns add "$NA" || die "cannot create namespace $NA"
ip netns add "$NB" || die "cannot create namespace $NB"
for i in "${!MEMBERS[@]}"; do
	m=${MEMBERS[$i]}
	ip link add "ld$ID$i"a type veth peer "ld$ID$i"b || die "cannot create a veth pair"
	ip link set "ld$ID$i"a netns "$NA" name "$m" || die "cannot move a veth end to $NA"
	ip link set "ld$ID$i"b netns "$NB" name "$m" || die "cannot move a veth end to $NB"
done
for ns in "$NA" "$NB"; do ip -n "$ns" link set lo up; done
cat <<EOF
   $NA                              $NB
   lag0 198.18.77.1 --+-- eth0 ========== eth0 --+-- lag0 198.18.77.2
                      +-- eth1 ========== eth1 --+
                      +-- eth2 ========== eth2 --+
                      +-- eth3 ========== eth3 --+
EOF
run ip -n "$NA" -br link

section "Attach lagbpf on both ends (LACP, fast rate: LACPDUs every second)"
for ns in "$NA" "$NB"; do
	run "$LAGBPF" -n "$ns" attach lag0 "${MEMBERS[@]}" --rate fast || die "attach in $ns failed"
	ATTACHED+=("$ns")
done
ip -n "$NA" addr add 198.18.77.1/24 dev lag0
ip -n "$NB" addr add 198.18.77.2/24 dev lag0
say "lag0 carries the addresses: 198.18.77.1 (A) and 198.18.77.2 (B)."
say "Waiting for LACP to bring all 4 members to collecting_distributing on both ends..."
t0=$(date +%s%N)
if wait_for 10 all_distributing 4; then
	say "${G}LACP negotiated: 4 of 4 members distributing on both ends after $(( ($(date +%s%N) - t0) / 1000000 )) ms.${N}"
else
	say "${R}LACP did not bring all 4 members to distributing within 10 s.${N}"
	say "Below, the 'reason' column says why a member is not selected (e.g. no-partner:"
	say "no LACPDU received from the other end; other-partner-system: cabled to another"
	say "system). The controller's log is /run/lagbpf/netns/$NA/lag0.log:"
	show "$NA"; show "$NB"
	tail -n 20 "/run/lagbpf/netns/$NA/lag0.log" 2>/dev/null
	die "LACP not distributing after 10 s (see above)"
fi

section "Status of both ends (lagbpf show)"
show "$NA"
show "$NB"
say "JSON for scripts and monitoring (lagbpf show lag0 -j), the LAG part of A:"
"$LAGBPF" -n "$NA" show lag0 -j | jq '{lagName, lagState, mode, hashPolicy, minimumLinks,
	numberOfConnections, distributingConnections, connectionsBandwidth,
	lacp: {systemId: .lacp.systemId, partnerSystemId: .lacp.partnerSystemId, rate: .lacp.rate}}'

section "Traffic across the LAG"
# nsenter execs iperf3, so $! is the server itself (a function would leave it orphaned)
nsenter --net="/var/run/netns/$NB" iperf3 -s >/dev/null 2>&1 &
IPERF_PID=$!
wait_for 3 nsx "$NB" ss -ltn sport = :5201 || die "iperf3 server did not start"
traffic 3
say ""
say "Per-member counters: A's members transmit, B's members receive; with 16 flows every"
say "member carries a share."
counters

section "Cut member $CUT on A (ip link set $CUT down)"
run ip -n "$NA" link set "$CUT" down
t0=$(date +%s%N)
if wait_for 5 all_distributing 3; then
	say "${G}Both ends took $CUT out of distribution within $(( ($(date +%s%N) - t0) / 1000000 )) ms${N}"
	say "(carrier loss, seen by rtnetlink and a 10 ms carrier poll; no LACP timeout needed)."
else
	say "${R}$CUT is still distributing 5 s after the cut.${N}"
fi
show "$NA"
show "$NB"
say "Traffic keeps flowing over the 3 remaining members ($CUT's counters stay still):"
traffic 2
counters

section "Restore member $CUT (ip link set $CUT up)"
run ip -n "$NA" link set "$CUT" up
t0=$(date +%s%N)
if wait_for 15 all_distributing 4; then
	say "${G}$CUT rejoined on both ends after $(( ($(date +%s%N) - t0) / 1000000 )) ms (LACP renegotiated it).${N}"
else
	say "${R}$CUT did not rejoin within 15 s.${N}"
fi
show "$NA"
traffic 2
counters

section "Done"
say "Everything the demo made goes now (namespaces, LAGs, BPF programs, pins)."
