#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Hash policies on a static LAG of 4 members:
#
#   ns A                                     ns B
#   lag0 198.18.60.1 --+-- a0 ===== b0 --+-- lag0 198.18.60.2
#                      +-- a1 ===== b1 --+
#                      +-- a2 ===== b2 --+
#                      +-- a3 ===== b3 --+
#
# Between two fixed hosts, 64 TCP flows:
#  - l2 (MACs) and l23 (MACs + IPs) put every packet of one direction on ONE member;
#  - l34 (the default) and encap34 (l34 when there is no tunnel) use all 4;
#  - `lagbpf set lag0 --hash` switches the policy at run time, both ways.
# Each policy attaches (show -j hashPolicy) and passes ping and TCP.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init static_hash

lt_ns A a; lt_ns B b
for i in 0 1 2 3; do lt_veth "$A" a$i "$B" b$i; done

# tx packets of NS's members, as "n0 n1 n2 n3".
tx_of() { lt_jq "$1" lag0 '[.connections[].counters.txPackets] | map(tostring) | join(" ")'; }

# flows NS->peer: 64 TCP flows for 1 s from A (dir "") or from B (dir -R),
# sets DELTA to the per-member tx packet deltas of the sending side.
flows() {
	local dir=$1 ns=$A b a
	[ "$dir" = -R ] && ns=$B
	read -ra b <<<"$(tx_of "$ns")"
	lt_iperf "$A" -c 198.18.60.2 -p 5201 -t 1 -P 64 ${dir:+"$dir"} || lt_fail "iperf3 $dir with hash $policy"
	read -ra a <<<"$(tx_of "$ns")"
	DELTA=()
	for i in 0 1 2 3; do DELTA+=($((a[i] - b[i]))); done
	lt_log "hash $policy ${dir:-A->B}: tx deltas ${DELTA[*]}"
}

# one_member: all (>= 99.5%) of DELTA on one member.
one_member() {
	local max=0 sum=0 d
	for d in "${DELTA[@]}"; do sum=$((sum + d)); [ "$d" -gt "$max" ] && max=$d; done
	[ "$sum" -gt 1000 ] || lt_fail "hash $policy: only $sum packets sent"
	[ $((max * 1000)) -ge $((sum * 995)) ] ||
		lt_fail "hash $policy between two hosts spread over members: ${DELTA[*]}"
}

# all_members: every member carried a share of DELTA.
all_members() {
	local d
	for d in "${DELTA[@]}"; do
		[ "$d" -gt 100 ] || lt_fail "hash $policy with 64 flows left a member (nearly) idle: ${DELTA[*]}"
	done
}

up() { # POLICY: attach both ends with it
	policy=$1
	lt_attach "$A" lag0 a0 a1 a2 a3 --mode static --hash "$1" || lt_fail "attach --hash $1 on A"
	lt_attach "$B" lag0 b0 b1 b2 b3 --mode static --hash "$1" || lt_fail "attach --hash $1 on B"
	ip -n "$A" addr add 198.18.60.1/24 dev lag0
	ip -n "$B" addr add 198.18.60.2/24 dev lag0
	lt_wait 5 lt_distributing "$A" lag0 4 || lt_fail "A: not 4 members distributing with --hash $1"
	lt_wait 5 lt_distributing "$B" lag0 4 || lt_fail "B: not 4 members distributing with --hash $1"
	[ "$(lt_jq "$A" lag0 .hashPolicy)" = "$1" ] || lt_fail "hashPolicy is not $1"
	lt_run lt_nsexec "$A" ping -c 2 -i 0.1 -W 1 198.18.60.2 || lt_fail "ping with --hash $1"
}

down() {
	lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "detach A ($policy)"
	lt_run "$LAGBPF" -n "$B" detach lag0 || lt_fail "detach B ($policy)"
	lt_no_leftovers "$A" lag0 || lt_fail "leftovers on A after detach ($policy)"
	lt_no_leftovers "$B" lag0 || lt_fail "leftovers on B after detach ($policy)"
}

lt_bg "$B" iperf3 -s -p 5201 --logfile /dev/null
lt_wait 3 lt_nsexec "$B" ss -ltn sport = :5201 || lt_fail "iperf3 server"

up l2
flows; one_member
flows -R; one_member
# Run time switch to l34 on both ends: the same two hosts now use all members.
for ns in "$A" "$B"; do lt_run "$LAGBPF" -n "$ns" set lag0 --hash l34 || lt_fail "set --hash l34"; done
policy=l34
[ "$(lt_jq "$A" lag0 .hashPolicy)" = l34 ] || lt_fail "hashPolicy not l34 after set"
flows; all_members
flows -R; all_members
# ... and back to l2.
for ns in "$A" "$B"; do lt_run "$LAGBPF" -n "$ns" set lag0 --hash l2 || lt_fail "set --hash l2"; done
policy=l2
[ "$(lt_jq "$A" lag0 .hashPolicy)" = l2 ] || lt_fail "hashPolicy not l2 after set"
flows; one_member
! lt_run "$LAGBPF" -n "$A" set lag0 --hash l5 || lt_fail "set --hash l5 accepted"
[ "$(lt_jq "$A" lag0 .hashPolicy)" = l2 ] || lt_fail "hashPolicy changed by a refused set"
down

up l23
flows; one_member
down

up encap34
flows; all_members
down

# The default is l34, with a random seed (no one choosing ports can steer
# flows): two LAGs get two seeds, and the seed of a re-attach differs too.
# --hash-seed still sets it.
lt_attach "$A" lag0 a0 a1 a2 a3 --mode static || lt_fail "attach (default hash) on A"
lt_attach "$B" lag0 b0 b1 b2 b3 --mode static || lt_fail "attach (default hash) on B"
policy=$(lt_jq "$A" lag0 .hashPolicy)
[ "$policy" = l34 ] || lt_fail "default hashPolicy is $policy, not l34"
seed_a=$(lt_jq "$A" lag0 .hashSeed); seed_b=$(lt_jq "$B" lag0 .hashSeed)
lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "detach A (default)"
lt_attach "$A" lag0 a0 a1 a2 a3 --mode static || lt_fail "attach again on A"
seed_a2=$(lt_jq "$A" lag0 .hashSeed)
lt_log "seeds: A $seed_a, B $seed_b, A again $seed_a2"
# shellcheck disable=SC2015 # lt_fail unless both hold
[ "$seed_a" != "$seed_b" ] && [ "$seed_a" != "$seed_a2" ] || lt_fail "seeds not random: $seed_a $seed_b $seed_a2"
for ns in "$A" "$B"; do lt_run "$LAGBPF" -n "$ns" detach lag0 || lt_fail "detach"; done
lt_attach "$A" lag0 a0 a1 --mode static --hash-seed 4242 || lt_fail "attach --hash-seed"
[ "$(lt_jq "$A" lag0 .hashSeed)" = 4242 ] || lt_fail "--hash-seed 4242 shows $(lt_jq "$A" lag0 .hashSeed)"
lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "detach A (seed)"
lt_pass
