#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Wire conformance of what lagbpf sends, judged by tshark's slow-protocols dissector:
#
#   ns A                                                      ns B
#   lag0 --+-- a0 ==[M relay: l-a0 | r-b0, tcpdump]== b0 -- lag0   (fast, formed)
#          +-- a1 ===== p1  ns P: plain end, tcpdump; a Marker PDU is sent from here
#
# Every slow-protocol frame on both wires is captured from before attach (tcpdump -w):
# LACPDUs of both systems while forming and formed, A's LACPDUs with a defaulted partner,
# and A's Marker Response. `tshark -V` decodes them as "Link Aggregation Control Protocol"
# and "Marker Protocol"; `tshark -z expert` reports no malformed frame and no warning or
# error. Each LACPDU's source MAC is its member's own original MAC (never the LAG MAC),
# its Actor System is the sender's systemId, the final ones carry the partner's system.
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lacp_conformance
LT_CLEANUP+=(lt_detach_parallel "rm -f '$LT_LOG'.*")

lt_ns A a; lt_ns B b; lt_ns M m; lt_ns P p
lt_tapwire "$A" a0 "$B" b0 "$M"
lt_veth "$A" a1 "$P" p1
ip -n "$P" link set p1 up
own() { ip -j -n "$1" link show "$2" | jq -r '.[0].address'; }
mac_a0=$(own "$A" a0); mac_a1=$(own "$A" a1); mac_b0=$(own "$B" b0)
W=$LT_LOG.wire.pcap; Q=$LT_LOG.p1.pcap
lt_bg "$M" tcpdump -n -U -i l-a0 -w "$W" ether proto 0x8809; td1=${LT_PIDS[-1]}
lt_bg "$P" tcpdump -n -U -i p1 -w "$Q" ether proto 0x8809; td2=${LT_PIDS[-1]}
lt_wait 10 sh -c "[ \$(grep -o 'listening on' '$LT_LOG' | wc -l) -ge 2 ]" || lt_fail "tcpdump"

lt_attach "$A" lag0 a0 a1 --rate fast || lt_fail "attach A"
lt_attach "$B" lag0 b0 --rate fast || lt_fail "attach B"
lt_wait 15 lt_distributing "$A" lag0 1 || lt_fail "A/B did not form"
lt_wait 15 lt_distributing "$B" lag0 1 || lt_fail "B did not form"
sys_a=$(lt_jq "$A" lag0 .lacp.systemId); sys_b=$(lt_jq "$B" lag0 .lacp.systemId)
lag_a=$(lt_jq "$A" lag0 .macAddress); lag_b=$(lt_jq "$B" lag0 .macAddress)
[ "$lag_a" != "$mac_a0" ] && [ "$lag_a" != "$mac_a1" ] || lt_fail "LAG MAC equals a member's own MAC: test cannot tell them apart"

lt_run lt_nsexec "$P" /usr/bin/python3 - p1 <<'PY' || lt_fail "sending a Marker PDU"
import socket, struct, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
pdu = struct.pack("!BBBBH6sIH", 2, 1, 1, 16, 7, bytes.fromhex("02c0ffee0001"), 0xC0FFEE, 0)
s.send(bytes.fromhex("0180c2000002") + s.getsockname()[4] + b"\x88\x09" + pdu + b"\x00" * 92)
PY
# shellcheck disable=SC2317 # run through lt_wait
resp() { [ "$(tshark -r "$Q" -Y "marker.tlvType == 2 && marker.requesterTransId == 0xc0ffee" 2>/dev/null | wc -l)" = 1 ]; }
lt_wait 5 resp || lt_fail "no Marker Response captured on p1"
# at least two more periodic LACPDUs each way once formed
lt_wait 5 sh -c "[ \$(tshark -r '$W' -Y 'eth.src == $mac_a0 && lacp.actor.state.distributing == 1 && lacp.partner.sysid == $sys_b' 2>/dev/null | wc -l) -ge 2 ]" ||
	lt_fail "no formed LACPDUs from a0 on the wire"
kill "$td1" "$td2"; wait "$td1" "$td2" # a closed capture: analysis sees one snapshot

for f in "$W" "$Q"; do
	v=$(tshark -r "$f" -V 2>&1)
	n=$(tshark -r "$f" 2>/dev/null | wc -l)
	nl=$(grep -c '^Link Aggregation Control Protocol' <<<"$v")
	nm=$(grep -c '^Marker Protocol' <<<"$v")
	lt_log "$(basename "$f"): $n frames, $nl LACP, $nm Marker"
	[ "$n" -gt 0 ] && [ $((nl + nm)) = "$n" ] || lt_fail "$(basename "$f"): $n frames but $nl LACP + $nm Marker decoded"
	! grep -qi 'malformed\|expert info (warn\|expert info (error' <<<"$v" || lt_fail "$(basename "$f"): $(grep -i -m3 'malformed\|expert info' <<<"$v" | tr '\n' '|')"
	x=$(tshark -r "$f" -q -z expert 2>&1)
	lt_log "$x"
	! grep -qiE '^(Errors|Warns|Warnings) \(|malformed' <<<"$x" || lt_fail "$(basename "$f"): tshark expert: $(tr '\n' '|' <<<"$x")"
	# every frame: 124 bytes on the wire (110-octet PDU), to the Slow_Protocols_Multicast address
	[ "$(tshark -r "$f" -Y 'frame.len != 124 || eth.dst != 01:80:c2:00:00:02' 2>/dev/null | wc -l)" = 0 ] ||
		lt_fail "$(basename "$f"): frames not 124 bytes to 01:80:c2:00:00:02"
done
grep -q '^Marker Protocol' <<<"$(tshark -r "$Q" -V 2>/dev/null)" || lt_fail "no Marker Protocol decoded"

# source MACs and Actor Systems: fields "src actor-sysid actor-port partner-sysid"
fields() { tshark -r "$1" -Y "$2" -T fields -e eth.src -e lacp.actor.sysid -e lacp.actor.port -e lacp.partner.sysid 2>/dev/null | sort -u; }
wire=$(fields "$W" lacp); lt_log "wire LACPDUs: $wire"
while read -r src actor port partner; do
	case $src in
	"$mac_a0") [ "$actor" = "$sys_a" ] && [ "$port" = 1 ] || lt_fail "a0 sent actor $actor port $port" ;;
	"$mac_b0") [ "$actor" = "$sys_b" ] && [ "$port" = 1 ] || lt_fail "b0 sent actor $actor port $port" ;;
	*) lt_fail "LACPDU from unexpected source $src (LAG MACs: $lag_a $lag_b)" ;;
	esac
	[ "$partner" = 00:00:00:00:00:00 ] || [ "$partner" = "$sys_a" ] || [ "$partner" = "$sys_b" ] || lt_fail "partner $partner from $src"
done <<<"$wire"
grep -q "^$mac_a0	$sys_a	1	$sys_b$" <<<"$wire" || lt_fail "no LACPDU from a0 naming B as partner"
grep -q "^$mac_b0	$sys_b	1	$sys_a$" <<<"$wire" || lt_fail "no LACPDU from b0 naming A as partner"
[ "$(fields "$Q" "lacp && eth.src == $mac_a1" | cut -f2,3)" = "$sys_a	2" ] || lt_fail "a1's LACPDUs: $(fields "$Q" lacp)"
[ "$(tshark -r "$Q" -Y "marker.tlvType == 2" -T fields -e eth.src 2>/dev/null)" = "$mac_a1" ] || lt_fail "Marker Response not from a1's own MAC"
[ "$(tshark -r "$Q" -Y "eth.src == $lag_a" 2>/dev/null | wc -l)" = 0 ] || lt_fail "a slow-protocol frame from the LAG MAC"
lt_pass "$(tshark -r "$W" 2>/dev/null | wc -l)+$(tshark -r "$Q" 2>/dev/null | wc -l) frames decoded clean"
