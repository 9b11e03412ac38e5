#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# lagbpf metrics prints the Prometheus text exposition format: a real parser
# (python3-prometheus-client) reads it, and its numbers agree with show -j:
# LAG up, members, distributing, min-links, and every member counter.
#
#   ns A                                  ns B
#   lag0 (LACP fast) --+-- a0 ===== b0 --+-- lag0 (LACP fast)
#                      +-- a1 ===== b1 --+
#
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init metrics
/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null || lt_skip "python3-prometheus-client missing (make deps)"

lt_ns A a; lt_ns B b
for i in 0 1; do lt_veth "$A" a$i "$B" b$i; done
lt_attach "$A" lag0 a0 a1 --rate fast --min-links 1 || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --rate fast || lt_fail "attach B"
lt_wait 15 lt_distributing "$A" lag0 2 || lt_fail "not formed"
before=$(lt_show "$A" lag0)
"$LAGBPF" -n "$A" metrics >"$LT_LOG.prom" || lt_fail "metrics failed"
after=$(lt_show "$A" lag0)
cat "$LT_LOG.prom" >>"$LT_LOG"
/usr/bin/python3 "$LT_ROOT/tests/lib/metrics_check.py" "$LT_LOG.prom" "$before" "$after" >>"$LT_LOG" 2>&1 ||
	lt_fail "metrics disagree with show -j (see log)"
"$LAGBPF" -n "$A" metrics lag0 | grep -q '^lagbpf_lag_up{lag="lag0"' || lt_fail "metrics lag0"
out=$("$LAGBPF" -n "$A" metrics nolag 2>&1) && lt_fail "metrics of a missing LAG succeeded"
lt_pass "$(grep -o 'checked [0-9]* member counters' "$LT_LOG")"
