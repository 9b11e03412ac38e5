#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# One partner system per LAG, against Open vSwitch (userspace datapath, tools/ovs-partner.sh):
# lagbpf's members are cabled to three LACP ports of one OVS, two of them speaking with other
# system ids (OVS's other_config:lacp-system-id), each on a bridge of its own (no loop):
#
#   ns A (lagbpf, active fast)                ns B (Open vSwitch, active fast)
#   lag0 198.18.60.1/24 -+- a0 ==== veth ==== b0 -+- bond0 (OVS's own id) - br-lacp 198.18.60.2/24
#                        +- a1 ==== veth ==== b1 -+
#                        +- a2 ==== veth ==== b2 -+- bond1 (sys id 02:00:00:76:00:02) - br-o2
#                        +- a3 ==== veth ==== b3 -+
#                        +- a4 ==== veth ==== b4 --- bond2 (sys id 02:00:00:76:00:03, one member:
#                                                    OVS clears its Aggregation bit) - br-o3
#
# bond0 speaks first, so its system becomes lag0's partner. When bond1 and bond2 come up later,
# lagbpf hears them (rx current, their system id recorded as each member's partner) but does
# not aggregate them, and says why: a2/a3 "other-partner-system", a4 "partner-individual". OVS's
# bond1 sees lagbpf as partner but never in sync. TCP uses a0/a1 only.
# lagbpf's members run with tx checksum offload off (see test_ovs_interop.sh).
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init ovs_sysid
lt_ovs_need
command -v iperf3 >/dev/null || lt_skip "iperf3 not installed"

IPA=198.18.60.1 IPB=198.18.60.2 SYS1=02:00:00:76:00:02 SYS2=02:00:00:76:00:03
lt_ns A a; lt_ns B b
for i in 0 1 2 3 4; do lt_veth "$A" a$i "$B" b$i; done
lt_bg "$B" iperf3 -s -p 5201

RE_ASYNC=' actor=[^ ]*synchronized' RE_PSYNC=' partner=[^ ]*synchronized'
# dist MEMBER: distributing, partner OVS's bond0.
dist() {
	lt_show "$A" lag0 | jq -e --arg m "$1" --arg p "$OSYS" '.connections[] |
		select(.connectionName == $m) | .distributing and .rx == "current" and
		.partner.systemId == $p' >/dev/null
}
# other MEMBER SYSID REASON: heard (current) from SYSID but not aggregated, for REASON.
# shellcheck disable=SC2317 # run through lt_wait
other() {
	lt_show "$A" lag0 | jq -e --arg m "$1" --arg p "$2" --arg r "$3" '.connections[] |
		select(.connectionName == $m) | .rx == "current" and .partner.systemId == $p and
		.selected == "unselected" and .reason == $r and (.distributing | not) and
		(.collecting | not) and (.actor.state.synchronization | not)' >/dev/null
}
# shellcheck disable=SC2317 # run through lt_wait
ovs_ok() {
	local line
	line=$(lt_ovs_member "$O" bond0 "$1")
	[[ $line == *" rx=current attach=attached enabled=1 "* ]] && [[ $line =~ $RE_ASYNC ]] &&
		[[ $line =~ $RE_PSYNC ]] && [[ $line == *" partner_sys=$LSYS "* ]]
}
# ovs_unsynced BOND MEMBER: OVS hears lagbpf there, but lagbpf is not in sync.
# shellcheck disable=SC2317 # run through lt_wait
ovs_unsynced() {
	local line
	line=$(lt_ovs_member "$O" "$1" "$2")
	[[ $line == *" rx=current "* ]] && [[ $line == *" partner_sys=$LSYS "* ]] &&
		! [[ $line =~ $RE_PSYNC ]]
}

# ---- bond0 and lagbpf form -------------------------------------------------------------------
lt_ovs_start O "$B" --bond bond0 --members b0,b1 --lacp active --rate fast --addr "$IPB/24" ||
	lt_fail "start OVS"
# shellcheck disable=SC2317 # run at teardown by the LT_CLEANUP entry below
dump() {
	"$LAGBPF" -n "$A" show lag0
	"$LT_OVS" show --dir "$O"
	tail -n 40 "/run/lagbpf/netns/$A/lag0.log"
}
# shellcheck disable=SC2016 # expanded when lt_teardown evals it
LT_CLEANUP+=('[ "$LT_RESULT" = PASS ] || dump')
OSYS=$("$LT_OVS" show --dir "$O" --bond bond0 | awk '$1 == "sys_id:" { print $2; exit }')
[ -n "$OSYS" ] && [ "$OSYS" != "$SYS1" ] && [ "$OSYS" != "$SYS2" ] || lt_fail "OVS sys_id '$OSYS'"
for i in 0 1 2 3 4; do lt_run lt_nsexec "$A" ethtool -K a$i tx off || lt_fail "tx off a$i"; done
# a2..a4 face veths that OVS has not taken yet (down): they wait with reason port-down.
lt_attach "$A" lag0 a0 a1 a2 a3 a4 --rate fast || lt_fail "attach"
ip -n "$A" addr add "$IPA/24" dev lag0
LSYS=$(lt_jq "$A" lag0 .lacp.systemId)
lt_wait 15 dist a0 || lt_fail "a0 not distributing with OVS $OSYS"
lt_wait 5 dist a1 || lt_fail "a1 not distributing with OVS $OSYS"
lt_wait 10 ovs_ok b0 && lt_wait 5 ovs_ok b1 || lt_fail "OVS bond0 not negotiated with $LSYS"

# ---- the other systems come up ---------------------------------------------------------------
lt_ovs "$O" add-bond --bond bond1 --members b2,b3 --lacp active --rate fast --sys-id "$SYS1" \
	--bridge br-o2 || lt_fail "add-bond bond1"
lt_ovs "$O" add-bond --bond bond2 --members b4 --lacp active --rate fast --sys-id "$SYS2" \
	--bridge br-o3 || lt_fail "add-bond bond2"
lt_wait 10 other a2 "$SYS1" other-partner-system || lt_fail "a2: not refused as other-partner-system"
lt_wait 5 other a3 "$SYS1" other-partner-system || lt_fail "a3: not refused as other-partner-system"
lt_wait 10 other a4 "$SYS2" partner-individual || lt_fail "a4: not refused as partner-individual"
lt_run "$LAGBPF" -n "$A" show lag0
lt_ovs "$O" show
[ "$(lt_jq "$A" lag0 '.lacp.partnerSystemId, .distributingConnections' | tr '\n' ,)" = "$OSYS,2," ] ||
	lt_fail "lag0's partner moved away from $OSYS or it does not distribute on 2 members"
dist a0 && dist a1 || lt_fail "a0/a1 stopped distributing when the other systems came"
lt_wait 5 ovs_unsynced bond1 b2 && lt_wait 5 ovs_unsynced bond1 b3 ||
	lt_fail "OVS bond1 does not see lagbpf out of sync"
# The log says why, in the reason's words (one line per Selection transition).
grep -q 'a2 selection: .*other-partner-system' "/run/lagbpf/netns/$A/lag0.log" ||
	lt_fail "controller log has no other-partner-system line for a2"
# The plain show prints the reason column too.
"$LAGBPF" -n "$A" show lag0 | grep -Eq '^ *a3 .*other-partner-system' ||
	lt_fail "show does not print a3's reason"

# ---- traffic uses a0/a1 only -----------------------------------------------------------------
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 2 "$IPB" || lt_fail "ping A -> B"
before=$(lt_show "$A" lag0 | jq -c '[.connections[].counters.txPackets]')
lt_wait 5 lt_nsexec "$B" ss -Hltn sport = :5201 || lt_fail "iperf3 server in B"
lt_run lt_nsexec "$A" timeout 30 iperf3 -c "$IPB" -p 5201 -t 1 -P 16 -b 4M --connect-timeout 3000 ||
	lt_fail "TCP A -> B"
after=$(lt_show "$A" lag0 | jq -c '[.connections[].counters.txPackets]')
lt_log "txPackets a0..a4 before $before after $after"
jq -en --argjson b "$before" --argjson a "$after" \
	'($a[0] - $b[0]) > 100 and ($a[1] - $b[1]) > 100 and $a[2] == $b[2] and $a[3] == $b[3] and
	 $a[4] == $b[4]' >/dev/null || lt_fail "TCP not on a0/a1 only: txPackets $before -> $after"

lt_pass
