#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# A LAG survives its controller. `lagbpf restart` replaces the controller
# without touching the data path: the live table stays as it is and a ping
# every 10 ms loses nothing. After kill -9, running the same attach again
# adopts the LAG (instead of "exists already"); attach with other members is
# refused and changes nothing. In LACP mode the new controller adopts the
# ports' LACP state: the partner never sees Sync or Distributing drop.
#
#   ns A                                 ns B
#   lag0 198.18.95.1 --+-- a0 ===== b0 --+-- lag0 198.18.95.2   (static)
#                      +-- a1 ===== b1 --+
#   lag1 (LACP fast) ----- a2 ===== b2 ----- lag1
#
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init restart

lt_ns A a; lt_ns B b
for i in 0 1 2; do lt_veth "$A" a$i "$B" b$i; done
lt_attach "$A" lag0 a0 a1 --mode static || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --mode static || lt_fail "attach B"
ip -n "$A" addr add 198.18.95.1/24 dev lag0; ip -n "$B" addr add 198.18.95.2/24 dev lag0
lt_wait 5 lt_distributing "$A" lag0 2 || lt_fail "not formed"
pins=/sys/fs/bpf/lagbpf/netns/$A/lag0
live() { # the live slot and its table, as the data path sees them
	local slot
	slot=$(bpftool -j map dump pinned "$pins/lag_active" | jq -r '.[0].value // .[0].formatted.value')
	echo "slot $slot $(bpftool -j map lookup pinned "$pins/lag_tables" key "$slot" 0 0 0 | md5sum)"
}

# 1. restart under a 10 ms ping: nothing lost, the table untouched.
lt_nsexec "$A" ping -i 0.01 -c 300 -W 1 198.18.95.2 >"$LT_LOG.ping" 2>&1 &
ping_pid=$!; LT_PIDS+=("$ping_pid")
sleep 0.5
before=$(live); pid0=$(lt_jq "$A" lag0 .controllerPid)
lt_run "$LAGBPF" -n "$A" restart lag0 || lt_fail "restart"
pid1=$(lt_jq "$A" lag0 .controllerPid)
[ -n "$pid1" ] && [ "$pid1" != "$pid0" ] || lt_fail "no new controller ($pid0 -> $pid1)"
! lt_pid_running "$pid0" || lt_fail "the old controller still runs"
[ "$(live)" = "$before" ] || lt_fail "restart changed the live table: $before -> $(live)"
lt_distributing "$A" lag0 2 || lt_fail "not 2 distributing after restart"
wait "$ping_pid"
cat "$LT_LOG.ping" >>"$LT_LOG"
loss=$(grep -o '[0-9.]*% packet loss' "$LT_LOG.ping" | cut -d% -f1)
[ "$loss" = 0 ] || lt_fail "restart lost ${loss}% of a 10 ms ping"

# 2. kill -9, then the same attach again adopts it; other members are refused.
lt_nsexec "$A" ping -i 0.01 -c 200 -W 1 198.18.95.2 >"$LT_LOG.ping" 2>&1 &
ping_pid=$!; LT_PIDS+=("$ping_pid")
sleep 0.3
kill -9 "$(lt_jq "$A" lag0 .controllerPid)"
out=$("$LAGBPF" -n "$A" attach lag0 a0 --mode static 2>&1) && lt_fail "attach with other members adopted the LAG"
grep -q 'runs without a controller with members a0 a1' <<<"$out" || lt_fail "unclear refusal: $out"
lt_run "$LAGBPF" -n "$A" attach lag0 a0 a1 --mode static --hash l23 || lt_fail "re-attach did not adopt"
[ "$(lt_jq "$A" lag0 .hashPolicy)" = l23 ] || lt_fail "the adopting attach did not apply --hash l23"
out=$("$LAGBPF" -n "$A" attach lag0 a0 a1 --mode static 2>&1) && lt_fail "a second attach succeeded"
grep -q 'runs already' <<<"$out" || lt_fail "unclear refusal with a controller running: $out"
wait "$ping_pid"
cat "$LT_LOG.ping" >>"$LT_LOG"
loss=$(grep -o '[0-9.]*% packet loss' "$LT_LOG.ping" | cut -d% -f1)
lt_log "kill -9 + re-attach: ${loss}% lost"
awk -v l="$loss" 'BEGIN { exit !(l <= 1) }' || lt_fail "kill -9 + re-attach lost ${loss}%"

# 3. LACP: the new controller adopts every port's LACP state from the pins;
# the partner never sees Sync or Distributing drop, and a 10 ms ping loses
# nothing.
lt_attach "$A" lag1 a2 --rate fast || lt_fail "attach lag1 A"
lt_attach "$B" lag1 b2 --rate fast || lt_fail "attach lag1 B"
ip -n "$A" addr add 198.18.96.1/24 dev lag1; ip -n "$B" addr add 198.18.96.2/24 dev lag1
lt_wait 10 lt_distributing "$A" lag1 1 && lt_wait 10 lt_distributing "$B" lag1 1 || lt_fail "lag1 not formed"
lt_nsexec "$A" ping -i 0.01 -c 400 -W 1 198.18.96.2 >"$LT_LOG.ping" 2>&1 &
ping_pid=$!; LT_PIDS+=("$ping_pid")
( end=$(( $(lt_ms) + 3500 ))
  while [ "$(lt_ms)" -lt "$end" ]; do
	lt_member "$B" lag1 b2 '"\(.distributing) \(.partner.state.synchronization) \(.partner.state.distributing)"'
	sleep 0.05
  done >"$LT_LOG.partner" ) &
watch_pid=$!
sleep 0.5
lt_run "$LAGBPF" -n "$A" restart lag1 || lt_fail "restart lag1"
wait "$watch_pid"
lt_log "B's view of b2 during the restart: $(sort "$LT_LOG.partner" | uniq -c | tr '\n' ' ')"
! grep -qv '^true true true$' "$LT_LOG.partner" || lt_fail "B saw b2 or A's port leave sync/distributing: $(sort "$LT_LOG.partner" | uniq -c | tr '\n' ' ')"
lt_distributing "$A" lag1 1 || lt_fail "lag1 not distributing on A after restart"
wait "$ping_pid"
cat "$LT_LOG.ping" >>"$LT_LOG"
lacp_loss=$(grep -o '[0-9.]*% packet loss' "$LT_LOG.ping" | cut -d% -f1)
[ "$lacp_loss" = 0 ] || lt_fail "LACP restart lost ${lacp_loss}% of a 10 ms ping"
lt_pass "static restart: 0 lost; kill -9 + re-attach: ${loss}% lost; LACP restart: 0 lost, partner never left sync"
