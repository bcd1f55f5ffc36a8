#!/usr/bin/env python3
"""Crash campaign (issue #9): load on a real `claret serve` while it is killed with SIGKILL at random moments,
restarted each time; afterwards every acknowledged message is where it must be, exactly once, and `claret fsck`
is clean.

    scripts/crash_campaign.py smtp  --kills 100   # MX load: every 250 after DATA is in its INBOX exactly once
    scripts/crash_campaign.py imap  --kills 100   # APPEND/MOVE/EXPUNGE: each message in one place, as acknowledged
    scripts/crash_campaign.py queue --kills 100   # submission → queue → local sink: each 250 delivered or bounced
    options: --concurrency 50 --seed N --max-delay 2.0 --json FILE  (CLARET_BIN names the binary)

A round: start `serve`, start `concurrency` clients, wait (bounded) until the first acknowledgement of the round,
then wait a random 0..max-delay seconds and SIGKILL the server's process group; the clients see their
connections fail and stop. After the last round the server starts once more (recovery), the result is read
back through the protocol (IMAP FETCH, the sink), the server stops with SIGTERM and `claret fsck` must exit 0.
Exit status 0 when every invariant held, 1 otherwise (each violation printed on its own line).
"""
import argparse
import imaplib
import json
import os
import random
import re
import signal
import smtplib
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "wire"))
sys.path.insert(0, os.path.join(ROOT, "tests", "wire", "outbound"))

from claret_harness import ClaretServer, edit_config  # noqa: E402

PASSWORD = "crash campaign password"
CLIENT_TIMEOUT_S = 120  # 50 logins at once under ASan take a while (password hashing)
FIRST_ACK_TIMEOUT_S = 180
JOIN_TIMEOUT_S = 150
DRAIN_STALL_S = 120   # the queue must shrink at least once in this long
DRAIN_TIMEOUT_S = 1800
# Each queue client waits this long between submissions: unthrottled, 50 clients submit several times faster
# than the queue delivers to the (Python) sink, and the backlog would take longer to drain than the campaign.
QUEUE_SUBMIT_PAUSE_S = 1.0
TOKEN_HEADER = "X-Campaign-Token"


def add_user(srv, address):
    """An account whose password is a SHA512-CRYPT hash (5,000 rounds, imported with --hash) rather than the default
    Argon2id: 50 clients logging in again after every kill would otherwise spend the campaign hashing passwords."""
    try:
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import crypt
        hashed = crypt.crypt(PASSWORD, crypt.mksalt(crypt.METHOD_SHA512))
        srv.cli("user", "add", address, "--hash", "{SHA512-CRYPT}" + hashed)
    except ImportError:  # Python 3.13 has no crypt module
        srv.add_user(address, PASSWORD)


class Ledger:
    """What the clients were told, shared by their threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.attempted = 0
        self.acked = 0
        self.errors = 0  # transient client-side failures while the server was up (4xx, refused)
        self.round_acks = 0
        self.first_ack = threading.Event()
        self.dying = threading.Event()  # set just before the kill: errors from then on are expected

    def error(self):
        if not self.dying.is_set():
            with self.lock:
                self.errors += 1

    def ack(self):
        with self.lock:
            self.acked += 1
            self.round_acks += 1
        self.first_ack.set()


def token_of(text):
    m = re.search(TOKEN_HEADER + r":\s*(\S+)", text, re.I)
    return m.group(1) if m else None


def message(token, sender, to, body="campaign body"):
    return (f"From: {sender}\r\nTo: {to}\r\nSubject: campaign {token}\r\n{TOKEN_HEADER}: {token}\r\n"
            f"Message-ID: <{token}@campaign.test>\r\n\r\n{body} {token}\r\n")


# --- SMTP: MX delivery to local accounts ---------------------------------------------------------------------

class SmtpLoad:
    accounts = [f"user{i}@example.test" for i in range(5)]

    def __init__(self, rng):
        self.rng = rng
        self.acked = {}      # token -> recipients that got the 250
        self.attempted = {}  # token -> recipients

    def setup(self, srv):
        for a in self.accounts:
            add_user(srv, a)

    def client(self, srv, ledger, stop, round_no, cid):
        rng = random.Random(f"{round_no}-{cid}")
        n = 0
        while not stop.is_set():
            try:
                with smtplib.SMTP("127.0.0.1", srv.ports["smtp"], local_hostname="load.test",
                                  timeout=CLIENT_TIMEOUT_S) as c:
                    while not stop.is_set():
                        token = f"s{round_no}.{cid}.{n}"
                        n += 1
                        rcpts = rng.sample(self.accounts, rng.choice((1, 1, 2)))
                        with ledger.lock:
                            self.attempted[token] = rcpts
                            ledger.attempted += 1
                        c.sendmail("sender@remote.test", rcpts, message(token, "sender@remote.test", rcpts[0]))
                        with ledger.lock:
                            self.acked[token] = rcpts
                        ledger.ack()
            except (smtplib.SMTPException, OSError):
                if not stop.is_set():
                    ledger.error()
                    stop.wait(0.05)

    def verify(self, srv, violations):
        seen = {}  # (account, token) -> count
        for account in self.accounts:
            for _, token in fetch_tokens(srv, account, ["INBOX"]):
                seen[(account, token)] = seen.get((account, token), 0) + 1
        for (account, token), count in seen.items():
            if count > 1:
                violations.append(f"duplicate: {token} is {count} times in {account}'s INBOX")
            if token not in self.attempted or account not in self.attempted[token]:
                violations.append(f"unexpected: {token} in {account}'s INBOX was never sent there")
        for token, rcpts in self.acked.items():
            for account in rcpts:
                if seen.get((account, token), 0) == 0:
                    violations.append(f"lost: {token} got 250 but is not in {account}'s INBOX")
        unacked_stored = sum(1 for (a, t) in seen if t not in self.acked)
        return {"acknowledged": len(self.acked), "attempted": len(self.attempted),
                "stored_without_ack": unacked_stored}


# --- IMAP: APPEND, MOVE, EXPUNGE --------------------------------------------------------------------------------

class ImapLoad:
    accounts = [f"user{i}@example.test" for i in range(5)]
    mailboxes = ("INBOX", "Archive")

    def __init__(self, rng):
        self.rng = rng
        self.lock = threading.Lock()
        # token -> (account, set of acceptable places); a place is a mailbox name or None (not stored).
        self.allowed = {}

    def setup(self, srv):
        for a in self.accounts:
            add_user(srv, a)

    def _set(self, token, account, places):
        with self.lock:
            self.allowed[token] = (account, set(places))

    def client(self, srv, ledger, stop, round_no, cid):
        rng = random.Random(f"{round_no}-{cid}")
        account = self.accounts[cid % len(self.accounts)]
        inbox = {}  # uid -> token of this client's messages known to be in INBOX
        n = 0
        while not stop.is_set():
            try:
                c = imaplib.IMAP4("127.0.0.1", srv.ports["imap"], timeout=CLIENT_TIMEOUT_S)
                try:
                    c.login(account, PASSWORD)
                    c.select("INBOX")
                    while not stop.is_set():
                        op = rng.random()
                        if op < 0.5 or not inbox:
                            token = f"i{round_no}.{cid}.{n}"
                            n += 1
                            self._set(token, account, {None, "INBOX"})
                            with ledger.lock:
                                ledger.attempted += 1
                            typ, data = c.append("INBOX", None, None,
                                                 message(token, account, account).encode())
                            if typ != "OK":
                                self._set(token, account, {None})
                                continue
                            self._set(token, account, {"INBOX"})
                            m = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
                            if m:
                                inbox[int(m.group(1))] = token
                            ledger.ack()
                        elif op < 0.75:
                            uid = rng.choice(list(inbox))
                            token = inbox.pop(uid)
                            self._set(token, account, {"INBOX", "Archive"})
                            typ, _ = c.uid("MOVE", str(uid), "Archive")
                            self._set(token, account, {"Archive"} if typ == "OK" else {"INBOX", "Archive"})
                            ledger.ack()
                        else:
                            uid = rng.choice(list(inbox))
                            token = inbox.pop(uid)
                            self._set(token, account, {"INBOX", None})
                            c.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)")
                            typ, _ = c.uid("EXPUNGE", str(uid))
                            self._set(token, account, {None} if typ == "OK" else {"INBOX", None})
                            ledger.ack()
                finally:
                    try:
                        c.shutdown()
                    except OSError:
                        pass
            except (imaplib.IMAP4.error, OSError, EOFError):
                if not stop.is_set():
                    ledger.error()
                    stop.wait(0.05)
                inbox.clear()  # a new session: only new messages are worked on

    def verify(self, srv, violations):
        found = {}  # token -> list of places
        for account in self.accounts:
            for box, token in fetch_tokens(srv, account, self.mailboxes):
                found.setdefault(token, []).append((account, box))
        for token, places in found.items():
            if len(places) > 1:
                violations.append(f"duplicate: {token} is in {places}")
            if token not in self.allowed:
                violations.append(f"unexpected: {token} in {places} was never appended")
        for token, (account, allowed) in self.allowed.items():
            places = found.get(token, [])
            place = places[0][1] if places else None
            if places and places[0][0] != account:
                violations.append(f"wrong account: {token} in {places}")
            if place not in allowed:
                what = "lost" if place is None else "misplaced"
                violations.append(f"{what}: {token} is in {place}, acknowledged state allows {sorted(map(str, allowed))}")
        return {"messages": len(self.allowed), "stored": sum(len(p) for p in found.values())}


# --- Outbound queue: submission → queue → local sink ------------------------------------------------------------

class QueueLoad:
    sender = "sender@example.test"

    def __init__(self, rng):
        self.rng = rng
        self.acked = set()
        self.attempted = set()
        self.dns = None
        self.sink = None

    def make_server(self):
        from queue_util import Dnsmasq, Sink, set_config
        self.dns = Dnsmasq()
        self.sink = Sink()
        srv = ClaretServer(start=False)
        set_config(srv, {"dns_servers": f'["127.0.0.1:{self.dns.port}"]', "smtp_port": str(self.sink.port),
                         "retry_min_s": "1", "retry_max_s": "2", "delay_warning_s": "0"})
        return srv

    def setup(self, srv):
        add_user(srv, self.sender)

    def client(self, srv, ledger, stop, round_no, cid):
        n = 0
        while not stop.is_set():
            try:
                with smtplib.SMTP("127.0.0.1", srv.ports["submission"], local_hostname="client.test",
                                  timeout=CLIENT_TIMEOUT_S) as c:
                    c.login(self.sender, PASSWORD)
                    while not stop.is_set():
                        token = f"q{round_no}.{cid}.{n}"
                        n += 1
                        with ledger.lock:
                            self.attempted.add(token)
                            ledger.attempted += 1
                        c.sendmail(self.sender, [f"rcpt{cid}@remote.test"],
                                   message(token, self.sender, f"rcpt{cid}@remote.test"))
                        with ledger.lock:
                            self.acked.add(token)
                        ledger.ack()
                        stop.wait(QUEUE_SUBMIT_PAUSE_S)
            except (smtplib.SMTPException, OSError):
                if not stop.is_set():
                    ledger.error()
                    stop.wait(0.05)

    def verify(self, srv, violations):
        # Let the recovered server drain its queue (bounded: it must keep shrinking), then compare with the sink.
        started = time.monotonic()
        deadline = started + DRAIN_TIMEOUT_S
        best, best_at = None, started
        while time.monotonic() < deadline:
            left = len([l for l in srv.cli("queue", "list").stdout.splitlines() if l.strip()])
            if left == 0:
                break
            if best is None or left < best:
                best, best_at = left, time.monotonic()
            elif time.monotonic() - best_at > DRAIN_STALL_S:
                break
            time.sleep(1)
        self.drain_seconds = round(time.monotonic() - started, 1)
        left = [l for l in srv.cli("queue", "list").stdout.splitlines() if l.strip()]
        if left:
            violations.append(f"queue not drained after {self.drain_seconds}s: {len(left)} entries left")
        delivered = {}
        with self.sink.lock:
            for m in self.sink.messages:
                t = token_of(m.data.decode(errors="replace"))
                delivered[t] = delivered.get(t, 0) + 1
        bounced = {t for _, t in fetch_tokens(srv, self.sender, ["INBOX"], whole=True)}
        for token in self.acked:
            if token not in delivered and token not in bounced:
                violations.append(f"lost: {token} got 250 but was neither delivered nor bounced")
        for token in delivered:
            if token not in self.attempted:
                violations.append(f"unexpected: the sink got {token}, never submitted")
        return {"acknowledged": len(self.acked), "attempted": len(self.attempted),
                "delivered": len(delivered), "delivered_more_than_once": sum(1 for c in delivered.values() if c > 1),
                "bounced": len(bounced), "delivered_without_ack": sum(1 for t in delivered if t not in self.acked),
                "drain_seconds": self.drain_seconds}

    def close(self):
        if self.sink:
            self.sink.stop()
        if self.dns:
            self.dns.stop()


def fetch_tokens(srv, account, mailboxes, whole=False):
    """(mailbox, token) of every message in these mailboxes, read through IMAP (tokens may repeat). With `whole`,
    tokens anywhere in a message count (a bounce quotes the original's header in a body part)."""
    out = []
    c = imaplib.IMAP4("127.0.0.1", srv.ports["imap"], timeout=60)
    try:
        c.login(account, PASSWORD)
        for box in mailboxes:
            typ, data = c.select(box, readonly=True)
            if typ != "OK" or int(data[0]) == 0:
                continue
            what = "BODY.PEEK[]" if whole else f"BODY.PEEK[HEADER.FIELDS ({TOKEN_HEADER})]"
            typ, data = c.fetch("1:*", f"({what})")
            for item in data:
                if isinstance(item, tuple):
                    text = item[1].decode(errors="replace")
                    tokens = set(re.findall(TOKEN_HEADER + r":\s*(\S+)", text, re.I)) if whole else [token_of(text)]
                    out.extend((box, t) for t in tokens if t)
        c.logout()
    finally:
        try:
            c.shutdown()
        except OSError:
            pass
    return out


def run_round(srv, load, ledger, round_no, concurrency, rng, max_delay):
    srv.start()
    ledger.first_ack.clear()
    ledger.dying.clear()
    ledger.round_acks = 0
    stop = threading.Event()
    threads = [threading.Thread(target=load.client, args=(srv, ledger, stop, round_no, cid), daemon=True)
               for cid in range(concurrency)]
    for t in threads:
        t.start()
    got_ack = ledger.first_ack.wait(FIRST_ACK_TIMEOUT_S)
    delay = rng.uniform(0, max_delay)
    stop.wait(delay)  # the random kill moment (stop is never set here: this is a bounded wait)
    ledger.dying.set()
    srv.stop(signal.SIGKILL)
    stop.set()
    for t in threads:
        t.join(JOIN_TIMEOUT_S)
    stuck = sum(1 for t in threads if t.is_alive())
    return {"round": round_no, "delay_s": round(delay, 3), "acks": ledger.round_acks, "first_ack": got_ack,
            "stuck_clients": stuck}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=("smtp", "imap", "queue"))
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--max-delay", type=float, default=2.0, help="seconds after the first ack before the kill, at most")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--json", help="write the summary here")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    load = {"smtp": SmtpLoad, "imap": ImapLoad, "queue": QueueLoad}[args.mode](rng)
    srv = load.make_server() if hasattr(load, "make_server") else ClaretServer(start=False)
    violations = []
    rounds = []
    started = time.monotonic()
    ledger = Ledger()
    try:
        # 50 clients reconnecting after errors may briefly hold more than the default 50 connections per IP.
        edit_config(srv.config, {("limits.connections", "per_ip"): "1000"})
        load.setup(srv)
        for k in range(args.kills):
            r = run_round(srv, load, ledger, k, args.concurrency, rng, args.max_delay)
            rounds.append(r)
            print(f"round {k + 1}/{args.kills}: killed after {r['delay_s']}s, {r['acks']} acks this round, "
                  f"{ledger.acked} in all", flush=True)
            if not r["first_ack"]:
                violations.append(f"round {k}: no acknowledgement within {FIRST_ACK_TIMEOUT_S}s (server log: "
                                  f"{srv.server_log()[-500:]!r})")
            if r["stuck_clients"]:
                violations.append(f"round {k}: {r['stuck_clients']} clients did not stop within {JOIN_TIMEOUT_S}s")
        srv.start()  # recovery
        details = load.verify(srv, violations)
        code = srv.stop()
        if code != 0:
            violations.append(f"serve exited {code} on SIGTERM after the campaign")
        fsck = srv.cli("fsck", check=False)
        if fsck.returncode != 0:
            violations.append(f"fsck exited {fsck.returncode}: {fsck.stdout.strip()} {fsck.stderr.strip()}")
        summary = {"mode": args.mode, "kills": args.kills, "concurrency": args.concurrency, "seed": seed,
                   "seconds": round(time.monotonic() - started, 1), "acks": ledger.acked,
                   "client_errors_while_up": ledger.errors, "fsck": fsck.stdout.strip().splitlines()[-1:],
                   "violations": len(violations), **details}
    finally:
        srv.stop(signal.SIGKILL)
        if hasattr(load, "close"):
            load.close()
        srv.cleanup()
    for v in violations[:200]:
        print("VIOLATION", v)
    print(json.dumps(summary))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({**summary, "rounds": rounds, "violation_lines": violations[:1000]}, f, indent=1)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
