#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Traffic over an LACP LAG (fast rate) spreads over all distributing members and fails
# over when a member loses carrier:
#
#   ns A                                     ns B
#   lag0 198.18.87.1 --+-- a0 ===== b0 --+-- lag0 198.18.87.2  (iperf3 -s)
#                      +-- a1 ===== b1 --+
#                      +-- a2 ===== b2 --+
#
# iperf3 -P 16: every a* sends and every b* receives > 100 packets. Then, under iperf3
# and a 100/s ping, b1 goes down: A drops a1 at once (carrier), iperf3 completes, ping
# loses at most 10%; a fresh iperf3 moves a0 and a2 but not a1.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lacp_traffic
LT_CLEANUP+=(lt_detach_parallel)

lt_ns A a; lt_ns B b
for i in 0 1 2; do lt_veth "$A" a$i "$B" b$i; done
lt_attach "$A" lag0 a0 a1 a2 --rate fast || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 b2 --rate fast || lt_fail "attach B"
ip -n "$A" addr add 198.18.87.1/24 dev lag0
ip -n "$B" addr add 198.18.87.2/24 dev lag0
lt_wait 15 lt_distributing "$A" lag0 3 || lt_fail "A not distributing on 3"
lt_wait 15 lt_distributing "$B" lag0 3 || lt_fail "B not distributing on 3"
lt_run lt_nsexec "$A" ping -c 2 -i 0.1 -W 1 198.18.87.2 || lt_fail "ping"

lt_bg "$B" iperf3 -s -p 5201
lt_wait 3 lt_nsexec "$B" ss -ltn sport = :5201 || lt_fail "iperf3 server"

snap() { # NS FIELD m...: "m=value ..."
	local ns=$1 f=$2 m; shift 2
	for m in "$@"; do printf '%s ' "$(lt_member "$ns" lag0 "$m" ".counters.$f")"; done
}
delta_ok() { # "before" "after" names min: every member moved by >= min
	local -a b a n; local i
	read -ra b <<<"$1"; read -ra a <<<"$2"; read -ra n <<<"$3"
	for i in "${!n[@]}"; do
		[ $(( a[i] - b[i] )) -ge "$4" ] || { lt_log "${n[$i]}: ${b[$i]} -> ${a[$i]}"; return 1; }
	done
}
t0=$(snap "$A" txPackets a0 a1 a2); r0=$(snap "$B" rxPackets b0 b1 b2)
lt_run lt_nsexec "$A" iperf3 -c 198.18.87.2 -p 5201 -t 1 -P 16 || lt_fail "iperf3 16 flows"
t1=$(snap "$A" txPackets a0 a1 a2); r1=$(snap "$B" rxPackets b0 b1 b2)
delta_ok "$t0" "$t1" "a0 a1 a2" 100 || lt_fail "not every A member sent: $t0 -> $t1"
delta_ok "$r0" "$r1" "b0 b1 b2" 100 || lt_fail "not every B member received: $r0 -> $r1"

# failover under load
lt_nsexec "$A" iperf3 -c 198.18.87.2 -p 5201 -t 3 -P 16 >"$LT_LOG.iperf" 2>&1 & ip_pid=$!
lt_nsexec "$A" ping -q -c 300 -i 0.01 -W 1 198.18.87.2 >"$LT_LOG.ping" 2>&1 & ping_pid=$!
LT_CLEANUP+=("kill $ip_pid $ping_pid 2>/dev/null; rm -f '$LT_LOG.iperf' '$LT_LOG.ping'")
sleep 1
ip -n "$B" link set b1 down
lt_wait 3 lt_distributing "$A" lag0 2 || lt_fail "A still distributing on a1"
[ "$(lt_member "$A" lag0 a1 '"\(.carrier) \(.reason)"')" = "false port-down" ] || lt_fail "a1 not port-down"
wait "$ip_pid" || { cat "$LT_LOG.iperf" >>"$LT_LOG"; lt_fail "iperf3 failed across the failover"; }
wait "$ping_pid"
loss=$(grep -o '[0-9.]*% packet loss' "$LT_LOG.ping" | cut -d% -f1)
lt_log "ping during failover: ${loss}% loss"
# shellcheck disable=SC2015 # lt_fail unless both hold
[ -n "$loss" ] && [ "$(bc <<<"$loss <= 10")" = 1 ] || lt_fail "ping lost ${loss:-?}% across the failover"

t0=$(snap "$A" txPackets a0 a1 a2)
lt_run lt_nsexec "$A" iperf3 -c 198.18.87.2 -p 5201 -t 1 -P 16 || lt_fail "iperf3 after failover"
t1=$(snap "$A" txPackets a0 a1 a2)
read -r x0 y0 z0 <<<"$t0"; read -r x1 y1 z1 <<<"$t1"
delta_ok "$x0 $z0" "$x1 $z1" "a0 a2" 100 || lt_fail "a0/a2 did not carry the traffic: $t0 -> $t1"
[ "$y0" = "$y1" ] || lt_fail "a1 still sends: $t0 -> $t1"
lt_pass "ping loss ${loss}% across the failover"
