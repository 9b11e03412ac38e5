#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Self-test of tools/ovs-partner.sh: two private OVS instances (userspace datapath), one per
# namespace, negotiate LACP with each other over veth pairs, and traffic crosses the LAG.
# Owns only its own namespaces (lagt-ovsself-XXXXXX), its OVS dirs and the processes it starts;
# it must leave none of them behind on any exit path.
#
#   netns lagt-ovsself-XXXXXX-a                         netns lagt-ovsself-XXXXXX-b
#   OVS "a": active, fast                               OVS "b": passive, slow
#   br-lacp 198.18.99.1/24                              br-lacp 198.18.99.2/24
#     bond0 ---- a1 <------------ veth ------------> b1 ---- bond0
#           ---- a2 <------------ veth ------------> b2 ----
#           ---- a3 <------------ veth ------------> b3 ----  (del-member'd by the test)
#     bond1 ---- a4 <------------ veth ------------> b4 ---- bond1 on br-b1 (add-bond, one
#                                                                member, another system id)
#
# Prints one line, PASS/FAIL/SKIP: ovs_partner_selftest; exit 0 pass, 1 fail, 4 skip.
# V=1 streams the log; otherwise it is printed only on failure.
#
# Checksums (investigated here): no `ethtool -K ... tx off` is needed between two OVS netdev
# instances. Frames enter the LAG from OVS's internal port, a tap with tx-checksumming off, so
# the kernel has finished every checksum before OVS reads them; OVS writes them onto the veth
# from userspace (no CHECKSUM_PARTIAL). The iperf3 step below checks TCP with all veth offloads
# left at their defaults (tx on, TSO on).

set -euo pipefail

NAME=ovs_partner_selftest
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
T=$ROOT/tools/ovs-partner.sh
KSFT_SKIP=4

skip() {
	echo "SKIP: $NAME: $*"
	exit $KSFT_SKIP
}

[ "$(id -u)" -eq 0 ] || skip "needs root"
for c in ovs-vswitchd ovsdb-server ovs-vsctl ovs-appctl ovsdb-tool ip ping; do
	command -v "$c" >/dev/null || skip "missing $c"
done

SUF=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
NSA=lagt-ovsself-$SUF-a
NSB=lagt-ovsself-$SUF-b
WORK=$(mktemp -d "/tmp/lagt-ovsself-$SUF.XXXXXX")
DA=$WORK/ovs-a
DB=$WORK/ovs-b
LOG=$WORK/log
IPA=198.18.99.1
IPB=198.18.99.2
BG_PIDS=()
RESULT=FAIL
WHY="aborted"

if [ "${V:-0}" = 1 ]; then
	exec 3>&1
else
	exec 3>"$LOG"
fi

log() {
	echo "# $*" >&3
}

# run CMD...: run and log a command, its output going to the log.
run() {
	log "\$ $*"
	"$@" >&3 2>&1
}

cleanup() {
	local rc=$? pid ns leftover
	set +e
	for pid in "${BG_PIDS[@]+"${BG_PIDS[@]}"}"; do
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	"$T" stop --dir "$DA" >&3 2>&1
	"$T" stop --dir "$DB" >&3 2>&1
	for ns in "$NSA" "$NSB"; do
		[ -e "/run/netns/$ns" ] && ip netns del "$ns"
	done
	# Nothing of ours may survive: no live process naming our dirs, no namespace.
	leftover=$(pgrep -af -- "$WORK" || true)
	if [ -n "$leftover" ]; then
		log "leftover processes: $leftover"
		RESULT=FAIL WHY="processes left behind"
		awk '{print $1}' <<<"$leftover" | while read -r pid; do kill -KILL "$pid"; done
	fi
	if [ -e "/run/netns/$NSA" ] || [ -e "/run/netns/$NSB" ]; then
		RESULT=FAIL WHY="namespace left behind"
	fi
	[ $rc -eq 0 ] || RESULT=FAIL
	exec 3>&-
	if [ "$RESULT" = PASS ]; then
		echo "PASS: $NAME"
		rm -rf "$WORK"
		exit 0
	fi
	echo "FAIL: $NAME: $WHY"
	if [ "${V:-0}" != 1 ]; then
		sed 's/^/    /' "$LOG"
		for f in "$DA"/*.log "$DB"/*.log; do
			[ -f "$f" ] && { echo "    ---- $f (tail)"; tail -n 30 "$f" | sed 's/^/    /'; }
		done
	fi
	rm -rf "$WORK"
	exit 1
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	WHY=$*
	log "FAIL: $*"
	exit 1
}

# show_has DIR BOND PATTERN: lacp/show of BOND matches PATTERN (grep -q on a captured copy: with
# pipefail, grep -q closing a pipe early could fail the pipeline with SIGPIPE).
show_has() {
	local out
	out=$("$T" show --dir "$1" --bond "$2") || return 1
	grep -q -- "$3" <<<"$out"
}

# wait_for SECS CMD...: poll CMD until it succeeds or SECS pass.
wait_for() {
	local secs=$1 end
	shift
	end=$((SECONDS + secs))
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.1
	done
}

# ---- topology --------------------------------------------------------------------------------
ip netns add "$NSA"
ip netns add "$NSB"
for i in 1 2 3 4; do
	# Made straight inside the namespaces: the names never exist in the initial namespace.
	run ip link add "a$i" netns "$NSA" type veth peer name "b$i" netns "$NSB"
done

# ---- start: passive side first ---------------------------------------------------------------
# OVS sends periodic LACPDUs at the rate its *partner* asked for: slow (30 s) once a member has
# no partner for 3 s, and a passive OVS never starts talking. Active side first can cost up to
# 30 s (measured 27.8 s when the links already had carrier); passive side first, the active
# side's first LACPDU is answered at once.
run "$T" start --netns "$NSB" --dir "$DB" --bond bond0 --members b1,b2,b3 \
	--lacp passive --rate slow --addr "$IPB/24" || fail "start b"
run "$T" start --netns "$NSA" --dir "$DA" --bond bond0 --members a1,a2,a3 \
	--lacp active --rate fast --sys-id 02:00:00:77:00:01 --sys-prio 100 \
	--addr "$IPA/24" || fail "start a"

run "$T" wait --dir "$DA" --bond bond0 --timeout 10 || fail "a: bond0 not negotiated"
run "$T" wait --dir "$DB" --bond bond0 --timeout 10 || fail "b: bond0 not negotiated"
run "$T" show --dir "$DB" --bond bond0
# Real evidence: b sees a's configured system id and fast rate as its partner.
show_has "$DB" bond0 "partner sys_id: 02:00:00:77:00:01" ||
	fail "b does not see a's system id"
show_has "$DB" bond0 "partner state: activity timeout" ||
	fail "b does not see a as active and fast"

# ---- traffic across the LAG ------------------------------------------------------------------
run ip netns exec "$NSA" ping -c 5 -i 0.2 -W 2 "$IPB" || fail "ping a -> b"
run ip netns exec "$NSB" ping -c 3 -i 0.2 -W 2 "$IPA" || fail "ping b -> a"
if command -v iperf3 >/dev/null; then
	ip netns exec "$NSB" iperf3 -s -1 -B "$IPB" -p 5201 >&3 2>&1 &
	BG_PIDS+=($!)
	iperf_listening() {
		local out
		out=$(ip netns exec "$NSB" ss -Htln "sport = :5201") && [ -n "$out" ]
	}
	wait_for 5 iperf_listening || fail "iperf3 server did not start"
	run timeout 15 ip netns exec "$NSA" iperf3 -c "$IPB" -p 5201 -t 1 -P 4 \
		--connect-timeout 3000 || fail "TCP a -> b (iperf3)"
else
	log "iperf3 not installed: TCP check skipped"
fi

# ---- add-bond: a second LACP port, one member, another system id ------------------------------
# b's bond1 goes on a bridge of its own: two bonds on one bridge at both ends would be a loop.
run "$T" add-bond --dir "$DB" --bond bond1 --members b4 --lacp passive --bridge br-b1 ||
	fail "add-bond b"
run "$T" add-bond --dir "$DA" --bond bond1 --members a4 --lacp active --rate fast \
	--sys-id 02:00:00:77:00:02 || fail "add-bond a"
run "$T" wait --dir "$DB" --bond bond1 --timeout 10 || fail "b: bond1 not negotiated"
show_has "$DB" bond1 "partner sys_id: 02:00:00:77:00:02" ||
	fail "b: bond1 does not see the second system id"

# ---- del-member: b3 leaves the bond, its carrier stays up ------------------------------------
run "$T" del-member --dir "$DB" --bond bond0 --member b3 || fail "del-member"
b3=$(ip -n "$NSB" link show dev b3)
grep -q LOWER_UP <<<"$b3" || fail "b3 lost its carrier"
a3_not_current() {
	show_has "$DA" bond0 "^member: a3: \(expired\|defaulted\)"
}
# a asked for the fast rate, so its a3 times out after 3 s (short timeout) without LACPDUs.
wait_for 6 a3_not_current || fail "a3 still current after b3 left the bond"
run "$T" wait --dir "$DA" --bond bond0 --members 2 --timeout 5 ||
	fail "a: bond0 lost the other members"
run "$T" show --dir "$DA" --bond bond0
run ip netns exec "$NSA" ping -c 3 -i 0.2 -W 2 "$IPB" || fail "ping after del-member"

# ---- stop: nothing of ours left --------------------------------------------------------------
run "$T" stop --dir "$DA" || fail "stop a"
run "$T" stop --dir "$DB" || fail "stop b"
run "$T" stop --dir "$DB" || fail "second stop is not idempotent"
# shellcheck disable=SC2015 # fail unless both hold
[ ! -e "$DA" ] && [ ! -e "$DB" ] || fail "stop left its dir"
left=$(pgrep -af -- "$WORK" || true)
[ -z "$left" ] || fail "processes left after stop: $left"
for ns in "$NSA" "$NSB"; do
	links=$(ip -n "$ns" -d link show)
	! grep -qw tun <<<"$links" || fail "tap device left in $ns after stop"
done

RESULT=PASS
