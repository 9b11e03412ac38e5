#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Marker Responder (802.1AX 6.5.4.2): a Marker PDU sent to a member is answered on that
# member with a Marker Response carrying the requester's port, system and transaction id:
#
#   ns A                                   ns B
#   lag0 --+-- a0 ===================== b0 -- lag0   (a formed LACP LAG, fast)
#          +-- a1 ===== p1  ns P: plain veth end; raw-socket sender + tcpdump
#
# From p1: two Marker PDUs (transaction ids 0x5eed0001, 0x5eed0002). Captured on p1
# (tcpdump -w, decoded by tshark): a Marker Response (TLV type 2) from a1's own MAC to
# 01:80:c2:00:00:02 for each, fields copied; A's a1 counts markerRx and markerResponseTx
# +2; a0's LAG keeps distributing.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lacp_marker
LT_CLEANUP+=(lt_detach_parallel "rm -f '$LT_LOG.pcap'")

lt_ns A a; lt_ns B b; lt_ns P p
lt_veth "$A" a0 "$B" b0
lt_veth "$A" a1 "$P" p1
ip -n "$P" link set p1 up
mac_a1=$(ip -j -n "$A" link show a1 | jq -r '.[0].address')
lt_attach "$A" lag0 a0 a1 --rate fast || lt_fail "attach A"
lt_attach "$B" lag0 b0 --rate fast || lt_fail "attach B"
lt_wait 15 lt_distributing "$A" lag0 1 || lt_fail "A/B did not form"
lt_wait 5 sh -c "ip -n '$P' link show p1 | grep -q LOWER_UP" || lt_fail "p1 no carrier"

lt_bg "$P" tcpdump -n -U -i p1 -w "$LT_LOG.pcap" ether proto 0x8809
lt_wait 10 grep -q "listening on p1" "$LT_LOG" || lt_fail "tcpdump on p1"
rx0=$(lt_member "$A" lag0 a1 .counters.markerRx)
tx0=$(lt_member "$A" lag0 a1 .counters.markerResponseTx)

# Marker PDU, raw bytes: dst, src, 0x8809, subtype 2, version 1, Marker Information TLV
# (type 1, len 16: requester port 2, system 6, transaction id 4, pad 2), terminator, 90 x 0
lt_run lt_nsexec "$P" /usr/bin/python3 - p1 <<'PY' || lt_fail "sending Marker PDUs"
import socket, struct, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
src = s.getsockname()[4]
for tid in (0x5EED0001, 0x5EED0002):
    pdu = struct.pack("!BBBBH6sIH", 2, 1, 1, 16, 0x0107, bytes.fromhex("02deadbeef01"), tid, 0)
    pdu += b"\x00\x00" + b"\x00" * 90
    s.send(bytes.fromhex("0180c2000002") + src + b"\x88\x09" + pdu)
    print("sent marker %#x from %s" % (tid, src.hex(":")))
    time.sleep(0.3)
PY

responses() { # transaction ids of Marker Responses from a1 seen on p1
	tshark -r "$LT_LOG.pcap" -Y "slow.subtype == 2 && marker.tlvType == 2 && eth.src == $mac_a1 && eth.dst == 01:80:c2:00:00:02" \
		-T fields -e marker.requesterTransId -e marker.requesterPort -e marker.requesterSystem 2>/dev/null
}
# shellcheck disable=SC2317 # run through lt_wait
got_both() { [ "$(responses | sort | tr '\t\n' '  ')" = "1592590337 263 02:de:ad:be:ef:01 1592590338 263 02:de:ad:be:ef:01 " ]; } # 0x5eed000[12], port 0x0107
lt_wait 5 got_both || lt_fail "Marker Responses on p1: '$(responses | tr '\t\n' '  ')'; all: $(tshark -r "$LT_LOG.pcap" 2>/dev/null | tr '\n' '|')"
# the requests themselves are in the capture too: 2 requests, 2 responses, nothing else odd
[ "$(tshark -r "$LT_LOG.pcap" -Y 'slow.subtype == 2 && marker.tlvType == 1' 2>/dev/null | wc -l)" = 2 ] || lt_fail "requests not captured"
lt_wait 3 sh -c "[ \$('$LAGBPF' -n '$A' show lag0 -j | jq '.connections[] | select(.connectionName == \"a1\") | .counters.markerResponseTx') -ge $((tx0 + 2)) ]" ||
	lt_fail "markerResponseTx did not move by 2"
[ "$(lt_member "$A" lag0 a1 .counters.markerRx)" = $((rx0 + 2)) ] || lt_fail "markerRx did not move by 2"
[ "$(lt_member "$A" lag0 a1 .counters.illegalRx)" = 0 ] || lt_fail "A counted our Marker as illegal"
lt_distributing "$A" lag0 1 || lt_fail "A's LAG disturbed by Markers"
lt_pass
