#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Turn tools/bench.sh's raw measurements into results.json, gnuplot data
files and a table on stdout. Standard library only. Computes medians and
paired ratios; compares with the targets; judges nothing else.
usage: report.py RAW_DIR OUT_DIR
"""
import calendar
import json
import os
import re
import statistics
import sys
import time

RAW, OUT = sys.argv[1], sys.argv[2]


def rows(name):
    p = os.path.join(RAW, name)
    if not os.path.exists(p):
        return []
    with open(p) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def ints(name):
    return [int(r[0]) for r in rows(name) if r and r[0].isdigit()]


def med(v):
    return statistics.median(v) if v else None


def pct(v, p):
    """Nearest-rank percentile."""
    if not v:
        return None
    s = sorted(v)
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


def r3(x, n=3):
    return None if x is None else round(x, n)


LOG_RE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{6})Z \w+: (.*)$")


def read_log(name):
    """Controller log -> [(ns, text)]."""
    out = []
    p = os.path.join(RAW, name)
    if not os.path.exists(p):
        return out
    with open(p) as f:
        for line in f:
            m = LOG_RE.match(line.rstrip("\n"))
            if m:
                sec = calendar.timegm(time.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S"))
                out.append((sec * 10**9 + int(m.group(2)) * 1000, m.group(3)))
    return out


res = {"machine": {k: v for k, v, *_ in rows("machine.tsv")}}
table = []  # (section, metric, value, target, verdict)


def target(ok):
    return "" if ok is None else ("met" if ok else "MISSED")


# ---- 1. cost ----
cost = {}
byn = {}  # (prog, frame, members) -> {round: (ns, empty_ns)}
for r in rows("cost.tsv")[1:]:
    if len(r) == 6:  # before member counts: 2 members
        r = r[:2] + ["2"] + r[2:]
    prog, frame, nm, rnd, ns, ens, ret = r
    byn.setdefault((prog, frame, int(nm)), {})[int(rnd)] = (int(ns), int(ens))
    if nm != "2":
        continue
    c = cost.setdefault(prog, {}).setdefault(frame, {"ns": [], "empty": [], "over": [], "ret": ret})
    c["ns"].append(int(ns))
    c["empty"].append(int(ens))
    c["over"].append(int(ns) - int(ens))
res["cost"] = {
    p: {f: {"ns_per_packet": med(c["ns"]), "empty_ns": med(c["empty"]),
            "ns_over_empty": med(c["over"]), "retval": int(c["ret"]), "rounds": len(c["ns"])}
        for f, c in fs.items()}
    for p, fs in cost.items()}
frames = ["ipv4_udp", "ipv6_tcp", "vlan_ipv4_udp", "arp", "ipv4_frag", "lacpdu"]
if cost:
    with open(os.path.join(OUT, "cost.dat"), "w") as f:
        f.write("# frame lag_tx lag_rx lag_xdp\n")
        for fr in frames:
            f.write(fr + " " + " ".join(str(res["cost"][p][fr]["ns_over_empty"])
                                        for p in ("lag_tx", "lag_rx", "lag_xdp")) + "\n")

# Cost against member count: cost at N / cost at 2, per round (the same
# round visits every N), median and range; flat within 10 % is the target.
COST_NS = sorted({k[2] for k in byn if k[0] != "lag_tx_nohb"})
res["cost_scale"] = {"members": COST_NS, "progs": {}}
for prog in ("lag_tx", "lag_rx", "lag_xdp"):
    for fr in frames:
        base = byn.get((prog, fr, 2), {})
        if not base:
            continue
        e = {}
        for n in COST_NS:
            v = byn.get((prog, fr, n), {})
            rs = [v[k][0] / base[k][0] for k in v if k in base and base[k][0] > 0]
            ro = [(v[k][0] - v[k][1]) / (base[k][0] - base[k][1]) for k in v
                  if k in base and base[k][0] - base[k][1] > 0]
            e[str(n)] = {"ns_per_packet": med([x[0] for x in v.values()]),
                         "ns_over_empty": med([x[0] - x[1] for x in v.values()]),
                         "ratio_to_2_median": r3(med(rs)), "ratio_to_2_min": r3(min(rs, default=None)),
                         "ratio_to_2_max": r3(max(rs, default=None)),
                         "over_empty_ratio_to_2_median": r3(med(ro))}
        res["cost_scale"]["progs"].setdefault(prog, {})[fr] = e


def worst_ratio(data_only):
    return max((e[str(n)]["ratio_to_2_median"] for p_ in res["cost_scale"]["progs"].values()
                for fr, e in p_.items() for n in COST_NS
                if not (data_only and fr == "lacpdu") and e.get(str(n), {}).get("ratio_to_2_median") is not None),
               default=None)


# the dead-man check: lag_tx with a live heartbeat minus lag_tx with none
# (the same LAG, the same round, run right after)
first_n = min(COST_NS) if COST_NS else None
dm = {}
for fr in frames:
    live, off = byn.get(("lag_tx", fr, first_n), {}), byn.get(("lag_tx_nohb", fr, first_n), {})
    d = [live[k][0] - off[k][0] for k in live if k in off]
    if d:
        dm[fr] = {"ns_median": med(d), "ns_min": min(d), "ns_max": max(d),
                  "without_heartbeat_ns": med([x[0] for x in off.values()])}
if dm:
    res["cost_scale"]["deadman_check_ns_in_lag_tx"] = dm

# the target is on data frames; LACPDUs (policed after a burst of 100 in a
# test run's loop) are shown apart
res["cost_scale"]["worst_ratio_to_2_data_frames"] = worst_ratio(True)
res["cost_scale"]["worst_ratio_to_2_all_frames"] = worst_ratio(False)
res["cost_scale"]["target_flat_within_10pct"] = (None if len(COST_NS) < 2 or worst_ratio(True) is None
                                                 else worst_ratio(True) <= 1.10)

# ---- 2. throughput ----
LAGS = ("lag2", "lag4", "lag2n", "lag4n")  # LAG to LAG
HOPS = ("egr", "ingr")                    # one hop alone: where the cost is
TXDEV = ("lag2d",)                        # lag2 with --tx-path device (the LAG's TX counted)
tput = {}
cpu = {}  # CPU seconds (iperf3 client + server, softirq work in their context) per GB received
for r in rows("tput.tsv")[1:]:
    cfg, test, d, rnd, byts, secs, bps = r[:7]
    v = float(byts) / 18 / float(secs) if test.startswith("udp64") else float(bps) / 1e9
    tput.setdefault((test, d), {}).setdefault(cfg, {})[int(rnd)] = v
    if len(r) >= 9 and float(byts) > 0:
        cpu_s = (float(r[7]) + float(r[8])) / 100 * float(secs)
        cpu.setdefault((test, d), {}).setdefault(cfg, {})[int(rnd)] = cpu_s / (float(byts) / 1e9)
res["throughput"] = {"unit": {"tcp1": "Gbit/s", "tcp8": "Gbit/s", "tcp1bbr": "Gbit/s", "udp64": "packets/s received",
                                "udp64x16": "packets/s received"},
                     "setup": {k: v for k, v, *_ in rows("tput-setup.tsv")}, "tests": []}
TEST_ORDER = ["tcp1", "tcp8", "tcp1bbr", "udp64", "udp64x16"]
ratio_dat = []
for (test, d), byc in sorted(tput.items(), key=lambda x: (TEST_ORDER.index(x[0][0]) if x[0][0] in TEST_ORDER else 9,
                                                          x[0][1])):
    plain = byc.get("plain", {})
    e = {"test": test, "dir": d, "plain": med(list(plain.values()))}
    for cfg in LAGS + HOPS + TXDEV:
        vals = byc.get(cfg, {})
        ratios = [vals[k] / plain[k] for k in vals if k in plain and plain[k] > 0]
        tgt = 0.97 if test.startswith("tcp") else 0.90  # issue 15
        e[cfg] = {"median": med(list(vals.values())), "ratio_median": r3(med(ratios)),
                  "ratios": [r3(x) for x in ratios], "range": [r3(min(ratios)), r3(max(ratios))] if ratios else None,
                  "target": tgt if cfg in LAGS else None,
                  "met": None if not ratios or cfg not in LAGS else med(ratios) >= tgt}
    # TCP on veth is often not CPU-bound (pacing, wakeups): CPU per byte
    # shows the data path's cost where the rate alone cannot.
    pc = cpu.get((test, d), {}).get("plain", {})
    for cfg in LAGS + HOPS + TXDEV:
        cv = cpu.get((test, d), {}).get(cfg, {})
        cr = [cv[k] / pc[k] for k in cv if k in pc and pc[k] > 0]
        e[cfg]["cpu_per_gb_ratio_median"] = r3(med(cr))
    e["plain_cpu_s_per_gb"] = r3(med(list(pc.values())))
    res["throughput"]["tests"].append(e)
    ratio_dat.append(("%s-%s" % (test, d), [e[c]["ratio_median"] for c in LAGS + HOPS]))
if ratio_dat:
    with open(os.path.join(OUT, "tput.dat"), "w") as f:
        f.write("# test lag2_skb lag4_skb lag2_native lag4_native egress_hop ingress_hop\n")
        for name, v in ratio_dat:
            f.write(name + " " + " ".join("NaN" if x is None else str(x) for x in v) + "\n")
# BPF stats during one more UDP run: ns per run in real traffic, and the
# share of the run's time: the sending CPU is busy all along (one flow, and
# veth receives on the sender's CPU), so this is the share of its work.
ps = {}
for r in rows("tput-progstats.tsv")[1:]:
    cfg, prog, ns, runs, pps, secs = r[0], r[1], int(r[2]), int(r[3]), float(r[4]), float(r[5])
    if runs > 0 and secs > 0:
        ps.setdefault(cfg, {})[prog] = {"ns_per_run": r3(ns / runs, 1), "runs": runs, "pps": round(pps),
                                        "share_of_cpu": r3(ns / (secs * 1e9), 4)}
res["throughput"]["prog_cost_in_traffic_udp64"] = ps

# ---- 3. failover ----
res["failover"] = {"setup": [r for r in rows("failover-setup.tsv")]}
fo_dat = {}
for v in ("distinct", "equal"):
    cuts = [int(r[0]) for r in rows("failover-%s-cuts.txt" % v) if r and r[0].isdigit()]
    ups = [int(r[0]) for r in rows("failover-%s-ups.txt" % v) if r and r[0].isdigit()]
    if not cuts:
        continue
    log = read_log("failover-%s-ctl.log" % v)
    member = v[0] + "a1"
    gaps = []
    for r in rows("failover-%s-recv.txt" % v):
        parts = r[0].split()
        if parts[0] == "gap":
            _, _, lost, first, _, period = parts
            gaps.append((int(first), int(lost) * int(period)))
    detect, switch, after, loss, rloss, how = [], [], [], [], [], {}
    for i, t in enumerate(cuts):
        nxt = cuts[i + 1] if i + 1 < len(cuts) else t + 10**10
        down = next(((ts, txt) for ts, txt in log if t - 1000 <= ts < nxt and
                     re.search(member + r": carrier down \((rtnetlink|poll)\)$", txt)), None)
        if not down:
            continue
        sw = next((ts for ts, txt in log if ts >= down[0] and ts < nxt and
                   ("carrier lost: loss table" in txt or "table switched" in txt)), None)
        src = down[1].rsplit("(", 1)[1].rstrip(")")
        how[src] = how.get(src, 0) + 1
        detect.append((down[0] - t) / 1e6)
        if sw is not None:
            switch.append((sw - t) / 1e6)
            after.append((sw - down[0]) / 1e6)
        up = ups[i] if i < len(ups) else nxt
        w = [ns for first, ns in gaps if t - 5 * 10**6 <= first < up - 5 * 10**6]
        loss.append(max(w) / 1e6 if w else 0.0)
        if i < len(ups):
            w = [ns for first, ns in gaps if up - 5 * 10**6 <= first < nxt - 5 * 10**6]
            rloss.append(max(w) / 1e6 if w else 0.0)

    def st(x):
        return {"median": r3(med(x)), "p99": r3(pct(x, 99)), "max": r3(max(x) if x else None),
                "n": len(x)}
    res["failover"][v] = {"trials": len(cuts), "carrier_reported_by": how,
                          "cut_to_kernel_report_ms": st(detect), "cut_to_table_switched_ms": st(switch),
                          "report_to_table_switched_ms": st(after), "loss_window_ms": st(loss),
                          "restore_loss_window_ms": st(rloss),
                          "targets": {"report_to_switch_p99_lt_1ms": (pct(after, 99) or 1e9) < 1.0,
                                      "cut_to_switch_p99_lt_20ms": (pct(switch, 99) or 1e9) < 20.0,
                                      "loss_window_p99_lt_20ms": (pct(loss, 99) or 1e9) < 20.0}}
    fo_dat[v] = (sorted(switch), sorted(loss))
if fo_dat:
    with open(os.path.join(OUT, "failover.dat"), "w") as f:
        f.write("# fraction switch_distinct_ms loss_distinct_ms switch_equal_ms loss_equal_ms\n")
        n = max(len(x) for s, l in fo_dat.values() for x in (s, l))
        for i in range(n):
            cols = [str((i + 1) / n)]
            for v in ("distinct", "equal"):
                s, l = fo_dat.get(v, ([], []))
                cols.append(str(s[i]) if i < len(s) else "NaN")
                cols.append(str(l[i]) if i < len(l) else "NaN")
            f.write(" ".join(cols) + "\n")

# ---- 4. LACP ----
DIST = re.compile(r"^\S+ (\S+): collecting, distributing$")


def first_dist(log, t, members):
    got = {}
    for ts, txt in log:
        m = DIST.match(txt)
        if ts >= t and m and m.group(1) in members and m.group(1) not in got:
            got[m.group(1)] = ts
    return got if len(got) == len(members) else None


att = []
for i, r in enumerate(rows("lacp-attach.tsv")):
    t0, t1 = int(r[0]), int(r[1])
    aw = int(r[2]) if len(r) > 2 else 2000
    a = first_dist(read_log("lacp-attach-%d-a.log" % i), t0, {"l1", "l2"})
    b = first_dist(read_log("lacp-attach-%d-b.log" % i), t0, {"m1", "m2"})
    if a and b:
        att.append({"aw": aw, "from_first_attach_ms": (max(list(a.values()) + list(b.values())) - t0) / 1e6,
                    "from_second_attach_ms": (max(list(a.values()) + list(b.values())) - t1) / 1e6})
rest = []
la, lb = read_log("lacp-restore-a.log"), read_log("lacp-restore-b.log")
for r in rows("lacp-restore.tsv"):
    t0 = int(r[0])
    a, b = first_dist(la, t0, {"l1"}), first_dist(lb, t0, {"m1"})
    if a and b:
        rest.append((max(a["l1"], b["m1"]) - t0) / 1e6)
AWS = sorted({x["aw"] for x in att}, reverse=True)


def att_stats(aw):
    x2 = [x["from_second_attach_ms"] for x in att if x["aw"] == aw]
    x1 = [x["from_first_attach_ms"] for x in att if x["aw"] == aw]
    return {"from_second_attach": {"median": r3(med(x2)), "max": r3(max(x2, default=None))},
            "from_first_attach": {"median": r3(med(x1))}, "n": len(x2)}


res["lacp"] = {
    "attach_to_distributing_ms": att_stats(2000) if 2000 in AWS or not AWS else att_stats(AWS[0]),
    "attach_to_distributing_ms_by_aggregate_wait": {str(aw): att_stats(aw) for aw in AWS},
    "restored_member_to_distributing_ms": {"median": r3(med(rest)), "max": r3(max(rest, default=None)),
                                           "n": len(rest)},
    "restore_aggregate_wait_ms": (ints("lacp-restore-aw.txt") or [2000])[0],
    "standard_floor_ms": 2000,
    "note": "802.1AX Aggregate_Wait_Time (2 s) holds a newly selected port in WAITING before attach"}

# ---- 5. hash ----
hs = {}
for r in rows("hash.tsv")[1:]:
    hs.setdefault((r[0], int(r[2])), []).append(float(r[3]))
HASH_NS = sorted({n for k, n in hs if k == "balance"})
res["hash"] = {"flows": 10000, "seeds": len(hs.get(("balance", 2), [])),
               "balance_max_over_min": {str(n): {"median": r3(med(hs.get(("balance", n), []))),
                                                 "worst": r3(max(hs.get(("balance", n), []), default=None)),
                                                 "ideal_hash_median": r3(med(hs.get(("balance_ideal", n), []))),
                                                 "target_le_1_10": max(hs.get(("balance", n), [9])) <= 1.10,
                                                 "rebalanced_median": r3(med(hs.get(("balance_rebalanced", n), []))),
                                                 "rebalanced_worst": r3(max(hs.get(("balance_rebalanced", n), []),
                                                                        default=None)),
                                                 "rebalanced_buckets_moved_max":
                                                     max(hs.get(("rebalance_moved", n), []), default=None),
                                                 "rebalanced_target_le_1_10":
                                                     max(hs.get(("balance_rebalanced", n), [9])) <= 1.10}
                                        for n in HASH_NS},
               "note": "ideal_hash: the same flows, each on a uniformly random member: what chance alone "
                       "gives at 10,000 flows (about 10000/N per member); rebalanced: after one pass of "
                       "--rebalance weighing each bucket by its flows"}
for k in ("failed_share", "moved_on_fail", "moved_on_return", "return_differs_from_original",
          "modulo_moved_on_fail"):
    v = hs.get((k, 4), [])
    res["hash"][k] = {"median": r3(med(v), 4), "min": r3(min(v, default=None), 4),
                      "max": r3(max(v, default=None), 4)}
if hs:
    mf = hs.get(("moved_on_fail", 4), [])
    res["hash"]["target_moved_on_fail_25pct_pm2"] = all(0.23 <= x <= 0.27 for x in mf)

# ---- 6. footprint ----
ft = rows("foot.tsv")
if ft:
    _, secs, hz, s0, s1 = ft[0]
    t0, rss0, hwm0 = map(int, s0.split())
    t1, rss1, hwm1 = map(int, s1.split())
    cpu = (t1 - t0) / int(hz) / int(secs) * 100
    res["footprint"] = {"members": 8, "rate": "fast", "seconds": int(secs),
                        "cpu_pct_of_core": r3(cpu), "rss_kib": rss1, "rss_peak_kib": hwm1,
                        "targets": {"rss_lt_10MiB": rss1 < 10240, "cpu_lt_1pct": cpu < 1.0}}
fl = rows("flood.tsv")[1:]
if fl:
    res["flood"] = []
    for r in fl:
        rate, sent, secs, da, db, l0, l1, srx, drops, tr, k0, k1, hz = r
        res["flood"].append({"rate_requested_pps": int(rate) or "max", "sent": int(sent),
                             "sent_pps": round(int(sent) / int(secs)),
                             "slow_rx_at_member": int(srx), "slow_dropped": int(drops),
                             "partner_lacpdus_received": int(l1 or 0) - int(l0 or 0),
                             "distributing_after_a": int(da), "distributing_after_b": int(db),
                             "lacp_losses": int(tr),
                             "controller_cpu_pct": r3((int(k1) - int(k0)) / int(hz) / int(secs) * 100)})
    kept = [f["sent_pps"] for f in res["flood"] if f["lacp_losses"] == 0 and
            f["distributing_after_a"] == 8 and f["distributing_after_b"] == 8]
    res["flood_max_sustained_pps"] = max(kept, default=0)
# ---- 7. scale: failover and convergence against member count ----


def stat_ms(x):
    return {"median": r3(med(x)), "max": r3(max(x, default=None)), "n": len(x)}


def first_after(log, t, pattern, end=None):
    """First line at or after t (and before end) matching pattern; None if the
    controller's log rate limit dropped it."""
    return next((ts for ts, txt in log if ts >= t and (end is None or ts < end) and re.search(pattern, txt)),
                None)


scale = {}
for r in rows("scale-attach.tsv"):
    mode, n, aw, t0, t1, t2 = r[0], int(r[1]), r[2], int(r[3]), int(r[4]), int(r[5])
    cfg = mode if mode == "static" else "lacp_fast_aw%s" % (aw or "2000(default)")
    tag = "%s-%d%s" % (mode, n, "-aw" + aw if aw else "")
    la, lb = read_log("scale-%s-a.log" % tag), read_log("scale-%s-b.log" % tag)
    # both ends' live tables at n members (lagwait: 0.5 ms polls)
    conv = (int(r[6]) - t1) / 1e6 if len(r) >= 8 else None
    step = int(r[7]) / 1e6 if len(r) >= 8 else None
    cuts, ups = ints("scale-%s-cuts.txt" % tag), ints("scale-%s-ups.txt" % tag)
    detect, switch, restore = [], [], []
    for i, t in enumerate(cuts):
        nxt = cuts[i + 1] if i + 1 < len(cuts) else None
        up = ups[i] if i < len(ups) else nxt
        down = first_after(la, t - 1000, r" sa1: carrier down", up)
        if down is None:
            continue
        detect.append((down - t) / 1e6)
        sw = first_after(la, down, r"sa1: carrier lost: loss table|: table switched", up)
        if sw is not None:
            switch.append((sw - t) / 1e6)
        if i < len(ups):
            u = ups[i]
            da = first_after(la, u, r" sa1: collecting, distributing$", nxt)
            db = first_after(lb, u, r" sb1: collecting, distributing$", nxt)
            if da is not None and db is not None:
                restore.append((max(da, db) - u) / 1e6)
    scale.setdefault(cfg, {})[str(n)] = {
        "attach_command_ms": r3((t1 - t0) / 1e6, 1), "second_attach_to_all_distributing_ms": r3(conv, 1), "convergence_poll_step_ms": r3(step),
        "second_attach_command_ms": r3((t2 - t1) / 1e6, 1),
        "second_attach_returned_to_all_distributing_ms": r3(None if conv is None else conv - (t2 - t1) / 1e6, 1),
        "cut_to_kernel_report_ms": stat_ms(detect), "cut_to_table_switched_ms": stat_ms(switch),
        "member_restored_to_distributing_both_ends_ms": stat_ms(restore)}
for cfg, byn_ in scale.items():
    ns_ = sorted(byn_, key=int)
    base = byn_.get("2")
    if not base:
        continue
    for n in ns_:
        e = byn_[n]
        for k, v in (("convergence", "second_attach_to_all_distributing_ms"),
                     ("failover", "cut_to_table_switched_ms")):
            x, b0 = e[v], base[v]
            x = x["median"] if isinstance(x, dict) else x
            b0 = b0["median"] if isinstance(b0, dict) else b0
            e["%s_ratio_to_2" % k] = r3(x / b0) if x is not None and b0 else None
if scale:
    res["scale"] = scale

# scale.dat: everything against member count, for scale.gp (NaN where a
# part did not run or a count was not measured)
SC_CFGS = ("static", "lacp_fast_aw0", "lacp_fast_aw2000(default)")
sc_ns = sorted({int(n) for c in scale.values() for n in c} | set(res["cost_scale"]["members"]))
if len(sc_ns) > 1:
    def fmt(x):
        return "NaN" if x is None else str(x)

    with open(os.path.join(OUT, "scale.dat"), "w") as f:
        f.write("# members tx_ns rx_ns xdp_ns (ipv4_udp) | converge_ms static aw0 aw2000 |"
                " cut_to_switched_ms static aw0 aw2000\n")
        for n in sc_ns:
            cols = [str(n)]
            for prog in ("lag_tx", "lag_rx", "lag_xdp"):
                e = res["cost_scale"]["progs"].get(prog, {}).get("ipv4_udp", {}).get(str(n))
                cols.append(fmt(e and e["ns_per_packet"]))
            for c in SC_CFGS:
                e = scale.get(c, {}).get(str(n))
                cols.append(fmt(e and e["second_attach_to_all_distributing_ms"]))
            for c in SC_CFGS:
                e = scale.get(c, {}).get(str(n))
                cols.append(fmt(e and e["cut_to_table_switched_ms"]["median"]))
            f.write(" ".join(cols) + "\n")

# ---- 8. controller CPU and RSS against members; many LAGs ----
ctl = []
for r in rows("ctl.tsv")[1:]:
    what, n, lags, secs, hz, k0, rss0, pss0, k1, rss1, pss1, nctl, ok, sent = r
    cpu_ = (int(k1) - int(k0)) / int(hz) / int(secs) * 100
    e = {"what": what, "members_per_lag": int(n), "lags": int(lags), "controllers": int(nctl),
         "seconds": int(secs), "cpu_pct_of_core_total": r3(cpu_), "rss_mib_total": r3(int(rss1) / 1024, 2),
         "pss_mib_total": r3(int(pss1) / 1024, 2)}
    if what in ("members", "members_polled"):
        e["carrier_poll_10ms"] = what == "members_polled"
        e["targets"] = {"cpu_le_0_5pct": cpu_ <= 0.5, "rss_le_8MiB": int(rss1) <= 8192} if n == "8" else {}
    else:
        e["lags_carrying_traffic"] = int(ok)
        e["lags_ping"] = [{"lag": x[2], "replies": int(x[3]), "sent": int(x[4])} for x in rows("ctl-lags.tsv")]
        e["cpu_pct_per_controller"] = r3(cpu_ / max(1, int(nctl)))
        e["rss_mib_per_controller"] = r3(int(rss1) / 1024 / max(1, int(nctl)), 2)
    ctl.append(e)
if ctl:
    res["controller_scale"] = ctl

# ---- 9. restart and crash re-adopt ----
rs = rows("restart.tsv")[1:]
if rs:
    iv = ints("restart-interval.txt")
    period_us = iv[0] if iv else 1000
    res["restart"] = {"udp_interval_us": period_us}
    for mode in ("static", "lacp"):
        gaps = []
        for r in rows("restart-%s-recv.txt" % mode):
            parts = r[0].split()
            if parts and parts[0] == "gap":
                gaps.append((int(parts[3]), int(parts[2])))
        la = read_log("restart-%s-a.log" % mode)
        for kind in ("restart", "readopt"):
            tr = [x for x in rs if x[0] == mode and x[1] == kind]
            if not tr:
                continue
            lost, cmd, adopt, partner, ok = [], [], [], [], 0
            for x in tr:
                t0, t1 = int(x[2]), int(x[3])
                # datagrams whose loss began within 3 s of the event
                lost.append(sum(n for first, n in gaps if t0 - 5 * 10**6 <= first < t0 + 3 * 10**9))
                cmd.append((t1 - t0) / 1e6)
                ad = first_after(la, t0, r": adopted live table")
                if ad is not None:
                    adopt.append((ad - t0) / 1e6)
                partner.append(int(x[7]))
                ok += x[4] == "0" and x[5] != x[6] and x[8] == "2"
            window = 3.0 * 10**6 / period_us
            res["restart"]["%s_%s" % (mode, kind)] = {
                "trials": len(tr), "succeeded": ok,
                "lost_datagrams": {"median": med(lost), "max": max(lost), "per_trial": lost},
                "lost_pct_of_3s_window_max": r3(100 * max(lost) / window, 3),
                "command_ms": stat_ms(cmd), "event_to_adopted_live_table_ms": stat_ms(adopt),
                "partner_left_distributing": sum(partner)}

res["runtime_s"] = {r[0]: round(int(r[1]) / 1000, 1) for r in rows("runtime.tsv")}

with open(os.path.join(OUT, "results.json"), "w") as f:
    json.dump(res, f, indent=1)

# ---- table ----
P = print
m = res["machine"]
P("lagbpf bench  %s  (%s, %s CPUs, kernel %s)" % (m.get("date"), m.get("cpu"), m.get("cpus"), m.get("kernel")))
P("knobs: %s   load at start: %s" % (m.get("knobs"), m.get("loadavg")))
if "cost" in res and res["cost"]:
    P("\n1. per-packet cost, BPF_PROG_TEST_RUN (ns/packet, median; + over an empty program of the same type)")
    P("   %-14s %14s %14s %14s" % ("frame", "lag_tx (TC)", "lag_rx (TC)", "lag_xdp (XDP)"))
    for fr in frames:
        P("   %-14s" % fr + "".join("%14s" % ("%d (+%d)" % (res["cost"][p][fr]["ns_per_packet"],
                                                        res["cost"][p][fr]["ns_over_empty"]))
                                   for p in ("lag_tx", "lag_rx", "lag_xdp")))
cs = res["cost_scale"]
if len(cs["members"]) > 1:
    P("   against member count (ns/packet median, and cost at N / cost at 2: median of per-round ratios [range]):")
    for prog, fs in cs["progs"].items():
        for fr in ("ipv4_udp", "lacpdu"):
            e = fs.get(fr)
            if not e:
                continue
            P("   %-8s %-9s" % (prog, fr) + "".join(
                "  %s: %s ns %s [%s-%s]" % (n, e[str(n)]["ns_per_packet"], e[str(n)]["ratio_to_2_median"],
                                            e[str(n)]["ratio_to_2_min"], e[str(n)]["ratio_to_2_max"])
                for n in cs["members"] if n != 2 and str(n) in e))
    dmx = cs.get("deadman_check_ns_in_lag_tx", {}).get("ipv4_udp")
    if dmx:
        P("   lag_tx's dead-man check (live heartbeat minus none, IPv4/UDP, %d members): %s ns median [%s..%s]"
          % (min(cs["members"]), dmx["ns_median"], dmx["ns_min"], dmx["ns_max"]))
    P("   worst median ratio over the three programs: data frames %s (target <= 1.10: %s), LACPDU included %s" % (
        cs["worst_ratio_to_2_data_frames"], target(cs["target_flat_within_10pct"]),
        cs["worst_ratio_to_2_all_frames"]))
if res["throughput"]["tests"]:
    st = res["throughput"]["setup"]
    P("\n2. throughput, LAG / plain veth (median of paired per-round ratios); plain in Gbit/s or pps")
    P("   xdp default on veth: %s; native: %s; TCP congestion control: %s (host default %s)" % (
        st.get("xdp_default"), st.get("xdp_native"), st.get("tcp_cc_measured", "host default"),
        st.get("tcp_cc_host_default")))
    P("   %-13s %11s %9s %9s %11s %11s %9s %9s %9s" % ("test", "plain", "lag2 skb", "lag4 skb", "lag2 native",
                                                      "lag4 native", "egr hop", "ingr hop", "lag2 txd"))
    for e in res["throughput"]["tests"]:
        pl = e["plain"]
        pls = "-" if pl is None else ("%.0f pps" % pl if e["test"].startswith("udp64") else "%.2f G" % pl)
        P("   %-13s %11s" % (e["test"] + " " + e["dir"], pls) + "".join(
            ("%11s" if c.endswith("n") else "%9s") %
            ("-" if e[c]["ratio_median"] is None else "%.3f%s" % (e[c]["ratio_median"], "!" if e[c]["met"] is False else ""))
            for c in LAGS + HOPS + TXDEV))
        P("   %-13s %11s" % ("  range", "") + "".join(
            ("%11s" if c.endswith("n") else "%9s") %
            ("" if not e[c]["range"] else " %.2f-%.2f" % tuple(e[c]["range"])) for c in LAGS + HOPS + TXDEV))
    P("   (! = below target: TCP >= 0.97, UDP pps >= 0.90; egr/ingr: one hop alone, 1-member LAG facing plain veth;")
    P("    lag2 txd: lag2 with --tx-path device, the LAG's own TX counted by the kernel)")
    P("   CPU per GB received (iperf3 client + server), LAG / plain:")
    for e in res["throughput"]["tests"]:
        if e["test"].startswith("udp64"):
            continue
        P("   %-13s %11s" % (e["test"] + " " + e["dir"], "-" if e["plain_cpu_s_per_gb"] is None else
                            "%.3f s/GB" % e["plain_cpu_s_per_gb"]) + "".join(
            ("%11s" if c.endswith("n") else "%9s") %
            ("-" if e[c]["cpu_per_gb_ratio_median"] is None else "%.3f" % e[c]["cpu_per_gb_ratio_median"])
            for c in LAGS + HOPS + TXDEV))
    for cfg, progs in res["throughput"]["prog_cost_in_traffic_udp64"].items():
        P("   in traffic (%s, UDP 64 B, BPF stats): " % cfg + ", ".join(
            "%s %.0f ns x %d runs (%.1f%% of the run)" % (p, v["ns_per_run"], v["runs"], 100 * v["share_of_cpu"])
            for p, v in progs.items()))
for v in ("distinct", "equal"):
    fo = res["failover"].get(v)
    if not fo:
        continue
    P("\n3. failover, %s ifindexes, %d trials (ms: median / p99 / max); carrier reported by %s" %
      (v, fo["trials"], fo["carrier_reported_by"]))
    for k in ("cut_to_kernel_report_ms", "report_to_table_switched_ms", "cut_to_table_switched_ms", "loss_window_ms",
              "restore_loss_window_ms"):
        s = fo[k]
        P("   %-30s %9s %9s %9s" % (k, s["median"], s["p99"], s["max"]))
    P("   targets: %s" % ", ".join("%s %s" % (k, target(x)) for k, x in fo["targets"].items()))
lc = res["lacp"]
if lc["attach_to_distributing_ms"]["n"] or lc["restored_member_to_distributing_ms"]["n"]:
    P("\n4. LACP convergence, fast rate, 2 members (ms): attach -> both ends distributing, from the 2nd attach (from the 1st):")
    for aw, x in lc["attach_to_distributing_ms_by_aggregate_wait"].items():
        P("   --aggregate-wait %4s: median %s max %s (%s), %d trials" % (
            aw, x["from_second_attach"]["median"], x["from_second_attach"]["max"],
            x["from_first_attach"]["median"], x["n"]))
    P("   restored member -> distributing (aggregate wait %s): median %s max %s; standard floor (Aggregate_Wait_Time) %d"
      % (lc["restore_aggregate_wait_ms"], lc["restored_member_to_distributing_ms"]["median"],
         lc["restored_member_to_distributing_ms"]["max"], lc["standard_floor_ms"]))
if hs:
    h = res["hash"]
    P("\n5. flows (10000, 4 members): on failed member %.2f%%, moved on fail %.2f%% (%s), on return %.2f%%; modulo would move %.2f%%"
      % (h["failed_share"]["median"] * 100, h["moved_on_fail"]["median"] * 100,
         target(h["target_moved_on_fail_25pct_pm2"]), h["moved_on_return"]["median"] * 100,
         h["modulo_moved_on_fail"]["median"] * 100))
    P("   balance max/min (median/worst of %d seeds; an ideal random hash, median, in brackets; target <= 1.10):"
      % h["seeds"])
    P("   " + ", ".join("%s: %.3f/%.3f [%.3f]%s" % (n, b["median"], b["worst"], b["ideal_hash_median"],
                                                   "" if b["target_le_1_10"] else "!")
                        for n, b in h["balance_max_over_min"].items()))
    if any(b.get("rebalanced_median") is not None for b in h["balance_max_over_min"].values()):
        P("   with --rebalance (one pass; median/worst, buckets moved at most; target <= 1.10):")
        P("   " + ", ".join("%s: %.3f/%.3f (%d)%s" % (n, b["rebalanced_median"], b["rebalanced_worst"],
                                                     b["rebalanced_buckets_moved_max"],
                                                     " met" if b["rebalanced_target_le_1_10"] else " MISSED")
                            for n, b in h["balance_max_over_min"].items()))
if "footprint" in res:
    f = res["footprint"]
    P("\n6. controller, 8 members fast rate, %ds: CPU %.3f%% of a core (%s), RSS %.1f MiB (%s), peak %.1f MiB"
      % (f["seconds"], f["cpu_pct_of_core"], target(f["targets"]["cpu_lt_1pct"]), f["rss_kib"] / 1024,
         target(f["targets"]["rss_lt_10MiB"]), f["rss_peak_kib"] / 1024))
if "flood" in res:
    P("   junk 0x8809 flood on one member: %10s %10s %10s %8s %8s %8s" % ("asked pps", "sent pps", "slowRx", "partner", "losses", "ctl CPU"))
    for x in res["flood"]:
        P("   %33s %10s %10s %8s %8s %7s%%" % (x["rate_requested_pps"], x["sent_pps"], x["slow_rx_at_member"],
                                               x["partner_lacpdus_received"], x["lacp_losses"], x["controller_cpu_pct"]))
    P("   highest junk rate with the partner kept distributing: %s pps" % res["flood_max_sustained_pps"])
if "scale" in res:
    P("\n7. against member count (ms; failover cut -> table switched and restore: median [max] of each config's cuts)")
    P("   %-18s %3s %11s %9s %9s %13s %13s %17s" % ("config", "N", "attach A/B", "converge", "after B", "cut->report",
                                                  "cut->switched", "restore->dist"))
    for cfg, byn_ in res["scale"].items():
        for n in sorted(byn_, key=int):
            e = byn_[n]
            dt, sw, rst = (e["cut_to_kernel_report_ms"], e["cut_to_table_switched_ms"],
                           e["member_restored_to_distributing_both_ends_ms"])
            P("   %-18s %3s %11s %9s %9s %13s %13s %17s" % (
                cfg.replace("(default)", ""), n, "%.0f/%.0f" % (e["attach_command_ms"], e["second_attach_command_ms"]),
                e["second_attach_to_all_distributing_ms"], e["second_attach_returned_to_all_distributing_ms"],
                "%s [%s]" % (dt["median"], dt["max"]), "%s [%s]" % (sw["median"], sw["max"]),
                "%s [%s]" % (rst["median"], rst["max"])))
    P("   (attach A/B: each end's attach command; converge: from the start of B's attach until both ends' live tables")
    P("   hash over every member; after B: the same from B's attach returning (negative: before it returned))")
if "controller_scale" in res:
    P("\n8. controllers at fast rate (CPU % of one core and RSS / PSS summed over the controllers measured)")
    for e in res["controller_scale"]:
        if e["what"] in ("members", "members_polled"):
            t = e.get("targets") or {}
            P("   1 LAG of %2d members%s, A's controller: CPU %.3f%%%s, RSS %.1f MiB%s, PSS %.1f MiB" % (
                e["members_per_lag"], " (10 ms carrier poll: equal ifindexes)" if e["carrier_poll_10ms"] else "",
                e["cpu_pct_of_core_total"],
                " (<= 0.5 %%: %s)" % target(t["cpu_le_0_5pct"]) if t else "", e["rss_mib_total"],
                " (<= 8 MiB: %s)" % target(t["rss_le_8MiB"]) if t else "", e["pss_mib_total"]))
        else:
            P("   %d LAGs of 2 members, %s, %d controllers: CPU %.3f%% total (%.3f%% each), RSS %.1f MiB total"
              " (%.2f each), PSS %.1f MiB total; %d of %d LAGs carried pings" % (
                  e["lags"], "host A" if e["what"] == "lags" else "partner host B", e["controllers"],
                  e["cpu_pct_of_core_total"], e["cpu_pct_per_controller"],
                  e["rss_mib_total"], e["rss_mib_per_controller"], e["pss_mib_total"],
                  e["lags_carrying_traffic"], e["lags"]))
if "restart" in res:
    r_ = res["restart"]
    P("\n9. restart and crash re-adopt, 2 members, UDP every %d us in 8 flows (lost: datagrams lost within 3 s of the event)"
      % r_["udp_interval_us"])
    for k, e in r_.items():
        if not isinstance(e, dict):
            continue
        P("   %-16s %d/%d ok; lost median %s max %s (%.2f%% of the window); command %s ms [%s]; "
          "event -> adopted %s ms [%s]; partner left distributing %d times" % (
              k, e["succeeded"], e["trials"], e["lost_datagrams"]["median"], e["lost_datagrams"]["max"],
              e["lost_pct_of_3s_window_max"], e["command_ms"]["median"], e["command_ms"]["max"],
              e["event_to_adopted_live_table_ms"]["median"], e["event_to_adopted_live_table_ms"]["max"],
              e["partner_left_distributing"]))
P("\nruntime (s): %s" % res["runtime_s"])
