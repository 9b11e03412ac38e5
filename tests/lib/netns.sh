#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Test harness for integration tests: private namespaces with generated names,
# veth pairs between them, lagbpf inside them, polls with deadlines, and a
# teardown that runs on every exit path. Source it; then call lt_init NAME.
#
# Conventions: a test prints nothing on success but its last line
# "PASS: name"; "FAIL: name: why" (exit 1) or "SKIP: name: why" (exit 4).
# Its log is kept in $LT_LOG and printed on failure (streamed with V=1).

LT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAGBPF=${LAGBPF:-$LT_ROOT/build/lagbpf}
LT_SKIP=4
LT_NS=()          # namespaces to delete
LT_LAGS=()        # "ns lag" pairs to detach
LT_PIDS=()        # background processes to kill
LT_CLEANUP=()     # extra commands run at teardown (eval'd, in reverse)

lt_log() { echo "[$(date +%T.%N | cut -c1-12)] $*" >>"$LT_LOG"; [ "${V:-0}" = 1 ] && echo "$*" >&2; return 0; }

# Run a command, logging it and its output.
lt_run() {
	lt_log "+ $*"
	local out rc
	out=$("$@" 2>&1); rc=$?
	[ -n "$out" ] && lt_log "$out"
	return "$rc"
}

# Stop what was registered: background processes, LAGs, namespaces.
lt_release() {
	local p l ns
	for p in "${LT_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	for l in "${LT_LAGS[@]}"; do
		# shellcheck disable=SC2086
		set -- $l
		"$LAGBPF" -n "$1" detach "$2" >>"$LT_LOG" 2>&1
	done
	for ns in "${LT_NS[@]}"; do ip netns del "$ns" 2>/dev/null; done
	LT_PIDS=() LT_LAGS=() LT_NS=()
}

# lt_san_reports: print the sanitizer reports of this test's lagbpf processes
# (daemons included: their stderr is the LAG log or /dev/null); fail if any.
lt_san_reports() {
	local f found=()
	[ -n "$LT_SAN" ] || return 0
	for f in "$LT_SAN"/san.*; do
		[ -e "$f" ] || continue
		found+=("${f##*/}")
		echo "---- sanitizer report ${f##*/} of $LT_NAME ----" >&2
		cat "$f" >&2
	done
	[ ${#found[@]} -eq 0 ] && return 0
	echo "----" >&2
	echo "FAIL: $LT_NAME: sanitizer reports: ${found[*]}"
	return 1
}

lt_teardown() {
	local rc=$? i
	trap - EXIT INT TERM
	for ((i = ${#LT_CLEANUP[@]} - 1; i >= 0; i--)); do eval "${LT_CLEANUP[$i]}" >>"$LT_LOG" 2>&1; done
	lt_release
	# After lt_release: stopped daemons and killed --foreground runs have
	# written theirs.
	if ! lt_san_reports; then
		LT_RESULT=FAIL
		[ "$rc" -ne 0 ] && [ "$rc" -ne "$LT_SKIP" ] || rc=1
	fi
	[ -z "$LT_SAN" ] || rm -rf "$LT_SAN"
	if [ "$LT_RESULT" != PASS ] && [ "$LT_RESULT" != SKIP ] && [ "${V:-0}" != 1 ]; then
		echo "---- log of $LT_NAME ----" >&2
		tail -n 200 "$LT_LOG" >&2
		echo "----" >&2
	fi
	rm -f "$LT_LOG"
	exit "$rc"
}

# lt_init NAME: start a test; sets LT_ID (unique suffix) and the teardown trap.
lt_init() {
	LT_NAME=$1
	LT_ID=$(tr -dc 'a-z0-9' </dev/urandom | head -c 6)
	LT_LOG=$(mktemp "/tmp/lagt-$LT_NAME-XXXXXX.log")
	LT_RESULT=FAIL
	# For a sanitized lagbpf (make test runs build/lagbpf-san): each process
	# that finds something writes $LT_SAN/san.PID, which lt_teardown turns
	# into a failure. Exit at the first error (-fno-sanitize-recover for
	# UBSan). Leaks: checked at exit, the daemon's _exit too (lagbpf-san
	# wraps it: tests/lib/lsan_exit.c); tests/lsan.supp says what is not ours.
	# Options already in the environment come last and win.
	LT_SAN=$(mktemp -d "/tmp/lagt-$LT_NAME-XXXXXX.san")
	export ASAN_OPTIONS="log_path=$LT_SAN/san:halt_on_error=1:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
	export UBSAN_OPTIONS="log_path=$LT_SAN/san:halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
	export LSAN_OPTIONS="suppressions=$LT_ROOT/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
	trap lt_teardown EXIT
	trap 'exit 130' INT TERM
	# Run by a service manager (a CI runner's unit), the test's lagbpf
	# processes must not talk to it (sd_notify) nor log to its journal:
	# test_sd_notify gives them its own.
	unset NOTIFY_SOCKET JOURNAL_STREAM
	if [ "$(id -u)" != 0 ]; then lt_skip "needs root (network namespaces, BPF)"; fi
	[ -x "$LAGBPF" ] || lt_fail "$LAGBPF not built (run make)"
	mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf || lt_fail "cannot mount bpffs"
}

# shellcheck disable=SC2120 # the detail is optional: "lt_pass" or "lt_pass DETAIL"
lt_pass() { LT_RESULT=PASS; echo "PASS: $LT_NAME${1:+: $1}"; exit 0; }
lt_fail() { LT_RESULT=FAIL; echo "FAIL: $LT_NAME: $*"; lt_log "FAIL: $*"; exit 1; }
lt_skip() { LT_RESULT=SKIP; echo "SKIP: $LT_NAME: $*"; exit $LT_SKIP; }

# lt_ns VAR SUFFIX: make namespace lagt-<test>-<id>-<suffix>, name in $VAR.
lt_ns() {
	local ns="lagt-${LT_NAME:0:12}-$LT_ID-$2"
	ip netns add "$ns" || lt_fail "cannot create namespace $ns"
	LT_NS+=("$ns")
	ip -n "$ns" link set lo up
	printf -v "$1" '%s' "$ns"
}

# lt_veth NS1 IF1 NS2 IF2 [same-ifindex]: a veth pair between two namespaces.
# By default the two ends get different ifindexes (linkwatch treats equal
# ones as non-urgent: carrier events up to 1 s late); "same" makes them equal.
lt_veth() {
	local a=$1 ia=$2 b=$3 ib=$4 mode=${5:-differ} idx
	if [ "$mode" = same ]; then
		# One namespace cannot hold two devices with one ifindex: make
		# each end directly in its namespace (retry if the index is taken).
		for _ in 1 2 3 4 5; do
			idx=$(( 100 + RANDOM % 4000 ))
			ip link add "$ia" index "$idx" netns "$a" type veth \
				peer "$ib" index "$idx" netns "$b" 2>/dev/null && break
			idx=
		done
		[ -n "$idx" ] || lt_fail "cannot create veth $ia/$ib with equal ifindexes"
	else
		ip link add "t$LT_ID$ia" type veth peer "t$LT_ID$ib" || lt_fail "cannot create veth $ia/$ib"
		ip link set "t$LT_ID$ia" netns "$a" name "$ia" || lt_fail "veth $ia to $a"
		ip link set "t$LT_ID$ib" netns "$b" name "$ib" || lt_fail "veth $ib to $b"
	fi
	# Made in the host namespace, the two ends have distinct ifindexes and
	# keep them when moved (unless taken there): check what we got.
	local ka kb
	ka=$(ip -n "$a" -o link show "$ia" | cut -d: -f1)
	kb=$(ip -n "$b" -o link show "$ib" | cut -d: -f1)
	if [ "$mode" = same ]; then
		[ "$ka" = "$kb" ] || lt_fail "veth $ia/$ib: wanted equal ifindexes, got $ka/$kb"
	else
		[ "$ka" != "$kb" ] || lt_fail "veth $ia/$ib: wanted distinct ifindexes, got $ka/$kb"
	fi
}

# lt_veth_queues NS1 IF1 NS2 IF2 Q: a veth pair with room for Q RX and TX queues each way.
lt_veth_queues() {
	ip link add "t$LT_ID$2" numtxqueues "$5" numrxqueues "$5" type veth \
		peer "t$LT_ID$4" numtxqueues "$5" numrxqueues "$5" || lt_fail "veth $2/$4"
	ip link set "t$LT_ID$2" netns "$1" name "$2" || lt_fail "veth $2 to $1"
	ip link set "t$LT_ID$4" netns "$3" name "$4" || lt_fail "veth $4 to $3"
}

# lt_xps NS DEV TXQ: every CPU transmits on DEV's TX queue TXQ (a veth delivers
# on the peer's RX queue of the same number).
lt_xps() {
	local q n mask
	n=$(ip netns exec "$1" sh -c "ls -d /sys/class/net/$2/queues/tx-*" | wc -l)
	mask=$(printf '%x' $(( (1 << $(nproc)) - 1 )))
	for ((q = 0; q < n; q++)); do
		ip netns exec "$1" sh -c "echo $([ $q = "$3" ] && echo "$mask" || echo 0) > /sys/class/net/$2/queues/tx-$q/xps_cpus" ||
			lt_fail "xps_cpus of $2 tx-$q"
	done
}

# lt_attach NS LAG MEMBERS... [options]: lagbpf attach, registered for teardown.
lt_attach() {
	local ns=$1 lag=$2; shift 2
	LT_LAGS+=("$ns $lag")
	lt_run "$LAGBPF" -n "$ns" attach "$lag" "$@"
}

lt_show() { "$LAGBPF" -n "$1" show "$2" -j 2>>"$LT_LOG"; }

# lt_wait SECONDS CMD...: poll CMD every 50 ms until it succeeds or time runs out.
lt_wait() {
	local deadline=$(( $(date +%s%N) + ${1%.*} * 1000000000 )); shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

# lt_jq NS LAG FILTER: evaluate a jq filter on show -j.
lt_jq() { lt_show "$1" "$2" | jq -r "$3"; }

# lt_lag_state NS LAG STATE: is lagState STATE?
lt_lag_state() { [ "$(lt_jq "$1" "$2" .lagState)" = "$3" ]; }

# lt_distributing NS LAG N: exactly N connections distributing?
lt_distributing() { [ "$(lt_jq "$1" "$2" '[.connections[] | select(.distributing)] | length')" = "$3" ]; }

# lt_counter NS LAG MEMBER FIELD: a member's counter.
lt_counter() { lt_jq "$1" "$2" ".connections[] | select(.connectionName == \"$3\") | .counters.$4"; }

# lt_nsexec NS CMD...: run in a namespace keeping the host's bpffs (not ip netns exec).
lt_nsexec() { local ns=$1; shift; nsenter --net="/var/run/netns/$ns" "$@"; }

# lt_bg NS CMD...: background process in NS, killed at teardown.
lt_bg() { local ns=$1; shift; nsenter --net="/var/run/netns/$ns" "$@" >>"$LT_LOG" 2>&1 & LT_PIDS+=($!); }

# lt_no_leftovers NS LAG: nothing of the LAG remains (pins, programs, device, process).
lt_no_leftovers() {
	local ns=$1 lag=$2
	[ ! -e "/sys/fs/bpf/lagbpf/netns/$ns/$lag" ] || { lt_log "pins left"; return 1; }
	[ ! -e "/run/lagbpf/netns/$ns/$lag.sock" ] || { lt_log "socket left"; return 1; }
	! ip -n "$ns" link show "$lag" >/dev/null 2>&1 || { lt_log "device left"; return 1; }
	! ip -n "$ns" -d link show | grep -q 'prog/xdp' || { lt_log "XDP program left"; return 1; }
	! pgrep -f -- "${LAGBPF##*/} -n $ns attach $lag( |\$)" >/dev/null || { lt_log "controller left"; return 1; }
	for dev in $(ip -n "$ns" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
		if tc -n "$ns" filter show dev "$dev" ingress 2>/dev/null | grep -q lag_; then
			lt_log "TC program left on $dev"; return 1
		fi
	done
	return 0
}

# lt_member_is NS LAG MEMBER FILTER VALUE: does jq FILTER on one connection of show -j
# give VALUE? (lt_member is below; e.g. lt_wait 5 lt_member_is ns lag0 a1 .distributing false)
lt_member_is() { [ "$(lt_member "$1" "$2" "$3" "$4")" = "$5" ]; }

# lt_link_snap NS DEV: "MAC up|down disable_ipv6=N mtu=N" of a device, to compare
# before attach and after detach.
lt_link_snap() {
	local j
	j=$(ip -j -n "$1" link show "$2" 2>/dev/null) || return 1
	printf '%s disable_ipv6=%s\n' \
		"$(jq -r '.[0] | "\(.address) \(if any(.flags[]; . == "UP") then "up" else "down" end) mtu=\(.mtu)"' <<<"$j")" \
		"$(nsenter --net="/var/run/netns/$1" cat "/proc/sys/net/ipv6/conf/$2/disable_ipv6")"
}

# ---- LACP helpers (h5) ----

# lt_ms: monotonic-enough wall clock in milliseconds.
lt_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# lt_member NS LAG MEMBER FILTER: jq FILTER on one connection of show -j.
lt_member() { lt_jq "$1" "$2" ".connections[] | select(.connectionName == \"$3\") | $4"; }

# lt_tapwire NS1 IF1 NS2 IF2 MID: cable NS1:IF1 to NS2:IF2 through namespace MID, where a
# userspace relay (AF_PACKET, both ways, killed at teardown) joins MID:l-IF1 and MID:r-IF2,
# so a tcpdump in MID on l-IF1 sees every frame of the wire, both directions. Why not tc
# mirred: generic XDP skips frames that TC redirected (skb_is_redirected), so the lagbpf
# member behind would never get the partner's LACPDUs; a bridge does not forward
# 01:80:c2:00:00:02; and on a lagbpf member itself tcpdump sees no slow-protocol frame
# (XDP takes them before the tap, AF_XDP transmits past it). For control frames and light
# traffic only. Carrier: IF1 follows MID:l-IF1 only, IF2 MID:r-IF2.
# _lt_more_lines PATTERN N: the test's log has more than N lines matching PATTERN.
_lt_more_lines() { [ "$(grep -c "$1" "$LT_LOG")" -gt "$2" ]; }

lt_tapwire() {
	local a=$1 ia=$2 b=$3 ib=$4 m=$5
	lt_veth "$a" "$ia" "$m" "l-$ia"
	lt_veth "$b" "$ib" "$m" "r-$ib"
	# shellcheck disable=SC2015 # lt_fail unless both succeed
	ip -n "$m" link set "l-$ia" up && ip -n "$m" link set "r-$ib" up || lt_fail "tapwire: up"
	# one more "relay up" line than before: the same names may be wired in another MID
	local n0
	n0=$(grep -c "relay up l-$ia r-$ib\$" "$LT_LOG")
	lt_bg "$m" /usr/bin/python3 "$LT_ROOT/tests/lib/relay.py" "l-$ia" "r-$ib"
	lt_wait 5 _lt_more_lines "relay up l-$ia r-$ib\$" "$n0" || lt_fail "tapwire: relay $ia/$ib"
}

# ---- Open vSwitch as the LACP partner (tools/ovs-partner.sh) ----
LT_OVS=$LT_ROOT/tools/ovs-partner.sh

# lt_ovs_need: skip the test unless Open vSwitch's daemons and tools are installed.
lt_ovs_need() {
	local c
	for c in ovs-vswitchd ovsdb-server ovs-vsctl ovs-appctl ovsdb-tool; do
		command -v "$c" >/dev/null || lt_skip "$c not installed (Debian: openvswitch-switch)"
	done
}

# lt_ovs_start VAR NS ARGS...: ovs-partner.sh start in NS with a private dir (its path in
# $VAR), stopped at teardown (before the namespaces go). ARGS: --bond, --members, ...
lt_ovs_start() {
	local var=$1 ns=$2 dir; shift 2
	dir=$(mktemp -u "/tmp/lagt-ovs-$LT_ID-XXXXXX")
	LT_CLEANUP+=("'$LT_OVS' stop --dir '$dir'")
	printf -v "$var" '%s' "$dir"
	lt_run "$LT_OVS" start --netns "$ns" --dir "$dir" "$@"
}

# lt_ovs DIR VERB ARGS...: any other ovs-partner.sh verb on the instance in DIR, logged.
lt_ovs() { local dir=$1 verb=$2; shift 2; lt_run "$LT_OVS" "$verb" --dir "$dir" "$@"; }

# lt_ovs_member DIR BOND MEMBER: the member's line of `ovs-partner.sh members`, e.g.
# "b0 rx=current attach=attached enabled=1 actor=... partner=... partner_sys=... partner_port=1"
lt_ovs_member() { "$LT_OVS" members --dir "$1" --bond "$2" 2>>"$LT_LOG" | awk -v m="$3" '$1 == m'; }

# ---- static-mode helpers (h3) ----

# lt_iperf NS ARGS...: iperf3 client in NS; logs only the summary lines (all on failure).
lt_iperf() {
	local ns=$1 out rc; shift
	lt_log "+ iperf3 $*"
	out=$(nsenter --net="/var/run/netns/$ns" iperf3 "$@" 2>&1); rc=$?
	if [ "$rc" = 0 ]; then lt_log "$(grep -E 'SUM.*(sender|receiver)|^iperf' <<<"$out")"; else lt_log "$out"; fi
	return "$rc"
}

# lt_detach_parallel: detach every registered LAG at once (a controller takes 1-2 s to
# stop); register first, LT_CLEANUP+=(lt_detach_parallel), so it runs after the test's
# other cleanups. The sequential detach of lt_teardown then finds nothing left.
lt_detach_parallel() {
	local l pids=()
	for l in "${LT_LAGS[@]}"; do
		# shellcheck disable=SC2086
		set -- $l
		"$LAGBPF" -n "$1" detach "$2" & pids+=($!)
	done
	for l in "${pids[@]}"; do wait "$l"; done
	LT_LAGS=()
}

# lt_pid_running PID: alive and not a zombie (an exited daemon may wait long for its reaper).
lt_pid_running() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "${st#Z}" = "$st" ]
}
