#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# One partner system and one partner key per LAG (802.1AX 6.4.14), fast rate everywhere:
#
#   ns A  lag0 --+-- a0 ===== b0 -- lag0 ns B  --mac MB --key 20
#                +-- a1 ===== c1 -- lag0 ns C  --mac MB --key 30 (members cx, c1: c1 is
#                |                               port 2, cx has no carrier)
#                +-- a2 ===== d0 -- lag0 ns D  (its own system id)
#
# B comes first and becomes A's partner: a0 distributes although A's key (10, from the
# speed) differs from B's 20 (keys are local to each system). a1 hears the same system
# with another key: partner-key-mismatch; a2 hears another system: other-partner-system.
# Neither distributes, on either end, for several seconds. Then B and C go away: the
# LAG's partner is released and a2 forms with D.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lacp_partner
LT_CLEANUP+=(lt_detach_parallel)

MB=02:78:04:00:00:0b
lt_ns A a; lt_ns B b; lt_ns C c; lt_ns D d
lt_veth "$A" a0 "$B" b0
lt_veth "$A" a1 "$C" c1
lt_veth "$A" a2 "$D" d0
lt_veth "$C" cx "$C" cy # cy stays down: cx has no carrier, c1 is port number 2

lt_attach "$A" lag0 a0 a1 a2 --rate fast || lt_fail "attach A"
lt_attach "$B" lag0 b0 --rate fast --mac "$MB" --key 20 || lt_fail "attach B"
lt_wait 15 lt_distributing "$A" lag0 1 || lt_fail "A/B did not form"
sa=$(lt_jq "$A" lag0 .lacp.systemId); sd=
[ "$(lt_jq "$A" lag0 .lacp.partnerSystemId)" = "$MB" ] || lt_fail "A's partner is not B"
[ "$(lt_jq "$A" lag0 .lacp.partnerKey)" = 20 ] || lt_fail "A's partnerKey is not 20"
[ "$(lt_jq "$A" lag0 .lacp.key)" != 20 ] || lt_fail "A's own key is 20: the test needs different keys"
lt_attach "$C" lag0 cx c1 --rate fast --mac "$MB" --key 30 || lt_fail "attach C"
lt_attach "$D" lag0 d0 --rate fast || lt_fail "attach D"
sd=$(lt_jq "$D" lag0 .lacp.systemId)
# shellcheck disable=SC2015 # lt_fail unless both hold
[ "$sd" != "$MB" ] && [ "$sd" != "$sa" ] || lt_fail "D's system id $sd not distinct"

# member_is NS MEMBER JQ-CONDITION
# shellcheck disable=SC2317 # run through lt_wait
member_is() { [ "$(lt_member "$1" lag0 "$2" "$3")" = true ]; }
lt_wait 10 member_is "$A" a1 '.rx == "current" and .partner.key == 30 and .reason == "partner-key-mismatch"' ||
	lt_fail "a1: $(lt_member "$A" lag0 a1 '"\(.rx) \(.partner.systemId) \(.partner.key) \(.reason)"')"
lt_wait 10 member_is "$A" a2 ".rx == \"current\" and .partner.systemId == \"$sd\" and .reason == \"other-partner-system\"" ||
	lt_fail "a2: $(lt_member "$A" lag0 a2 '"\(.rx) \(.partner.systemId) \(.reason)"')"
[ "$(lt_member "$A" lag0 a1 .partner.systemId)" = "$MB" ] || lt_fail "a1's partner is not system MB"
[ "$(lt_member "$C" lag0 c1 .partner.systemId)" = "$sa" ] || lt_fail "C does not hear A"
[ "$(lt_member "$D" lag0 d0 .partner.systemId)" = "$sa" ] || lt_fail "D does not hear A"

# hold: nothing else aggregates, for longer than a formation takes (Aggregate_Wait 2 s)
end=$(( $(lt_ms) + 3500 ))
while [ "$(lt_ms)" -lt "$end" ]; do
	[ "$(lt_show "$A" lag0 | jq -c '[.connections[] | {(.connectionName): [.distributing, .selected]}] | add')" = \
	  '{"a0":[true,"selected"],"a1":[false,"unselected"],"a2":[false,"unselected"]}' ] ||
		lt_fail "A's members: $(lt_show "$A" lag0 | jq -c '[.connections[] | {(.connectionName): [.distributing, .selected, .reason]}]')"
	[ "$(lt_jq "$C" lag0 .distributingConnections)" = 0 ] || lt_fail "C distributes to A"
	[ "$(lt_jq "$D" lag0 .distributingConnections)" = 0 ] || lt_fail "D distributes to A"
	[ "$(lt_member "$A" lag0 a1 .actor.state.synchronization)" = false ] || lt_fail "a1 tells C it is in sync"
	sleep 0.3
done
[ "$(lt_jq "$A" lag0 .lacp.partnerSystemId)" = "$MB" ] || lt_fail "A's partner changed"
lt_lag_state "$D" lag0 available && lt_fail "D is available"

# B and C leave: no port holds the partner any more, a2 takes D
lt_run "$LAGBPF" -n "$B" detach lag0 || lt_fail "detach B"
lt_run "$LAGBPF" -n "$C" detach lag0 || lt_fail "detach C"
lt_wait 15 member_is "$A" a2 '.distributing' || lt_fail "a2 did not form with D: $(lt_member "$A" lag0 a2 .reason)"
lt_wait 15 lt_distributing "$D" lag0 1 || lt_fail "D not distributing"
[ "$(lt_jq "$A" lag0 .lacp.partnerSystemId)" = "$sd" ] || lt_fail "A's partner is not D"
lt_pass "partner-key-mismatch and other-partner-system held 3.5 s; different keys per system aggregate; partner released to D"
