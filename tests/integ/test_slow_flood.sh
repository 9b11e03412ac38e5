#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# A slow-protocol flood on one member of an LACP LAG (issue 12 item 1):
#
#   ns A                                ns B
#   lag0 198.18.88.1 --+-- a0 ===== b0 --+-- lag0 198.18.88.2    junkflood on b0, as fast
#                      +-- a1 ===== b1 --+                       as it can send
#
# Both ends lagbpf, --rate fast. tools/bench/junkflood (built here with gcc) floods a0
# from b0 for FLOOD_SECS, first with junk (every reason the XDP filter knows, and
# garbage that passes it), then with valid LACPDUs of a spoofed system. Throughout each
# flood a1 and b1 stay distributing (polled with show -j); the filter counts the junk by
# reason, the policer drops the excess (slowPoliced) and lets no more than its burst plus
# its rate through to the controller, whose CPU (utime + stime of /proc/PID/stat over the
# flood) stays under MAX_CPU % of one core.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init slow_flood
LT_CLEANUP+=(lt_detach_parallel)
FLOOD_SECS=${FLOOD_SECS:-5}
MAX_CPU=${MAX_CPU:-30}

command -v gcc >/dev/null || lt_skip "gcc not installed"
TB=$(mktemp -d /tmp/lagt-slow-flood-XXXXXX)
LT_CLEANUP+=("rm -rf '$TB'")
lt_run gcc -O2 -Wall -Wextra -Werror -D_GNU_SOURCE "$LT_ROOT/tools/bench/junkflood.c" \
	-o "$TB/junkflood" || lt_fail "cannot build junkflood"

lt_ns A a; lt_ns B b
for i in 0 1; do lt_veth "$A" a$i "$B" b$i; done
lt_attach "$A" lag0 a0 a1 --rate fast || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --rate fast || lt_fail "attach B"
ip -n "$A" addr add 198.18.88.1/24 dev lag0
ip -n "$B" addr add 198.18.88.2/24 dev lag0
lt_wait 15 lt_distributing "$A" lag0 2 || lt_fail "A not distributing on 2"
lt_wait 15 lt_distributing "$B" lag0 2 || lt_fail "B not distributing on 2"
pid=$(lt_jq "$A" lag0 .controllerPid)
[ -r "/proc/${pid:-none}/stat" ] || lt_fail "no controller pid for A"
hz=$(getconf CLK_TCK)

# cpu_ticks PID: utime + stime (fields 14 and 15; the name may hold spaces)
cpu_ticks() { local f; read -ra f <<<"$(sed 's/^.*) //' "/proc/$1/stat")"; echo $(( f[11] + f[12] )); }
# counters of a0 on A, as "name=value ..." of the fields given
FIELDS=(slowRx slowRxXdp slowBadDst slowBadSubtype slowShort slowPoliced slowToXsk slowToRing slowXskMiss slowDropped)
a0_counters() {
	lt_member "$A" lag0 a0 ".counters | [$(printf '.%s,' "${FIELDS[@]}" | sed 's/,$//')] | @tsv"
}

# Idle CPU of the controller, for the report.
t0=$(cpu_ticks "$pid"); s0=$(date +%s%N); sleep 2; t1=$(cpu_ticks "$pid"); s1=$(date +%s%N)
idle=$(( (t1 - t0) * 10000 * 1000000000 / (hz * (s1 - s0)) )) # hundredths of a percent
lt_log "controller idle: $((idle / 100)).$(printf '%02d' $((idle % 100)))% of a core"

summary=()
for kind in junk lacpdu; do
	read -ra c0 <<<"$(a0_counters)"
	t0=$(cpu_ticks "$pid"); s0=$(date +%s%N)
	"$TB/junkflood" "$B" b0 0 "$FLOOD_SECS" "$kind" >"$TB/sent" 2>>"$LT_LOG" & jf=$!
	LT_PIDS+=("$jf")
	polls=0 bad=0
	while kill -0 "$jf" 2>/dev/null; do
		da=$(lt_member "$A" lag0 a1 .distributing); db=$(lt_member "$B" lag0 b1 .distributing)
		polls=$((polls + 1))
		if [ "$da" != true ] || [ "$db" != true ]; then
			bad=$((bad + 1)); lt_log "$kind flood: a1 distributing=$da, b1 distributing=$db"
		fi
		sleep 0.1
	done
	wait "$jf" || lt_fail "junkflood $kind failed"
	t1=$(cpu_ticks "$pid"); s1=$(date +%s%N)
	sleep 0.2
	read -ra c1 <<<"$(a0_counters)"
	sent=$(cat "$TB/sent")
	ns=$(( s1 - s0 ))
	pps=$(( sent * 1000000000 / ns ))
	cpu=$(( (t1 - t0) * 10000 * 1000000000 / (hz * ns) ))
	declare -A d=()
	for i in "${!FIELDS[@]}"; do d[${FIELDS[$i]}]=$(( c1[i] - c0[i] )); done
	line="$kind: sent $sent in $((ns / 1000000)) ms ($pps/s);"
	for f in "${FIELDS[@]}"; do line+=" $f +${d[$f]}"; done
	line+="; controller CPU $((cpu / 100)).$(printf '%02d' $((cpu % 100)))%; other member distributing at $((polls - bad))/$polls polls"
	lt_log "$line"
	[ "$polls" -ge 5 ] || lt_fail "$kind: only $polls polls during the flood"
	[ "$bad" = 0 ] || lt_fail "$kind flood: the other member left distributing ($bad of $polls polls)"
	[ "$cpu" -lt $(( MAX_CPU * 100 )) ] ||
		lt_fail "$kind: controller at $((cpu / 100))% of a core during the flood (max $MAX_CPU%)"
	[ "$sent" -gt 100000 ] || lt_fail "$kind: junkflood sent only $sent frames"
	[ "${d[slowRx]}" -ge $(( sent / 2 )) ] || lt_fail "$kind: XDP saw ${d[slowRx]} of $sent frames"
	delivered=$(( d[slowToXsk] + d[slowToRing] ))
	# the burst, the rate over the flood and our partner's own LACPDUs, with room
	limit=$(( 100 + 50 * (ns / 1000000000 + 1) + 20 ))
	[ "$delivered" -le "$limit" ] || lt_fail "$kind: $delivered frames reached the controller (limit $limit)"
	[ "${d[slowPoliced]}" -gt 0 ] || lt_fail "$kind: nothing policed"
	if [ "$kind" = junk ]; then
		for f in slowBadDst slowBadSubtype slowShort; do
			[ "${d[$f]}" -gt 0 ] || lt_fail "junk: $f not counted"
		done
	else
		[ "$(( d[slowBadDst] + d[slowBadSubtype] + d[slowShort] ))" = 0 ] ||
			lt_fail "lacpdu: valid LACPDUs counted as bad"
		[ "$(( d[slowPoliced] + delivered + d[slowDropped] ))" = "${d[slowRx]}" ] ||
			lt_fail "lacpdu: policed + delivered + dropped != seen"
	fi
	summary+=("$kind $pps/s: CPU $((cpu / 100)).$(printf '%02d' $((cpu % 100)))%, policed ${d[slowPoliced]}, to controller $delivered")
done
# The flooded member may have lost its partner; once the flood is over it comes back.
lt_wait 15 lt_distributing "$A" lag0 2 || lt_fail "a0 did not come back after the flood"
lt_wait 15 lt_distributing "$B" lag0 2 || lt_fail "b0 did not come back after the flood"
lt_run lt_nsexec "$A" ping -c 2 -i 0.2 -W 1 198.18.88.2 || lt_fail "ping after the flood"
lt_pass "idle CPU $((idle / 100)).$(printf '%02d' $((idle % 100)))%; ${summary[0]}; ${summary[1]}"
