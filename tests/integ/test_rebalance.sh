#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# --rebalance: egress load decides which member carries which bucket.
#
#   ns A                                     ns B
#   lag0 198.18.41.1 --+-- a0 ===== b0 --+-- lag0 198.18.41.2
#                      +-- a1 ===== b1 --+
#
# 8 UDP flows of equal rate from fixed source ports: the hash alone puts
# more of them on one member (the test picks ports for which it does: a
# 4/4 split is tried again with other ports). show -j says so (egressMaxMin)
# and nothing moves while --rebalance is 0. `set --rebalance 1`: within
# seconds the controller moves buckets, the next window is even (<= 1.15),
# the log, monitor and show -j tell it, the datagrams still arrive, the
# setting is saved; a bad value is refused and changes nothing.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init rebalance

lt_ns A a; lt_ns B b
for i in 0 1; do lt_veth "$A" a$i "$B" b$i; done
lt_attach "$A" lag0 a0 a1 --mode static || lt_fail "attach on A"
lt_attach "$B" lag0 b0 b1 --mode static || lt_fail "attach on B"
ip -n "$A" addr add 198.18.41.1/24 dev lag0
ip -n "$B" addr add 198.18.41.2/24 dev lag0
lt_wait 5 lt_distributing "$A" lag0 2 || lt_fail "A: not 2 members distributing"
lt_wait 5 lt_distributing "$B" lag0 2 || lt_fail "B: not 2 members distributing"
lt_run lt_nsexec "$A" ping -c 2 -i 0.1 -W 1 198.18.41.2 || lt_fail "ping A->B"

FLOWS="$(dirname "$0")/../lib/udpflows.py"
tx() { echo "$(lt_counter "$A" lag0 a0 txPackets) $(lt_counter "$A" lag0 a1 txPackets)"; }
# window SPORT SECONDS: send, and print max/min of the members' tx packets in it (x1000).
window() {
	local t0 t1 d0 d1
	read -ra t0 <<<"$(tx)"
	lt_run lt_nsexec "$A" /usr/bin/python3 "$FLOWS" 198.18.41.2 9 "$1" 8 "$2" 400 || lt_fail "udpflows"
	read -ra t1 <<<"$(tx)"
	d0=$((t1[0] - t0[0])) d1=$((t1[1] - t0[1]))
	lt_log "window sport $1 ${2}s: a0 $d0 a1 $d1"
	if [ "$d0" -eq 0 ] || [ "$d1" -eq 0 ]; then echo 99999; return; fi
	if [ "$d0" -gt "$d1" ]; then echo $((d0 * 1000 / d1)); else echo $((d1 * 1000 / d0)); fi
}

# Ports the hash splits unevenly (5/3 or worse: >= 1.3).
sport=
for base in 40000 41000 42000 43000 44000 45000 46000 47000; do
	r=$(window "$base" 2)
	if [ "$r" -ge 1300 ] && [ "$r" -lt 99999 ]; then sport=$base; break; fi
done
[ -n "$sport" ] || lt_fail "no port set the hash splits unevenly in 8 tries"
j=$(lt_show "$A" lag0)
jq -e '.rebalance == 0 and .rebalances == 0 and .bucketsRebalanced == 0 and .egressMaxMin >= 1.3' \
	<<<"$j" >/dev/null || lt_fail "before: $(jq -c '{rebalance, rebalances, bucketsRebalanced, egressMaxMin}' <<<"$j")"
r=$(window "$sport" 2)
[ "$r" -ge 1300 ] || lt_fail "with --rebalance 0 the split moved by itself: max/min $r/1000"

# Refused: out of range, nothing changes.
out=$("$LAGBPF" -n "$A" set lag0 --rebalance 5000 2>&1) && lt_fail "set --rebalance 5000 accepted"
grep -q "expected a number from 0 to 3600" <<<"$out" || lt_fail "set --rebalance 5000: $out"
[ "$(lt_jq "$A" lag0 .rebalance)" = 0 ] || lt_fail "a refused set changed rebalance"

mon=$LT_LOG.mon
LT_CLEANUP+=("rm -f '$mon'")
"$LAGBPF" -n "$A" monitor lag0 -j >"$mon" 2>&1 & LT_PIDS+=($!)
lt_run "$LAGBPF" -n "$A" set lag0 --rebalance 1 || lt_fail "set --rebalance 1"
r=$(window "$sport" 3)
lt_log "while rebalancing: max/min $r/1000"
rx0=$(ip -n "$B" -j -s link show lag0 | jq '.[0].stats64.rx.packets')
r=$(window "$sport" 3)
rx1=$(ip -n "$B" -j -s link show lag0 | jq '.[0].stats64.rx.packets')
[ "$r" -le 1150 ] || lt_fail "after --rebalance 1 the members still carry max/min $r/1000"
[ $((rx1 - rx0)) -ge $((8 * 400 * 3 * 9 / 10)) ] || lt_fail "B's lag0 received only $((rx1 - rx0)) datagrams"
j=$(lt_show "$A" lag0)
jq -e '.rebalance == 1 and .rebalances >= 1 and .bucketsRebalanced >= 1 and .egressMaxMin <= 1.15' \
	<<<"$j" >/dev/null || lt_fail "after: $(jq -c '{rebalance, rebalances, bucketsRebalanced, egressMaxMin}' <<<"$j")"
lt_run grep 'lag0: rebalanced: ' "/run/lagbpf/netns/$A/lag0.log" || lt_fail "no rebalance in the log"
jq -e 'select(.event == "table" and .cause == "rebalance" and .members == 2 and .bucketsMoved >= 1)' \
	"$mon" >/dev/null || lt_fail "monitor saw no rebalance table event: $(grep -c . "$mon") lines"
"$LAGBPF" -n "$A" show lag0 | grep -q '^  egress max/min 1\.[0-9]*  rebalance every 1 s: rebalances [1-9]' ||
	lt_fail "show: $("$LAGBPF" -n "$A" show lag0 | sed -n 2p)"
m=$("$LAGBPF" -n "$A" metrics lag0 | awk '/^lagbpf_lag_buckets_rebalanced_total/ {print $2}')
[ "${m:-0}" -ge 1 ] || lt_fail "lagbpf metrics: lagbpf_lag_buckets_rebalanced_total ${m:-missing}"
grep -q '^RebalanceSec=1$' "/run/lagbpf/netns/$A/lag0.conf" || lt_fail "RebalanceSec=1 not saved"

# Even: nothing more to move.
n=$(lt_jq "$A" lag0 .bucketsRebalanced)
window "$sport" 3 >/dev/null
[ "$(lt_jq "$A" lag0 .bucketsRebalanced)" = "$n" ] || lt_fail "buckets kept moving once even"
lt_run "$LAGBPF" -n "$A" set lag0 --rebalance 0 || lt_fail "set --rebalance 0"

lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "detach A"
lt_run "$LAGBPF" -n "$B" detach lag0 || lt_fail "detach B"
lt_no_leftovers "$A" lag0 || lt_fail "leftovers on A after detach"
lt_no_leftovers "$B" lag0 || lt_fail "leftovers on B after detach"
lt_pass "8 equal flows: hash alone max/min >= 1.3, after --rebalance 1 $r/1000"
