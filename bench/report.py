#!/usr/bin/env python3
"""bench/report.py: the ratio table of bench/run (standard library only).

Input: results.tsv lines "workload run server rate cpu_ms_per_unit pss_kib load-generator-json" (rate: end-to-end
msg/s for SMTP and relay, NA where the JSON carries the rate). The metrics shown depend on the workload's group
(the name before the first '-').
Every ratio is claret/peer computed within one run (same machine state), then summarised over runs
as median [min..max]; absolute figures are medians over runs.
"""
import json
import statistics
import sys

METRICS = {
    # group: [(key, label)]
    "smtp": [
        ("per_second", "accepted msg/s"),
        ("e2e", "end-to-end msg/s"),
        ("p50", "latency p50 ms"),
        ("p99", "latency p99 ms"),
        ("cpu", "server CPU ms/msg"),
        ("pss", "server PSS MiB"),
        ("client_cpu", "load client CPU ms/msg"),
    ],
    "pop3": [
        ("per_second", "retrieved msg/s"),
        ("mib_per_second", "retrieved MiB/s"),
        ("p50", "RETR latency p50 ms"),
        ("p99", "RETR latency p99 ms"),
        ("login_p50", "login latency p50 ms (not in the rate)"),
        ("cpu", "server CPU ms/msg"),
        ("pss", "server PSS MiB"),
        ("client_cpu", "load client CPU ms/msg"),
    ],
    "imap": [
        ("all_ops_per_second", "operations/s, LOGIN..LOGOUT, wall clock (headline)"),
        ("sessions_per_second", "client sessions/s (LOGIN included)"),
        ("per_second", "commands/s, wall clock (LOGINs not counted)"),
        ("ops_per_second", "commands/s of client time outside LOGIN"),
        ("login_p50", "LOGIN latency p50 ms"),
        ("p50", "command latency p50 ms (LOGIN excluded)"),
        ("p99", "command latency p99 ms"),
        ("cpu", "server CPU ms/session"),
        ("pss", "server PSS MiB"),
        ("client_cpu", "load client CPU ms/session"),
    ],
    "idle": [
        ("kib_per_connection", "PSS KiB per idle connection"),
        ("pss", "server PSS MiB with all connected"),
        ("setup_per_second", "connect+login+IDLE per s"),
    ],
    "bigbox": [
        ("select_ms", "SELECT INBOX ms (lower is better)"),
        ("fetch_ms", "UID FETCH 1:* (UID FLAGS) ms (lower is better)"),
        ("search_ms", "SEARCH TEXT of a rare word ms (lower is better)"),
    ],
    "relay": [
        ("e2e", "relayed msg/s (until the sink has all)"),
        ("cpu", "server CPU ms/msg"),
        ("pss", "server PSS MiB"),
    ],
}
# The JSON field that counts the units a per-unit client CPU figure divides by.
COUNT_KEYS = ("accepted", "retrieved", "sessions_done")
PEERS = {
    "smtp": "Postfix smtpd -> LMTP -> Dovecot (Maildir)",
    "pop3": "Dovecot pop3 (Maildir)",
    "imap": "Dovecot imap (Maildir)",
    "idle": "Dovecot imap (one process per connection)",
    "relay": "Postfix smtp client",
    "bigbox": "Dovecot imap (Maildir, no FTS plugin)",
}


def group_of(name):
    return name.split("-", 1)[0]


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
            count = next((js[k] for k in COUNT_KEYS if js.get(k)), None)
            rec = {
                "per_second": num(js.get("per_second")),
                "mib_per_second": num(js.get("mib_per_second")),
                "sessions_per_second": num(js.get("sessions_per_second")),
                "ops_per_second": num(js.get("ops_per_second")),
                "all_ops_per_second": num(js.get("all_ops_per_second")),
                "kib_per_connection": num(js.get("kib_per_connection")),
                "setup_per_second": num(js.get("setup_per_second")),
                "select_ms": num(js.get("select_ms")),
                "fetch_ms": num(js.get("fetch_ms")),
                "search_ms": num(js.get("search_ms")),
                "e2e": num(e2e),
                "p50": num(lat.get("p50")),
                "login_p50": num(js.get("login_ms", {}).get("p50")),
                "p99": num(lat.get("p99")),
                "cpu": num(cpu),
                "pss": None if num(pss) is None else num(pss) / 1024.0,
                "client_cpu": (float(js["client_cpu_s"]) * 1000.0 / count
                               if count and "client_cpu_s" in js else None),
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
        for key, label in METRICS.get(group_of(name), METRICS["smtp"]):
            c_vals = [r["claret"][key] for r in runs.values() if "claret" in r and r["claret"][key] is not None]
            p_vals = [r["peer"][key] for r in runs.values() if "peer" in r and r["peer"][key] is not None]
            ratios = [r["claret"][key] / r["peer"][key] for r in runs.values()
                      if "claret" in r and "peer" in r and r["claret"][key] is not None
                      and r["peer"][key] not in (None, 0)]
            c_txt = fmt(statistics.median(c_vals)) if c_vals else ("not available" if unavailable else "—")
            p_txt = fmt(statistics.median(p_vals)) if p_vals else "—"
            if ratios:
                # Below 0.01 two decimals would print 0.00×: three significant digits instead.
                f = (lambda v: "%.2f" % v) if min(ratios) >= 0.01 else (lambda v: "%.3g" % v)
                r_txt = "%s× [%s..%s] (n=%d)" % (f(statistics.median(ratios)), f(min(ratios)), f(max(ratios)), len(ratios))
            else:
                r_txt = "n/a"
            lines.append((name, label, c_txt, p_txt, r_txt))
        for server in ("claret", "peer"):
            failed = sum(r[server]["failed"] for r in runs.values() if server in r)
            if failed:
                errs = {r[server]["error"] for r in runs.values() if server in r and r[server]["error"]}
                notes.append("%s %s: %d failures (%s)" % (name, server, failed, "; ".join(sorted(errs))))
    widths = [max(len(l[i]) for l in lines) for i in range(len(header))]
    for n, l in enumerate(lines):
        print("  ".join(l[i].ljust(widths[i]) for i in range(len(header))).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    groups = []
    for name in order:
        if group_of(name) not in groups:
            groups.append(group_of(name))
    print("peer: " + "; ".join("%s = %s" % (g, PEERS.get(g, "?")) for g in groups) +
          ". CPU and PSS: the whole process tree of each server.")
    if unavailable:
        print("claret SMTP not available in this run: %s" % unavailable)
    for note in notes:
        print("note: " + note)


if __name__ == "__main__":
    main()
