#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# docs/json.md is the show -j contract: its field tables (machine-read by
# tests/lib/json_schema.py) must list exactly the fields of real documents:
# a formed LACP LAG (show -j LAG: an object; show -j: an array of them), a
# static LAG, and a LAG whose controller was killed (the pins object). Every
# document says schemaVersion 1, and the members' speed comes as a number
# beside its words. The checker itself must fail when the doc or the
# document gains a field the other lacks, or loses one. The examples in
# docs/json.md must show no undocumented field.
#
#   ns A                                  ns B
#   lag0 (LACP fast) --+-- a0 ===== b0 --+-- lag0 (LACP fast)
#                      +-- a1 ===== b1 --+
#   lag1 (static) ------- a2 ===== b2
#
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init json_schema

doc="$LT_ROOT/docs/json.md"
check="$LT_ROOT/tests/lib/json_schema.py"
dir=$(mktemp -d "/tmp/lagt-json-schema-XXXXXX")
LT_CLEANUP+=("rm -rf '$dir'")

lt_ns A a; lt_ns B b
for i in 0 1 2; do lt_veth "$A" a$i "$B" b$i; done
ip -n "$B" link set b2 up
lt_attach "$A" lag0 a0 a1 --rate fast || lt_fail "attach A lag0"
lt_attach "$B" lag0 b0 b1 --rate fast || lt_fail "attach B lag0"
lt_attach "$A" lag1 a2 --mode static || lt_fail "attach A lag1"
lt_wait 15 lt_distributing "$A" lag0 2 || lt_fail "lag0 not formed"
lt_wait 5 lt_distributing "$A" lag1 1 || lt_fail "lag1 not distributing"

# conforms KIND FILE: the documents in FILE have exactly the documented fields.
conforms() {
	local out
	out=$(python3 "$check" "$doc" "$1" "$2" 2>&1) && return 0
	lt_log "json_schema $1 $2: $out"
	echo "$out" | head -n 5
	return 1
}

lt_show "$A" lag0 >"$dir/lag0.json" || lt_fail "show -j lag0"
out=$(conforms lag "$dir/lag0.json") || lt_fail "formed LACP LAG vs docs/json.md: $out"
"$LAGBPF" -n "$A" show -j >"$dir/all.json" 2>>"$LT_LOG" || lt_fail "show -j"
[ "$(jq -r 'type, length' "$dir/all.json" | paste -sd' ')" = "array 2" ] ||
	lt_fail "show -j is not an array of the 2 LAGs: $(head -c 200 "$dir/all.json")"
out=$(conforms lag "$dir/all.json") || lt_fail "show -j (both LAGs) vs docs/json.md: $out"
# The one shape: show -j LAG is the array's element of that LAG.
[ "$(jq -c '.[] | select(.lagName == "lag0") | keys' "$dir/all.json")" = "$(jq -c keys "$dir/lag0.json")" ] ||
	lt_fail "show -j lag0 and its element of show -j differ in fields"

got=$(jq -c '[.schemaVersion, .connectionsBandwidth, .connectionsBandwidthMbps,
	[.connections[] | [.bandwidth, .bandwidthMbps]]]' "$dir/lag0.json")
[ "$got" = '[1,"10Gbps",10000,[["10Gbps",10000],["10Gbps",10000]]]' ] ||
	lt_fail "schemaVersion and speeds of lag0: $got"

# The checker fails on a field added to either side, or removed from either.
# shellcheck disable=SC2016 # markdown backquotes, not shell
sed '/^| `carrierChanges` |/a | `bogusField` | integer | Not printed. |' "$doc" >"$dir/doc-extra.md"
python3 "$check" "$dir/doc-extra.md" lag "$dir/lag0.json" >"$dir/out" &&
	lt_fail "the checker missed a documented field that is not printed"
grep -q "documented field 'bogusField' missing" "$dir/out" || lt_fail "checker said: $(cat "$dir/out")"
# shellcheck disable=SC2016 # markdown backquotes, not shell
grep -v '^| `mtu` |' "$doc" >"$dir/doc-less.md"
python3 "$check" "$dir/doc-less.md" lag "$dir/lag0.json" >"$dir/out" &&
	lt_fail "the checker missed a printed field that is not documented"
grep -q "field 'mtu' not documented" "$dir/out" || lt_fail "checker said: $(cat "$dir/out")"
jq '.connections[1].counters.bogusCounter = 0' "$dir/lag0.json" >"$dir/extra.json"
python3 "$check" "$doc" lag "$dir/extra.json" >"$dir/out" &&
	lt_fail "the checker missed an undocumented counter"
grep -q "connections\[1\].counters: field 'bogusCounter' not documented" "$dir/out" ||
	lt_fail "checker said: $(cat "$dir/out")"
jq 'del(.lacp.partnerKey)' "$dir/lag0.json" >"$dir/less.json"
python3 "$check" "$doc" lag "$dir/less.json" >"$dir/out" &&
	lt_fail "the checker missed a documented field that is missing"
grep -q "lag0.lacp: documented field 'partnerKey' missing" "$dir/out" ||
	lt_fail "checker said: $(cat "$dir/out")"

# The examples in docs/json.md, and the checker fails on a renamed field in one.
out=$(python3 "$check" "$doc" --examples 2>&1) || lt_fail "docs/json.md examples vs its tables: $out"
sed '0,/"mtu": /s/"mtu": /"mtuBytes": /' "$doc" >"$dir/doc-example.md"
python3 "$check" "$dir/doc-example.md" --examples >"$dir/out" &&
	lt_fail "the checker missed an undocumented field in an example"
grep -q "example 2 (lag): field 'mtuBytes' not documented" "$dir/out" || lt_fail "checker said: $(cat "$dir/out")"

# The pins object: lag1's controller killed, its pins stay.
pid=$(lt_jq "$A" lag1 .controllerPid)
kill -9 "$pid" || lt_fail "cannot kill lag1's controller $pid"
# shellcheck disable=SC2317 # run through lt_wait
dead() { [ ! -e "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; } # or a zombie
lt_wait 10 dead "$pid" || lt_fail "controller $pid did not die"
"$LAGBPF" -n "$A" show lag1 -j >"$dir/pins.json" 2>>"$LT_LOG" && lt_fail "show lag1 without controller exited 0"
[ "$(jq -r '[.schemaVersion, .controller] | @tsv' "$dir/pins.json")" = "1	not running" ] ||
	lt_fail "not a pins object: $(cat "$dir/pins.json")"
out=$(conforms pins "$dir/pins.json") || lt_fail "pins object vs docs/json.md: $out"
lt_pass
