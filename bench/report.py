#!/usr/bin/env python3
"""bench/report.py: the ratio table of bench/run (standard library only).

Input: results.tsv lines "workload run server e2e_per_s cpu_ms_per_msg pss_kib smtp_load-json".
Every ratio is claret/peer computed within one run (same machine state), then summarised over runs
as median [min..max]; absolute figures are medians over runs.
"""
import json
import statistics
import sys

METRICS = [
    # key, label, higher_is_better
    ("per_second", "accepted msg/s", True),
    ("e2e", "end-to-end msg/s", True),
    ("p50", "latency p50 ms", False),
    ("p99", "latency p99 ms", False),
    ("cpu", "server CPU ms/msg", False),
    ("pss", "server PSS MiB", False),
    ("client_cpu", "load client CPU ms/msg", False),
]


def load(path):
    rows = {}
    order = []
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 7:
                continue
            name, run, server, e2e, cpu, pss, raw = parts[:7]
            try:
                js = json.loads(raw)
            except ValueError:
                js = {}
            lat = js.get("latency_ms", {})
            num = lambda v: None if v in ("NA", "", None) else float(v)
            rec = {
                "per_second": num(js.get("per_second")),
                "e2e": num(e2e),
                "p50": num(lat.get("p50")),
                "p99": num(lat.get("p99")),
                "cpu": num(cpu),
                "pss": None if num(pss) is None else num(pss) / 1024.0,
                "client_cpu": (float(js["client_cpu_s"]) * 1000.0 / js["accepted"]
                               if js.get("accepted") and "client_cpu_s" in js else None),
                "failed": int(js.get("failed", 0) or 0),
                "error": js.get("first_error", ""),
            }
            if name not in rows:
                rows[name] = {}
                order.append(name)
            rows[name].setdefault(int(run), {})[server] = rec
    return order, rows


def fmt(v):
    if v is None:
        return "—"
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


def main():
    args = sys.argv[1:]
    unavailable = None
    if "--claret-unavailable" in args:
        i = args.index("--claret-unavailable")
        unavailable = args[i + 1] if i + 1 < len(args) else "unavailable"
        del args[i:i + 2]
    order, rows = load(args[0])
    header = ("workload", "metric", "claret", "peer", "claret/peer median [min..max]")
    lines = [header]
    notes = []
    for name in order:
        runs = rows[name]
        for key, label, _ in METRICS:
            c_vals = [r["claret"][key] for r in runs.values() if "claret" in r and r["claret"][key] is not None]
            p_vals = [r["peer"][key] for r in runs.values() if "peer" in r and r["peer"][key] is not None]
            ratios = [r["claret"][key] / r["peer"][key] for r in runs.values()
                      if "claret" in r and "peer" in r and r["claret"][key] is not None
                      and r["peer"][key] not in (None, 0)]
            c_txt = fmt(statistics.median(c_vals)) if c_vals else ("not available" if unavailable else "—")
            p_txt = fmt(statistics.median(p_vals)) if p_vals else "—"
            if ratios:
                r_txt = "%.2f× [%.2f..%.2f] (n=%d)" % (statistics.median(ratios), min(ratios), max(ratios), len(ratios))
            else:
                r_txt = "n/a"
            lines.append((name, label, c_txt, p_txt, r_txt))
        for server in ("claret", "peer"):
            failed = sum(r[server]["failed"] for r in runs.values() if server in r)
            if failed:
                errs = {r[server]["error"] for r in runs.values() if server in r and r[server]["error"]}
                notes.append("%s %s: %d failed messages (%s)" % (name, server, failed, "; ".join(sorted(errs))))
    widths = [max(len(l[i]) for l in lines) for i in range(len(header))]
    for n, l in enumerate(lines):
        print("  ".join(l[i].ljust(widths[i]) for i in range(len(header))).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print("peer = Postfix smtpd -> LMTP -> Dovecot (Maildir). CPU and PSS: the whole process tree of each server.")
    if unavailable:
        print("claret SMTP not available in this run: %s" % unavailable)
    for note in notes:
        print("note: " + note)


if __name__ == "__main__":
    main()
