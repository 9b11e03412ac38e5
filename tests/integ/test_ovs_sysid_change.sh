#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The partner's system id changes while one link goes silent with its carrier up (issue 11:
# a partner replaced or reconfigured, an MLAG failover), against Open vSwitch (userspace
# datapath, tools/ovs-partner.sh), fast rate on both sides:
#
#   ns A (lagbpf)                                   ns B (Open vSwitch)
#   lag0 198.18.96.1/24 --+-- a0 ===== veth ===== b0 --+-- bond0 -- br-lacp 198.18.96.2/24
#                         +-- a1 ===== veth ===== b1 --+
#                         +-- a2 ===== veth ===== b2 --+   (b2: removed, carrier up, silent)
#
# 1. the LAG forms with OVS's own system id on the three members.
# 2. b2 leaves bond0 (it stops speaking LACP, its carrier stays up), then bond0 takes another
#    system id (other_config:lacp-system-id) on b0 and b1. lagbpf used to refuse a0 and a1
#    (other-partner-system) until a2's old information had timed out (defaulted, 6 s), while
#    a2 went on distributing toward a port that had left. Now a0 and a1 distribute with the new
#    system id before a2 defaults (both seen in one show -j), a2 stops distributing, and ping
#    crosses.
# lagbpf's members run with tx checksum offload off (see test_ovs_interop.sh).
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init ovs_sysid_change
lt_ovs_need

IPA=198.18.96.1 IPB=198.18.96.2 NSYS=02:00:00:96:00:01
lt_ns A a; lt_ns B b
for i in 0 1 2; do lt_veth "$A" a$i "$B" b$i; done

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# lag_member MEMBER JQ-TEST: lagbpf's connection object passes the jq test.
lag_member() {
	lt_show "$A" lag0 |
		jq -e --arg m "$1" ".connections[] | select(.connectionName == \$m) | $2" >/dev/null
}
dist() { lag_member "$1" '.distributing and .rx == "current" and .mux == "collecting_distributing"'; }

lt_ovs_start O "$B" --bond bond0 --members b0,b1,b2 --lacp active --rate fast \
	--addr "$IPB/24" || lt_fail "start OVS"
# On failure: both sides' views and lagbpf's controller log, before OVS and lagbpf go.
# shellcheck disable=SC2317 # run at teardown by the LT_CLEANUP entry below
dump() {
	"$LAGBPF" -n "$A" show lag0
	"$LT_OVS" show --dir "$O" --bond bond0
	tail -n 60 "/run/lagbpf/netns/$A/lag0.log"
}
# shellcheck disable=SC2016 # expanded when lt_teardown evals it
LT_CLEANUP+=('[ "$LT_RESULT" = PASS ] || dump')
OSYS=$("$LT_OVS" show --dir "$O" --bond bond0 | awk '$1 == "sys_id:" { print $2; exit }')
for i in 0 1 2; do lt_run lt_nsexec "$A" ethtool -K a$i tx off || lt_fail "tx off a$i"; done
lt_attach "$A" lag0 a0 a1 a2 --rate fast || lt_fail "attach"
ip -n "$A" addr add "$IPA/24" dev lag0

# ---- 1. formation ------------------------------------------------------------------------------
for m in a0 a1 a2; do lt_wait 15 dist $m || lt_fail "$m not distributing"; done
[ "$(lt_jq "$A" lag0 .lacp.partnerSystemId)" = "$OSYS" ] || lt_fail "partner is not OVS $OSYS"
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 2 "$IPB" || lt_fail "ping before"

# ---- 2. b2 goes silent, bond0 takes another system id -----------------------------------------
lt_run lt_nsexec "$B" sysctl -qw "net.ipv4.conf.b2.arp_ignore=8"
t0=$(now_ms)
lt_ovs "$O" del-member --bond bond0 --member b2 || lt_fail "del-member b2"
lt_run ovs-vsctl --db="unix:$O/db.sock" --timeout=10 set port bond0 \
	other_config:lacp-system-id="$NSYS" || lt_fail "set lacp-system-id"
# followed: a0 and a1 distribute with the new system id (one snapshot, in $SNAP)
# shellcheck disable=SC2317 # run through lt_wait
followed() {
	SNAP=$(lt_show "$A" lag0)
	jq -e --arg s "$NSYS" '.lacp.partnerSystemId == $s and ([.connections[] |
		select(.connectionName != "a2") | select(.distributing and
		.mux == "collecting_distributing" and .partner.systemId == $s)] | length) == 2' \
		<<<"$SNAP" >/dev/null
}
lt_wait 15 followed || lt_fail "lagbpf did not follow the new system id: $(jq -c '[.lacp.partnerSystemId,
	(.connections[] | [.connectionName, .distributing, .rx, .reason])]' <<<"$SNAP")"
T_FOLLOW=$(($(now_ms) - t0))
A2=$(jq -r '.connections[] | select(.connectionName == "a2") | "\(.rx) \(.distributing) \(.reason)"' <<<"$SNAP")
lt_log "a2 when a0 and a1 followed: $A2"
case $A2 in
defaulted*) lt_fail "followed only once a2 had timed out ($A2)" ;;
*" false "*) ;;
*) lt_fail "a2 still distributes toward the port that left ($A2)" ;;
esac
lag_member a2 '.carrier' || lt_fail "a2 lost its carrier (it must stay up)"
lt_wait 5 lt_nsexec "$A" ping -c 1 -W 1 "$IPB" || lt_fail "no ping after the change"
lt_run lt_nsexec "$A" ping -c 5 -i 0.1 -W 2 "$IPB" || lt_fail "ping after the change"
lt_wait 10 lag_member a2 '.rx == "defaulted" and (.distributing | not)' || lt_fail "a2 not defaulted"
# shellcheck disable=SC2015 # lt_fail unless both hold
dist a0 && dist a1 || lt_fail "a0/a1 stopped distributing"
lt_pass "a0/a1 follow OVS's new system id ${T_FOLLOW} ms after the change (a2 then: $A2)"
