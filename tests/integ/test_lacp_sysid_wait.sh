#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# --system-id and --aggregate-wait (issue 11), fast rate:
#
#   ns A (--system-id 02:00:00:95:00:0a --aggregate-wait 0)   ns B (--aggregate-wait 0)
#   lag0 198.18.95.1 --+-- a0 ===== b0 --+-- lag0 198.18.95.2
#                      +-- a1 ===== b1 --+
#
# A's LACP System ID is the one given, not its MAC: A's show -j says so (lacp.systemId, while
# macAddress stays the LAG's), and B sees that id as its partner on both links. With an
# aggregate wait of 0 on both ends (lacp.aggregateWaitMs 0), B, attached second, is available
# well under the 2 s that 802.1AX's Aggregate_Wait_Time alone takes. Ping crosses.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lacp_sysid_wait
LT_CLEANUP+=(lt_detach_parallel)

SID=02:00:00:95:00:0a
lt_ns A a; lt_ns B b
lt_veth "$A" a0 "$B" b0
lt_veth "$A" a1 "$B" b1
lt_attach "$A" lag0 a0 a1 --rate fast --system-id "$SID" --aggregate-wait 0 || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --rate fast --aggregate-wait 0 || lt_fail "attach B"
ip -n "$A" addr add 198.18.95.1/24 dev lag0
ip -n "$B" addr add 198.18.95.2/24 dev lag0

[ "$(lt_jq "$A" lag0 .lacp.systemId)" = "$SID" ] || lt_fail "A's systemId $(lt_jq "$A" lag0 .lacp.systemId)"
[ "$(lt_jq "$A" lag0 .macAddress)" != "$SID" ] || lt_fail "A's MAC became the system id"
[ "$(lt_jq "$A" lag0 .lacp.aggregateWaitMs)" = 0 ] || lt_fail "aggregateWaitMs $(lt_jq "$A" lag0 .lacp.aggregateWaitMs)"
# shellcheck disable=SC2317 # run through lt_wait
both_two() { lt_distributing "$A" lag0 2 && lt_distributing "$B" lag0 2; }
lt_wait 15 both_two || lt_fail "not 2 distributing on both ends"
for m in b0 b1; do
	[ "$(lt_member "$B" lag0 $m .partner.systemId)" = "$SID" ] ||
		lt_fail "B's $m partner is $(lt_member "$B" lag0 $m .partner.systemId), not $SID"
done
[ "$(lt_jq "$B" lag0 .lacp.partnerSystemId)" = "$SID" ] || lt_fail "B's partnerSystemId"
ms=$(lt_jq "$B" lag0 .availableAfterMs)
lt_log "B available after $ms ms"
[ "${ms%.*}" -lt 1500 ] || lt_fail "B available after $ms ms with an aggregate wait of 0"
lt_wait 5 lt_nsexec "$A" ping -c 1 -W 1 198.18.95.2 || lt_fail "ping"
lt_pass "system id $SID; B available after ${ms%.*} ms"
