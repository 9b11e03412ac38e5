#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Failover against Open vSwitch (userspace datapath, tools/ovs-partner.sh), 4 members:
#
#   ns A (lagbpf, active fast)                      ns B (Open vSwitch, active fast)
#   lag0 198.18.50.1/24 --+-- a0 ===== veth ===== b0 --+-- bond0 -- br-lacp 198.18.50.2/24
#                         +-- a1 ===== veth ===== b1 --+   (b1: carrier cut, then restored)
#                         +-- a2 ===== veth ===== b2 --+
#                         +-- a3 ===== veth ===== b3 --+
#
# 1. the LAG forms on both sides (4 members distributing / current, attached, in sync).
# 2. carrier cut: b1 goes down under 16 TCP flows. lagbpf shows a1 not distributing
#    (port-down), OVS shows b1 not current and disabled; every flow still moves data after the
#    cut (both sides moved the flows of the lost member) and ping crosses.
# 3. restore: b1 up; it rejoins on both sides and carries TCP again (lagbpf sends on a1).
# 4. del-member: OVS drops from bond0 the member it keys the bond by (lowest port id) while its
#    carrier stays up: it stops speaking LACP there and re-keys the 3 others. lagbpf runs fast
#    (its current_while is the short timeout: 802.1AX sets it from the actor's own Timeout):
#    that member stops distributing at expiry (<= 3 s) and ends defaulted (no-partner) 3 s
#    later; the 3 others follow OVS's new key (after a 2 s aggregate wait) and TCP uses them
#    only, every flow moving data.
# lagbpf's members run with tx checksum offload off (see test_ovs_interop.sh).
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init ovs_failover
lt_ovs_need
command -v iperf3 >/dev/null || lt_skip "iperf3 not installed"

IPA=198.18.50.1 IPB=198.18.50.2
lt_ns A a; lt_ns B b
for i in 0 1 2 3; do lt_veth "$A" a$i "$B" b$i; done
lt_bg "$B" iperf3 -s -p 5201
JSON=$(mktemp "/tmp/lagt-ovs_failover-$LT_ID-XXXXXX.json")
LT_CLEANUP+=("rm -f '$JSON'")

now_ms() { echo $(($(date +%s%N) / 1000000)); }
RE_ASYNC=' actor=[^ ]*synchronized' RE_PSYNC=' partner=[^ ]*synchronized'

# ovs_ok MEMBER: current, attached, enabled, in sync both ways, partner lagbpf.
# shellcheck disable=SC2317 # run through lt_wait
ovs_ok() {
	local line
	line=$(lt_ovs_member "$O" bond0 "$1")
	[[ $line == *" rx=current attach=attached enabled=1 "* ]] && [[ $line =~ $RE_ASYNC ]] &&
		[[ $line =~ $RE_PSYNC ]] && [[ $line == *" partner_sys=$LSYS "* ]]
}
# shellcheck disable=SC2317 # run through lt_wait
ovs_all_ok() { local m; for m; do ovs_ok "$m" || return 1; done; }
# ovs_lost MEMBER: OVS no longer uses it (not current and disabled in the bond).
# shellcheck disable=SC2317 # run through lt_wait
ovs_lost() {
	local line
	line=$(lt_ovs_member "$O" bond0 "$1")
	[[ $line == *" enabled=0 "* ]] && [[ $line != *" rx=current "* ]]
}

# lag_member NS MEMBER JQ-TEST: the member's connection object passes the jq test.
lag_member() {
	lt_show "$A" lag0 |
		jq -e --arg m "$1" ".connections[] | select(.connectionName == \$m) | $2" >/dev/null
}
dist() { lag_member "$1" '.distributing and .rx == "current" and .mux == "collecting_distributing"'; }
all_dist() { local m; for m; do dist "$m" || return 1; done; }

# tcp_check WHAT: iperf3 JSON in $JSON shows every stream moving data in its last interval.
tcp_check() {
	jq -e '(.error | not) and (.intervals[-1].streams | length) == (.start.test_start.num_streams) and
		all(.intervals[-1].streams[]; .bytes > 0)' "$JSON" >/dev/null ||
		{ lt_log "$(jq -c '.error, (.intervals[] | [.streams[].bytes])' "$JSON" 2>&1)"; lt_fail "$1"; }
	lt_log "$1: $(jq -r '[.intervals[-1].streams[].bytes] as $l | "\(.end.sum_received.bytes) " +
		"bytes, last interval per stream \($l | min)..\($l | max)"' "$JSON")"
}

# iperf SECS FLOWS: TCP A -> B into $JSON (returns iperf3's status). Each flow is paced at
# 4 Mbit/s, far below what OVS's userspace datapath forwards on this 2-core machine: saturated,
# it drops, and some of 16 competing flows sit in RTO backoff for over a second (measured),
# which would hide the losses this test is about.
iperf() {
	lt_wait 5 lt_nsexec "$B" ss -Hltn sport = :5201 || lt_fail "iperf3 server in B"
	lt_nsexec "$A" timeout 30 iperf3 -c "$IPB" -p 5201 -t "$1" -P "$2" -b 4M -i 1 -J \
		--connect-timeout 3000 >"$JSON" 2>>"$LT_LOG"
}

# ---- 1. formation ------------------------------------------------------------------------------
lt_ovs_start O "$B" --bond bond0 --members b0,b1,b2,b3 --lacp active --rate fast \
	--addr "$IPB/24" || lt_fail "start OVS"
# On failure: both sides' views and lagbpf's controller log, before OVS and lagbpf go.
# shellcheck disable=SC2317 # run at teardown by the LT_CLEANUP entry below
dump() {
	"$LAGBPF" -n "$A" show lag0
	"$LT_OVS" members --dir "$O" --bond bond0
	tail -n 60 "/run/lagbpf/netns/$A/lag0.log"
}
# shellcheck disable=SC2016 # expanded when lt_teardown evals it
LT_CLEANUP+=('[ "$LT_RESULT" = PASS ] || dump')
OSYS=$("$LT_OVS" show --dir "$O" --bond bond0 | awk '$1 == "sys_id:" { print $2; exit }')
for i in 0 1 2 3; do lt_run lt_nsexec "$A" ethtool -K a$i tx off || lt_fail "tx off a$i"; done
t0=$(now_ms)
lt_attach "$A" lag0 a0 a1 a2 a3 --rate fast || lt_fail "attach"
ip -n "$A" addr add "$IPA/24" dev lag0
LSYS=$(lt_jq "$A" lag0 .lacp.systemId)
lt_wait 15 all_dist a0 a1 a2 a3 || lt_fail "lagbpf: not 4 members distributing"
lt_wait 10 ovs_all_ok b0 b1 b2 b3 || lt_fail "OVS: not 4 members negotiated with $LSYS"
T_FORM=$(($(now_ms) - t0))
[ "$(lt_jq "$A" lag0 .lacp.partnerSystemId)" = "$OSYS" ] || lt_fail "lagbpf partner is not OVS $OSYS"
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 2 "$IPB" || lt_fail "ping before the cut"

# ---- 2. carrier cut under load -----------------------------------------------------------------
iperf 6 16 &
IPERF=$!
LT_PIDS+=("$IPERF")
sleep 1.5	# let the flows spread over the 4 members
t0=$(now_ms)
lt_run ip -n "$B" link set b1 down
lt_wait 5 lag_member a1 '(.distributing | not) and (.carrier | not) and .reason == "port-down"' ||
	lt_fail "cut: lagbpf still distributes on a1"
T_CUT=$(($(now_ms) - t0))
lt_wait 5 ovs_lost b1 || lt_fail "cut: OVS still uses b1: $(lt_ovs_member "$O" bond0 b1)"
all_dist a0 a2 a3 || lt_fail "cut: the other members stopped distributing"
wait "$IPERF" || lt_fail "cut: TCP failed across the carrier cut"
tcp_check "cut: a flow stalled after b1's carrier cut"
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 2 "$IPB" || lt_fail "cut: ping"
lt_run "$LAGBPF" -n "$A" show lag0

# ---- 3. restore --------------------------------------------------------------------------------
t0=$(now_ms)
lt_run ip -n "$B" link set b1 up
lt_wait 10 dist a1 || lt_fail "restore: a1 does not distribute again"
lt_wait 10 ovs_ok b1 || lt_fail "restore: OVS does not use b1 again: $(lt_ovs_member "$O" bond0 b1)"
T_BACK=$(($(now_ms) - t0))
tx0=$(lt_counter "$A" lag0 a1 txPackets)
iperf 2 32 || lt_fail "restore: TCP"
tcp_check "restore: a flow stalled"
tx1=$(lt_counter "$A" lag0 a1 txPackets)
# 32 flows leave one of 4 members empty with probability 4 * (3/4)^32 < 0.01%.
[ $((tx1 - tx0)) -gt 100 ] || lt_fail "restore: a1 carried only $((tx1 - tx0)) packets"

# ---- 4. del-member: one member leaves OVS's bond, its carrier stays up ---------------------------
# OVS keys a bond by its lowest member port id: remove that member, so that OVS also re-keys
# the 3 others (lagbpf must follow the new key rather than keep the stale member's).
KEY=$("$LT_OVS" show --dir "$O" --bond bond0 | awk '/^  aggregation key:/ { print $3; exit }')
GONE=$("$LT_OVS" members --dir "$O" --bond bond0 | awk -v k="$KEY" '$5 == "port_id=" k { print $1 }')
case $GONE in b[0-3]) ;; *) lt_fail "no member with OVS port id $KEY (the bond's key)" ;; esac
G=a${GONE#b}
REST=() OREST=()
for i in 0 1 2 3; do [ "a$i" = "$G" ] || { REST+=("a$i"); OREST+=("b$i"); }; done
lt_log "del-member $GONE (port id $KEY = OVS's key); lagbpf member $G; rest ${REST[*]}"
# Back in B's stack, it must not answer ARP for B's address (with its own MAC) while lagbpf
# still collects on it: A would learn a MAC that OVS's bridge does not own.
lt_run lt_nsexec "$B" sysctl -qw "net.ipv4.conf.$GONE.arp_ignore=8"
t0=$(now_ms)
lt_ovs "$O" del-member --bond bond0 --member "$GONE" || lt_fail "del-member $GONE"
lt_wait 8 lag_member "$G" '(.distributing | not)' || lt_fail "del-member: $G still distributing"
T_EXP=$(($(now_ms) - t0))
# The others may pause for the new key's aggregate wait (2 s), then all distribute.
lt_wait 8 all_dist "${REST[@]}" || lt_fail "del-member: ${REST[*]} not all distributing"
T_REST=$(($(now_ms) - t0))
lt_wait 10 lag_member "$G" '.rx == "defaulted" and .selected == "unselected" and .reason == "no-partner"' ||
	lt_fail "del-member: $G not defaulted/no-partner"
T_DEF=$(($(now_ms) - t0))
lag_member "$G" '.carrier' || lt_fail "del-member: $G lost its carrier (it must stay up)"
all_dist "${REST[@]}" || lt_fail "del-member: ${REST[*]} stopped distributing"
NKEY=$("$LT_OVS" show --dir "$O" --bond bond0 | awk '/^  aggregation key:/ { print $3; exit }')
[ "$(lt_jq "$A" lag0 .lacp.partnerKey)" = "$NKEY" ] ||
	lt_fail "del-member: lagbpf's partnerKey is not OVS's key $NKEY (was $KEY)"
lt_wait 5 ovs_all_ok "${OREST[@]}" || lt_fail "del-member: OVS bond0 lost other members"
tx0=$(lt_counter "$A" lag0 "$G" txPackets)
iperf 2 32 || lt_fail "del-member: TCP"
tcp_check "del-member: a flow stalled ($G still used?)"
tx1=$(lt_counter "$A" lag0 "$G" txPackets)
[ "$tx1" = "$tx0" ] || lt_fail "del-member: lagbpf still sent $((tx1 - tx0)) packets on $G"
lt_run lt_nsexec "$A" ping -c 3 -i 0.1 -W 2 "$IPB" || lt_fail "del-member: ping"
lt_run "$LAGBPF" -n "$A" show lag0

msg="formed ${T_FORM} ms; cut seen ${T_CUT} ms; rejoined ${T_BACK} ms; del-member (key $KEY->$NKEY):"
lt_pass "$msg $G not distributing ${T_EXP} ms, others back ${T_REST} ms, $G defaulted ${T_DEF} ms"
