#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Static aggregation across 4 members whose two ends have EQUAL ifindexes
# (the kernel's linkwatch then holds carrier events back up to 1 s):
#
#   ns A                                     ns B
#   lag0 198.18.20.1 --+-- a0 ===== b0 --+-- lag0 198.18.20.2
#                      +-- a1 ===== b1 --+
#                      +-- a2 ===== b2 --+
#                      +-- a3 ===== b3 --+
#   (aN and bN share one ifindex)
#
# 64 TCP flows each way put traffic on all 4 members; when the PEER's end of
# a member goes down, the carrier poll takes the member out of distribution
# at once although linkwatch holds the event back (a spare pair's carrier
# change just before makes it wait its second), traffic goes on over the
# other 3, and the member rejoins when the peer comes back.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init static_4members_sameidx

lt_ns A a; lt_ns B b
for i in 0 1 2 3; do lt_veth "$A" a$i "$B" b$i same; done
lt_veth "$A" sa "$B" sb same
ip -n "$A" link set sa up
ip -n "$B" link set sb up
lt_attach "$A" lag0 a0 a1 a2 a3 --mode static || lt_fail "attach on A"
lt_attach "$B" lag0 b0 b1 b2 b3 --mode static || lt_fail "attach on B"
ip -n "$A" addr add 198.18.20.1/24 dev lag0
ip -n "$B" addr add 198.18.20.2/24 dev lag0
lt_wait 5 lt_distributing "$A" lag0 4 || lt_fail "A: not 4 members distributing"
lt_wait 5 lt_distributing "$B" lag0 4 || lt_fail "B: not 4 members distributing"
lt_lag_state "$A" lag0 available || lt_fail "A not available"
jq -e '[.connections[].carrierPoll] == [true, true, true, true]' <<<"$(lt_show "$A" lag0)" >/dev/null ||
	lt_fail "A: equal-ifindex members not polled: $(lt_show "$A" lag0 | jq -c '[.connections[].carrierPoll]')"
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 1 198.18.20.2 || lt_fail "ping A->B"

lt_bg "$B" iperf3 -s -p 5201 --logfile /dev/null
lt_wait 3 lt_nsexec "$B" ss -ltn sport = :5201 || lt_fail "iperf3 server"
lt_iperf "$A" -c 198.18.20.2 -p 5201 -t 1 -P 64 || lt_fail "iperf3 A->B 64 flows"
lt_iperf "$A" -c 198.18.20.2 -p 5201 -t 1 -P 64 -R || lt_fail "iperf3 B->A 64 flows"
for i in 0 1 2 3; do
	for f in "$A lag0 a$i txPackets" "$A lag0 a$i rxPackets" "$B lag0 b$i txPackets" \
		"$B lag0 b$i rxPackets"; do
		# shellcheck disable=SC2086
		v=$(lt_counter $f)
		[ "${v:-0}" -gt 500 ] || lt_fail "${f#* lag0 }: only ${v:-0} packets with 64 flows"
	done
done

# The peer's end goes down: A's a2 loses carrier. Linkwatch runs at most once
# a second for such devices: the spare pair's carrier loss, once linkwatch has
# handled it (sa's operstate), makes it hold a2's event back up to a second.
# Time it from the moment of the change.
# shellcheck disable=SC2317
sa_handled() { ip -n "$A" link show sa | grep -q 'state LOWERLAYERDOWN\|state DOWN'; }
ip -n "$B" link set sb down
lt_wait 3 sa_handled || lt_fail "linkwatch did not handle sa's carrier loss in 3 s"
t0=$(date +%s%N)
ip -n "$B" link set b2 down
lt_wait 5 lt_member_is "$A" lag0 a2 .distributing false || lt_fail "a2 still distributing 5 s after b2 went down"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
lt_log "a2 left distribution after ${ms} ms (measured by polling show -j); a2 now: $(ip -n "$A" link show a2 | head -1)"
[ "$ms" -lt 400 ] || lt_fail "a2 left distribution only after ${ms} ms (carrier poll is 10 ms)"
lt_run grep 'a2: carrier down (poll)' "/run/lagbpf/netns/$A/lag0.log" ||
	lt_fail "a2's carrier loss not seen by the 10 ms poll: $(grep 'a2: carrier down' "/run/lagbpf/netns/$A/lag0.log")"
j=$(lt_show "$A" lag0)
jq -e '.distributingConnections == 3 and .lagState == "available" and
	(.connections[] | select(.connectionName == "a2") |
	 .carrier == false and .connectionState == "down" and .distributing == false)' \
	<<<"$j" >/dev/null || lt_fail "A's show -j after b2 down: $(jq -c '.connections[2]' <<<"$j")"
lt_wait 5 lt_member_is "$B" lag0 b2 .distributing false || lt_fail "b2 still distributing on B while down"

# Traffic goes on over a0, a1, a3; a2 moves nothing.
tx2=$(lt_counter "$A" lag0 a2 txPackets)
rx2=$(lt_counter "$A" lag0 a2 rxPackets)
lt_run lt_nsexec "$A" ping -c 5 -i 0.1 -W 1 198.18.20.2 || lt_fail "ping A->B with a2 out"
lt_iperf "$A" -c 198.18.20.2 -p 5201 -t 1 -P 32 --bidir || lt_fail "iperf3 with a2 out"
[ "$(lt_counter "$A" lag0 a2 txPackets)" = "$tx2" ] || lt_fail "a2 still sends while out"
[ "$(lt_counter "$A" lag0 a2 rxPackets)" = "$rx2" ] || lt_fail "a2 still receives while out"

# The peer comes back: a2 rejoins and carries traffic again.
ip -n "$B" link set b2 up
lt_wait 5 lt_distributing "$A" lag0 4 || lt_fail "a2 did not rejoin on A"
lt_wait 5 lt_distributing "$B" lag0 4 || lt_fail "b2 did not rejoin on B"
lt_iperf "$A" -c 198.18.20.2 -p 5201 -t 1 -P 32 --bidir || lt_fail "iperf3 after rejoin"
[ "$(lt_counter "$A" lag0 a2 txPackets)" -gt "$tx2" ] || lt_fail "a2 sends nothing after rejoining"
[ "$(lt_counter "$A" lag0 a2 rxPackets)" -gt "$rx2" ] || lt_fail "a2 receives nothing after rejoining"

# --carrier-poll 0: nobody is polled, the timer slows to 100 ms, and a carrier
# loss is seen by a link event or the once-a-second check, never by the poll.
# A refused value changes nothing.
out=$("$LAGBPF" -n "$A" set lag0 --carrier-poll 5000 2>&1) && lt_fail "set --carrier-poll 5000 accepted"
grep -q "expected a number from 0 to 1000" <<<"$out" || lt_fail "set --carrier-poll 5000: $out"
[ "$(lt_jq "$A" lag0 .carrierPollMs)" = 10 ] || lt_fail "a refused set changed carrierPollMs"
lt_run "$LAGBPF" -n "$A" set lag0 --carrier-poll 0 || lt_fail "set --carrier-poll 0"
jq -e '.carrierPollMs == 0 and ([.connections[].carrierPoll] | any | not)' <<<"$(lt_show "$A" lag0)" \
	>/dev/null || lt_fail "after --carrier-poll 0: $(lt_show "$A" lag0 | jq -c '[.carrierPollMs, [.connections[].carrierPoll]]')"
lt_run grep 'lag0: timer every 100 ms (carrier poll off' "/run/lagbpf/netns/$A/lag0.log" ||
	lt_fail "the timer did not slow down"
ip -n "$B" link set b0 down
lt_wait 5 lt_member_is "$A" lag0 a0 .distributing false || lt_fail "a0 still distributing 5 s after b0 went down"
lt_run grep 'a0: carrier down (\(rtnetlink\|1 s check\))' "/run/lagbpf/netns/$A/lag0.log" ||
	lt_fail "a0's carrier loss: $(grep 'a0: carrier down' "/run/lagbpf/netns/$A/lag0.log")"
ip -n "$B" link set b0 up
lt_wait 5 lt_distributing "$A" lag0 4 || lt_fail "a0 did not rejoin on A"

lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "detach A"
lt_run "$LAGBPF" -n "$B" detach lag0 || lt_fail "detach B"
lt_no_leftovers "$A" lag0 || lt_fail "leftovers on A after detach"
lt_no_leftovers "$B" lag0 || lt_fail "leftovers on B after detach"
lt_pass "a2 left distribution in ${ms} ms"
