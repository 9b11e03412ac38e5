#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# A member facing a partner that alternates between two identities at full
# speed (one foreign system, then an Individual port: every frame changes the
# port's selection reason) must not flood /run: the controller's log stays
# under 1 MiB (log plus its one rotated copy), says what it left out, and
# SIGHUP reopens it (logrotate) without stopping the controller.
#
#   ns A                              ns B
#   lag0 (LACP, fast) -- a0 ===== b0  raw-socket sender, 3 s of LACPDUs
#
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init log_flood

lt_ns A a; lt_ns B b
lt_veth "$A" a0 "$B" b0
ip -n "$B" link set b0 up
# --slow-rate 0: no policing in the data path, so the whole flood reaches the
# controller and its log (the policer alone would keep it small).
lt_attach "$A" lag0 a0 --rate fast --slow-rate 0 || lt_fail "attach"
log=/run/lagbpf/netns/$A/lag0.log
pid=$(lt_jq "$A" lag0 .controllerPid)

# Two LACPDUs (802.1AX 6.4.2): system 02:..:01 aggregatable, system 02:..:02
# Individual; sent alternately for 3 s as fast as one core can.
lt_nsexec "$B" python3 - b0 3 <<'PY' >>"$LT_LOG" 2>&1 || lt_fail "sender failed"
import socket, struct, sys, time
def lacpdu(system, state):
    actor = struct.pack('!BBH6sHHHB3x', 1, 20, 32768, system, 7, 32768, 1, state)
    partner = struct.pack('!BB18x', 2, 20)
    collector = struct.pack('!BBH12x', 3, 16, 0)
    pdu = struct.pack('!BB', 1, 1) + actor + partner + collector + b'\0\0' + bytes(50)
    return bytes.fromhex('0180c2000002') + bytes.fromhex('020000bbbbbb') + b'\x88\x09' + pdu
frames = [lacpdu(bytes.fromhex('020000000001'), 0x3d), lacpdu(bytes.fromhex('020000000002'), 0x39)]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
end, n = time.time() + float(sys.argv[2]), 0
while time.time() < end:
    for f in frames * 64:
        s.send(f)
    n += 128
print('sent', n, 'LACPDUs')
PY
sent=$(grep -o 'sent [0-9]*' "$LT_LOG" | tail -1)
lt_log "$sent"
lt_pid_running "$pid" || lt_fail "the controller died in the flood"
size=$(( $(stat -c %s "$log") + $(stat -c %s "$log.1" 2>/dev/null || echo 0) ))
lt_log "log after the flood: $size bytes"
[ "$size" -lt 1048576 ] || lt_fail "the log grew to $size bytes"
grep -qE 'suppressed [0-9]+ lines|repeated [0-9]+ times' "$log" "$log.1" 2>/dev/null ||
	lt_fail "the log does not say what it left out"

# logrotate's way: move the file, SIGHUP; the controller writes a new one.
mv "$log" "$log.rotated"
LT_CLEANUP+=("rm -f '$log.rotated'")
kill -HUP "$pid"
lt_wait 3 test -s "$log" || lt_fail "no new log after SIGHUP"
grep -q 'SIGHUP: log reopened' "$log" || lt_fail "the new log does not say it was reopened"
lt_pid_running "$pid" || lt_fail "SIGHUP stopped the controller"
lt_show "$A" lag0 >/dev/null || lt_fail "the controller does not answer after SIGHUP"
lt_pass "log $size bytes after ${sent#sent } LACPDUs in 3 s"
