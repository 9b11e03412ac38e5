#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Names never reach paths unchecked: every verb refuses a bad LAG name (.., a/b,
# 16+ characters, empty, the reserved "netns") and -n refuses a bad namespace
# name, with one line on stderr, before any path is built. A decoy pid file
# that a path-escaping name would reach keeps its process alive, and nothing
# appears under the bpffs root or /run/lagbpf.
#
#   ns A
#   a0 ===== b0   ns B       (a real member, so attach gets past "no members")
#
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init bad_names

lt_ns A a; lt_ns B b
lt_veth "$A" a0 "$B" b0

decoy=$(mktemp -d "/tmp/lagt-bad_names-XXXXXX")
LT_CLEANUP+=("rm -rf '$decoy'")
sleep 300 &
decoy_pid=$!
LT_PIDS+=("$decoy_pid")
echo "$decoy_pid" >"$decoy/x.pid"
: >"$decoy/x.sock"
: >"$decoy/x.log"
# From /run/lagbpf/netns/NS/, this many ../ reach / (and more stay at /).
escape="../../../../../..$decoy/x"

pins_before=$(find /sys/fs/bpf/lagbpf -mindepth 1 -maxdepth 1 2>/dev/null | sort)
run_before=$(find /run/lagbpf -mindepth 1 -maxdepth 1 2>/dev/null | sort)

# refused WHY PATTERN ARGS...: lagbpf -n A ARGS fails (exit 1) with exactly
# one stderr line matching PATTERN and nothing on stdout.
refused() {
	local why=$1 pat=$2 out err rc; shift 2
	lt_log "+ lagbpf -n A $*    # $why"
	out=$("$LAGBPF" -n "$A" "$@" 2>"$LT_LOG.err"); rc=$?
	err=$(cat "$LT_LOG.err"); rm -f "$LT_LOG.err"
	lt_log "rc=$rc stdout='$out' stderr='$err'"
	[ "$rc" = 1 ] || lt_fail "$why: exit $rc, not 1"
	[ -z "$out" ] || lt_fail "$why: wrote to stdout: $out"
	[ "$(wc -l <<<"$err")" = 1 ] && [ -n "$err" ] || lt_fail "$why: not one line on stderr: $err"
	grep -qE -- "^lagbpf: .*$pat" <<<"$err" || lt_fail "$why: unclear error: $err"
}

n=0
for name in .. a/b lag0123456789ab "" netns "$escape" "a b" "x:y"; do
	case $name in
	netns) pat="reserved" ;;
	"") pat="empty" ;;
	lag0123456789ab) pat="longer than 15|too long" ;;
	*) pat="LAG name" ;;
	esac
	refused "attach '$name'" "$pat" attach "$name" a0 --mode static
	refused "detach '$name'" "$pat" detach "$name"
	refused "show '$name'" "$pat" show "$name"
	refused "set '$name'" "$pat" set "$name" --rate fast
	refused "add '$name'" "$pat" add "$name" a0
	refused "del '$name'" "$pat" del "$name" a0
	n=$((n + 6))
done
refused "LAG name of 12 characters" "too long" attach lag012345678 a0 --mode static
refused "member name with /" "member 'a/b'" attach lag1 a0 a/b --mode static
for ns in .. "../$(basename "$decoy")" "a/b" ""; do
	out=$("$LAGBPF" -n "$ns" show 2>&1); rc=$?
	lt_log "-n '$ns' show: rc=$rc $out"
	[ "$rc" = 1 ] && grep -qE '^lagbpf: namespace name' <<<"$out" || lt_fail "-n '$ns' not refused: $out"
	n=$((n + 1))
done

kill -0 "$decoy_pid" 2>/dev/null || lt_fail "the decoy process behind $escape was signalled"
for f in x.pid x.sock x.log; do [ -e "$decoy/$f" ] || lt_fail "$decoy/$f was removed"; done
[ "$(find /sys/fs/bpf/lagbpf -mindepth 1 -maxdepth 1 2>/dev/null | sort)" = "$pins_before" ] || lt_fail "something appeared under /sys/fs/bpf/lagbpf"
[ "$(find /run/lagbpf -mindepth 1 -maxdepth 1 2>/dev/null | sort)" = "$run_before" ] || lt_fail "something appeared under /run/lagbpf"
! ip -n "$A" -d link show a0 | grep -q prog/xdp || lt_fail "a0 got an XDP program"
lt_pass "$n bad names refused"
