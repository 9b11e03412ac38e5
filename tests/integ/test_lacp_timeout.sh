#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# A partner that goes silent without losing carrier is timed out (802.1AX 6.4.12:
# current_while = Short_Timeout_Time, 3 s at fast rate), fast rate on both ends:
#
#   ns A                                     ns B
#   lag0 198.18.83.1 --+-- a0 ===== b0 --+-- lag0 198.18.83.2   (B's controller gets SIGSTOP)
#                      +-- a1 ===== b1 --+
#
# SIGSTOP B's controller: on A both members leave distribution between 2 and 6 s later
# (rx expired or defaulted, distributing false, lagState no longer available) while their
# carrier stays up. SIGCONT: both ends distribute again and ping crosses. The stopped
# controller is always continued at teardown.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lacp_timeout
LT_CLEANUP+=(lt_detach_parallel)

lt_ns A a; lt_ns B b
lt_veth "$A" a0 "$B" b0
lt_veth "$A" a1 "$B" b1
lt_attach "$A" lag0 a0 a1 --rate fast || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --rate fast || lt_fail "attach B"
ip -n "$A" addr add 198.18.83.1/24 dev lag0
ip -n "$B" addr add 198.18.83.2/24 dev lag0
lt_wait 15 lt_distributing "$A" lag0 2 || lt_fail "A not distributing"
lt_wait 15 lt_distributing "$B" lag0 2 || lt_fail "B not distributing"

pid=$(lt_jq "$B" lag0 .controllerPid)
[ "$pid" = "$(cat "/run/lagbpf/netns/$B/lag0.pid")" ] || lt_fail "controllerPid $pid != pid file"
kill -0 "$pid" || lt_fail "B's controller $pid not running"
LT_CLEANUP+=("kill -CONT $pid")

rx0=$(lt_member "$A" lag0 a0 .counters.lacpduRx)
t0=$(lt_ms)
kill -STOP "$pid" || lt_fail "SIGSTOP $pid"
lt_log "SIGSTOP $pid"
lt_wait 10 lt_distributing "$A" lag0 0 || lt_fail "A still distributing 10 s after the partner went silent"
dt=$(( $(lt_ms) - t0 ))
lt_log "A left distribution ${dt} ms after SIGSTOP"
# shellcheck disable=SC2015 # lt_fail unless both hold
[ "$dt" -ge 2000 ] && [ "$dt" -le 6000 ] || lt_fail "A left distribution after $dt ms (want 2000-6000)"
for m in a0 a1; do
	st=$(lt_show "$A" lag0 | jq -r ".connections[] | select(.connectionName == \"$m\") |
		\"\(.rx) \(.distributing) \(.carrier) \(.partner.state.synchronization)\"")
	case $st in
	"expired false true "* | "defaulted false true "*) ;;
	*) lt_fail "$m after timeout: rx/distributing/carrier = $st" ;;
	esac
	ip -n "$A" link show "$m" | grep -q LOWER_UP || lt_fail "$m lost carrier"
done
[ "$(lt_member "$A" lag0 a0 .counters.lacpduRx)" = "$rx0" ] || lt_fail "A kept receiving LACPDUs from a stopped controller"
! lt_lag_state "$A" lag0 available || lt_fail "A still available"

kill -CONT "$pid" || lt_fail "SIGCONT $pid"
t1=$(lt_ms)
lt_wait 15 lt_distributing "$A" lag0 2 || lt_fail "A not back to distributing after SIGCONT"
lt_wait 15 lt_distributing "$B" lag0 2 || lt_fail "B not back to distributing after SIGCONT"
back=$(( $(lt_ms) - t1 ))
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 1 198.18.83.2 || lt_fail "ping after recovery"
lt_pass "$(printf 'left distribution %.1f s after SIGSTOP, back %.1f s after SIGCONT' "$(bc <<<"scale=2; $dt/1000")" "$(bc <<<"scale=2; $back/1000")")"
