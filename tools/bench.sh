#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# shellcheck disable=SC2317 # the part_* functions run indirectly ("part_$p"), and what they call
# `make bench`: measures lagbpf next to a plain veth pair, on this machine, in
# this run. Noisy machines: A/B alternation, several rounds, medians and
# paired ratios. Raw data under $OUT/raw, results in $OUT/results.json, plots
# in $OUT/*.png, a table on stdout. Prints numbers; never fails a test run
# (exit 0 unless the tools cannot be built or run at all).
#
#   ns A (lagbpf)                            ns B (lagbpf)
#   pa 198.19.0.1 =========================== pb 198.19.0.2          plain veth
#   lg2  198.19.2.1 -- a21..a22 ====== b21..b22 -- lg2  198.19.2.2   2 members, skb XDP
#   lg4  198.19.4.1 -- a41..a44 ====== b41..b44 -- lg4  198.19.4.2   4 members, skb XDP
#   lg2n 198.19.12.1 - a51..a52 ====== b51..b52 -- lg2n ...          2 members, native XDP
#   lg4n 198.19.14.1 - a61..a64 ====== b61..b64 -- lg4n ...          4 members, native XDP
#   lg2d 198.19.16.1 - a71..a72 ====== b71..b72 -- lg2d ...          2 members, --tx-path device
#   le   198.19.20.1 -- e1 ============== f1 198.19.20.2                egress hop alone (LAG of 1)
#   g1   198.19.21.1 ==================== h1 -- li 198.19.21.2          ingress hop alone (LAG of 1)
# Failover, LACP, footprint, scale, ctl and restart parts make their own
# namespaces the same way (failover 198.19.101.0/24 and 198.19.102.0/24,
# footprint 198.19.201.0/24, ctl 198.19.150.0/24 and 198.19.160-175.0/24,
# restart 198.19.180-181.0/24; scale and lacp use no addresses). Every
# namespace is the harness's (tests/lib/netns.sh): deleted when a part ends
# and on every exit path.
#
# Parts (PARTS, in this order by default; any subset runs alone, e.g.
# `make bench PARTS=scale`):
#   cost      BPF_PROG_TEST_RUN per program and frame, LAGs of COST_MEMBERS
#   hash      flow disruption, balance at 2..64 members (pure computation)
#   tput      throughput against a plain veth pair
#   failover  carrier cut -> table switched, loss window (static, 2 members)
#   lacp      LACP convergence at each --aggregate-wait of LACP_AWS
#   foot      controller footprint (8 members) and a junk slow-protocol flood
#   scale     failover and convergence against SCALE_MEMBERS (static, LACP
#             fast at aggregate wait 0 and the default)
#   ctl       controller CPU/RSS against CTL_MEMBERS, and CTL_LAGS LAGs at once
#   restart   `lagbpf restart` and kill -9 + attach again under a UDP stream
#
# Knobs (environment): PARTS ROUNDS=5 DUR=2 TRIALS=50 LACP_TRIALS=5
# LACP_AWS="0 2000" FOOT_SECS=60 FLOOD_SECS=5 REPEAT=1000000
# COST_MEMBERS="2 8 32 64" SCALE_MEMBERS="2 8 32 64" SCALE_TRIALS=5
# CTL_MEMBERS="8 32 64" CTL_LAGS=16 CTL_SECS=30 RESTART_TRIALS=5
# RESTART_US=1000 OUT=$O/bench
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
O=${O:-build}
case $O in /*) ;; *) O=$ROOT/$O ;; esac
export LAGBPF=${LAGBPF:-$O/lagbpf}
OUT=${OUT:-$O/bench}
RAW=$OUT/raw
TB=$OUT/bin
PARTS=${PARTS:-cost hash tput failover lacp foot scale ctl restart}
COST_MEMBERS=${COST_MEMBERS:-2 8 32 64}
SCALE_MEMBERS=${SCALE_MEMBERS:-2 8 32 64}
SCALE_TRIALS=${SCALE_TRIALS:-5}
CTL_MEMBERS=${CTL_MEMBERS:-8 32 64}
CTL_LAGS=${CTL_LAGS:-16}
CTL_SECS=${CTL_SECS:-30}
RESTART_TRIALS=${RESTART_TRIALS:-5}
RESTART_US=${RESTART_US:-1000}
ROUNDS=${ROUNDS:-5}
DUR=${DUR:-2}
TRIALS=${TRIALS:-50}
LACP_TRIALS=${LACP_TRIALS:-5}
LACP_AWS=${LACP_AWS:-0 2000}
FOOT_SECS=${FOOT_SECS:-60}
FLOOD_SECS=${FLOOD_SECS:-5}
REPEAT=${REPEAT:-1000000}
PY=/usr/bin/python3
[ -x $PY ] || PY=python3

say() { printf 'bench: %s\n' "$*" >&2; }

mkdir -p "$RAW" "$TB" || exit 1
rm -f "$RAW"/* "$OUT"/*.png "$OUT"/*.dat "$OUT"/results.json

# ---- tools ----------------------------------------------------------------
CF=(-O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -D_GNU_SOURCE)
build_tools() {
	# shellcheck disable=SC2046 # pkg-config prints several words on purpose
	# progcost fills the maps through user/sys/maps.c, as the controller
	# does (make all built it, with the skeletons it embeds).
	gcc "${CF[@]}" -Iinclude -Iuser -I"$O" $(pkg-config --cflags libbpf) tools/bench/progcost.c \
		"$O/user/sys/maps.o" "$O"/user/lacp/*.o "$O"/user/conf/*.o \
		$(pkg-config --libs libbpf libxdp) -lelf -lz -o "$TB/progcost" &&
	gcc "${CF[@]}" -Iinclude -Iuser -I"$O" $(pkg-config --cflags libbpf) tools/bench/lagwait.c \
		"$O/user/sys/maps.o" $(pkg-config --libs libbpf libxdp) -lelf -lz -o "$TB/lagwait" &&
	gcc "${CF[@]}" -Iinclude -Ibpf -Iuser tools/bench/hashsim.c user/lacp/bucket.c user/lacp/bucket_load.c -o "$TB/hashsim" &&
	gcc "${CF[@]}" tools/bench/udpseq.c -o "$TB/udpseq" &&
	gcc "${CF[@]}" tools/bench/linkcut.c -o "$TB/linkcut" &&
	gcc "${CF[@]}" tools/bench/junkflood.c -o "$TB/junkflood"
}
build_tools || { say "cannot build the benchmark tools"; exit 1; }

{
	echo "kernel	$(uname -r)"
	echo "cpu	$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "cpus	$(nproc)"
	echo "mem	$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
	# shellcheck source=/dev/null # the machine's own file, not ours to check
	echo "os	$(. /etc/os-release && echo "$PRETTY_NAME")"
	echo "iperf3	$(iperf3 --version | head -1)"
	echo "date	$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "loadavg	$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "knobs	PARTS=\"$PARTS\" ROUNDS=$ROUNDS DUR=$DUR TRIALS=$TRIALS LACP_TRIALS=$LACP_TRIALS FOOT_SECS=$FOOT_SECS FLOOD_SECS=$FLOOD_SECS REPEAT=$REPEAT COST_MEMBERS=\"$COST_MEMBERS\" SCALE_MEMBERS=\"$SCALE_MEMBERS\" SCALE_TRIALS=$SCALE_TRIALS CTL_MEMBERS=\"$CTL_MEMBERS\" CTL_LAGS=$CTL_LAGS CTL_SECS=$CTL_SECS RESTART_TRIALS=$RESTART_TRIALS RESTART_US=$RESTART_US"
	echo "commit	$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo +dirty)"
} >"$RAW/machine.tsv"

# The integration harness gives namespaces, veths, attach and teardown.
# shellcheck source-path=SCRIPTDIR source=../tests/lib/netns.sh
. "$ROOT/tests/lib/netns.sh"
lt_init bench
# shellcheck disable=SC2034 # read by the harness teardown
LT_RESULT=PASS # a benchmark reports, it does not fail
lt_fail() { say "error: $*"; lt_log "error: $*"; return 1; }

# Tear down what a part made, so the next part runs on a quiet machine.
part_end() {
	lt_release
}

now_ns() { date +%s%N; }
ctl_log() { echo "/run/lagbpf/netns/$1/$2.log"; }
pin_dir() { echo "/sys/fs/bpf/lagbpf/netns/$1/$2"; }

# detach_both LAG: detach LAG on A and B at once (a controller takes a while
# to stop), and forget it in the harness's teardown list.
detach_both() {
	local l keep=()
	"$LAGBPF" -n "$A" detach "$1" >>"$LT_LOG" 2>&1 &
	"$LAGBPF" -n "$B" detach "$1" >>"$LT_LOG" 2>&1
	wait
	for l in "${LT_LAGS[@]}"; do
		[ "$l" = "$A $1" ] || [ "$l" = "$B $1" ] || keep+=("$l")
	done
	LT_LAGS=("${keep[@]}")
}

# attach_pair NSA NSB LAG N PREFIXA PREFIXB NET OPTIONS...: N veth pairs and a
# LAG on both ends with addresses 198.19.NET.1 / .2.
attach_pair() {
	local a=$1 b=$2 lag=$3 n=$4 pa=$5 pb=$6 net=$7 i ma=() mb=()
	shift 7
	for ((i = 1; i <= n; i++)); do
		lt_veth "$a" "$pa$i" "$b" "$pb$i" "${SAME:-differ}" || return 1
		ma+=("$pa$i") mb+=("$pb$i")
	done
	lt_attach "$a" "$lag" "${ma[@]}" "$@" || { lt_fail "attach $lag on A"; return 1; }
	lt_attach "$b" "$lag" "${mb[@]}" "$@" || { lt_fail "attach $lag on B"; return 1; }
	ip -n "$a" addr add "198.19.$net.1/24" dev "$lag"
	ip -n "$b" addr add "198.19.$net.2/24" dev "$lag"
}

wait_dist() { lt_wait "$4" lt_distributing "$1" "$2" "$3" || lt_fail "$1 $2: not $3 distributing"; }

# ---- 1. per-packet cost ----------------------------------------------------
part_cost() {
	say "cost: BPF_PROG_TEST_RUN, $REPEAT repeats x $ROUNDS rounds, LAGs of $COST_MEMBERS members"
	local counts
	read -ra counts <<<"$COST_MEMBERS"
	"$TB/progcost" "$REPEAT" "$ROUNDS" "${counts[@]}" >"$RAW/cost.tsv" || say "cost: progcost failed"
}

# ---- 5. flow disruption and balance ------------------------------------------
part_hash() {
	say "hash: 10000 flows, 5 seeds"
	"$TB/hashsim" 10000 5 >"$RAW/hash.tsv" || say "hash: hashsim failed"
}

# ---- 2. throughput -------------------------------------------------------------
iperf() { # NS CONFIG TEST DIR ROUND DST ARGS...
	local ns=$1 cfg=$2 test=$3 dir=$4 r=$5 dst=$6 out
	shift 6
	out=$(lt_nsexec "$ns" timeout $((DUR + 15)) iperf3 -c "$dst" -p 5201 -t "$DUR" -J "$@" 2>>"$LT_LOG")
	if [ -z "$out" ] || ! echo "$out" | jq -e '.end.sum_received' >/dev/null 2>&1; then
		lt_log "iperf3 $cfg $test $dir failed: $(echo "$out" | jq -r .error 2>/dev/null)"
		sleep 1
		return
	fi
	echo "$out" | jq -r --arg c "$cfg" --arg t "$test" --arg d "$dir" --arg r "$r" \
		'[$c, $t, $d, $r, .end.sum_received.bytes, .end.sum_received.seconds, .end.sum_received.bits_per_second,
		  .end.cpu_utilization_percent.host_total, .end.cpu_utilization_percent.remote_total] | @tsv'
}

# prog_stats NS LAG PROG: "name run_time_ns run_cnt" of the LAG's program PROG
# (lag_tx, lag_rx, lag_xdp: pinned in its folder; tcx links are not in
# `bpftool net`), from the kernel's BPF stats, summed over every device it runs on.
prog_stats() {
	bpftool -j prog show pinned "/sys/fs/bpf/lagbpf/netns/$1/$2/prog_$3" 2>/dev/null |
		jq -r '"\(.name) \(.run_time_ns // 0) \(.run_cnt // 0)"' || echo "- 0 0"
}

# What the programs cost per packet in real traffic (cold caches, not the
# test-run loop): BPF stats on for one more UDP run per configuration.
# Stats cost a clock read per run, so the throughput rounds run without.
tput_progstats() { # CONFIG NS:LAG:PROG...
	local cfg=$1 hooks=("${@:2}") before=() rate i h
	for i in "${!hooks[@]}"; do
		IFS=: read -ra h <<<"${hooks[i]}"
		before[i]=$(prog_stats "${h[@]}")
	done
	rate=$(lt_nsexec "$A" timeout $((DUR + 15)) iperf3 -c "198.19.${nets[$cfg]}.2" -p 5201 -t "$DUR" -J \
		-u -b 0 -l 18 2>>"$LT_LOG" |
		jq -r '"\(.end.sum_received.packets / .end.sum_received.seconds)\t\(.end.sum_received.seconds)"' 2>/dev/null)
	for i in "${!hooks[@]}"; do
		local b a
		IFS=: read -ra h <<<"${hooks[i]}"
		read -ra b <<<"${before[i]}"
		read -ra a <<<"$(prog_stats "${h[@]}")"
		echo "$cfg	${a[0]}	$((a[1] - b[1]))	$((a[2] - b[2]))	${rate:-0	0}"
	done >>"$RAW/tput-progstats.tsv"
}

part_tput() {
	local A B cfg r k t dst
	# egr: a 1-member LAG sends to a plain veth (the egress hop alone);
	# ingr: a plain veth sends to a 1-member LAG (the ingress hop alone).
	local -A nets=([plain]=0 [lag2]=2 [lag4]=4 [lag2n]=12 [lag4n]=14 [egr]=20 [ingr]=21 [lag2d]=16)
	say "tput: setting up plain veth, 2- and 4-member LAGs (skb and native XDP), 1-member hops"
	lt_ns A ta && lt_ns B tb || return
	lt_veth "$A" pa "$B" pb
	ip -n "$A" addr add 198.19.0.1/24 dev pa && ip -n "$A" link set pa up
	ip -n "$B" addr add 198.19.0.2/24 dev pb && ip -n "$B" link set pb up
	attach_pair "$A" "$B" lg2 2 a2 b2 2 --mode lacp --rate fast || return
	attach_pair "$A" "$B" lg4 4 a4 b4 4 --mode lacp --rate fast || return
	attach_pair "$A" "$B" lg2n 2 a5 b5 12 --mode lacp --rate fast --xdp-mode native || return
	attach_pair "$A" "$B" lg4n 4 a6 b6 14 --mode lacp --rate fast --xdp-mode native || return
	attach_pair "$A" "$B" lg2d 2 a7 b7 16 --mode lacp --rate fast --tx-path device || return
	lt_veth "$A" e1 "$B" f1 && lt_veth "$A" g1 "$B" h1 || return
	lt_attach "$A" le e1 --mode static || { lt_fail "attach le"; return; }
	lt_attach "$B" li h1 --mode static || { lt_fail "attach li"; return; }
	ip -n "$A" addr add 198.19.20.1/24 dev le && ip -n "$B" addr add 198.19.20.2/24 dev f1 &&
		ip -n "$B" link set f1 up || return
	ip -n "$A" addr add 198.19.21.1/24 dev g1 && ip -n "$A" link set g1 up &&
		ip -n "$B" addr add 198.19.21.2/24 dev li || return
	for l in lg2:2 lg4:4 lg2n:2 lg4n:4 lg2d:2; do
		wait_dist "$A" "${l%:*}" "${l#*:}" 20 || return
		wait_dist "$B" "${l%:*}" "${l#*:}" 20 || return
	done
	local bbr=
	grep -qw bbr /proc/sys/net/ipv4/tcp_available_congestion_control && bbr=1
	{
		echo "xdp_default	$(ip -n "$A" -o link show a21 | grep -o ' xdp[a-z]* ' | tr -d ' ' | head -1)"
		echo "xdp_native	$(ip -n "$A" -o link show a51 | grep -o ' xdp[a-z]* ' | tr -d ' ' | head -1)"
		for d in pa a21 a51; do
			echo "tso_peer_of_$d	$(lt_nsexec "$B" ethtool -k "${d/a/b}" 2>/dev/null |
				awk '/tcp-segmentation-offload/ {print $2}')"
		done
		echo "tcp_cc_host_default	$(lt_nsexec "$A" sysctl -n net.ipv4.tcp_congestion_control)"
		echo "tcp_cc_measured	cubic${bbr:+, bbr (tcp1bbr)}"
	} >"$RAW/tput-setup.tsv"
	lt_bg "$B" iperf3 -s -p 5201
	lt_wait 3 lt_nsexec "$B" ss -ltn sport = :5201 || { lt_fail "iperf3 server"; return; }
	local main=(plain lag2 lag4 lag2n lag4n)
	# test dir: configurations. TCP pins its congestion control: the host
	# default may be bbr, whose own pacing (no fq qdisc on veth) then sets
	# the rate instead of the data path; tcp1bbr shows that case.
	local tests=("tcp1 fwd:${main[*]} egr ingr lag2d" "tcp1 rev:${main[*]}" "tcp8 fwd:${main[*]}"
		"tcp8 rev:${main[*]}" "udp64 fwd:${main[*]} egr ingr lag2d" "udp64 rev:${main[*]}"
		"udp64x16 fwd:plain lag2 lag4")
	[ -z "$bbr" ] || tests+=("tcp1bbr fwd:plain lag2 lag4" "tcp1bbr rev:plain lag2 lag4")
	echo "config	test	dir	round	bytes	seconds	bps	cpu_client	cpu_server" >"$RAW/tput.tsv"
	for ((r = 0; r < ROUNDS; r++)); do
		say "tput: round $((r + 1))/$ROUNDS"
		for t in "${tests[@]}"; do
			local cfgs test dir args=()
			read -ra cfgs <<<"${t#*:}"
			read -r test dir <<<"${t%%:*}"
			case $test in
			tcp1) args=(-C cubic) ;;
			tcp8) args=(-C cubic -P 8) ;;
			tcp1bbr) args=(-C bbr) ;;
			udp64) args=(-u -b 0 -l 18) ;; # 18 B payload: 60-byte frames (64 with FCS)
			udp64x16) args=(-u -b 0 -l 18 -P 16) ;;
			esac
			[ "$dir" = rev ] && args+=(-R)
			# A/B alternation: each round starts at another configuration
			for ((k = 0; k < ${#cfgs[@]}; k++)); do
				cfg=${cfgs[$(((k + r) % ${#cfgs[@]}))]}
				dst=198.19.${nets[$cfg]}.2
				iperf "$A" "$cfg" "$test" "$dir" "$r" "$dst" "${args[@]}" >>"$RAW/tput.tsv"
			done
		done
	done
	local old
	old=$(sysctl -n kernel.bpf_stats_enabled)
	if sysctl -qw kernel.bpf_stats_enabled=1; then
		echo "config	prog	ns	runs	pps	seconds" >"$RAW/tput-progstats.tsv"
		tput_progstats lag2 "$A:lg2:lag_tx" "$B:lg2:lag_rx" "$B:lg2:lag_xdp"
		tput_progstats ingr "$B:li:lag_rx" "$B:li:lag_xdp"
		sysctl -qw kernel.bpf_stats_enabled="$old"
	else
		say "tput: no BPF stats"
	fi
}

# ---- 3. failover ---------------------------------------------------------------
# fo_flip STATE PATTERN FILE: set B's end of member 1 STATE (up/down), append
# the time linkcut reports to FILE, wait until A's controller logs PATTERN
# once more. Uses fo_variant's v, log and i.
fo_flip() {
	local state=$1 pat=$2 out=$3 n t
	n=$(grep -c "$pat" "$log")
	t=$("$TB/linkcut" "$B" "${v:0:1}b1" "$state") || return 1
	echo "$t" >>"$out"
	lt_wait 3 eval "[ \$(grep -c '$pat' '$log') -gt $n ]" || lt_log "trial $i: $state: no '$pat' logged"
	sleep 0.15
}

# One trial: cut B's end of member 1 (A's member 1 loses carrier) with UDP
# running A -> B, wait for A's controller to log the switch, restore, wait
# for 2 members again.
fo_variant() { # VARIANT LAG NET SAME
	local v=$1 lag=$2 net=$3 i log
	SAME=$4 attach_pair "$A" "$B" "$lag" 2 "${v:0:1}a" "${v:0:1}b" "$net" --mode static || return
	wait_dist "$A" "$lag" 2 10 || return
	wait_dist "$B" "$lag" 2 10 || return
	{
		echo "ifindex	$v	$(ip -n "$A" -o link show "${v:0:1}a1" | cut -d: -f1)	$(ip -n "$B" -o link show "${v:0:1}b1" | cut -d: -f1)"
	} >>"$RAW/failover-setup.tsv"
	log=$(ctl_log "$A" "$lag")
	nsenter --net="/var/run/netns/$B" "$TB/udpseq" recv 7000 >"$RAW/failover-$v-recv.txt" 2>>"$LT_LOG" &
	local rpid=$!
	sleep 0.2
	# 12 flows, one datagram every 100 us (10 kpps): 1.2 ms per flow
	nsenter --net="/var/run/netns/$A" "$TB/udpseq" send "198.19.$net.2" 7000 100 12 $((TRIALS * 3 + 30)) \
		>>"$LT_LOG" 2>&1 &
	local spid=$!
	sleep 0.5
	: >"$RAW/failover-$v-cuts.txt"
	: >"$RAW/failover-$v-ups.txt"
	for ((i = 0; i < TRIALS; i++)); do
		fo_flip down 'carrier lost\|table switched' "$RAW/failover-$v-cuts.txt" || break
		fo_flip up 'table switched to slot [0-9]*, 2 members' "$RAW/failover-$v-ups.txt" || break
	done
	kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
	sleep 0.2
	kill "$rpid" 2>/dev/null; wait "$rpid" 2>/dev/null
	cp "$log" "$RAW/failover-$v-ctl.log"
}

part_failover() {
	say "failover: $TRIALS trials, distinct and equal ifindexes"
	lt_ns A fa && lt_ns B fb || return
	: >"$RAW/failover-setup.tsv"
	fo_variant distinct fod 101 differ
	say "failover: equal ifindexes"
	fo_variant equal foe 102 same
}

# ---- 4. LACP convergence -----------------------------------------------------------
part_lacp() {
	local i j t0 t1 la lb aw k=0 aws
	read -ra aws <<<"$LACP_AWS"
	say "lacp: $LACP_TRIALS attach trials at aggregate wait $LACP_AWS ms, $LACP_TRIALS member-restore trials (fast rate)"
	lt_ns A la && lt_ns B lb || return
	lt_veth "$A" l1 "$B" m1 && lt_veth "$A" l2 "$B" m2 || return
	la=$(ctl_log "$A" lc) lb=$(ctl_log "$B" lc)
	: >"$RAW/lacp-attach.tsv"
	# the member-restore trials run on the LAG of the last attach: the
	# last aggregate wait of LACP_AWS (the default, 2000 ms, unless changed)
	for ((j = 0; j < ${#aws[@]}; j++)); do
		aw=${aws[j]}
		for ((i = 0; i < LACP_TRIALS; i++, k++)); do
			t0=$(now_ns)
			lt_attach "$A" lc l1 l2 --rate fast --aggregate-wait "$aw" || return
			t1=$(now_ns)
			lt_attach "$B" lc m1 m2 --rate fast --aggregate-wait "$aw" || return
			wait_dist "$A" lc 2 15 && wait_dist "$B" lc 2 15
			echo "$t0	$t1	$aw" >>"$RAW/lacp-attach.tsv"
			cat "$la" >"$RAW/lacp-attach-$k-a.log"
			cat "$lb" >"$RAW/lacp-attach-$k-b.log"
			[ "$j" -lt $((${#aws[@]} - 1)) ] || [ "$i" -lt $((LACP_TRIALS - 1)) ] || break
			"$LAGBPF" -n "$A" detach lc >>"$LT_LOG" 2>&1
			"$LAGBPF" -n "$B" detach lc >>"$LT_LOG" 2>&1
			sleep 0.5
		done
	done
	echo "${aws[-1]}" >"$RAW/lacp-restore-aw.txt"
	: >"$RAW/lacp-restore.tsv"
	for ((i = 0; i < LACP_TRIALS; i++)); do
		"$TB/linkcut" "$B" m1 down >/dev/null
		wait_dist "$A" lc 1 10
		sleep 0.3
		t0=$("$TB/linkcut" "$B" m1 up)
		wait_dist "$A" lc 2 15 && wait_dist "$B" lc 2 15
		echo "$t0" >>"$RAW/lacp-restore.tsv"
		sleep 0.3
	done
	cp "$la" "$RAW/lacp-restore-a.log"
	cp "$lb" "$RAW/lacp-restore-b.log"
}

# ---- 6. controller footprint and junk flood --------------------------------------------
proc_sample() { # PID -> "ticks rss_kib hwm_kib"
	local st
	st=$(cut -d' ' -f14,15 "/proc/$1/stat" 2>/dev/null) || return
	echo "$(( ${st% *} + ${st#* } )) $(awk '/VmRSS/ {r=$2} /VmHWM/ {h=$2} END {print r, h}' "/proc/$1/status")"
}

part_foot() {
	local pid s0 s1 rate sent hz
	say "foot: 8 members, fast rate, ${FOOT_SECS}s"
	lt_ns A wa && lt_ns B wb || return
	attach_pair "$A" "$B" lf 8 w x 201 --rate fast || return
	wait_dist "$A" lf 8 20 && wait_dist "$B" lf 8 20 || return
	pid=$(lt_jq "$A" lf .controllerPid)
	hz=$(getconf CLK_TCK)
	s0=$(proc_sample "$pid"); sleep "$FOOT_SECS"; s1=$(proc_sample "$pid")
	echo "idle	$FOOT_SECS	$hz	$s0	$s1" >"$RAW/foot.tsv"
	say "foot: junk slow-protocol flood on one member, ${FLOOD_SECS}s per rate"
	echo "rate	sent	secs	dist_a	dist_b	lacpdu_rx0	lacpdu_rx1	slow_rx	drops	transitions	ticks0	ticks1	hz" \
		>"$RAW/flood.tsv"
	for rate in 1000 10000 100000 0; do
		local c0 c1 n0 n1 j0 j1 lines0
		lines0=$(wc -l <"$(ctl_log "$A" lf)")
		c0=$(lt_jq "$A" lf '.connections[] | select(.connectionName == "w1") | .counters | [.lacpduRx, .slowRx, .slowDropped] | @tsv')
		s0=$(proc_sample "$pid")
		sent=$("$TB/junkflood" "$B" x1 "$rate" "$FLOOD_SECS")
		s1=$(proc_sample "$pid")
		sleep 0.5
		c1=$(lt_jq "$A" lf '.connections[] | select(.connectionName == "w1") | .counters | [.lacpduRx, .slowRx, .slowDropped] | @tsv')
		n0=$(lt_jq "$A" lf '[.connections[] | select(.distributing)] | length')
		n1=$(lt_jq "$B" lf '[.connections[] | select(.distributing)] | length')
		# LACP transitions of the flooded member during the flood
		j0=$(tail -n +"$((lines0 + 1))" "$(ctl_log "$A" lf)" | grep -c 'w1: \(not collecting\|.*expired\|.*defaulted\)')
		j1=$(tail -n +"$((lines0 + 1))" "$(ctl_log "$B" lf)" | grep -c 'x1: \(not collecting\|.*expired\|.*defaulted\)')
		local l0 r0 d0 l1 r1 d1
		read -r l0 r0 d0 _ <<<"$c0"
		read -r l1 r1 d1 _ <<<"$c1"
		echo "$rate	$sent	$FLOOD_SECS	$n0	$n1	$l0	$l1	$((r1 - r0))	$((d1 - d0))	$((j0 + j1))	${s0%% *}	${s1%% *}	$hz" >>"$RAW/flood.tsv"
		# let a lost partner come back before the next rate
		wait_dist "$A" lf 8 10
	done
	cp "$(ctl_log "$A" lf)" "$RAW/foot-a.log"
}

# ---- 7. scale: failover and LACP convergence against member count ---------------
# sc_veths N: N veth pairs sa1..saN (in A) / sb1..sbN (in B); sc_unveth N
# deletes them.
sc_veths() {
	local n=$1 i
	for ((i = 1; i <= n; i++)); do
		lt_veth "$A" "sa$i" "$B" "sb$i" || return 1
	done
}

sc_unveth() {
	local n=$1 i
	for ((i = 1; i <= n; i++)); do
		ip -n "$A" link del "sa$i" 2>/dev/null
	done
}

# sc_wait_log FILE LINES PATTERN SECS: wait until FILE has a line past LINES matching PATTERN.
sc_logged() { tail -n +"$(($2 + 1))" "$1" | grep -q -- "$3"; }
sc_wait_log() { lt_wait "$4" sc_logged "$1" "$2" "$3"; }

# sc_config MODE N [AW]: a LAG of N members on both ends (static, or LACP fast
# with --aggregate-wait AW), timed from attach until both ends' live tables
# hold all N (lagwait), then SCALE_TRIALS carrier cuts of member 1 (B's end
# set down, so A's loses carrier) and restores, timed from the controllers'
# logs (report.py).
sc_config() {
	local mode=$1 n=$2 aw=$3 tag lag i t0 t1 t2 la lb lines opts conv step ma=() mb=()
	opts=(--mode "$mode")
	tag=$mode-$n${aw:+-aw$aw}
	lag=sc${mode:0:1}$n${aw:+w$aw}
	[ "$mode" = lacp ] && opts+=(--rate fast)
	[ -n "$aw" ] && opts+=(--aggregate-wait "$aw")
	say "scale: $tag"
	sc_veths "$n" || return 1
	for ((i = 1; i <= n; i++)); do ma+=("sa$i") mb+=("sb$i"); done
	la=$(ctl_log "$A" "$lag") lb=$(ctl_log "$B" "$lag")
	# convergence: when both ends' data paths hash over all n members
	# (lagwait polls the live tables from their pins every 0.5 ms)
	"$TB/lagwait" "$n" 90 "$(pin_dir "$A" "$lag")" "$(pin_dir "$B" "$lag")" >"$RAW/scale-$tag-conv.txt" \
		2>>"$LT_LOG" &
	local wpid=$!
	LT_PIDS+=("$wpid")
	t0=$(now_ns)
	lt_attach "$A" "$lag" "${ma[@]}" "${opts[@]}" || { lt_fail "attach $lag on A"; return 1; }
	t1=$(now_ns)
	lt_attach "$B" "$lag" "${mb[@]}" "${opts[@]}" || { lt_fail "attach $lag on B"; return 1; }
	t2=$(now_ns)
	wait "$wpid"
	read -r conv step <"$RAW/scale-$tag-conv.txt"
	if [ -n "$conv" ] && wait_dist "$A" "$lag" "$n" 30 && wait_dist "$B" "$lag" "$n" 30; then
		echo "$mode	$n	${aw:-}	$t0	$t1	$t2	$conv	$step" >>"$RAW/scale-attach.tsv"
		: >"$RAW/scale-$tag-cuts.txt"
		: >"$RAW/scale-$tag-ups.txt"
		for ((i = 0; i < SCALE_TRIALS; i++)); do
			lines=$(wc -l <"$la")
			"$TB/linkcut" "$B" sb1 down >>"$RAW/scale-$tag-cuts.txt" || break
			sc_wait_log "$la" "$lines" 'sa1: carrier lost\|table switched' 5 ||
				lt_log "$tag trial $i: no switch logged"
			wait_dist "$A" "$lag" $((n - 1)) 5
			sleep 0.2
			"$TB/linkcut" "$B" sb1 up >>"$RAW/scale-$tag-ups.txt" || break
			wait_dist "$A" "$lag" "$n" 15 && wait_dist "$B" "$lag" "$n" 15
			sleep 0.2
		done
	fi
	cp "$la" "$RAW/scale-$tag-a.log"
	cp "$lb" "$RAW/scale-$tag-b.log"
	detach_both "$lag"
	sc_unveth "$n"
}

part_scale() {
	local n
	say "scale: members $SCALE_MEMBERS; static, LACP fast (aggregate wait 0 and default); $SCALE_TRIALS cuts each"
	lt_ns A sa && lt_ns B sb || return
	: >"$RAW/scale-attach.tsv"
	for n in $SCALE_MEMBERS; do
		sc_config static "$n"
		sc_config lacp "$n" 0
		sc_config lacp "$n"
	done
}

# ---- 8. controller CPU and memory against members, and many LAGs -------------------
# ctl_sample PID... -> "ticks rss_kib pss_kib" summed over the processes.
ctl_sample() {
	local p t=0 r=0 q=0 st a b
	for p in "$@"; do
		st=$(proc_sample "$p") || continue
		read -r a b _ <<<"$st"
		t=$((t + a)) r=$((r + b))
		q=$((q + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
	done
	echo "$t $r $q"
}

part_ctl() {
	local n hz pids=() s0 s1 k i ok
	hz=$(getconf CLK_TCK)
	say "ctl: controller CPU and RSS at fast rate, members $CTL_MEMBERS, ${CTL_SECS}s each"
	lt_ns A ca && lt_ns B cb || return
	echo "what	members	lags	secs	hz	ticks0	rss0	pss0	ticks1	rss1	pss1	controllers	pings_ok	pings_sent" \
		>"$RAW/ctl.tsv"
	: >"$RAW/ctl-lags.tsv"
	# "8p": 8 members whose veth ends share their ifindex, so linkwatch may
	# hold their carrier events back and the controller polls them every 10 ms
	# (what a physical NIC costs); the others have prompt events.
	local spec what same
	for spec in $CTL_MEMBERS 8p; do
		n=${spec%p} what=members same=differ
		[ "$spec" = "$n" ] || what=members_polled same=same
		SAME=$same attach_pair "$A" "$B" "cm$spec" "$n" "c${spec}a" "c${spec}b" 150 --rate fast || return
		if wait_dist "$A" "cm$spec" "$n" 60 && wait_dist "$B" "cm$spec" "$n" 30; then
			pids=("$(lt_jq "$A" "cm$spec" .controllerPid)")
			sleep 1
			s0=$(ctl_sample "${pids[@]}")
			sleep "$CTL_SECS"
			s1=$(ctl_sample "${pids[@]}")
			echo "$what	$n	1	$CTL_SECS	$hz	${s0// /	}	${s1// /	}	1	-	-" >>"$RAW/ctl.tsv"
		fi
		detach_both "cm$spec"
		for ((i = 1; i <= n; i++)); do ip -n "$A" link del "c${spec}a$i" 2>/dev/null; done
	done
	[ "$CTL_LAGS" -gt 0 ] || return 0
	say "ctl: $CTL_LAGS LAGs of 2 members each (LACP fast) on one host, traffic across each"
	for ((k = 0; k < CTL_LAGS; k++)); do
		attach_pair "$A" "$B" "cl$k" 2 "l${k}a" "l${k}b" $((160 + k)) --rate fast || return
	done
	local pa=() pb=() a0 a1
	ok=0
	for ((k = 0; k < CTL_LAGS; k++)); do
		wait_dist "$A" "cl$k" 2 30 && wait_dist "$B" "cl$k" 2 30
		pa+=("$(lt_jq "$A" "cl$k" .controllerPid)")
		pb+=("$(lt_jq "$B" "cl$k" .controllerPid)")
		# traffic across each LAG: 20 pings; count the replies
		i=$(lt_nsexec "$A" ping -q -c 20 -i 0.01 -W 1 "198.19.$((160 + k)).2" 2>/dev/null |
			awk '/received/ {print $4}')
		echo "lag	$k	cl$k	${i:-0}	20" >>"$RAW/ctl-lags.tsv"
		[ "${i:-0}" -gt 0 ] && ok=$((ok + 1))
	done
	# one host: A's controllers (B is the partner host, measured apart)
	sleep 1
	a0=$(ctl_sample "${pa[@]}") s0=$(ctl_sample "${pb[@]}")
	sleep "$CTL_SECS"
	a1=$(ctl_sample "${pa[@]}") s1=$(ctl_sample "${pb[@]}")
	echo "lags	2	$CTL_LAGS	$CTL_SECS	$hz	${a0// /	}	${a1// /	}	${#pa[@]}	$ok	$CTL_LAGS" >>"$RAW/ctl.tsv"
	echo "lags_partner	2	$CTL_LAGS	$CTL_SECS	$hz	${s0// /	}	${s1// /	}	${#pb[@]}	$ok	$CTL_LAGS" >>"$RAW/ctl.tsv"
	lt_detach_parallel >>"$LT_LOG" 2>&1
}

# ---- 9. restart and crash re-adopt under a UDP sequence stream -----------------------
# rs_trial MODE LAG KIND: one restart (KIND restart) or kill -9 + the same
# attach again (KIND readopt) of A's controller while udpseq runs; logs the
# times; the report counts the datagrams lost around it.
rs_trial() {
	local mode=$1 lag=$2 kind=$3 t0 t1 pid lb lines rc
	shift 3
	lb=$(ctl_log "$B" "$lag")
	lines=$(wc -l <"$lb")
	pid=$(lt_jq "$A" "$lag" .controllerPid)
	if [ "$kind" = restart ]; then
		t0=$(now_ns)
		"$LAGBPF" -n "$A" restart "$lag" >>"$LT_LOG" 2>&1
		rc=$?
	else
		t0=$(now_ns)
		kill -9 "$pid"
		"$LAGBPF" -n "$A" attach "$lag" "$@" >>"$LT_LOG" 2>&1
		rc=$?
	fi
	t1=$(now_ns)
	# what the partner saw: any line of B's log about its members leaving
	# distributing, over 3.5 s (past the partner's 3 s fast timeout, and
	# the dead-man's, had the new controller failed to take over)
	sleep 3.5
	echo "$mode	$kind	$t0	$t1	$rc	$pid	$(lt_jq "$A" "$lag" .controllerPid)	$(tail -n +"$((lines + 1))" "$lb" |
		grep -c ': collecting$\|: not collecting\|expired\|defaulted')	$(lt_jq "$A" "$lag" '[.connections[] | select(.distributing)] | length')" \
		>>"$RAW/restart.tsv"
}

part_restart() {
	local mode lag i net rpid spid opts
	say "restart: $RESTART_TRIALS restarts and $RESTART_TRIALS kill -9 + re-attach, static and LACP fast, UDP every ${RESTART_US} us"
	lt_ns A ra && lt_ns B rb || return
	echo "mode	kind	t0	t1	rc	old_pid	new_pid	partner_changes	distributing_after" >"$RAW/restart.tsv"
	net=180
	for mode in static lacp; do
		lag=r${mode:0:1}
		opts=(--mode "$mode")
		[ "$mode" = lacp ] && opts+=(--rate fast)
		attach_pair "$A" "$B" "$lag" 2 "r${mode:0:1}a" "r${mode:0:1}b" "$net" "${opts[@]}" || return
		wait_dist "$A" "$lag" 2 20 && wait_dist "$B" "$lag" 2 20 || return
		nsenter --net="/var/run/netns/$B" "$TB/udpseq" recv 7100 >"$RAW/restart-$mode-recv.txt" 2>>"$LT_LOG" &
		rpid=$!
		sleep 0.2
		# 8 flows (both members carry some), one datagram every RESTART_US
		nsenter --net="/var/run/netns/$A" "$TB/udpseq" send "198.19.$net.2" 7100 "$RESTART_US" 8 \
			$((RESTART_TRIALS * 30 + 30)) >>"$LT_LOG" 2>&1 &
		spid=$!
		LT_PIDS+=("$rpid" "$spid")
		sleep 1
		for ((i = 0; i < RESTART_TRIALS; i++)); do
			rs_trial "$mode" "$lag" restart
			rs_trial "$mode" "$lag" readopt "r${mode:0:1}a1" "r${mode:0:1}a2" "${opts[@]}"
		done
		kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
		sleep 0.2
		kill "$rpid" 2>/dev/null; wait "$rpid" 2>/dev/null
		cp "$(ctl_log "$A" "$lag")" "$RAW/restart-$mode-a.log"
		cp "$(ctl_log "$B" "$lag")" "$RAW/restart-$mode-b.log"
		net=$((net + 1))
	done
	echo "$RESTART_US" >"$RAW/restart-interval.txt"
}

for p in $PARTS; do
	declare -F "part_$p" >/dev/null ||
		{ say "unknown part '$p' (parts: cost hash tput failover lacp foot scale ctl restart)"; exit 2; }
done
for p in $PARTS; do
	start=$(now_ns)
	"part_$p"
	part_end
	echo "$p	$(( ($(now_ns) - start) / 1000000 ))" >>"$RAW/runtime.tsv"
done

$PY tools/bench/report.py "$RAW" "$OUT" || say "report failed"
if command -v gnuplot >/dev/null; then
	for gp in tools/bench/*.gp; do
		[ -s "$OUT/$(basename "$gp" .gp).dat" ] || continue
		(cd "$OUT" && gnuplot "$ROOT/$gp") 2>>"$LT_LOG" || say "plot $gp failed"
	done
else
	say "gnuplot missing: no plots (make deps)"
fi
for png in "$OUT"/*.png; do [ -e "$png" ] && echo "bench: plot $png" >&2; done
exit 0
