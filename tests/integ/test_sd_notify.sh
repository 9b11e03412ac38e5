#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The service protocol of lagbpf@.service (Type=notify) without systemd as
# PID 1: a datagram listener plays the manager's $NOTIFY_SOCKET (abstract,
# then a path), a file named by $JOURNAL_STREAM plays the journal's stream.
# The controller says MAINPID= (its own pid: attach forks it) with READY=1
# once it serves, STATUS= as the LAG's state moves, STOPPING=1 on detach; its
# log lines reach "the journal" with their syslog priority ("<6>", "<4>") and
# no log file is written. Without a matching stream (the variable names
# another file) the log file is used as before. The unit's ExecStop=
# (detach --service) detaches only while $MAINPID is the LAG's controller: a
# crashed controller's LAG is left for Restart= to adopt, a foreign MAINPID
# (a handover) leaves it too. With systemd as PID 1, the
# same through systemd-run with the unit's settings; elsewhere that part is
# skipped, and the PASS line says so.
#
#   ns A                      ns B
#   lagn (static) -- a0 ===== b0
#                    a1 ===== b1
#   lagp (static) -- a2 ===== b2
#   lagq (static) -- a3 ===== b3
#   lagf (static, --foreground) -- a4 ===== b4
#
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init sd_notify

lt_ns A a; lt_ns B b
for i in 0 1 2 3 4; do lt_veth "$A" a$i "$B" b$i; ip -n "$B" link set b$i up; done
dir=$(mktemp -d "/tmp/lagt-sd-notify-XXXXXX")
LT_CLEANUP+=("rm -rf '$dir'")

# listen NS ADDRESS OUT: a manager's notify socket at ADDRESS ('@' abstract:
# per network namespace, so in NS), one line per datagram into OUT ('|'
# between its assignments).
listen() {
	# shellcheck disable=SC2016 # python, not shell
	lt_bg "$1" python3 -c '
import socket, sys
addr, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + addr[1:] if addr.startswith("@") else addr)
open(out + ".ready", "w").close()
while True:
    d = s.recv(4096).decode()
    with open(out, "a") as f:
        f.write(d.replace("\n", "|") + "\n")
' "$2" "$3"
	lt_wait 30 test -e "$3.ready" || lt_fail "notify listener $2 did not start"
}
# shellcheck disable=SC2317 # run through lt_wait
# said OUT REGEX: some datagram in OUT matches REGEX (grep -E).
said() { grep -qE -- "$2" "$1" 2>/dev/null; }

# 1. Abstract socket and the journal's stream.
listen "$A" "@lagt-notify-$LT_ID" "$dir/notify"
journal="$dir/journal"
: >"$journal"
stream=$(stat -c '%d:%i' "$journal")
LT_LAGS+=("$A lagn")
NOTIFY_SOCKET="@lagt-notify-$LT_ID" JOURNAL_STREAM=$stream \
	"$LAGBPF" -n "$A" attach lagn a0 a1 --mode static 2>>"$journal" ||
	lt_fail "attach lagn under a notify socket: $(cat "$journal")"
lt_log "journal after attach: $(cat "$journal")"
pid=$(lt_jq "$A" lagn .controllerPid)
if [ -z "$pid" ] || [ "$pid" = null ]; then lt_fail "lagn has no controller"; fi
lt_wait 10 said "$dir/notify" "^MAINPID=$pid\|READY=1\|?$" ||
	lt_fail "no MAINPID=$pid + READY=1 from the controller: $(cat "$dir/notify")"
lt_wait 10 said "$dir/notify" '^STATUS=lagn available: 2 of 2 members distributing' ||
	lt_fail "no STATUS of 2 distributing: $(cat "$dir/notify")"
ip -n "$A" link del a1 || lt_fail "cannot delete a1"
lt_wait 10 said "$dir/notify" '^STATUS=lagn available: 1 of 2 members distributing' ||
	lt_fail "no STATUS after a1 was deleted: $(cat "$dir/notify")"
lt_wait 10 grep -q '^<4>lagn a1: deleted' "$journal" ||
	lt_fail "no warning <4> line for the deleted member: $(cat "$journal")"
grep -qE "^<6>lagn: controller $pid serving" "$journal" ||
	lt_fail "no info <6> line of the controller serving: $(cat "$journal")"
bad=$(grep -vE '^<[0-7]>' "$journal") && lt_fail "journal lines without a priority: $bad"
log=/run/lagbpf/netns/$A/lagn.log
[ ! -s "$log" ] || lt_fail "the controller also wrote $log: $(cat "$log")"
# A command run by the manager (ExecStop=): its error with priority 3.
JOURNAL_STREAM=$stream "$LAGBPF" -n "$A" detach nosuch 2>>"$journal" &&
	lt_fail "detach nosuch succeeded"
grep -q '^<3>lagbpf: detach nosuch: no LAG named nosuch' "$journal" ||
	lt_fail "no error <3> line of detach nosuch: $(tail -n 3 "$journal")"
lt_run "$LAGBPF" -n "$A" detach lagn || lt_fail "detach lagn"
lt_wait 10 said "$dir/notify" '^STOPPING=1\|' ||
	lt_fail "no STOPPING=1 on detach: $(cat "$dir/notify")"
grep -q '^<6>lagn: controller stopping' "$journal" ||
	lt_fail "no <6> line of the controller stopping: $(tail -n 3 "$journal")"

# 2. A path socket; JOURNAL_STREAM names a file that is not stderr: the log
# file as before, nothing in the other file.
listen "$A" "$dir/notify.sock" "$dir/notify2"
other="$dir/other"
: >"$other"
LT_LAGS+=("$A lagp")
NOTIFY_SOCKET="$dir/notify.sock" JOURNAL_STREAM=$(stat -c '%d:%i' "$other") \
	lt_run "$LAGBPF" -n "$A" attach lagp a2 --mode static || lt_fail "attach lagp"
pid=$(lt_jq "$A" lagp .controllerPid)
lt_wait 10 said "$dir/notify2" "^MAINPID=$pid\|READY=1\|?$" ||
	lt_fail "no MAINPID=$pid + READY=1 on a path socket: $(cat "$dir/notify2")"
log=/run/lagbpf/netns/$A/lagp.log
grep -qE "info: lagp: controller $pid serving" "$log" ||
	lt_fail "no serving line in $log: $(cat "$log" 2>&1)"
[ ! -s "$other" ] || lt_fail "a stream that is not stderr got lines: $(cat "$other")"
lt_run "$LAGBPF" -n "$A" detach lagp || lt_fail "detach lagp"

# 2b. attach --foreground (the controller is the command itself): the same
# readiness, the journal, STOPPING=1 on SIGTERM, then the LAG is gone.
listen "$A" "$dir/notify3.sock" "$dir/notify3"
journal3="$dir/journal3"
: >"$journal3"
stream3=$(stat -c '%d:%i' "$journal3")
NOTIFY_SOCKET="$dir/notify3.sock" JOURNAL_STREAM=$stream3 \
	"$LAGBPF" -n "$A" attach lagf a4 --mode static --foreground 2>>"$journal3" &
fg=$!
LT_PIDS+=("$fg")
lt_wait 10 said "$dir/notify3" "^MAINPID=$fg\|READY=1\|?$" ||
	lt_fail "no MAINPID=$fg + READY=1 from attach --foreground: $(cat "$dir/notify3")"
lt_wait 10 grep -q "^<6>lagf: controller $fg serving" "$journal3" ||
	lt_fail "attach --foreground did not log to the journal: $(cat "$journal3")"
kill "$fg"
wait "$fg" 2>/dev/null
lt_wait 10 said "$dir/notify3" '^STOPPING=1\|' || lt_fail "no STOPPING=1 from attach --foreground"
lt_no_leftovers "$A" lagf || lt_fail "attach --foreground left lagf behind"
bad=$(grep -vE '^<[0-7]>' "$journal3") && lt_fail "journal lines without a priority: $bad"

# 3. ExecStop=lagbpf detach --service: only the service's main process.
lt_attach "$A" lagq a3 --mode static || lt_fail "attach lagq"
pid=$(lt_jq "$A" lagq .controllerPid)
MAINPID=$((pid + 100000)) lt_run "$LAGBPF" -n "$A" detach --service lagq ||
	lt_fail "detach --service with a foreign MAINPID failed"
[ "$(lt_jq "$A" lagq .controllerPid)" = "$pid" ] || lt_fail "a foreign MAINPID stopped lagq's controller"
kill -9 "$pid"
# shellcheck disable=SC2317 # run through lt_wait
dead() { [ ! -e "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; } # or a zombie
lt_wait 10 dead "$pid" || lt_fail "controller $pid did not die"
out=$(env -u MAINPID "$LAGBPF" -n "$A" detach --service lagq 2>&1) || lt_fail "detach --service after a crash failed: $out"
grep -q 'left as it is: its controller is gone' <<<"$out" || lt_fail "detach --service after a crash said: $out"
# shellcheck disable=SC2015 # fail unless both hold
[ -d "/sys/fs/bpf/lagbpf/netns/$A/lagq" ] && ip -n "$A" link show lagq >/dev/null 2>&1 ||
	lt_fail "detach --service after a crash removed lagq"
lt_attach "$A" lagq a3 --mode static || lt_fail "attach lagq again (adopt)"
pid=$(lt_jq "$A" lagq .controllerPid)
MAINPID=$pid lt_run "$LAGBPF" -n "$A" detach --service lagq || lt_fail "detach --service of the main process"
lt_no_leftovers "$A" lagq || lt_fail "detach --service of the main process left lagq behind"

# 4. The real thing, where systemd is PID 1: the unit's settings on a
# transient service, on a3 (free again).
init=$(ps -p 1 -o comm=)
if [ "$init" != systemd ]; then
	lt_pass "real systemd part skipped: PID 1 is $init, not systemd"
fi
unit="lagt-sd-notify-$LT_ID"
LT_CLEANUP+=("systemctl stop '$unit' 2>/dev/null; systemctl reset-failed '$unit' 2>/dev/null")
LT_LAGS+=("$A lags")
lt_run systemd-run --unit="$unit" -p Type=notify -p NotifyAccess=all \
	-p StandardError=journal -p SyslogLevelPrefix=yes -p Restart=on-failure -p RestartSec=1 \
	-p ExecStop="$LAGBPF -n $A detach --service lags" \
	--setenv=ASAN_OPTIONS --setenv=UBSAN_OPTIONS --setenv=LSAN_OPTIONS \
	"$LAGBPF" -n "$A" attach lags a3 --mode static || lt_fail "systemd-run"
# shellcheck disable=SC2317 # run through lt_wait
unit_is() { [ "$(systemctl show -P "$1" "$unit")" = "$2" ]; }
# shellcheck disable=SC2317 # run through lt_wait
status_has() { grep -q "$1" <<<"$(systemctl show -P StatusText "$unit")"; }
# shellcheck disable=SC2317 # run through lt_wait
journal_has() { grep -q "$1" <<<"$(journalctl -u "$unit" -o json --no-pager 2>/dev/null)"; }
# shellcheck disable=SC2317 # run through lt_wait
main_is_controller() {
	local main
	main=$(systemctl show -P MainPID "$unit")
	[ "$main" != 0 ] && [ "$main" != "$1" ] && [ "$main" = "$(lt_jq "$A" lags .controllerPid)" ]
}
lt_wait 10 unit_is ActiveState active ||
	lt_fail "$unit not active: $(systemctl status "$unit" 2>&1)"
lt_wait 10 main_is_controller 0 || lt_fail "MainPID $(systemctl show -P MainPID "$unit") is not the controller"
lt_wait 10 status_has 'lags available' ||
	lt_fail "StatusText: $(systemctl show -P StatusText "$unit")"
lt_wait 10 journal_has '"PRIORITY":"6"' ||
	lt_fail "no priority 6 entry in the journal of $unit"
# A crash: ExecStop= leaves the LAG, Restart= adopts it (same device).
main=$(systemctl show -P MainPID "$unit")
ifindex=$(lt_jq "$A" lags .ifindex)
kill -9 "$main"
lt_wait 15 main_is_controller "$main" || lt_fail "$unit did not restart after kill -9 of $main"
[ "$(lt_jq "$A" lags .ifindex)" = "$ifindex" ] || lt_fail "lags was made anew, not adopted"
lt_run systemctl stop "$unit" || lt_fail "systemctl stop"
lt_no_leftovers "$A" lags || lt_fail "lags left something after systemctl stop"
lt_pass
