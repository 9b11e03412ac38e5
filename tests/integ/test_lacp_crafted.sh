#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Crafted partners (issue 11): a partner that speaks LACP version 2, and LACPDUs whose Actor
# System is not an individual MAC, fast rate:
#
#   ns A (lagbpf)                  ns P (python3 on AF_PACKET sockets: the partner)
#   lag0 --+-- a0 ===== p0 --+     system 32768,02:00:00:93:00:01 key 9, ports 1 and 2, active
#          +-- a1 ===== p1 --+     fast; every LACPDU is version 2, with the version 2 TLVs
#                                  (Port Algorithm, Port Conversation ID Digest, Port
#                                  Conversation Mask-1: 231 octets) where version 1 has its
#                                  Terminator; on p1 the Actor, Partner and Collector TLV
#                                  types and lengths are garbage too
#
# 1. 802.1AX: a receiver does not validate the Version Number; it reads the version 1 fields
#    and ignores the rest; nor TLV types, lengths or Reserved fields (6.4.2.3). lagbpf forms
#    with the v2 partner on both links (it used to count every v2 LACPDU as illegal and stay
#    defaulted, and then every LACPDU with a bad TLV type or length), illegalRx stays 0.
# 2. LACPDUs on p0 with Actor System 00:00:00:00:00:00, 01:00:5e:00:00:01 and
#    ff:ff:ff:ff:ff:ff (6.3.2: a System ID is an individual MAC): each one counts in a0's
#    illegalRx and changes nothing (partner, key, distributing).
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lacp_crafted
LT_CLEANUP+=(lt_detach_parallel)

PSYS=02:00:00:93:00:01
lt_ns A a; lt_ns P p
lt_veth "$A" a0 "$P" p0
lt_veth "$A" a1 "$P" p1
ip -n "$P" link set p0 up
ip -n "$P" link set p1 up

# The v2 partner: answers lagbpf on every port it is given, once a second (lagbpf asks for
# fast) and at once when what it hears changes; in sync once it has heard lagbpf.
lt_bg "$P" /usr/bin/python3 -c '
import select, socket, struct, sys, time
SYS = bytes.fromhex(sys.argv[1].replace(":", ""))
ports = []
for i, name in enumerate(sys.argv[2:]):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x8809))
    s.bind((name, 0))
    ports.append({"s": s, "num": i + 1, "heard": None, "src": s.getsockname()[4], "due": 0})

def info(t, n, prio, sysid, key, pprio, port, state):
    return struct.pack("!BBH6sHHHB3x", t, n, prio, sysid, key, pprio, port, state)

def lacpdu_v2(p):
    h = p["heard"]
    # port 2: garbage TLV types and lengths, which a receiver does not validate
    (at, al), (pt, pl), (ct, cl) = ((0xa1, 0x33), (0xb2, 0x07), (0xc3, 0xff)) if p["num"] == 2 \
        else ((1, 20), (2, 20), (3, 16))
    actor = info(at, al, 32768, SYS, 9, 32768, p["num"], 0x07 | (0x38 if h else 0))
    partner = info(pt, pl, *h) if h else info(pt, pl, 0, bytes(6), 0, 0, 0, 0)
    collector = struct.pack("!BBH12x", ct, cl, 0)
    v2 = struct.pack("!BBI", 4, 6, 0x0080C201)              # Port Algorithm
    v2 += struct.pack("!BBH16s", 5, 20, 1, bytes([0xA5]) * 16)  # Port Conversation ID Digest
    v2 += struct.pack("!BBB128s", 6, 131, 0, bytes([0xFF]) * 128)  # Port Conversation Mask-1
    v2 += bytes(2)                                          # Terminator
    return (bytes.fromhex("0180c2000002") + p["src"] + b"\x88\x09" + bytes([1, 2]) + actor +
            partner + collector + v2)

print("v2 partner up", *sys.argv[2:], flush=True)
while True:
    now = time.monotonic()
    for p in ports:
        if now >= p["due"]:
            p["s"].send(lacpdu_v2(p))
            p["due"] = now + 1.0
    r = select.select([p["s"] for p in ports], [], [], 0.1)[0]
    for p in ports:
        if p["s"] not in r:
            continue
        f, addr = p["s"].recvfrom(2048)
        if addr[2] == socket.PACKET_OUTGOING or len(f) < 124 or f[14] != 1:
            continue
        heard = struct.unpack("!H6sHHHB", f[18:33])
        if heard != p["heard"]:
            p["heard"] = heard
            p["due"] = 0
' "$PSYS" p0 p1
lt_wait 5 grep -q "v2 partner up p0 p1" "$LT_LOG" || lt_fail "the v2 partner did not start"

lt_attach "$A" lag0 a0 a1 --rate fast || lt_fail "attach"
# formed MEMBER: distributing with the v2 partner
formed() {
	lt_member "$A" lag0 "$1" '.distributing and .rx == "current" and
		.mux == "collecting_distributing" and .partner.key == 9 and
		.partner.state.synchronization' | grep -qx true &&
		[ "$(lt_member "$A" lag0 "$1" .partner.systemId)" = "$PSYS" ]
}
lt_wait 15 formed a0 || lt_fail "a0 did not form with the v2 partner: $(lt_show "$A" lag0 |
	jq -c '.connections[0] | [.rx, .mux, .reason, .partner.systemId, .counters]')"
lt_wait 5 formed a1 || lt_fail "a1 did not form with the v2 partner sending garbage TLV types and lengths"
lt_lag_state "$A" lag0 available || lt_fail "lagState $(lt_jq "$A" lag0 .lagState)"
for m in a0 a1; do
	[ "$(lt_counter "$A" lag0 $m illegalRx)" = 0 ] || lt_fail "$m counted v2 LACPDUs as illegal"
	[ "$(lt_counter "$A" lag0 $m lacpduRx)" -ge 2 ] || lt_fail "$m: lacpduRx $(lt_counter "$A" lag0 $m lacpduRx)"
done
[ "$(lt_jq "$A" lag0 .lacp.partnerSystemId)" = "$PSYS" ] || lt_fail "partnerSystemId"

# ---- 2. Actor System ids that are not individual MACs ---------------------------------------
il0=$(lt_counter "$A" lag0 a0 illegalRx)
lt_run lt_nsexec "$P" /usr/bin/python3 - p0 <<'PY' || lt_fail "sending bad system ids"
import socket, struct, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
src = s.getsockname()[4]
for bad in ("000000000000", "01005e000001", "ffffffffffff"):
    actor = struct.pack("!BBH6sHHHB3x", 1, 20, 32768, bytes.fromhex(bad), 77, 32768, 1, 0x3f)
    partner = struct.pack("!BBH6sHHHB3x", 2, 20, 0, bytes(6), 0, 0, 0, 0)
    pdu = bytes([1, 1]) + actor + partner + struct.pack("!BBH12x", 3, 16, 0) + bytes(2) + bytes(50)
    s.send(bytes.fromhex("0180c2000002") + src + b"\x88\x09" + pdu)
    print("sent actor system", bad)
    time.sleep(0.2)
PY
# shellcheck disable=SC2317 # run through lt_wait
three_illegal() { [ "$(lt_counter "$A" lag0 a0 illegalRx)" = $((il0 + 3)) ]; }
lt_wait 5 three_illegal || lt_fail "a0 illegalRx $(lt_counter "$A" lag0 a0 illegalRx), wanted $((il0 + 3))"
formed a0 || lt_fail "a bad system id changed a0: $(lt_member "$A" lag0 a0 '[.rx, .mux, .reason, .partner]' | tr -d '\n ')"
sleep 2 # nothing moves later either
# shellcheck disable=SC2015 # lt_fail unless both hold
formed a0 && formed a1 || lt_fail "not formed 2 s after the bad system ids"
[ "$(lt_jq "$A" lag0 .lacp.partnerSystemId)" = "$PSYS" ] || lt_fail "partnerSystemId changed"
[ "$(lt_counter "$A" lag0 a0 illegalRx)" = $((il0 + 3)) ] || lt_fail "illegalRx moved again"
lt_pass
