#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Writes the seed corpus of tests/fuzz/ (committed; run again after changing it):
# corpus/codec/ real LACPDUs and Markers (the captures of tests/unit/test_lacpdu.c
# and test_lacp_ovs.c) and a few frames to reject; corpus/machines/ op programs
# for fuzz_machines.c (its header comment is the op reference). Files that a
# fuzzer found and that must stay (crash reproducers) are not touched.
set -euo pipefail
cd "$(dirname "$0")"

# bin FILE HEX...: the octets, spaces and newlines ignored
bin() {
	local f=$1 hex esc='' i
	shift
	hex=$(echo "$*" | tr -d '[:space:]')
	[ $((${#hex} % 2)) -eq 0 ] || { echo "mkcorpus: $f: odd number of hex digits" >&2; exit 1; }
	for ((i = 0; i < ${#hex}; i += 2)); do
		esc+="\\x${hex:i:2}"
	done
	printf '%b' "$esc" >"$f"
}

# an Ethernet frame to the Slow Protocols address: SRC HEX...
slow() {
	local src=$1
	shift
	echo "0180c2000002 $src 8809 $*"
}

# a LACPDU's 110 octets: ACTOR PARTNER, each "prio system key port_prio port state"
lacp() {
	echo "0101 0114 $1 000000 0214 $2 000000 0310 0000 $(zeros 12) 0000 $(zeros 50)"
}

# a version 2 LACPDU: a Port Algorithm TLV where version 1 ends, a Terminator past 110 octets
lacp_v2() {
	echo "0102 0114 $1 000000 0214 $2 000000 0310 0000 $(zeros 12) 0406 0080c201 $(zeros 46) 0000"
}

# a Marker PDU's 110 octets: TLV_TYPE "port system transaction"
marker() {
	echo "0201 $1 10 $2 0000 0000 $(zeros 90)"
}

zeros() {
	printf '%*s' "$(($1 * 2))" '' | tr ' ' 0
}

mkdir -p corpus/codec corpus/machines
c=corpus/codec
# Linux bonding, fast, distributing; a 4-octet FCS kept by the capture
bin $c/bonding-fcs "$(slow 525400123456 "$(lacp \
	"ffff 525400123456 000d 00ff 0001 3d" "8000 020000abcdef 0011 8000 0002 3f")") deadbeef"
# lagbpf and Open vSwitch (test_lacp_ovs.c): first words, in sync, active, individual
bin $c/lagbpf-initial "$(slow 3eff5562ab95 "$(lacp \
	"8000 8eef0ebff790 000a 8000 0001 c7" "0000 000000000000 0000 0000 0000 06")")"
bin $c/ovs-passive-reply "$(slow 0a326d269a19 "$(lacp \
	"fffe f625675b794f 0001 ffff 0001 3c" "8000 8eef0ebff790 000a 8000 0001 c7")")"
bin $c/lagbpf-sync "$(slow 3eff5562ab95 "$(lacp \
	"8000 8eef0ebff790 000a 8000 0001 3f" "fffe f625675b794f 0001 ffff 0001 3c")")"
bin $c/ovs-active-unknown "$(slow deeb4656440e "$(lacp \
	"0064 020000760001 0001 ffff 0001 bf" "0000 000000000000 0000 0000 0000 02")")"
bin $c/ovs-individual "$(slow e27a540f30b9 "$(lacp \
	"ffff 020000760003 0001 ffff 0001 bb" "0000 000000000000 0000 0000 0000 02")")"
# Marker Information and Marker Response (test_lacpdu.c)
bin $c/marker-info "$(slow 525400123456 "$(marker 01 "0203 02000000000a a1b2c3d4")")"
bin $c/marker-response "$(slow 525400123456 "$(marker 02 "0203 02000000000a a1b2c3d4")")"
# version 2 (read for its version 1 fields)
bin $c/lacpdu-v2 "$(slow 3eff5562ab95 "$(lacp_v2 \
	"8000 8eef0ebff790 000a 8000 0001 3f" "fffe f625675b794f 0001 ffff 0001 3c")")"
# garbage TLV types and lengths, Terminator and Reserved (never validated: decode as v1)
bin $c/lacpdu-tlv-garbage "$(slow 3eff5562ab95 "0101 ff07 8000 8eef0ebff790 000a 8000 0001 3f a5a5a5 \
	0000 fffe f625675b794f 0001 ffff 0001 3c 5a5a5a 3303 0000 $(zeros 12) 7f7f $(zeros 49) 01")"
bin $c/marker-tlv-garbage "$(slow 525400123456 "0201 01 ee 0203 02000000000a a1b2c3d4 ffff 0909 \
	$(zeros 89) 01")"
# to reject: an Actor_System that is a group address, OAM (another slow protocol), a cut
# LACPDU, IPv4
bin $c/actor-group "$(slow 3eff5562ab95 "$(lacp \
	"8000 0180c2000002 000a 8000 0001 3f" "fffe f625675b794f 0001 ffff 0001 3c")")"
bin $c/oam "$(slow 525400123456 "0300 $(zeros 43)")"
bin $c/lacpdu-cut "$(slow 3eff5562ab95 "0101 0114 8000 8eef0ebff790 000a 8000 0001 3f")"
bin $c/ipv4 "0180c2000002 525400123456 0800 4500 $(zeros 44)"

# Op programs. Ops: 00 ADD pn flags, 01 DEL slot, 02 CARRIER slot up, 03 FAST
# slot on, 04 ACTIVE slot on, 05 DUPLEX slot on, 06 LACPDU slot sel state
# pmode, 07 RAW slot len ..., 08 MARKER slot kind port(2), 09 TICK n, 0a DRAIN
# slot cap, 0b MAXACT n, 0c MINLINKS n, 0d AGGWAIT n, 0e FALLBACK n, 0f KEY slot k.
# Byte 0: max_active (& 3), system priority (>> 2 & 3), min_links 2 (& 64),
# fallback after 3 s (& 128).
m=corpus/machines
# two ports up, a partner that answers in sync: both end up distributing
bringup="000107 000207 0900
	06 00 00 3f 00  06 01 00 3f 00  0914
	06 00 00 3f 00  06 01 00 3f 00  0902"
bin $m/bringup "00 $bringup"
# then carrier down and up, and the partner goes silent: expired, defaulted
bin $m/flap-timeout "00 $bringup 02 00 00 0900 02 00 01 0901
	06 00 00 3f 00 0903 0945 06 00 00 3f 00 0964"
# slow partner (long timeout), long ticks, our rate changed, partner passive
bin $m/slow-passive "00 000107 0900 06 00 00 3d 00 0914 06 00 00 3d 00 0960
	03 00 00 0901 06 00 00 3c 00 0901 04 00 00 0910 04 00 01 0901"
# max_active 1 of three ports, then unlimited, then a port deleted
bin $m/max-active "01 $bringup 000307 0900 06 02 00 3f 00 0914 06 02 00 3f 00 0902
	0b00 0901 0b02 0901 01 00 0905 01 00 0901"
# the partner changes system, key, becomes Individual, then loops back to us
bin $m/partner-changes "00 $bringup 06 00 01 3f 00 0901 06 01 04 3f 00 0901
	06 00 00 3b 00 0901 06 00 02 3f 00 0901 06 01 02 3f 00 0920"
# Marker PDUs past the rate limit and the queue, drained into too small a buffer
bin $m/markers "00 000107 0900 08 00 00 0001 08 00 00 0002 08 00 00 0003 08 00 00 0004
	08 00 00 0005 08 00 00 0006 08 00 01 0007 0a 00 01 40 0a 00 00 0905
	08 00 00 0008 0a 00 00 090a"
# damaged frames: bit flips in a good LACPDU, a cut one, junk, half duplex
bin $m/raw "00 000107 0900 07 00 83 10 02 2a ff 5a 01 07 00 c0 3c
	07 00 0e 0180c2000002020000760001 8809 07 00 c1 0e 00 01 0901 05 00 00 0901 05 00 01 0902"
# refused calls: port 0, a port number twice, indices out of range or unused
bin $m/refused "00 000000 000107 000103 01f1 02f001 06f5 00 3f 00 0af4 00
	08f3 00 0001 0100 0900 0100 0900"
# fallback: nobody speaks for 3 s, the lowest port carries the LAG, then the next one
# when it goes down, until a LACPDU is heard; then off, and on again after 0.2 s
bin $m/fallback "80 000107 000207 091f 02 00 00 0905 02 00 01 0901 06 01 00 3f 00
	0914 0e00 0901 0e05 0905 01 00 0905"
# min_links 2: both up, one goes down (the other stands by), and comes back
bin $m/min-links "40 $bringup 02 00 00 0901 02 00 01 0901 06 00 00 3f 00 0914
	0c00 0901"
# no Aggregate_Wait_Time; a port's key changes (unselected), then every port's (the LAG's
# key follows)
bin $m/aggwait-key "00 0d00 $bringup 0f 00 01 0902 0f 01 01 0902 06 00 00 3f 00
	06 01 00 3f 00 0905 0d64 0f 00 00 0901"
# sends that fail (lacp_port_tx_failed): a LACPDU and a Marker Response are sent again
bin $m/tx-failed "00 000107 0a 00 02 0900 0a 00 02 0a 00 00 0900 08 00 00 0001
	0a 00 02 0900 0a 00 00 06 00 00 3f 00 0a 00 02 0901"
# every one of the LACP_MAX_PORTS (64) ports, one too many, partners on three of them
full=""
for ((i = 1; i <= 65; i++)); do
	full+=$(printf '00%02x07' "$i")
done
bin $m/full "00 $full 0900 06 00 00 3f 00 06 01 00 3f 00 06 3f 00 3f 00 0914 0b02 0901"
