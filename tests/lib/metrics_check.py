# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Checks Prometheus text from lagbpf against show -j, for tests:
metrics_check.py TEXT_FILE BEFORE_JSON AFTER_JSON [SAME_AS_FILE]
TEXT_FILE is parsed with prometheus_client (a real exposition-format parser);
every family must have HELP; the LAG gauges must say a formed 2-member LAG
with min-links 1; every member counter of show -j must appear as
lagbpf_member_<snake>_total with a value between the two show -j documents
taken before and after. With SAME_AS_FILE, both texts must carry the same
series. Prints what it checked; fails with an AssertionError.
"""
import json
import re
import sys

from prometheus_client.parser import text_string_to_metric_families


def parse(path):
    samples = {}
    with open(path) as f:
        for fam in text_string_to_metric_families(f.read()):
            assert fam.documentation, fam.name
            for s in fam.samples:
                samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def main(argv):
    text = parse(argv[1])
    before, after = json.loads(argv[2]), json.loads(argv[3])
    if len(argv) > 4:
        other = parse(argv[4])
        assert set(text) == set(other), set(text) ^ set(other)
    samples = {(n, dict(l).get("member", "")): v for (n, l), v in text.items()}

    def want(name, member, lo, hi=None):
        v = samples[(name, member)]
        hi = lo if hi is None else hi
        assert lo <= v <= hi, (name, member, v, lo, hi)

    want("lagbpf_lag_up", "", 1)
    want("lagbpf_controller_up", "", 1)
    want("lagbpf_lag_members", "", 2)
    want("lagbpf_lag_members_distributing", "", 2)
    want("lagbpf_lag_min_links", "", 1)
    n = 0
    for cb, ca in zip(before["connections"], after["connections"]):
        m = cb["connectionName"]
        want("lagbpf_member_distributing", m, 1)
        want("lagbpf_member_lacp_synchronized", m, 1)
        for k in cb["counters"]:
            snake = re.sub(r"([A-Z])", lambda x: "_" + x.group(1).lower(), k)
            # prometheus_client names the family without _total, the sample with it
            want("lagbpf_member_%s_total" % snake, m, cb["counters"][k], ca["counters"][k])
            n += 1
    print("checked", n, "member counters,", len(text), "series")


if __name__ == "__main__":
    main(sys.argv)
