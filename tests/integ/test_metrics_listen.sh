#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# attach --metrics-listen: the LAG's controller serves GET /metrics over HTTP, the same
# Prometheus text as `lagbpf metrics LAG`, read with a real parser
# (python3-prometheus-client) and checked against show -j; other paths are 404; it binds
# only the address asked; idle and oversized clients neither block it nor the LAG; a
# second attach on the same address fails and leaves nothing behind; restart keeps it;
# set moves it, keeps it when the new address is taken, and turns it off.
#
#   ns A                                                   ns B
#   lag0 (LACP fast, 127.0.0.1:PORT) --+-- a0 ===== b0 --+-- lag0 (LACP fast, [::1]:PORT)
#                                      +-- a1 ===== b1 --+
#   lag1 (a2, same --metrics-listen: refused)
#
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init metrics_listen
/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null || lt_skip "python3-prometheus-client missing (make deps)"
LT_CLEANUP+=(lt_detach_parallel "rm -f $LT_LOG.http $LT_LOG.http6 $LT_LOG.cli")
PORT=$((20000 + RANDOM % 20000))

lt_ns A a; lt_ns B b
for i in 0 1; do lt_veth "$A" a$i "$B" b$i; done
lt_veth "$A" a2 "$B" b2
lt_attach "$A" lag0 a0 a1 --rate fast --min-links 1 --metrics-listen "127.0.0.1:$PORT" ||
	lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --rate fast --metrics-listen "[::1]:$PORT" || lt_fail "attach B"
lt_wait 15 lt_distributing "$A" lag0 2 || lt_fail "not formed"
[ "$(lt_jq "$A" lag0 .metricsListen)" = "127.0.0.1:$PORT" ] || lt_fail "metricsListen $(lt_jq "$A" lag0 .metricsListen)"

# fetch NS URL FILE: GET URL into FILE (python's urllib); prints the HTTP status
fetch() {
	lt_nsexec "$1" /usr/bin/python3 - "$2" "$3" <<'PY'
import sys, urllib.request, urllib.error
try:
    with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
        open(sys.argv[2], 'wb').write(r.read())
        print(r.status, r.headers.get('Content-Type'))
except urllib.error.HTTPError as e:
    print(e.code)
PY
}

# ---- 1. /metrics, parsed, against show -j and `lagbpf metrics` ---------------------------------
before=$(lt_show "$A" lag0)
st=$(fetch "$A" "http://127.0.0.1:$PORT/metrics" "$LT_LOG.http")
after=$(lt_show "$A" lag0)
lt_log "GET /metrics: $st"
[[ $st == "200 text/plain; version=0.0.4"* ]] || lt_fail "GET /metrics: $st"
"$LAGBPF" -n "$A" metrics lag0 >"$LT_LOG.cli" || lt_fail "lagbpf metrics lag0"
/usr/bin/python3 "$LT_ROOT/tests/lib/metrics_check.py" "$LT_LOG.http" "$before" "$after" "$LT_LOG.cli" >>"$LT_LOG" 2>&1 ||
	lt_fail "/metrics disagrees with show -j or lagbpf metrics (see log)"
st=$(fetch "$B" "http://[::1]:$PORT/metrics" "$LT_LOG.http6")
{ [[ $st == 200* ]] && grep -q '^lagbpf_lag_up{lag="lag0"' "$LT_LOG.http6"; } ||
	lt_fail "GET [::1]/metrics in B: $st"

# ---- 2. other paths and methods ------------------------------------------------------------------
for path in / /metric /metrics/x /foo; do
	st=$(fetch "$A" "http://127.0.0.1:$PORT$path" /dev/null)
	[ "$st" = 404 ] || lt_fail "GET $path: $st, wanted 404"
done
st=$(lt_nsexec "$A" curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/metrics")
[ "$st" = 405 ] || lt_fail "POST /metrics: $st, wanted 405"

# ---- 3. only what was asked ----------------------------------------------------------------------
listen=$(lt_nsexec "$A" ss -Hltn | awk '{print $4}' | sort | tr '\n' ' ')
lt_log "A listens on: $listen"
[ "$listen" = "127.0.0.1:$PORT " ] || lt_fail "A listens on '$listen', wanted only 127.0.0.1:$PORT"
st=$(lt_nsexec "$A" curl -s -o /dev/null -w '%{http_code}' "http://[::1]:$PORT/metrics")
[ "$st" = 000 ] || lt_fail "[::1]:$PORT answered in A ($st): bound more than asked"

# ---- 4. idle and oversized clients: bounded, never in the way ------------------------------------
lt_nsexec "$A" /usr/bin/python3 - "$PORT" <<'PY' >>"$LT_LOG" 2>&1 || lt_fail "bounded clients (see log)"
import socket, sys, time, urllib.request
port = int(sys.argv[1])
big = socket.create_connection(('127.0.0.1', port))
big.sendall(b'GET /metrics HTTP/1.1\r\nX: ' + b'a' * 4000 + b'\r\n\r\n')
reply = b''
big.settimeout(3)
try:
    while True:
        d = big.recv(4096)
        if not d:
            break
        reply += d
except (ConnectionResetError, socket.timeout):
    pass
print('oversized request:', reply.split(b'\r\n')[0])
assert reply.startswith(b'HTTP/1.1 431'), reply[:80]
# more idle clients than slots: the newcomers are refused, the others closed within the
# deadline (1 s), and a fetch is served again
idle = [socket.create_connection(('127.0.0.1', port)) for _ in range(8)]
t0 = time.time()
for s in idle:
    s.settimeout(3)
    assert s.recv(1) == b'', 'an idle client kept its connection'
print('idle clients closed after %.2f s' % (time.time() - t0))
with urllib.request.urlopen('http://127.0.0.1:%d/metrics' % port, timeout=3) as r:
    assert r.status == 200
# a scrape flood: served from a text made at most 10 times a second
t0 = time.time()
for _ in range(200):
    with urllib.request.urlopen('http://127.0.0.1:%d/metrics' % port, timeout=3) as r:
        assert r.status == 200 and r.read().startswith(b'# HELP')
print('200 fetches in %.2f s' % (time.time() - t0))
PY
lt_distributing "$A" lag0 2 || lt_fail "the LAG stopped distributing"

# ---- 5. a second attach on the same address: a clear error, nothing left -------------------------
snap=$(lt_link_snap "$A" a2)
LT_LAGS+=("$A lag1")
out=$("$LAGBPF" -n "$A" attach lag1 a2 --metrics-listen "127.0.0.1:$PORT" 2>&1) &&
	lt_fail "a second attach on 127.0.0.1:$PORT succeeded"
lt_log "second attach: $out"
grep -q "metrics-listen 127.0.0.1:$PORT: address in use" <<<"$out" || lt_fail "unclear error: $out"
# (lt_no_leftovers looks at the whole namespace, where lag0 runs)
[ ! -e "/sys/fs/bpf/lagbpf/netns/$A/lag1" ] || lt_fail "lag1's pins left behind"
[ ! -e "/run/lagbpf/netns/$A/lag1.sock" ] || lt_fail "lag1's control socket left behind"
! ip -n "$A" link show lag1 >/dev/null 2>&1 || lt_fail "lag1's device left behind"
! ip -n "$A" -d link show a2 | grep -q 'prog/xdp' || lt_fail "XDP left on a2"
! tc -n "$A" filter show dev a2 ingress | grep -q lag_ || lt_fail "TC left on a2"
! pgrep -f -- "${LAGBPF##*/} -n $A attach lag1( |\$)" >/dev/null || lt_fail "lag1's controller left"
[ "$(lt_link_snap "$A" a2)" = "$snap" ] || lt_fail "a2 not restored: $snap -> $(lt_link_snap "$A" a2)"
st=$(fetch "$A" "http://127.0.0.1:$PORT/metrics" /dev/null)
[[ $st == 200* ]] || lt_fail "lag0's /metrics after the refused attach: $st"

# ---- 6. restart keeps the listener (running configuration) ---------------------------------------
lt_run "$LAGBPF" -n "$A" restart lag0 || lt_fail "restart"
# shellcheck disable=SC2317 # run through lt_wait
served() { [[ $(fetch "$A" "http://127.0.0.1:$PORT/metrics" /dev/null) == 200* ]]; }
lt_wait 5 served || lt_fail "no /metrics after restart"
# ---- 7. set --metrics-listen: moves it, keeps it when the new address is taken, turns it off --
P2=$((PORT + 1))
lt_run "$LAGBPF" -n "$A" set lag0 --metrics-listen "127.0.0.1:$P2" || lt_fail "set --metrics-listen :$P2"
st=$(fetch "$A" "http://127.0.0.1:$P2/metrics" /dev/null)
[[ $st == 200* ]] || lt_fail "GET :$P2/metrics after set: $st"
st=$(lt_nsexec "$A" curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/metrics")
[ "$st" = 000 ] || lt_fail "the old address still answers after set ($st)"
lt_bg "$A" /usr/bin/python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $PORT)); s.listen(); print('squatter up', flush=True)
time.sleep(60)"
lt_wait 5 grep -q "squatter up" "$LT_LOG" || lt_fail "squatter"
out=$("$LAGBPF" -n "$A" set lag0 --metrics-listen "127.0.0.1:$PORT" 2>&1) &&
	lt_fail "set to an address in use succeeded"
lt_log "set to a taken address: $out"
grep -q "address in use" <<<"$out" || lt_fail "unclear error: $out"
st=$(fetch "$A" "http://127.0.0.1:$P2/metrics" /dev/null)
[[ $st == 200* ]] || lt_fail "the refused set lost :$P2 ($st)"
[ "$(lt_jq "$A" lag0 .lagState)" = available ] || lt_fail "lag0 not available"
lt_run "$LAGBPF" -n "$A" set lag0 --metrics-listen off || lt_fail "set --metrics-listen off"
st=$(lt_nsexec "$A" curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P2/metrics")
[ "$st" = 000 ] || lt_fail ":$P2 still answers after off ($st)"
[ "$(lt_jq "$A" lag0 .metricsListen)" = null ] || lt_fail "metricsListen $(lt_jq "$A" lag0 .metricsListen) after off"
lt_pass "$(grep -o 'checked [0-9]* member counters, [0-9]* series' "$LT_LOG")"
