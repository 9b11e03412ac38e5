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
/usr/bin/python3 - "$LT_LOG.prom" "$before" "$after" <<'PY' >>"$LT_LOG" 2>&1 || lt_fail "metrics disagree with show -j (see log)"
import json, re, sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
before, after = json.loads(sys.argv[2]), json.loads(sys.argv[3])
samples = {}
for fam in text_string_to_metric_families(text):
    assert fam.documentation, fam.name
    for s in fam.samples:
        samples[(s.name, s.labels.get('member', ''))] = s.value
def want(name, member, lo, hi=None):
    v = samples[(name, member)]
    hi = lo if hi is None else hi
    assert lo <= v <= hi, (name, member, v, lo, hi)
want('lagbpf_lag_up', '', 1)
want('lagbpf_controller_up', '', 1)
want('lagbpf_lag_members', '', 2)
want('lagbpf_lag_members_distributing', '', 2)
want('lagbpf_lag_min_links', '', 1)
n = 0
for cb, ca in zip(before['connections'], after['connections']):
    m = cb['connectionName']
    want('lagbpf_member_distributing', m, 1)
    want('lagbpf_member_lacp_synchronized', m, 1)
    for k in cb['counters']:
        snake = re.sub(r'([A-Z])', lambda x: '_' + x.group(1).lower(), k)
        # prometheus_client reports counters without _total in the family, with it in samples
        want('lagbpf_member_%s_total' % snake, m, cb['counters'][k], ca['counters'][k])
        n += 1
print('checked', n, 'member counters')
PY
"$LAGBPF" -n "$A" metrics lag0 | grep -q '^lagbpf_lag_up{lag="lag0"' || lt_fail "metrics lag0"
out=$("$LAGBPF" -n "$A" metrics nolag 2>&1) && lt_fail "metrics of a missing LAG succeeded"
lt_pass "$(grep -o 'checked [0-9]* member counters' "$LT_LOG")"
