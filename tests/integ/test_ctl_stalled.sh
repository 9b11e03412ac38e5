#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# A stalled control client never stalls the controller: 16 clients that
# connect and say nothing (reconnecting as soon as they are dropped) while a
# member is cut. show still answers at once, the cut member leaves
# distribution as fast as without them, malformed requests get an error, and
# 100 clients at once (above the cap) leave the controller serving.
#
#   ns A                                ns B
#   lag0 (static) --+-- a0 ===== b0 --+-- lag0 (static)
#                   +-- a1 ===== b1 --+
#
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init ctl_stalled

lt_ns A a; lt_ns B b
for i in 0 1; do lt_veth "$A" a$i "$B" b$i; done
lt_attach "$A" lag0 a0 a1 --mode static || lt_fail "attach on A"
lt_attach "$B" lag0 b0 b1 --mode static || lt_fail "attach on B"
lt_wait 5 lt_distributing "$A" lag0 2 || lt_fail "A: not 2 members distributing"
sock=/run/lagbpf/netns/$A/lag0.sock

# stall N: one process holding N clients that connect and say nothing; each
# reconnects as soon as the controller drops it.
stall() {
	python3 - "$sock" "$1" <<'PY' &
import select, socket, sys, time
def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(sys.argv[1])
    except OSError:
        s.close()
        time.sleep(0.01)
        return None
    return s
socks = [conn() for _ in range(int(sys.argv[2]))]
while True:
    socks = [s if s else conn() for s in socks]
    live = [s for s in socks if s]
    for s in select.select(live, [], [], 0.1)[0] if live else []:
        if not s.recv(1):
            s.close()
            socks[socks.index(s)] = None
PY
	LT_PIDS+=($!)
}
# ask REQUEST: one raw request, the reply on stdout.
ask() {
	python3 - "$sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode().decode('unicode_escape').encode())
out = b''
while True:
    b = s.recv(65536)
    if not b:
        break
    out += b
print(out.decode())
PY
}

# cut_member PEER MEMBER: CUT = ms from cutting PEER (B's end) until A's controller
# logs MEMBER's carrier loss, by the controller's own clock: show's latency (a
# process start, on a loaded machine) does not count.
cut_member() {
	local t0 line
	t0=$(date +%s%N)
	ip -n "$B" link set "$1" down
	lt_wait 10 lt_member_is "$A" lag0 "$2" .distributing false || lt_fail "$2 still distributing"
	line=$(grep " $2: carrier down" "/run/lagbpf/netns/$A/lag0.log" | tail -1)
	CUT=$(( ($(date -d "${line%%Z *}Z" +%s%N) - t0) / 1000000 ))
	ip -n "$B" link set "$1" up
	lt_wait 5 lt_distributing "$A" lag0 2 || lt_fail "$2 did not come back"
}
show_ms() {
	local t0
	t0=$(lt_ms)
	lt_show "$A" lag0 >/dev/null || lt_fail "show failed"
	echo $(( $(lt_ms) - t0 ))
}

# median_cut N: MEDIAN = median of N cuts of b0, in ms.
median_cut() {
	local i v=()
	for ((i = 0; i < $1; i++)); do cut_member b0 a0; v+=("$CUT"); done
	lt_log "cuts: ${v[*]}"
	MEDIAN=$(printf '%s\n' "${v[@]}" | sort -n | sed -n "$(( ($1 + 1) / 2 ))p")
}

# The same probes without and with stallers. A blocking loop makes a carrier
# event wait for the staller being read: 0-1000 ms, 500 in the median.
base_show=$(show_ms); median_cut 3; base_cut=$MEDIAN
lt_log "baseline: show $base_show ms, carrier loss logged after $base_cut ms (median)"
stall 16
sleep 2.5 # every staller has been dropped once and is back
show_ms=$(show_ms); median_cut 7; cut_ms=$MEDIAN
lt_log "16 stalled clients: show $show_ms ms, carrier loss logged after $cut_ms ms (median)"
[ "$show_ms" -lt $((base_show + 3000)) ] || lt_fail "show took $show_ms ms with 16 idle clients (baseline $base_show)"
[ "$cut_ms" -lt $((base_cut + 250)) ] || lt_fail "carrier loss handled after $cut_ms ms with 16 idle clients (baseline $base_cut)"

# Malformed requests: one error each; the controller goes on.
for req in 'show junk\n' 'show\nshow\n' 'set min-links 1 extra\n' 'add a/b\n' 'add a0 a1\n' \
	"$(printf 'x%.0s' $(seq 300))\n" 'bogus\n'; do
	out=$(ask "$req") || lt_fail "request '${req:0:20}': no answer"
	lt_log "request '${req:0:40}': $out"
	jq -e '.error | type == "string"' <<<"$out" >/dev/null || lt_fail "request '${req:0:20}' not refused: $out"
done
[ "$(lt_jq "$A" lag0 .minimumLinks)" = 0 ] || lt_fail "a refused set changed min-links"

# 100 clients at once, above the cap: some are refused, none stalls the rest.
for _ in $(seq 100); do python3 -c "
import socket, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect('$sock'); time.sleep(2)" \
	2>/dev/null & LT_PIDS+=($!); done
sleep 0.5
t0=$(lt_ms)
lt_show "$A" lag0 >/dev/null || lt_fail "show failed with 100 clients connected"
lt_log "show with 100 extra clients: $(( $(lt_ms) - t0 )) ms"
pid=$(lt_jq "$A" lag0 .controllerPid)
kill -0 "$pid" || lt_fail "controller gone"
lt_pass "with 16 stalled clients: show ${show_ms} ms (alone ${base_show}), carrier loss handled in ${cut_ms} ms (alone ${base_cut})"
