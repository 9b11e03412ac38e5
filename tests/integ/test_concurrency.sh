#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Commands that change LAGs run one at a time: two attaches at once that
# share a member give exactly one LAG, and the loser's rollback leaves the
# winner whole (programs, MACs, distribution). A stale pid file that names a
# live unrelated process never gets it signalled: only the process holding
# the pid file locked is the controller.
#
#   ns A                                ns B
#   lagx / lagy (static, racing)  a0 ===== b0
#                                 a1 ===== b1   (wanted by both)
#                                 a2 ===== b2
#
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init concurrency

lt_ns A a; lt_ns B b
for i in 0 1 2; do lt_veth "$A" a$i "$B" b$i; ip -n "$B" link set b$i up; done
declare -A mac0
for m in a0 a1 a2; do mac0[$m]=$(ip -n "$A" -j link show $m | jq -r '.[0].address'); done

# shellcheck disable=SC2317 # run through lt_wait
whole() { # LAG MEMBERS...: every member distributing, with lag_xdp and the LAG's MAC
	local lag=$1 mac m; shift
	mac=$(lt_jq "$A" "$lag" .macAddress)
	lt_distributing "$A" "$lag" $# || return 1
	for m in "$@"; do
		ip -n "$A" -d link show "$m" | grep -q 'prog/xdp' || return 1
		[ "$(ip -n "$A" -j link show "$m" | jq -r '.[0].address')" = "$mac" ] || return 1
	done
}

for round in 1 2 3; do
	LT_LAGS+=("$A lagx" "$A lagy")
	"$LAGBPF" -n "$A" attach lagx a0 a1 --mode static >>"$LT_LOG" 2>&1 & px=$!
	"$LAGBPF" -n "$A" attach lagy a1 a2 --mode static >>"$LT_LOG" 2>&1 & py=$!
	wait $px; rx=$?; wait $py; ry=$?
	lt_log "round $round: lagx exit $rx, lagy exit $ry"
	if [ "$rx" = 0 ] && [ "$ry" != 0 ]; then
		win=lagx; lose=lagy; members=(a0 a1); spare=a2
	elif [ "$ry" = 0 ] && [ "$rx" != 0 ]; then
		win=lagy; lose=lagx; members=(a1 a2); spare=a0
	else
		lt_fail "round $round: exits $rx and $ry, wanted exactly one success"
	fi
	lt_wait 5 whole "$win" "${members[@]}" || lt_fail "round $round: $win is not whole: $(lt_show "$A" "$win")"
	! ip -n "$A" link show "$lose" >/dev/null 2>&1 || lt_fail "round $round: $lose left a device"
	[ ! -e "/sys/fs/bpf/lagbpf/netns/$A/$lose" ] || lt_fail "round $round: $lose left pins"
	[ "$(ip -n "$A" -j link show $spare | jq -r '.[0].address')" = "${mac0[$spare]}" ] ||
		lt_fail "round $round: $spare's MAC changed"
	! ip -n "$A" -d link show $spare | grep -q prog/xdp || lt_fail "round $round: XDP left on $spare"
	lt_run "$LAGBPF" -n "$A" detach "$win" || lt_fail "detach $win"
done

# A stale pid file: the controller is killed, its file now names a live process.
lt_attach "$A" lagz a0 --mode static || lt_fail "attach lagz"
kill -9 "$(lt_jq "$A" lagz .controllerPid)"
sleep 300 & decoy=$!
LT_PIDS+=("$decoy")
echo "$decoy" >"/run/lagbpf/netns/$A/lagz.pid"
lt_run "$LAGBPF" -n "$A" detach lagz || lt_fail "detach lagz"
lt_pid_running "$decoy" || lt_fail "detach signalled the unrelated process named by a stale pid file"
lt_no_leftovers "$A" lagz || lt_fail "lagz left something"
lt_pass "3 races, one winner each; a stale pid file signalled nobody"
