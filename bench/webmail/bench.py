"""bench/webmail: claret's webmail and Roundcube side by side, in front of the same private Dovecot + Postfix.

    python3 bench/webmail/bench.py [--runs N] [--messages N] [--claret build/release/src/app/claret] [--keep]

Starts (tests/webmail/peers.py) a private Dovecot (IMAPS) and Postfix (submission) on loopback, fills one
account's INBOX with N (10,000) generated messages written straight into its Maildir (plus a small folder), then
serves both webmails against that Dovecot: `claret webmail` (verifying the peers' certificate) and Roundcube
from Debian (roundcube-core, PHP's built-in server on loopback, its own SQLite database and config in the temp
directory). For each run and each webmail (alternating which goes first) headless Chromium (measure.mjs)
measures five timings — login to the first INBOX row, switching back to the 10,000-message INBOX, opening a
message, a subject search, sending — and the first load's bytes on the wire. Prints medians and ratios and a
Markdown table; stops everything it started.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "webmail"))
from peers import Peers, free_port, missing_packages, wait_port  # noqa: E402

USER, PASS = "bench@example.test", "bench-pass-1"
PEER, PEER_PASS = "peer@example.test", "peer-pass-2"
ROUNDCUBE = "/usr/share/roundcube"  # Debian: served from /var/lib/roundcube (symlinks)
NAMES = ["Dave Jones", "Carol Singer", "Ann Lee", "Bob Stone", "Eve Park", "Frank Moss", "Grace Hall", "Heidi Roy"]
WORDS = ("report budget meeting invoice travel photos lunch project review release schedule contract design "
         "question update minutes agenda offer order shipment").split()
NEEDLE = "zebracrossing"  # only in one subject: the search figure finds one row among 10,000


def message(i, when, subject=None, body=None):
    name = NAMES[i % len(NAMES)]
    addr = name.split()[0].lower() + "@example.net"
    rnd = random.Random(i)
    subject = subject or " ".join(rnd.choice(WORDS) for _ in range(4)).capitalize() + f" #{i}"
    body = body or "\r\n".join(" ".join(rnd.choice(WORDS) for _ in range(12)) for _ in range(12))
    date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(when))
    return (f"From: {name} <{addr}>\r\nTo: {USER}\r\nSubject: {subject}\r\nDate: {date}\r\n"
            f"Message-ID: <bench-{i}@example.net>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"\r\n{body}\r\n").encode()


def fill_maildir(home, folder, messages):
    """Writes messages into ~/Maildir[/.folder]/cur as the mail user (Dovecot indexes them on first access)."""
    base = os.path.join(home, "Maildir", "." + folder if folder else "")
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(base, sub), exist_ok=True)
    for n, (when, data) in enumerate(messages):
        path = os.path.join(base, "cur", f"{when}.M{n}P1.bench,S={len(data)}:2,S")
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (when, when))
    if folder:
        with open(os.path.join(home, "Maildir", "subscriptions"), "a") as f:
            f.write(folder + "\n")
    subprocess.run(["chown", "-R", "mail:mail", os.path.join(home, "Maildir")], check=True)


def warm_dovecot(peers, user, password):
    """Lets Dovecot build its indexes before anything is timed (both webmails then see the same warm server)."""
    import imaplib
    import ssl
    ctx = ssl.create_default_context(cafile=peers.cert)
    m = imaplib.IMAP4_SSL("127.0.0.1", peers.imaps_port, ssl_context=ctx)
    m.login(user, password)
    for box in ("INBOX", "Small"):
        m.select(box)
        m.uid("SORT", "(REVERSE DATE)", "UTF-8", "ALL")
        m.fetch("1:*", "(FLAGS ENVELOPE BODYSTRUCTURE RFC822.SIZE)")
    m.logout()


def start_claret(binary, peers, tmp):
    log = open(os.path.join(tmp, "claret-webmail.log"), "wb")
    proc = subprocess.Popen([binary, "webmail", "--listen", "127.0.0.1:0", "--cert", peers.cert, "--key", peers.key,
                             "--imap", f"imaps://127.0.0.1:{peers.imaps_port}",
                             "--submission", f"submission://127.0.0.1:{peers.submission_port}",
                             "--ca-file", peers.cert, "--hostname", "localhost",
                             "--state-dir", os.path.join(tmp, "claret-state")],
                            stdout=subprocess.PIPE, stderr=log, start_new_session=True)
    line = proc.stdout.readline().decode()
    if not line.startswith("READY "):
        stop(proc)
        raise RuntimeError(f"claret webmail did not start (see {tmp}/claret-webmail.log)")
    port = json.loads(line[6:])["ports"]["https"]
    return proc, f"https://localhost:{port}"


def start_roundcube(peers, tmp):
    """Roundcube 1.6 from Debian, served by PHP's built-in server, config and SQLite database in `tmp`."""
    rc = os.path.join(tmp, "roundcube")
    os.makedirs(os.path.join(rc, "config"), exist_ok=True)
    os.makedirs(os.path.join(rc, "temp"), exist_ok=True)
    os.makedirs(os.path.join(rc, "logs"), exist_ok=True)
    db = os.path.join(rc, "roundcube.db")
    subprocess.run(["sqlite3", db], input=open(os.path.join(ROUNDCUBE, "SQL", "sqlite.initial.sql")).read(),
                   text=True, check=True)
    config = f"""<?php
$config = [];
$config['db_dsnw'] = 'sqlite:///{db}?mode=0646';
$config['imap_host'] = 'ssl://localhost:{peers.imaps_port}';
$config['smtp_host'] = 'tls://localhost:{peers.submission_port}';
$config['smtp_user'] = '%u';
$config['smtp_pass'] = '%p';
$config['imap_conn_options'] = ['ssl' => ['cafile' => '{peers.cert}', 'verify_peer' => true, 'verify_peer_name' => true]];
$config['smtp_conn_options'] = ['ssl' => ['cafile' => '{peers.cert}', 'verify_peer' => true, 'verify_peer_name' => true]];
$config['support_url'] = '';
$config['des_key'] = 'bench-bench-bench-bench-';
$config['product_name'] = 'Roundcube (bench)';
$config['plugins'] = [];
$config['skin'] = 'elastic';
$config['temp_dir'] = '{rc}/temp/';
$config['log_dir'] = '{rc}/logs/';
$config['enable_installer'] = false;
$config['mail_pagesize'] = 50;
$config['login_rate_limit'] = 0;
"""
    with open(os.path.join(rc, "config", "config.inc.php"), "w") as f:
        f.write(config)
    # Debian's defaults (and mime types) next to our config: Roundcube reads defaults.inc.php from its config dir.
    for name in os.listdir("/etc/roundcube"):
        if name.endswith(".inc.php") and name != "config.inc.php":
            shutil.copy(os.path.join("/etc/roundcube", name), os.path.join(rc, "config", name))
    port = free_port()
    env = dict(os.environ, ROUNDCUBE_CONFIG_DIR=os.path.join(rc, "config"))
    log = open(os.path.join(rc, "php.log"), "wb")
    # PHP's built-in server runs one request at a time unless PHP_CLI_SERVER_WORKERS is set: give it 4, as a
    # small php-fpm pool would have.
    env["PHP_CLI_SERVER_WORKERS"] = "4"
    proc = subprocess.Popen(["php", "-S", f"127.0.0.1:{port}", "-t", "/var/lib/roundcube"],
                            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    wait_port(port, "php -S (Roundcube)")
    return proc, f"http://127.0.0.1:{port}"


def stop(proc):
    if proc and proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=15)


def measure(kind, url, spec):
    cfg = dict(spec, kind=kind, url=url)
    r = subprocess.run(["node", os.path.join(HERE, "measure.mjs"), json.dumps(cfg)], capture_output=True, text=True,
                       timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"{kind}: {r.stderr.strip()[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--messages", type=int, default=10000)
    ap.add_argument("--claret", default=os.path.join(ROOT, "build", "release", "src", "app", "claret"))
    ap.add_argument("--only", choices=["claret", "roundcube"])
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if missing_packages():
        sys.exit(f"bench/webmail: missing Debian packages: {' '.join(missing_packages())}")
    # measure.mjs drives Chromium with the browser tests' playwright-core (tests/webmail/package-lock.json); on a
    # fresh checkout nothing has installed it yet.
    tests_dir = os.path.join(ROOT, "tests", "webmail")
    if not os.path.isdir(os.path.join(tests_dir, "node_modules", "playwright-core")):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=tests_dir, check=True, stdout=sys.stderr)
    have_roundcube = os.path.exists(os.path.join(ROUNDCUBE, "index.php")) and shutil.which("php")
    if not have_roundcube and args.only != "claret":
        sys.exit("bench/webmail: Roundcube is not installed (apt-get install roundcube-core roundcube-sqlite3 php-cli "
                 "php-sqlite3), or run with --only claret")

    tmp = tempfile.mkdtemp(prefix="claret-webmail-bench-")
    os.chmod(tmp, 0o755)
    peers = Peers({USER: PASS, PEER: PEER_PASS})
    procs = []
    try:
        peers.start()
        home = os.path.join(peers.tmp, "vmail", USER.split("@")[0])
        start = int(time.time()) - args.messages * 600
        msgs = [(start + i * 600, message(i, start + i * 600)) for i in range(args.messages)]
        # Known messages: the newest (first row), one to open, one to find.
        newest = start + args.messages * 600
        msgs.append((newest - 300, message(args.messages + 1, newest - 300, "Weekly numbers for the board",
                                           "The weekly numbers are attached below.")))
        msgs.append((newest - 200, message(args.messages + 2, newest - 200, f"Quarterly {NEEDLE} review")))
        msgs.append((newest, message(args.messages + 3, newest, "Newest message in the inbox")))
        fill_maildir(home, None, msgs)
        fill_maildir(home, "Small", [(newest, message(args.messages + 4, newest, "Only message in Small"))])
        warm_dovecot(peers, USER, PASS)
        spec = {"user": USER, "pass": PASS, "to": PEER, "other": "Small", "otherSubject": "Only message in Small",
                "firstSubject": "Newest message in the inbox", "openSubject": "Weekly numbers for the board",
                "openBody": "The weekly numbers are attached below.", "search": NEEDLE,
                "claretSearch": f"subject:{NEEDLE}",
                "searchSubject": f"Quarterly {NEEDLE} review"}
        servers = {}
        if args.only != "roundcube":
            p, url = start_claret(args.claret, peers, tmp)
            procs.append(p)
            servers["claret"] = url
        if args.only != "claret":
            p, url = start_roundcube(peers, tmp)
            procs.append(p)
            servers["roundcube"] = url
        results = {k: [] for k in servers}
        for run in range(args.runs):
            order = list(servers) if run % 2 == 0 else list(reversed(servers))
            for kind in order:
                r = measure(kind, servers[kind], spec)
                results[kind].append(r)
                print(f"run {run + 1} {kind}: {json.dumps({k: round(v) for k, v in r.items()})}", flush=True)
        report(results, args)
    finally:
        for p in procs:
            stop(p)
        peers.stop()
        if args.keep:
            print(f"kept {tmp} and {peers.tmp}", file=sys.stderr)
        else:
            peers.cleanup()
            shutil.rmtree(tmp, ignore_errors=True)


def report(results, args):
    keys = [("login_ms", "login → first INBOX row"), ("list_ms", "switch to the 10,000-message INBOX"),
            ("open_ms", "open a message"), ("search_ms", "subject search"), ("send_ms", "send"),
            ("first_load_bytes", "first load (bytes on the wire)"), ("first_load_requests", "first load (requests)")]
    med = {k: {key: statistics.median(r[key] for r in runs) for key, _ in keys} for k, runs in results.items()}
    load = open("/proc/loadavg").read().split()[:3]
    print(f"\n{args.runs} runs, medians; {args.messages} messages in INBOX; load average {' '.join(load)}")
    cols = list(results)
    head = "| | " + " | ".join(cols) + (" | Roundcube ÷ claret |" if len(cols) == 2 else " |")
    print(head)
    print("|---" * (len(cols) + 1 + (len(cols) == 2)) + "|")
    for key, label in keys:
        vals = [med[c][key] for c in cols]
        unit = "" if "requests" in key else (" KB" if "bytes" in key else " ms")
        fmt = [f"{v / 1024:.0f}{unit}" if "bytes" in key else f"{v:.0f}{unit}" for v in vals]
        ratio = f" | {med['roundcube'][key] / med['claret'][key]:.1f}×" if len(cols) == 2 and med["claret"][key] else ""
        print(f"| {label} | " + " | ".join(fmt) + ratio + (" |" if ratio else " |"))


if __name__ == "__main__":
    main()
