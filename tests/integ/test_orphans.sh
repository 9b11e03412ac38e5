#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# A namespace deleted under its LAG. With a live controller: the controller
# sees the name go, tears the LAG down (pins, run files) and exits, so it does
# not keep the namespace alive for nobody. With a dead controller (kill -9):
# `show --all` lists the orphan from its pins, from any namespace, and
# `lagbpf -n NS detach LAG` removes it although NS is gone.
#
#   ns X1: lag0 (static) -- x0 ===== y0 (host)    deleted with its controller running
#   ns X2: lag0 (static) -- x0 ===== y0 (host)    controller killed, then deleted
#
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init orphans

gone() { # NS: nothing of NS's lag0 under the pins or /run
	[ ! -e "/sys/fs/bpf/lagbpf/netns/$1" ] && [ ! -e "/run/lagbpf/netns/$1" ]
}
listed() { # NS CONTROLLER ORPHAN: show --all has NS's lag0 so
	"$LAGBPF" -j show --all | jq -e --arg ns "$1" --arg c "$2" --argjson o "$3" \
		'any(.[]; .namespace == $ns and .lagName == "lag0" and .controller == $c and .orphan == $o)'
}

lt_ns X1 x1
ip link add "y0$LT_ID" type veth peer "x0$LT_ID" || lt_fail "veth"
LT_CLEANUP+=("ip link del y0$LT_ID")
ip link set "x0$LT_ID" netns "$X1" name x0 || lt_fail "veth to X1"
lt_attach "$X1" lag0 x0 --mode static || lt_fail "attach in X1"
pid=$(lt_jq "$X1" lag0 .controllerPid)
listed "$X1" running false >/dev/null || lt_fail "show --all does not list X1's lag0 as running"
ip netns del "$X1"
lt_wait 5 gone "$X1" || lt_fail "X1's LAG left pins or run files after its namespace went"
# shellcheck disable=SC2317 # run through lt_wait
not_running() { ! lt_pid_running "$1"; }
lt_wait 5 not_running "$pid" || lt_fail "the controller of X1 still runs"
lt_log "X1: torn down by its controller"

lt_ns X2 x2
ip link add "y1$LT_ID" type veth peer "x1$LT_ID" || lt_fail "veth"
LT_CLEANUP+=("ip link del y1$LT_ID")
ip link set "x1$LT_ID" netns "$X2" name x0 || lt_fail "veth to X2"
lt_attach "$X2" lag0 x0 --mode static || lt_fail "attach in X2"
kill -9 "$(lt_jq "$X2" lag0 .controllerPid)"
ip netns del "$X2"
sleep 1.5 # what a controller would have needed to notice
! gone "$X2" || lt_fail "X2's pins vanished without a detach"
listed "$X2" "not running" true >/dev/null || lt_fail "show --all does not list X2's lag0 as an orphan: $("$LAGBPF" -j show --all)"
"$LAGBPF" show --all | grep -q "^$X2 .*orphan" || lt_fail "show --all (text) does not flag the orphan"
lt_run "$LAGBPF" -n "$X2" detach lag0 || lt_fail "detach of the orphan failed"
gone "$X2" || lt_fail "X2's pins or run files left after detach"
out=$("$LAGBPF" -n "$X2" detach lag0 2>&1) && lt_fail "a second detach succeeded"
grep -q "no LAG named lag0 in namespace $X2" <<<"$out" || lt_fail "unclear error: $out"
! listed "$X2" "not running" true >/dev/null || lt_fail "show --all still lists X2"
lt_pass
