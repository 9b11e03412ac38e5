#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# attach/detach refuse bad input with one clear line on stderr (or
# {"error": ...} on stdout with -j), a non-zero exit, and NOTHING left behind.
#
#   ns A                                   ns B
#   (lag1: refused)  a0 ===================== b0
#                    a1 ===================== b1
#   lagx (static) -- a2 ===================== b2
#   198.18.59.1/24 - a3 ===================== b3
#                    x0 ===================== y0   (a device name taken)
#
# After each refused command: no lag1/lbp-lag1 device, no pins, no socket or
# pid file, no controller process, no XDP or TC program on a0/a1/a3, and
# a0, a1, a2, a3 keep their MAC, admin state, IPv6 setting and MTU; lagx
# keeps running untouched.
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init static_badinput

lt_ns A a; lt_ns B b
for i in 0 1 2 3; do lt_veth "$A" a$i "$B" b$i; done
lt_veth "$A" x0 "$B" y0
ip -n "$A" link set a1 up
ip -n "$B" link set b2 up  # lagx needs a carrier to be available
ip -n "$A" addr add 198.18.59.1/24 dev a3
lt_attach "$A" lagx a2 --mode static || lt_fail "attach lagx"
lt_wait 5 lt_lag_state "$A" lagx available || lt_fail "lagx not available"
lagx_pid=$(lt_jq "$A" lagx .controllerPid)
LAGX_DIR=/sys/fs/bpf/lagbpf/netns/$A/lagx

declare -A before
for m in a0 a1 a2 a3 x0; do before[$m]=$(lt_link_snap "$A" $m) || lt_fail "cannot read $m"; done

# nothing_left NAME: no trace of a LAG NAME, and every member as it was.
nothing_left() {
	local name=$1 m
	[ ! -e "/sys/fs/bpf/lagbpf/netns/$A/$name" ] || { lt_log "pins of $name left"; return 1; }
	[ ! -e "/run/lagbpf/netns/$A/$name.sock" ] || { lt_log "socket of $name left"; return 1; }
	[ ! -e "/run/lagbpf/netns/$A/$name.pid" ] || { lt_log "pid file of $name left"; return 1; }
	! ip -n "$A" link show "lbp-$name" >/dev/null 2>&1 || { lt_log "lbp-$name left"; return 1; }
	if [ "$name" != x0 ]; then
		! ip -n "$A" link show "$name" >/dev/null 2>&1 || { lt_log "device $name left"; return 1; }
	fi
	! pgrep -f -- "-n $A attach $name( |$)" >/dev/null || { lt_log "controller of $name left"; return 1; }
	for m in a0 a1 a3 x0; do
		! ip -n "$A" -d link show "$m" | grep -q 'prog/xdp' || { lt_log "XDP program left on $m"; return 1; }
		! tc -n "$A" filter show dev "$m" ingress 2>/dev/null | grep -q lag_ ||
			{ lt_log "TC program left on $m"; return 1; }
	done
	for m in a0 a1 a2 a3 x0; do
		local now
		now=$(lt_link_snap "$A" $m)
		[ "$now" = "${before[$m]}" ] || { lt_log "$m changed: '${before[$m]}' -> '$now'"; return 1; }
	done
	# The other LAG is untouched.
	kill -0 "$lagx_pid" 2>/dev/null && [ -e "$LAGX_DIR/lag_members" ] && lt_lag_state "$A" lagx available ||
		{ lt_log "lagx disturbed"; return 1; }
}

# refused WHY NAME PATTERN ARGS...: lagbpf ARGS fails with one stderr line
# matching PATTERN (extended regex), nothing on stdout, and leaves nothing of NAME.
refused() {
	local why=$1 name=$2 pat=$3 out err rc; shift 3
	lt_log "+ lagbpf -n A $*    # $why"
	out=$("$LAGBPF" -n "$A" "$@" 2>"$LT_LOG.err"); rc=$?
	err=$(cat "$LT_LOG.err"); rm -f "$LT_LOG.err"
	lt_log "rc=$rc stdout='$out' stderr='$err'"
	# Whatever happened, make sure a wrongly made LAG goes at teardown.
	[ "$rc" != 0 ] || { LT_LAGS+=("$A $name"); lt_fail "$why: accepted (exit 0)"; }
	[ -z "$out" ] || lt_fail "$why: wrote to stdout: $out"
	[ "$(wc -l <<<"$err")" = 1 ] && [ -n "$err" ] || lt_fail "$why: not one line on stderr: $err"
	grep -qE -- "^lagbpf: .*$pat" <<<"$err" || lt_fail "$why: unclear error: $err"
	nothing_left "$name" || lt_fail "$why: left something behind"
}

refused "member that does not exist" lag1 "nope0.*(not exist|no such)" attach lag1 a0 nope0 --mode static
refused "member given twice" lag1 "a0.*twice" attach lag1 a0 a1 a0 --mode static
refused "LAG name of an existing device" x0 "x0.*exists" attach x0 a0 a1 --mode static
refused "member of another LAG" lag1 "a2.*lagx" attach lag1 a0 a2 --mode static
refused "loopback member" lag1 "lo.*loopback" attach lag1 a0 lo --mode static
refused "min-links above members" lag1 "min-links" attach lag1 a0 a1 --mode static --min-links 3
refused "no members" lag1 "member" attach lag1 --mode static
refused "member with an IPv4 address" lag1 "a3.*198\.18\.59\.1" attach lag1 a0 a3 --mode static
refused "member with an address, LACP mode" lag1 "a3.*address" attach lag1 a3
refused "detach of a LAG that does not exist" nolag "nolag" detach nolag
refused "bad hash policy" lag1 "l2.*l23.*l34.*encap34" attach lag1 a0 a1 --hash foo
refused "LAG name too long" lag1234567890 "too long|not a valid" attach lag1234567890 a0 a1 --mode static
refused "a member that is the peer of a LAG" lag1 "lbp-lagx.*LAG device" attach lag1 a0 lbp-lagx --mode static

# -j: the error is {"error": "..."} on stdout, still a non-zero exit.
for args in "-j attach lag1 a0 nope0 --mode static" "detach nolag -j" \
	"-j attach lag1 a0 a1 a0 --mode static" "attach lag1 a0 a3 -j --mode static"; do
	# shellcheck disable=SC2086
	out=$("$LAGBPF" -n "$A" $args 2>"$LT_LOG.err"); rc=$?
	lt_log "$args: rc=$rc stdout=$out stderr=$(cat "$LT_LOG.err")"; rm -f "$LT_LOG.err"
	[ "$rc" != 0 ] || lt_fail "$args: exit 0"
	jq -e 'type == "object" and (.error | type == "string" and length > 0) and length == 1' \
		<<<"$out" >/dev/null 2>&1 || lt_fail "$args: stdout is not {\"error\": \"...\"}: $out"
	nothing_left lag1 || lt_fail "$args: left something behind"
done

lt_run "$LAGBPF" -n "$A" detach lagx || lt_fail "detach lagx"
lt_no_leftovers "$A" lagx || lt_fail "leftovers of lagx after detach"
lt_pass
