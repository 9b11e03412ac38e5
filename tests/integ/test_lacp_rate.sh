#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# LACP periodic rate (802.1AX 6.4.13: a port transmits at the rate its PARTNER asks for
# with its LACP_Timeout bit: fast = every 1 s, slow = every 30 s). Both wires are tapped:
#
#   AF lag0 (--rate fast) -- a0 ==[MF relay: l-a0 | r-b0]== b0 -- BF lag0 (--rate fast)
#   AS lag0 (--rate slow) -- a0 ==[MS relay: l-a0 | r-b0]== b0 -- BS lag0 (--rate slow)
#
# Once formed: fast pair, a0 sends 3-6 LACPDUs in 4 s (counter lacpduTx, and frames from
# a0's own MAC on the tap); slow pair, at most 2 in 4 s on both. Then
# `lagbpf set lag0 --rate fast` on AS: BS sees the short timeout and sends 3-6 in 4 s while
# AS, whose partner still asks for slow, stays at <= 2.
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lacp_rate
LT_CLEANUP+=(lt_detach_parallel "rm -f '$LT_LOG'.*")

lt_ns AF af; lt_ns BF bf; lt_ns MF mf; lt_ns AS as; lt_ns BS bs; lt_ns MS ms
lt_tapwire "$AF" a0 "$BF" b0 "$MF"
lt_tapwire "$AS" a0 "$BS" b0 "$MS"
mac_af=$(ip -j -n "$AF" link show a0 | jq -r '.[0].address')
mac_as=$(ip -j -n "$AS" link show a0 | jq -r '.[0].address')
mac_bs=$(ip -j -n "$BS" link show b0 | jq -r '.[0].address')

lt_attach "$AF" lag0 a0 --rate fast || lt_fail "attach AF"
lt_attach "$BF" lag0 b0 --rate fast || lt_fail "attach BF"
lt_attach "$AS" lag0 a0 --rate slow || lt_fail "attach AS"
lt_attach "$BS" lag0 b0 --rate slow || lt_fail "attach BS"

# formed, and each side has heard the other collecting: no burst pending. (The partner's
# Distributing bit may lag: entering DISTRIBUTING sets no NTT in 802.1AX, so at slow rate
# it is only announced by the next periodic LACPDU, 30 s on.)
# shellcheck disable=SC2317 # run through lt_wait
settled() { # NS MEMBER
	[ "$(lt_member "$1" lag0 "$2" '.distributing and .partner.state.collecting and .partner.state.synchronization')" = true ]
}
for p in "$AF a0" "$BF b0" "$AS a0" "$BS b0"; do
	# shellcheck disable=SC2086
	lt_wait 15 settled $p || { set -- $p; lt_show "$1" lag0 >>"$LT_LOG"; cat "/run/lagbpf/netns/$1/lag0.log" >>"$LT_LOG"; lt_fail "not formed: $p"; }
done
[ "$(lt_member "$AS" lag0 a0 '.actor.state.timeout, .partner.state.timeout' | tr '\n' ' ')" = "false false " ] ||
	lt_fail "slow pair: timeout bits not long"
[ "$(lt_member "$AF" lag0 a0 '.actor.state.timeout, .partner.state.timeout' | tr '\n' ' ')" = "true true " ] ||
	lt_fail "fast pair: timeout bits not short"
sleep 1 # let the last NTTs of formation go out

# count_window NS MEMBER MID MAC: LACPDUs sent by MEMBER in 4 s, "counter wire"
count_window() {
	local ns=$1 m=$2 mid=$3 mac=$4 c0 c1 f
	f="$LT_LOG.$m.$mid.pcap"
	nsenter --net="/var/run/netns/$mid" timeout 4.2 tcpdump -n -U -i "l-a0" -w "$f" \
		"ether proto 0x8809 and ether src $mac" 2>>"$LT_LOG" & t=$!
	sleep 0.2
	c0=$(lt_member "$ns" lag0 "$m" .counters.lacpduTx)
	sleep 4
	c1=$(lt_member "$ns" lag0 "$m" .counters.lacpduTx)
	wait $t
	echo "$((c1 - c0)) $(tcpdump -r "$f" -n 2>/dev/null | grep -c LACP)"
}

# (wait for these pids only: a bare wait would also wait for the relays, forever)
count_window "$AF" a0 "$MF" "$mac_af" >"$LT_LOG.f" & w1=$!
count_window "$AS" a0 "$MS" "$mac_as" >"$LT_LOG.s" & w2=$!
wait $w1 $w2
read -r fast_cnt fast_wire <"$LT_LOG.f"; read -r slow_cnt slow_wire <"$LT_LOG.s"
rm -f "$LT_LOG.f" "$LT_LOG.s"
lt_log "fast: lacpduTx +$fast_cnt, wire $fast_wire; slow: lacpduTx +$slow_cnt, wire $slow_wire"
[ "$fast_cnt" -ge 3 ] && [ "$fast_cnt" -le 6 ] || lt_fail "fast: $fast_cnt LACPDUs in 4 s (want 3-6)"
[ "$fast_wire" -ge 3 ] && [ "$fast_wire" -le 6 ] || lt_fail "fast: $fast_wire LACPDUs on the wire in 4 s"
[ "$slow_cnt" -le 2 ] || lt_fail "slow: $slow_cnt LACPDUs in 4 s (want <= 2)"
[ "$slow_wire" -le 2 ] || lt_fail "slow: $slow_wire LACPDUs on the wire in 4 s"

# run-time change: AS asks for fast; BS must follow, AS keeps its partner's slow rate
lt_run "$LAGBPF" -n "$AS" set lag0 --rate fast || lt_fail "set --rate fast"
[ "$(lt_jq "$AS" lag0 .lacp.rate)" = fast ] || lt_fail "show does not say rate fast"
lt_wait 5 sh -c "[ \"\$('$LAGBPF' -n '$BS' show lag0 -j | jq -r '.connections[0].partner.state.timeout')\" = true ]" ||
	lt_fail "BS did not learn AS's short timeout"
lt_wait 5 settled "$BS" b0 || lt_fail "BS left distribution after the rate change"
sleep 1
# tap on the BS side of wire MS: frames from b0 are seen on l-a0 too (the relay sends them)
count_window "$BS" b0 "$MS" "$mac_bs" >"$LT_LOG.b" & w1=$!
c0=$(lt_member "$AS" lag0 a0 .counters.lacpduTx)
wait $w1
c1=$(lt_member "$AS" lag0 a0 .counters.lacpduTx)
read -r b_cnt b_wire <"$LT_LOG.b"; rm -f "$LT_LOG.b"
lt_log "after set: BS lacpduTx +$b_cnt wire $b_wire; AS +$((c1 - c0))"
[ "$b_cnt" -ge 3 ] && [ "$b_cnt" -le 6 ] || lt_fail "after set: BS sent $b_cnt in 4 s (want 3-6)"
[ "$b_wire" -ge 3 ] && [ "$b_wire" -le 6 ] || lt_fail "after set: BS $b_wire on the wire in 4 s"
[ $((c1 - c0)) -le 2 ] || lt_fail "after set: AS sent $((c1 - c0)) in 4 s (partner still slow)"
lt_distributing "$AS" lag0 1 || lt_fail "AS left distribution after the rate change"

lt_pass "fast $fast_cnt/4 s (wire $fast_wire), slow $slow_cnt/4 s (wire $slow_wire), after set --rate fast partner $b_cnt/4 s"
