#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# lagbpf capture: the LACPDUs and Marker PDUs A's controller receives and
# sends, as pcapng, one interface per member. Three captures at once: every
# member to a file (-w), a0 only to stdout, and -c 4 piped into tshark -r -.
# tshark reads them without a warning, expert note or malformed frame;
# LACPDUs in both directions on a0 (inbound from B's system, outbound from
# A's), the Marker PDUs sent from P to a1 inbound and A's Marker Responses
# outbound. A fourth capture, its reader stopped (SIGSTOP) throughout, does
# not keep the LAG from forming nor show from answering. Then, with a monitor on: 20 malformed LACPDUs from P give one
# pdu-errors summary (not 20 lines) that counts them and names the reason (an illegal Actor System).
#
#   ns A                                ns B
#   lag0 (LACP fast) --+-- a0 ===== b0 -- lag0 (LACP fast)
#                      +-- a1 ===== p1  ns P: a plain veth end, raw-socket sender
#
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init capture
command -v tshark >/dev/null || lt_skip "tshark not installed (Debian: tshark)"
out=$LT_LOG.cap
LT_CLEANUP+=("rm -f '$out'.*")

lt_ns A a; lt_ns B b; lt_ns P p
lt_veth "$A" a0 "$B" b0
lt_veth "$A" a1 "$P" p1
ip -n "$P" link set p1 up
lt_attach "$A" lag0 a0 a1 --rate fast || lt_fail "attach A"
alog=/run/lagbpf/netns/$A/lag0.log

# Bad input: one line each.
e=$("$LAGBPF" -n "$A" capture lag0 nosuch -w "$out.x" 2>&1); rc=$?
[ "$rc" = 1 ] && [ "$e" = "lagbpf: capture lag0: nosuch is not a member of lag0" ] || lt_fail "capture of a non-member: $rc '$e'"
e=$("$LAGBPF" -n "$A" capture nolag -w "$out.x" 2>&1) && lt_fail "capture of a missing LAG succeeded"
[ "$(wc -l <<<"$e")" = 1 ] || lt_fail "capture nolag: '$e'"
"$LAGBPF" -n "$A" capture lag0 -c 0 -w "$out.x" >/dev/null 2>&1; [ $? = 2 ] || lt_fail "capture -c 0 is no usage error"
"$LAGBPF" -n "$A" capture >/dev/null 2>&1; [ $? = 2 ] || lt_fail "capture without a LAG is no usage error"

# shellcheck disable=SC2317 # run through lt_wait
joined() { [ "$(grep -c 'capture subscriber .* joined' "$alog")" -ge "$1" ]; }
"$LAGBPF" -n "$A" capture lag0 -w "$out.all.pcapng" 2>"$out.all.err" & c_all=$!; LT_PIDS+=("$c_all")
"$LAGBPF" -n "$A" capture lag0 a0 >"$out.a0.pcapng" 2>"$out.a0.err" & c_a0=$!; LT_PIDS+=("$c_a0")
{ "$LAGBPF" -n "$A" capture lag0 -c 4 2>"$out.pipe.cap.err" |
	tshark -r - -T fields -e frame.interface_name -e frame.packet_flags_direction -e lacp.actor.sysid \
		>"$out.pipe" 2>"$out.pipe.err"; } & c_pipe=$!; LT_PIDS+=("$c_pipe")
# and a fourth whose reader is stopped (SIGSTOP) all along: it must not hold A back
"$LAGBPF" -n "$A" capture lag0 -w "$out.stuck.pcapng" 2>/dev/null & c_stuck=$!; LT_PIDS+=("$c_stuck")
LT_CLEANUP+=("kill -CONT $c_stuck")
lt_wait 5 joined 4 || lt_fail "four captures did not subscribe"
kill -STOP "$c_stuck"

lt_attach "$B" lag0 b0 --rate fast || lt_fail "attach B"
lt_wait 15 lt_member_is "$A" lag0 a0 .distributing true || lt_fail "A/B did not form on a0"
sys_a=$(lt_jq "$A" lag0 .lacp.systemId); sys_b=$(lt_jq "$B" lag0 .lacp.systemId)
tx0=$(lt_member "$A" lag0 a1 .counters.markerResponseTx)

# Two Marker PDUs from p1 (as test_lacp_marker.sh): transaction ids 0x5eed0001 and 2.
lt_run lt_nsexec "$P" /usr/bin/python3 - p1 <<'PY' || lt_fail "sending Marker PDUs"
import socket, struct, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
src = s.getsockname()[4]
for tid in (0x5EED0001, 0x5EED0002):
    pdu = struct.pack("!BBBBH6sIH", 2, 1, 1, 16, 0x0107, bytes.fromhex("02deadbeef01"), tid, 0)
    pdu += b"\x00\x00" + b"\x00" * 90
    s.send(bytes.fromhex("0180c2000002") + src + b"\x88\x09" + pdu)
    time.sleep(0.2)
PY
lt_wait 5 sh -c "[ \$('$LAGBPF' -n '$A' show lag0 -j | jq '.connections[] | select(.connectionName == \"a1\") | .counters.markerResponseTx') -ge $((tx0 + 2)) ]" ||
	lt_fail "A sent no Marker Responses"
sleep 1.5 # a periodic LACPDU each way at least (fast: every second)
t0=$(lt_ms); lt_show "$A" lag0 >/dev/null || lt_fail "show failed"; show_ms=$(( $(lt_ms) - t0 ))
[ "$show_ms" -lt 1000 ] || lt_fail "show took $show_ms ms with a stopped capture"
kill -CONT "$c_stuck"
# Continued, it writes what its queue kept: wait for that before stopping it
# (a SIGTERM right after SIGCONT could come first).
# shellcheck disable=SC2317 # run through lt_wait
stuck_has_lacp() { tshark -r "$out.stuck.pcapng" -Y lacp 2>/dev/null | grep -q .; }
lt_wait 5 stuck_has_lacp || lt_fail "the continued capture has no LACPDU"
kill "$c_all" "$c_a0" "$c_stuck"
wait "$c_all"; rc_all=$?
wait "$c_a0"; rc_a0=$?
wait "$c_stuck"
[ "$rc_all" = 0 ] && [ "$rc_a0" = 0 ] || lt_fail "captures stopped by SIGTERM exited $rc_all/$rc_a0"
grep -qE '^[1-9][0-9]* PDUs captured$' "$out.all.err" || lt_fail "capture -w: '$(cat "$out.all.err")'"
lt_wait 5 sh -c "! kill -0 $c_pipe 2>/dev/null" || lt_fail "capture -c 4 | tshark did not end"

# tshark: no complaint on stderr (but its note about running as root), no expert info.
for f in all a0; do
	tshark -r "$out.$f.pcapng" >"$out.$f.txt" 2>"$out.$f.tshark.err" || lt_fail "tshark -r $f: $(cat "$out.$f.tshark.err")"
	! grep -v 'Running as user "root"' "$out.$f.tshark.err" | grep -q . || lt_fail "tshark -r $f says: $(cat "$out.$f.tshark.err")"
	lt_log "$f: $(wc -l <"$out.$f.txt") frames"
	x=$(tshark -r "$out.$f.pcapng" -q -z expert 2>/dev/null | grep -iE 'warn|error|malformed|note|chat')
	[ -z "$x" ] || lt_fail "tshark expert info on $f: $x"
	! tshark -r "$out.$f.pcapng" -V 2>/dev/null | grep -qi malformed || lt_fail "malformed frames in $f"
done
lt_log "$(cat "$out.all.txt")"
fields() { tshark -r "$1" -Y "$2" -T fields -e frame.interface_name -e frame.packet_flags_direction "${@:3}" 2>/dev/null; }
# LACPDUs on a0, both ways: in from B's system, out from A's.
in_a0=$(fields "$out.all.pcapng" 'lacp && frame.interface_name == "a0"' -e lacp.actor.sysid | awk '$2 == "0x00000001"')
out_a0=$(fields "$out.all.pcapng" 'lacp && frame.interface_name == "a0"' -e lacp.actor.sysid | awk '$2 == "0x00000002"')
[ -n "$in_a0" ] && ! awk '{print $3}' <<<"$in_a0" | grep -qv "^$sys_b\$" || lt_fail "inbound LACPDUs on a0 not all from B ($sys_b): $in_a0"
[ -n "$out_a0" ] && ! awk '{print $3}' <<<"$out_a0" | grep -qv "^$sys_a\$" || lt_fail "outbound LACPDUs on a0 not all from A ($sys_a): $out_a0"
# a1 sends LACPDUs too (no partner there), and the Markers: 2 in, 2 responses out.
[ -n "$(fields "$out.all.pcapng" 'lacp && frame.interface_name == "a1"' | awk '$2 == "0x00000002"')" ] || lt_fail "no outbound LACPDU on a1"
m_in=$(fields "$out.all.pcapng" 'marker.tlvType == 1 && frame.interface_name == "a1"' -e marker.requesterTransId | awk '$2 == "0x00000001" {print $3}' | sort | tr '\n' ' ')
m_out=$(fields "$out.all.pcapng" 'marker.tlvType == 2 && frame.interface_name == "a1"' -e marker.requesterTransId | awk '$2 == "0x00000002" {print $3}' | sort | tr '\n' ' ')
[ "$m_in" = "1592590337 1592590338 " ] || lt_fail "Marker PDUs in on a1: '$m_in'"
[ "$m_out" = "1592590337 1592590338 " ] || lt_fail "Marker Responses out on a1: '$m_out'"
# The member filter: a0's capture has a0 only, both ways.
ifs=$(fields "$out.a0.pcapng" 'frame' | awk '{print $1, $2}' | sort -u | tr '\n' ' ')
[ "$ifs" = "a0 0x00000001 a0 0x00000002 " ] || lt_fail "capture lag0 a0 has: '$ifs'"
# The pipe: 4 PDUs through tshark -r -, quietly.
[ "$(wc -l <"$out.pipe")" = 4 ] || lt_fail "capture -c 4 | tshark -r -: $(wc -l <"$out.pipe") lines: $(cat "$out.pipe" "$out.pipe.err")"
! grep -v 'Running as user "root"' "$out.pipe.err" | grep -q . || lt_fail "tshark -r - says: $(cat "$out.pipe.err")"
grep -q '^4 PDUs captured$' "$out.pipe.cap.err" || lt_fail "capture -c 4: '$(cat "$out.pipe.cap.err")'"

# PDU errors are summarised: 20 LACPDUs with an illegal Actor System (all zero; the
# TLV lengths are not judged, as 802.1AX says), one or two lines.
"$LAGBPF" -n "$A" monitor lag0 -j >"$out.mon" 2>&1 & LT_PIDS+=($!)
lt_wait 5 sh -c "grep -q 'monitor subscriber .* joined' '$alog'" || lt_fail "monitor did not subscribe"
lt_run lt_nsexec "$P" /usr/bin/python3 - p1 <<'PY' || lt_fail "sending bad LACPDUs"
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
src = s.getsockname()[4]
pdu = bytes([1, 1, 1, 20]) + bytes(106)  # Actor System 00:00:00:00:00:00
for _ in range(20):
    s.send(bytes.fromhex("0180c2000002") + src + b"\x88\x09" + pdu)
    time.sleep(0.01)
PY
# shellcheck disable=SC2317 # run through lt_wait
summed() { [ "$(jq -s '[.[] | select(.event == "pdu-errors" and .member == "a1") | .rejected] | add' "$out.mon")" = 20 ]; }
lt_wait 5 summed || lt_fail "pdu-errors do not add up to 20: $(cat "$out.mon")"
lines=$(grep -c '"pdu-errors"' "$out.mon")
[ "$lines" -le 2 ] || lt_fail "$lines pdu-errors lines for 20 frames"
jq -se '[.[] | select(.event == "pdu-errors")] | all(.reason == "illegal-actor-system" and .intervalMs == 1000)' "$out.mon" >/dev/null ||
	lt_fail "pdu-errors reason: $(grep pdu-errors "$out.mon")"
lt_log "$(cat "$out.mon")"
lt_pass "$(grep -o '^[0-9]*' "$out.all.err") PDUs on 2 members, both ways, tshark silent; 20 bad LACPDUs in $lines pdu-errors line(s)"
