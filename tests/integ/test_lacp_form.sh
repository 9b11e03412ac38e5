#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# LACP formation, lagbpf on both ends, three LAGs side by side (fast rate):
#
#   active/active:    A1 lag0 198.18.81.1 -- a0 ===== b0 -- B1 lag0 198.18.81.2 (active)
#                                         -- a1 ===== b1 --
#   active/passive:   A2 lag0 198.18.82.1 -- a0 ===== b0 -- B2 lag0 198.18.82.2 (--passive)
#                                         -- a1 ===== b1 --
#   passive/passive:  A3 lag0 (--passive) -- a0 ==[M3 tap]== b0 -- B3 lag0 (--passive)
#                                         -- a1 ==[M3 tap]== b1 --
#
# Active/active and active/passive: every member collecting_distributing on both ends,
# partnerSystemId = the other side's systemId, ping crosses; the time from the first attach
# to distributing on both ends is printed. Passive/passive: nothing is ever sent (tcpdump
# on the tapped wire in M3 sees no 0x8809 frame, lacpduTx stays 0), lagState is not
# available and every member says reason passive-both; then B3 re-attached active is seen
# on the same tap and the LAG forms (the capture works).
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lacp_form
LT_CLEANUP+=(lt_detach_parallel)

lt_ns A1 a1; lt_ns B1 b1; lt_ns A2 a2; lt_ns B2 b2; lt_ns A3 a3; lt_ns B3 b3; lt_ns M3 m3
for i in 0 1; do
	lt_veth "$A1" a$i "$B1" b$i
	lt_veth "$A2" a$i "$B2" b$i
	lt_tapwire "$A3" a$i "$B3" b$i "$M3"
done

# passive/passive first, with the capture running before either side comes up
for i in 0 1; do
	lt_bg "$M3" tcpdump -n -U -i l-a$i -w "$LT_LOG.pp$i.pcap" ether proto 0x8809
	LT_CLEANUP+=("rm -f '$LT_LOG.pp$i.pcap'")
done
lt_wait 10 sh -c "[ \$(grep -o 'listening on' '$LT_LOG' | wc -l) -ge 2 ]" || lt_fail "tcpdump in M3"
tcap=$(lt_ms)
lt_attach "$A3" lag0 a0 a1 --passive --rate fast || lt_fail "attach A3"
lt_attach "$B3" lag0 b0 b1 --passive --rate fast || lt_fail "attach B3"

t0=$(lt_ms)
lt_attach "$A1" lag0 a0 a1 --rate fast || lt_fail "attach A1"
lt_attach "$B1" lag0 b0 b1 --rate fast || lt_fail "attach B1"
t1=$(lt_ms)
lt_attach "$A2" lag0 a0 a1 --rate fast || lt_fail "attach A2"
lt_attach "$B2" lag0 b0 b1 --rate fast --passive || lt_fail "attach B2"

# both ends distributing on every member; wall clock since the first attach of the pair
# shellcheck disable=SC2317 # run through lt_wait
both_dist() { lt_distributing "$1" lag0 2 && lt_distributing "$2" lag0 2; }
lt_wait 15 both_dist "$A1" "$B1" || lt_fail "active/active: not all members distributing"
aa_ms=$(( $(lt_ms) - t0 ))
lt_wait 15 both_dist "$A2" "$B2" || lt_fail "active/passive: not all members distributing"
ap_ms=$(( $(lt_ms) - t1 ))

check_pair() { # NS-X NS-Y LABEL
	local x=$1 y=$2 what=$3 sx sy
	sx=$(lt_jq "$x" lag0 .lacp.systemId); sy=$(lt_jq "$y" lag0 .lacp.systemId)
	# shellcheck disable=SC2015 # lt_fail unless both hold
	[ -n "$sx" ] && [ "$sx" != null ] && [ "$sx" != "$sy" ] || lt_fail "$what: system ids '$sx' '$sy'"
	[ "$(lt_jq "$x" lag0 .lacp.partnerSystemId)" = "$sy" ] || lt_fail "$what: A's partner is not B ($sy)"
	[ "$(lt_jq "$y" lag0 .lacp.partnerSystemId)" = "$sx" ] || lt_fail "$what: B's partner is not A ($sx)"
	for ns in "$x" "$y"; do
		lt_lag_state "$ns" lag0 available || lt_fail "$what: $ns not available"
		[ "$(lt_jq "$ns" lag0 '[.connections[] | select(.mux == "collecting_distributing" and .selected == "selected" and .rx == "current" and .actor.state.synchronization and .partner.state.synchronization)] | length')" = 2 ] ||
			lt_fail "$what: $ns members not all selected/current/in sync"
	done
}
check_pair "$A1" "$B1" active/active
check_pair "$A2" "$B2" active/passive
# passive side: its own activity bit is clear, the partner's is set
[ "$(lt_jq "$B2" lag0 '[.connections[] | select((.actor.state.activity | not) and .partner.state.activity)] | length')" = 2 ] ||
	lt_fail "active/passive: B's actor/partner activity bits wrong"
[ "$(lt_jq "$B2" lag0 .lacp.active)" = false ] || lt_fail "active/passive: B not passive"

for p in "1 $A1 $B1" "2 $A2 $B2"; do
	# shellcheck disable=SC2086 # "pair nsA nsB": split into $1 $2 $3
	set -- $p
	net=198.18.$((80 + $1))
	ip -n "$2" addr add "$net.1/24" dev lag0
	ip -n "$3" addr add "$net.2/24" dev lag0
	lt_run lt_nsexec "$2" ping -c 3 -i 0.1 -W 1 "$net.2" || lt_fail "ping across pair $1"
done

aa_a=$(lt_jq "$A1" lag0 .availableAfterMs); aa_b=$(lt_jq "$B1" lag0 .availableAfterMs)
ap_a=$(lt_jq "$A2" lag0 .availableAfterMs); ap_b=$(lt_jq "$B2" lag0 .availableAfterMs)
lt_log "formation: a/a wall ${aa_ms} ms, availableAfterMs A=$aa_a B=$aa_b; a/p wall ${ap_ms} ms, A=$ap_a B=$ap_b"

# passive/passive: by now (> 2 s after attach) still silent and not formed, and says why
for ns in "$A3" "$B3"; do
	st=$(lt_jq "$ns" lag0 .lagState)
	[ "$st" != available ] || lt_fail "passive/passive: $ns is available"
	[ "$(lt_jq "$ns" lag0 '[.connections[] | select(.reason == "passive-both" and (.distributing | not) and .counters.lacpduTx == 0 and .counters.lacpduRx == 0)] | length')" = 2 ] ||
		lt_fail "passive/passive: $ns members not passive-both/silent: $(lt_show "$ns" lag0 | jq -c '[.connections[] | {reason, lacpduTx: .counters.lacpduTx}]')"
done
left=$(( tcap + 3500 - $(lt_ms) ))
[ "$left" -le 0 ] || sleep "$(bc <<<"scale=3; $left/1000")" # at least 3.5 s of capture
for i in 0 1; do
	n=$(tcpdump -r "$LT_LOG.pp$i.pcap" -n 2>/dev/null | wc -l)
	[ "$n" = 0 ] || lt_fail "passive/passive: $n slow-protocol frames on wire $i"
done
[ "$(lt_jq "$A3" lag0 .lacp.partnerSystemId)" = null ] || lt_fail "passive/passive: A3 has a partner"

# positive control for the tap: B3 turned active is heard on the wire and the LAG forms
lt_run "$LAGBPF" -n "$B3" detach lag0 || lt_fail "detach B3"
lt_attach "$B3" lag0 b0 b1 --rate fast || lt_fail "attach B3 active"
lt_wait 10 both_dist "$A3" "$B3" || {
	{ lt_show "$A3" lag0; lt_show "$B3" lag0; cat "/run/lagbpf/netns/$A3/lag0.log" "/run/lagbpf/netns/$B3/lag0.log"; } >>"$LT_LOG"
	lt_fail "passive A3 / active B3: not distributing"
}
for i in 0 1; do
	n=$(tcpdump -r "$LT_LOG.pp$i.pcap" -n 2>/dev/null | grep -c LACP)
	[ "$n" -ge 2 ] || lt_fail "tap on wire $i saw only $n LACPDUs once B3 is active"
done

lt_pass "$(printf 'active/active distributing after %.1f s (availableAfterMs %s/%s), active/passive after %.1f s (%s/%s); passive/passive silent (passive-both, lagState %s)' \
	"$(bc <<<"scale=2; $aa_ms/1000")" "${aa_a%.*}" "${aa_b%.*}" "$(bc <<<"scale=2; $ap_ms/1000")" "${ap_a%.*}" "${ap_b%.*}" "$st")"
