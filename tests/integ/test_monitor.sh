#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# lagbpf monitor: three monitors at once on A (text for lag0, JSON lines for
# lag0, JSON lines for every LAG of the namespace) see a member cut (b0, the
# peer of a0, set down) and its return, in order and with their content:
# carrier, the loss table going live (buckets moved), the member leaving
# (port-down), the LAG dropping below min-links, the partner lost; then the
# member and the LAG coming back and the table rebuilt with both members.
# Then a fourth monitor is stopped (SIGSTOP) while the member flaps: the
# controller is not delayed (a cut is handled as fast as before, LACP
# converges, show answers), the other monitors lose nothing, and the stopped
# one, continued, gets a "lost N events" marker and whole lines after it.
# A restart is followed; a detach ends the monitor of that LAG.
#
#   ns A                                         ns B
#   lag0 (LACP fast, min-links 2) --+-- a0 ===== b0 --+-- lag0 (LACP fast)
#                                   +-- a1 ===== b1 --+
#
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init monitor

lt_ns A a; lt_ns B b
for i in 0 1; do lt_veth "$A" a$i "$B" b$i; done
lt_attach "$A" lag0 a0 a1 --rate fast --min-links 2 || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --rate fast || lt_fail "attach B"
lt_wait 15 lt_distributing "$A" lag0 2 || lt_fail "not formed"
alog=/run/lagbpf/netns/$A/lag0.log
out=$LT_LOG.mon
LT_CLEANUP+=("rm -f '$out'.*")

# Bad input: one line each, and the usual exit codes.
e=$("$LAGBPF" -n "$A" monitor nolag 2>&1) && lt_fail "monitor of a missing LAG succeeded"
[ "$(wc -l <<<"$e")" = 1 ] && grep -q 'nolag' <<<"$e" || lt_fail "monitor nolag: '$e'"
"$LAGBPF" -n "$A" monitor lag0 extra >/dev/null 2>&1; [ $? = 2 ] || lt_fail "monitor with 2 LAGs: not a usage error"
e=$("$LAGBPF" -n "$A" -j monitor nolag 2>/dev/null)
jq -e '.error | type == "string"' <<<"$e" >/dev/null || lt_fail "monitor -j nolag: no JSON error: '$e'"

# shellcheck disable=SC2317 # run through lt_wait
joined() { [ "$(grep -c 'monitor subscriber .* joined' "$alog")" -ge "$1" ]; }
"$LAGBPF" -n "$A" monitor lag0 >"$out.text" 2>"$out.text.err" & m1=$!; LT_PIDS+=("$m1")
"$LAGBPF" -n "$A" monitor lag0 -j >"$out.json" 2>&1 & LT_PIDS+=($!)
"$LAGBPF" -n "$A" -j monitor >"$out.all" 2>&1 & LT_PIDS+=($!)
lt_wait 5 joined 3 || lt_fail "three monitors did not subscribe"

# The cut and the return.
ip -n "$B" link set b0 down
lt_wait 10 lt_member_is "$A" lag0 a0 .distributing false || lt_fail "a0 still distributing"
lt_wait 5 lt_lag_state "$A" lag0 down || lt_fail "A not down below min-links"
ip -n "$B" link set b0 up
lt_wait 15 lt_distributing "$A" lag0 2 || lt_fail "a0 did not come back"
# shellcheck disable=SC2317 # run through lt_wait
seen_back() { grep -q '"event":"table".*"cause":"rebuild","members":2' "$1" && grep -q '"event":"lag".*"to":"available"' "$1"; }
lt_wait 5 seen_back "$out.json" || lt_fail "JSON monitor did not see the return: $(tail -3 "$out.json")"
lt_wait 5 seen_back "$out.all" || lt_fail "all-LAG monitor did not see the return"
lt_wait 5 grep -q 'lag0 lag pending -> available' "$out.text" || lt_fail "text monitor did not see the return"
cp "$out.json" "$out.json.cut"; cp "$out.text" "$out.text.cut"; cp "$out.all" "$out.all.cut"
lt_log "$(cat "$out.text.cut")"

# JSON: every line an object with a time, lag0, and times in order.
jq -se 'length > 10 and all(.[]; (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{6}Z$")) and .lag == "lag0" and (.timeNs | type == "number"))
	and ([.[].timeNs] == ([.[].timeNs] | sort))' "$out.json.cut" >/dev/null ||
	lt_fail "JSON lines malformed or out of time order"
# The order and content of the cut and the return, from the JSON lines.
/usr/bin/python3 - "$out.json.cut" <<'PY' >>"$LT_LOG" 2>&1 || lt_fail "cut/return events wrong (see log)"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
def first(pred, after=-1, what=''):
    for i, e in enumerate(ev):
        if i > after and pred(e):
            return i
    raise SystemExit('not found after line %d: %s' % (after + 1, what))
down = first(lambda e: e['event'] == 'carrier' and e['member'] == 'a0' and e['from'] == 'up' and e['to'] == 'down', what='carrier down')
loss = first(lambda e: e['event'] == 'table' and e['cause'] == 'carrier-loss' and e['to'] >= 2 and e['bucketsMoved'] > 0 and e['buckets'] == 256, down, 'loss table')
left = first(lambda e: e['event'] == 'member' and e['member'] == 'a0' and e['from'] == 'available' and e['to'] == 'down' and e['reason'] == 'port-down', loss, 'a0 leaves')
lagdown = first(lambda e: e['event'] == 'lag' and e['from'] == 'available' and e['to'] == 'down' and e['reason'] == 'min-links' and e['minLinks'] == 2, down, 'LAG below min-links')
lost_partner = first(lambda e: e['event'] == 'partner' and e['member'] == 'a0' and e['to'] == 'none', down, 'partner lost')
up = first(lambda e: e['event'] == 'carrier' and e['member'] == 'a0' and e['to'] == 'up', max(left, lagdown, lost_partner), 'carrier up')
partner = first(lambda e: e['event'] == 'partner' and e['member'] == 'a0' and e['from'] == 'none' and e['to'].endswith('port 1'), up, 'partner back')
back = first(lambda e: e['event'] == 'member' and e['member'] == 'a0' and e['to'] == 'available' and e['reason'] is None, up, 'a0 back')
rebuilt = first(lambda e: e['event'] == 'table' and e['cause'] == 'rebuild' and e['members'] == 2, up, 'table with 2 members')
lagup = first(lambda e: e['event'] == 'lag' and e['to'] == 'available' and e['distributing'] == 2 and e['reason'] is None, up, 'LAG available')
assert rebuilt < back <= lagup, (rebuilt, back, lagup)
mux = [e['to'] for e in ev[up:back] if e['event'] == 'lacp' and e['member'] == 'a0' and e['machine'] == 'mux']
assert mux[-1] == 'DISTRIBUTING' and 'ATTACHED' in mux, mux
print('order ok: carrier down %d, loss table %d, a0 leaves %d, LAG down %d, carrier up %d, partner %d, a0 back %d, LAG up %d' % (down, loss, left, lagdown, up, partner, back, lagup))
PY
# Text: the same events, in the same order, one line each.
[ "$(wc -l <"$out.text.cut")" = "$(wc -l <"$out.json.cut")" ] || lt_fail "text and JSON monitors saw different numbers of events"
ts='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{6}Z lag0 '
prev=0
for re in 'a0 carrier up -> down seenBy (rtnetlink|poll)$' \
	'table [01] -> [0-9]+ cause carrier-loss members [0-9]+ bucketsMoved [1-9][0-9]* buckets 256$' \
	'a0 member available -> down reason port-down$' \
	'lag available -> down distributing 0 minLinks 2 reason min-links$' \
	'a0 carrier down -> up seenBy (rtnetlink|poll)$' \
	'a0 member pending -> available reason -$' \
	'lag pending -> available distributing 2 minLinks 2 reason -$'; do
	n=$(grep -nE "$ts$re" "$out.text.cut" | head -1 | cut -d: -f1)
	[ -n "$n" ] && [ "$n" -gt "$prev" ] || lt_fail "text monitor: '$re' missing or out of order (line '$n' after $prev)"
	prev=$n
done
bad=$(grep -cvE "$ts" "$out.text.cut")
[ "$bad" = 0 ] || lt_fail "text monitor: $bad lines without a timestamp and the LAG"
# Two monitors at once saw the same stream: the all-LAG one is the JSON one.
cmp -s "$out.json.cut" "$out.all.cut" || lt_fail "the all-LAG monitor differs from the lag0 one"

# A stopped reader never delays the controller.
# cut_ms: ms from cutting b0 until A's controller logs a0's carrier loss (its own clock).
cut_ms() {
	local t0 line
	t0=$(date +%s%N)
	ip -n "$B" link set b0 down
	lt_wait 10 lt_member_is "$A" lag0 a0 .distributing false || lt_fail "a0 still distributing"
	line=$(grep " a0: carrier down" "$alog" | tail -1)
	echo $(( ($(date -d "${line%%Z *}Z" +%s%N) - t0) / 1000000 ))
	ip -n "$B" link set b0 up
	lt_wait 15 lt_distributing "$A" lag0 2 || lt_fail "a0 did not come back"
}
base=$(cut_ms)
"$LAGBPF" -n "$A" monitor lag0 -j >"$out.stuck" 2>&1 & stuck=$!; LT_PIDS+=("$stuck")
LT_CLEANUP+=("kill -CONT $stuck")
lt_wait 5 joined 4 || lt_fail "fourth monitor did not subscribe"
kill -STOP "$stuck"
# Flap a1 until far more events than the stopped reader's queue and socket hold.
n0=$(wc -l <"$out.json")
for _ in $(seq 40); do
	ip -n "$B" link set b1 down; sleep 0.1; ip -n "$B" link set b1 up; sleep 0.1
done
lt_wait 20 lt_distributing "$A" lag0 2 || lt_fail "LACP did not converge with a stopped monitor"
flap_events=$(( $(wc -l <"$out.json") - n0 ))
stuck_ms=$(cut_ms)
t0=$(lt_ms); lt_show "$A" lag0 >/dev/null || lt_fail "show failed"; show_ms=$(( $(lt_ms) - t0 ))
lt_log "cut handled after ${base} ms alone, ${stuck_ms} ms with a stopped monitor; show ${show_ms} ms; ${flap_events} events during the flaps"
[ "$stuck_ms" -lt $((base + 250)) ] || lt_fail "a cut took ${stuck_ms} ms with a stopped monitor (${base} ms without)"
[ "$show_ms" -lt 1000 ] || lt_fail "show took ${show_ms} ms with a stopped monitor"
! grep -q '"event":"lost"' "$out.json" || lt_fail "a monitor that reads lost events"
kill -CONT "$stuck"
lt_wait 10 grep -q '"event":"lost"' "$out.stuck" ||
	lt_fail "the stopped monitor got no lost marker ($(wc -l <"$out.stuck") lines of ${flap_events} events)"
jq -se 'all(.[]; .lag == "lag0")' "$out.stuck" >/dev/null || lt_fail "the stopped monitor's stream is not whole JSON lines"
lost=$(jq -s '[.[] | select(.event == "lost") | .events] | add' "$out.stuck")
[ "$lost" -gt 0 ] || lt_fail "lost marker without a count"
kill -0 "$stuck" || lt_fail "the continued monitor exited"

# A restart is followed: the lag0 monitors say so and go on; the all-LAG one
# sees the controller stop and start.
lt_run "$LAGBPF" -n "$A" restart lag0 || lt_fail "restart A"
lt_wait 15 grep -qE "${ts}controller change restarted\$" "$out.text" || lt_fail "text monitor: no restart line: $(tail -2 "$out.text")"
lt_wait 5 grep -q '"event":"controller","member":null,"change":"restarted"' "$out.json" || lt_fail "JSON monitor: no restart line"
lt_wait 5 sh -c "grep -q '\"change\":\"stopped\"' '$out.all' && grep -q '\"change\":\"started\"' '$out.all'" ||
	lt_fail "all-LAG monitor: no stop and start of lag0: $(tail -2 "$out.all")"
kill -0 "$m1" || lt_fail "monitor lag0 exited on a restart"

# A monitor of one LAG ends when its LAG is detached; the all-LAG one goes on.
lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "detach A"
lt_wait 5 sh -c "! kill -0 $m1 2>/dev/null" || lt_fail "monitor lag0 still running after detach"
wait "$m1"; rc=$?
[ "$rc" = 1 ] && grep -q 'controller of lag0 stopped' "$out.text.err" || lt_fail "monitor lag0 after detach: exit $rc, '$(cat "$out.text.err")'"
lt_pass "3 monitors saw cut and return in order ($(wc -l <"$out.json.cut") events); a stopped one lost $lost of ${flap_events}+ events, cut handled in ${stuck_ms} ms (${base} alone)"
