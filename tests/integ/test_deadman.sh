#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The dead-man in the data path (issue 10, item 3): a LAG whose controller died stops
# distributing once the partner's timeout has passed, and counts what it drops.
#
#   ns A                                     ns B
#   lag0 198.18.84.1 --+-- a0 ===== b0 --+-- lag0 198.18.84.2   (A's controller: kill -9)
#                      +-- a1 ===== b1 --+
#
# LACP fast on both ends, ping crossing. show -j says "controller": "running" and a 3 s
# dead-man, which follows `set --rate` (90 s at slow). kill -9 A's controller under a
# 10/s ping: right after, show (from the pins alone, exit 1) says controller not running,
# lagState unknown; 2.8 to 4 s later lagState down, and txDeadman climbs with every frame
# A sends (ping from A fails). B's own dead-man never fires. restart brings A back (ping
# crosses, txDeadman still); after a second kill -9 and its dead-man, detach still
# removes everything.
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init deadman
LT_CLEANUP+=(lt_detach_parallel)

lt_ns A a; lt_ns B b
lt_veth "$A" a0 "$B" b0
lt_veth "$A" a1 "$B" b1
lt_attach "$A" lag0 a0 a1 --rate fast || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --rate fast || lt_fail "attach B"
ip -n "$A" addr add 198.18.84.1/24 dev lag0
ip -n "$B" addr add 198.18.84.2/24 dev lag0
lt_wait 15 lt_distributing "$A" lag0 2 || lt_fail "A not distributing"
lt_wait 15 lt_distributing "$B" lag0 2 || lt_fail "B not distributing"
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 1 198.18.84.2 || lt_fail "no ping before the kill"

# A running controller says so, with its dead-man: 3 s at fast rate, 90 s at slow.
# shellcheck disable=SC2317 # run through lt_wait
timeout_is() { [ "$(lt_jq "$1" lag0 .deadmanTimeoutMs)" = "$2" ]; }
doc=$(lt_show "$A" lag0)
[ "$(jq -r '"\(.controller) \(.txDeadman)"' <<<"$doc")" = "running 0" ] ||
	lt_fail "show -j of a running controller: $(jq -c '{controller, txDeadman}' <<<"$doc")"
timeout_is "$A" 3000 || lt_fail "deadmanTimeoutMs at fast rate: $(lt_jq "$A" lag0 .deadmanTimeoutMs)"
lt_run "$LAGBPF" -n "$A" set lag0 --rate slow || lt_fail "set --rate slow"
lt_wait 2 timeout_is "$A" 90000 || lt_fail "deadmanTimeoutMs does not follow set --rate slow"
lt_run "$LAGBPF" -n "$A" set lag0 --rate fast || lt_fail "set --rate fast"
lt_wait 2 timeout_is "$A" 3000 || lt_fail "deadmanTimeoutMs does not follow set --rate fast"
lt_wait 10 lt_distributing "$A" lag0 2 || lt_fail "A not distributing after the rate changes"
lt_wait 10 lt_distributing "$B" lag0 2 || lt_fail "B not distributing after the rate changes"

pid=$(lt_jq "$A" lag0 .controllerPid)
lt_pid_running "$pid" || lt_fail "A's controller $pid not running"
lt_bg "$A" ping -i 0.1 -W 1 198.18.84.2
kill -9 "$pid" || lt_fail "kill -9 $pid"
t0=$(lt_ms)
lt_log "kill -9 $pid"

# At once: no controller, the pins speak; the dead-man has not fired yet.
out=$("$LAGBPF" -n "$A" show lag0 -j 2>>"$LT_LOG"); rc=$?
lt_log "show -j (exit $rc): $out"
[ "$rc" = 1 ] || lt_fail "show -j of a dead controller exited $rc, want 1"
[ "$(jq -r '"\(.controller) \(.lagName) \(.namespace)"' <<<"$out")" = "not running lag0 $A" ] ||
	lt_fail "show -j of a dead controller: $out"
[ "$(jq -r .pinPath <<<"$out")" = "/sys/fs/bpf/lagbpf/netns/$A/lag0" ] || lt_fail "pinPath: $out"
if [ $(( $(lt_ms) - t0 )) -lt 2500 ]; then
	[ "$(jq -r '"\(.lagState) \(.txDeadman)"' <<<"$out")" = "unknown 0" ] ||
		lt_fail "before the dead-man fired: $out"
fi

# shellcheck disable=SC2317 # run through lt_wait
fired() { [ "$("$LAGBPF" -n "$A" show lag0 -j 2>/dev/null | jq -r .lagState)" = down ]; }
lt_wait 6 fired || lt_fail "the dead-man did not fire within 6 s: $("$LAGBPF" -n "$A" show lag0 -j 2>&1)"
dt=$(( $(lt_ms) - t0 ))
lt_log "dead-man fired ${dt} ms after kill -9"
[ "$dt" -ge 2800 ] && [ "$dt" -le 4000 ] || lt_fail "the dead-man fired $dt ms after kill -9 (want 2800-4000)"

# shellcheck disable=SC2317 # run through lt_wait
deadman() { "$LAGBPF" -n "$A" show lag0 -j 2>/dev/null | jq -r .txDeadman; }
# shellcheck disable=SC2317 # run through lt_wait
deadman_above() { [ "$(deadman)" -gt "$1" ]; }
lt_wait 1 deadman_above 0 || lt_fail "txDeadman does not move under the ping from A: $(deadman)"
n0=$(deadman)
! lt_run lt_nsexec "$A" ping -c 3 -i 0.2 -W 1 198.18.84.2 || lt_fail "ping from A crosses after the dead-man fired"
n1=$(deadman)
[ "$n1" -ge $(( n0 + 3 )) ] || lt_fail "txDeadman $n0 -> $n1 after 3 pings from A"

doc=$("$LAGBPF" -n "$A" show lag0 -j 2>>"$LT_LOG")
lt_log "show -j: $doc"
[ "$(jq -r '"\(.heartbeatAgeMs > .deadmanTimeoutMs) \(.deadmanTimeoutMs)"' <<<"$doc")" = "true 3000" ] ||
	lt_fail "heartbeat of the dead-man: $doc"
text=$("$LAGBPF" -n "$A" show lag0 2>>"$LT_LOG") && lt_fail "show (text) of a dead controller exited 0"
lt_log "$text"
grep -q "^lag0: down  controller not running" <<<"$text" && grep -q "tx-deadman [1-9]" <<<"$text" ||
	lt_fail "show (text) of a dead controller: $text"
"$LAGBPF" -j show --all | jq -e --arg ns "$A" \
	'any(.[]; .namespace == $ns and .lagName == "lag0" and .controller == "not running" and .lagState == "down")' \
	>/dev/null || lt_fail "show --all: $("$LAGBPF" -j show --all)"

# B's controller lives: its dead-man stays quiet.
doc=$(lt_show "$B" lag0)
[ "$(jq -r '"\(.controller) \(.txDeadman)"' <<<"$doc")" = "running 0" ] ||
	lt_fail "B: $(jq -c '{controller, txDeadman}' <<<"$doc")"

# A new controller brings the LAG back: restart adopts it, the heartbeat is fresh again.
lt_run "$LAGBPF" -n "$A" restart lag0 || lt_fail "restart of the dead LAG failed"
lt_wait 15 lt_distributing "$A" lag0 2 || lt_fail "A not distributing after restart"
lt_wait 15 lt_distributing "$B" lag0 2 || lt_fail "B not distributing after A's restart"
n2=$(lt_jq "$A" lag0 .txDeadman)
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 1 198.18.84.2 || lt_fail "no ping after restart"
[ "$(lt_jq "$A" lag0 '"\(.controller) \(.lagState) \(.txDeadman)"')" = "running available $n2" ] ||
	lt_fail "after restart: $(lt_show "$A" lag0 | jq -c '{controller, lagState, txDeadman}')"

# Dead again; the dead-man fires again, and detach removes everything all the same.
kill -9 "$(lt_jq "$A" lag0 .controllerPid)" || lt_fail "kill -9 after restart"
lt_wait 6 fired || lt_fail "the dead-man did not fire after the second kill -9"
lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "detach of the dead LAG failed"
lt_no_leftovers "$A" lag0 || lt_fail "detach of the dead LAG left something"
lt_pass "$(printf 'dead-man fired %.1f s after kill -9, %s frames counted' "$(bc <<<"scale=2; $dt/1000")" "$n1")"
