#!/usr/bin/env python3
"""bench/bigbox.py: the `bigbox` workload of bench/run (standard library only).

One mailbox of N small messages (about 2 KB each), message N/2 + 1 carrying a rare word in its body. Three jobs:

  maildir --dir MAILDIR --count N          write the messages into MAILDIR/cur as `<n>.bench,S=<size>:2,` files
                                           (Dovecot's side: far faster than SMTP -> Postfix -> LMTP, and the bytes
                                           are the same ones claret receives, LF line ends as Dovecot stores them)
  smtp --port P --to ADDR --count N        send the same messages over SMTP (claret's own path), PIPELINING of
        [--concurrency 8]                  MAIL/RCPT/DATA, many messages per connection, CONCURRENCY threads
  measure --server NAME:PORT ... --user U --password PW --word W --reps R --workload NAME
                                           per repetition and server (alternating which goes first): a fresh
                                           connection, LOGIN (untimed), then SELECT INBOX, UID FETCH 1:* (UID FLAGS)
                                           and SEARCH TEXT "W", each timed from the command's first byte out to its
                                           tagged reply; one results.tsv line per server and repetition on stdout

The IMAP client is a raw socket reading 256 KiB at a time and looking for the tagged reply, not imaplib: imaplib
parses a 100,000-line FETCH reply line by line in Python, which would cost more than the server's work and hide it.
Before measuring, each server gets one untimed SELECT (Dovecot builds its index files on first access) and one
untimed SEARCH TEXT (claret indexes pending rows of the mailbox into its full-text index on a text search).
"""
import argparse
import json
import os
import random
import socket
import sys
import threading
import time

RARE_WORD = "zyxwvutsrq"
WORDS = ("mail server message delivery queue mailbox folder account password protocol client network "
         "storage index search result header body attachment invoice meeting project report quarter budget "
         "schedule review draft update release version change request response status notice reminder "
         "customer supplier contract payment order shipment warehouse product service support ticket issue "
         "weekend holiday morning evening office travel flight hotel conference agenda minutes summary").split()


def paragraphs(seed=42, count=64):
    """count fixed paragraphs of about 400 bytes, drawn once (messages pick among them: cheap for 100,000)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        words = []
        length = 0
        while length < 400:
            w = rng.choice(WORDS)
            words.append(w)
            length += len(w) + 1
        text = " ".join(words)
        # wrap at about 72 columns
        lines, line = [], ""
        for w in text.split(" "):
            if len(line) + len(w) + 1 > 72:
                lines.append(line)
                line = w
            else:
                line = (line + " " + w) if line else w
        lines.append(line)
        out.append("\n".join(lines))
    return out


PARAS = paragraphs()


def rare_index(count):
    """1-based sequence number of the message that carries the rare word."""
    return count // 2 + 1


def message(n, count, domain="bench.test", to="big@bench.test"):
    """Message n (1-based) of count, LF line ends, about 2 KB."""
    picks = [PARAS[(n * 7 + k * 13) % len(PARAS)] for k in range(4)]
    if n == rare_index(count):
        picks[2] = picks[2] + " " + RARE_WORD
    day = 1 + n % 28
    head = ("From: Sender %d <sender%d@%s>\n"
            "To: <%s>\n"
            "Subject: Bench message %d about the %s\n"
            "Date: Mon, %d Nov 2026 10:%02d:%02d +0000\n"
            "Message-ID: <bigbox.%d@%s>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=us-ascii\n"
            "\n") % (n % 97, n % 97, domain, to, n, WORDS[n % len(WORDS)], day, n % 60, (n * 7) % 60, n, domain)
    return (head + "\n\n".join(picks) + "\n").encode("ascii")


def cmd_maildir(args):
    cur = os.path.join(args.dir, "cur")
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(args.dir, sub), exist_ok=True)
    for n in range(1, args.count + 1):
        data = message(n, args.count, to=args.to)
        name = "%d.bench,S=%d:2," % (n, len(data))
        with open(os.path.join(cur, name), "wb") as f:
            f.write(data)
    print("wrote %d messages into %s" % (args.count, cur), file=sys.stderr)


class SmtpSession:
    def __init__(self, port, timeout=60):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""
        self.reply()  # greeting
        self.sock.sendall(b"EHLO bigbox.bench\r\n")
        self.reply()

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("SMTP server closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        """One (possibly multi-line) reply: (code, last line)."""
        while True:
            line = self.line()
            if len(line) < 4 or line[3:4] != b"-":
                return int(line[:3]), line

    def send(self, sender, rcpt, data):
        self.sock.sendall(b"MAIL FROM:<%s>\r\nRCPT TO:<%s>\r\nDATA\r\n" % (sender, rcpt))
        for expect in (250, 250, 354):
            code, line = self.reply()
            if code != expect:
                raise RuntimeError("SMTP: expected %d, got %r" % (expect, line))
        body = data.replace(b"\n", b"\r\n")
        body = b"\r\n".join((b"." + l if l.startswith(b".") else l) for l in body.split(b"\r\n"))
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        self.sock.sendall(body + b".\r\n")
        code, line = self.reply()
        if code != 250:
            raise RuntimeError("SMTP: message refused: %r" % line)

    def quit(self):
        try:
            self.sock.sendall(b"QUIT\r\n")
            self.reply()
        except OSError:
            pass
        self.sock.close()


def cmd_smtp(args):
    counter = [0]
    lock = threading.Lock()
    errors = []
    sender = b"sender@bench.test"
    rcpt = args.to.encode()

    def worker():
        session = None
        sent = 0
        try:
            while True:
                with lock:
                    counter[0] += 1
                    n = counter[0]
                if n > args.count or errors:
                    break
                if session is None:
                    session = SmtpSession(args.port)
                session.send(sender, rcpt, message(n, args.count, to=args.to))
                sent += 1
                if sent % args.per_connection == 0:
                    session.quit()
                    session = None
        except Exception as e:  # reported once below; the other threads stop at their next message
            errors.append("%s: %s" % (type(e).__name__, e))
        if session is not None:
            session.quit()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - t0
    if errors:
        print("bigbox smtp: %s" % errors[0], file=sys.stderr)
        sys.exit(1)
    print("sent %d messages in %.1f s (%.0f msg/s)" % (args.count, seconds, args.count / seconds), file=sys.stderr)


class ImapSession:
    """Minimal IMAP client: tagged commands, replies read in big chunks until the tagged line (no literals expected
    in the replies this workload asks for)."""

    def __init__(self, port, timeout):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.tag = 0
        # Replies are read into this (command()): allocated and written once here, untimed, so a timed read neither
        # grows it nor takes first-touch page faults; 8 MB holds a 100,000-line FETCH reply (3.7 MB).
        self.rbuf = bytearray(b"\0" * (8 << 20))
        self.buf = b""
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("IMAP server closed the connection before its greeting")
            self.buf += chunk
        self.buf = b""

    def command(self, text):
        """Sends one command; returns (seconds until the tagged reply, whole reply, tagged status line).

        Timed with perf_counter_ns from just before the command is sent to the read that brings the tagged line:
        the same code for both servers. The reply is read with recv_into into one buffer made with the session (grown
        only if a reply needs more than its 8 MB), so reading 3.7 MB costs no allocation and no copy per chunk on
        the client side, whose time is counted too."""
        self.tag += 1
        tag = b"B%d" % self.tag
        marker = b"\r\n" + tag + b" "
        line = tag + b" " + text.encode() + b"\r\n"
        buf = self.rbuf
        n = 0
        t0 = time.perf_counter_ns()
        self.sock.sendall(line)
        while True:
            if len(buf) - n < 262144:
                buf.extend(bytes(len(buf)))
            got = self.sock.recv_into(memoryview(buf)[n:], 262144)
            if not got:
                raise ConnectionError("IMAP server closed the connection during %s" % text)
            n += got
            if buf[n - 2:n] == b"\r\n":
                # The tagged line is the last complete line: check only the tail.
                start = buf.rfind(marker, max(0, n - 512 - got), n)
                if start >= 0 or buf.startswith(tag + b" "):
                    break
        seconds = (time.perf_counter_ns() - t0) / 1e9
        data = bytes(buf[:n])
        cut = data.rfind(b"\r\n", 0, len(data) - 2)
        last = bytes(data[cut + 2 if cut >= 0 else 0:]).strip()
        if not last.startswith(tag + b" OK"):
            raise RuntimeError("%s failed: %r" % (text, last[:200]))
        return seconds, data, last

    def logout(self):
        try:
            self.command("LOGOUT")
        except (OSError, RuntimeError):
            pass
        self.sock.close()


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def search_hits(reply):
    hits = []
    for line in reply.split(b"\r\n"):
        if line.startswith(b"* SEARCH"):
            hits += [int(x) for x in line[len(b"* SEARCH"):].split()]
    return hits


def fetch_count(reply):
    return reply.count(b" FETCH (")


def cmd_measure(args):
    servers = []
    for spec in args.server:
        name, port = spec.rsplit(":", 1)
        servers.append((name, int(port)))
    search = "SEARCH TEXT " + quote(args.word)

    def login(port):
        s = ImapSession(port, args.timeout)
        s.command("LOGIN %s %s" % (quote(args.user), quote(args.password)))
        return s

    # Warm-up, untimed: SELECT (Dovecot builds its index), SEARCH TEXT (claret indexes pending rows).
    for name, port in servers:
        s = login(port)
        t_sel, reply, _ = s.command("SELECT INBOX")
        t_search, reply, _ = s.command(search)
        s.logout()
        print("bigbox warm-up %s: SELECT %.0f ms, %s %.0f ms, hits %s" %
              (name, t_sel * 1000, search, t_search * 1000, search_hits(reply)), file=sys.stderr)

    for rep in range(1, args.reps + 1):
        order = servers if rep % 2 == 1 else list(reversed(servers))
        for name, port in order:
            s = login(port)
            t_select, reply, _ = s.command("SELECT INBOX")
            exists = None
            for line in reply.split(b"\r\n"):
                if line.startswith(b"* ") and line.endswith(b" EXISTS"):
                    exists = int(line.split()[1])
            t_fetch, reply, _ = s.command("UID FETCH 1:* (UID FLAGS)")
            fetched = fetch_count(reply)
            fetch_bytes = len(reply)
            t_search, reply, _ = s.command(search)
            hits = search_hits(reply)
            s.logout()
            problems = []
            if exists != args.expect:
                problems.append("EXISTS %s, expected %d" % (exists, args.expect))
            if fetched != args.expect:
                problems.append("UID FETCH returned %d messages, expected %d" % (fetched, args.expect))
            if len(hits) != 1:
                problems.append("SEARCH TEXT found %d messages, expected exactly 1" % len(hits))
            result = {
                "select_ms": round(t_select * 1000, 2),
                "fetch_ms": round(t_fetch * 1000, 2),
                "search_ms": round(t_search * 1000, 2),
                "exists": exists,
                "fetched": fetched,
                "fetch_reply_bytes": fetch_bytes,
                "search_hits": hits,
                "failed": len(problems),
                "first_error": "; ".join(problems),
            }
            print("%s\t%d\t%s\tNA\tNA\tNA\t%s" % (args.workload, rep, name, json.dumps(result, separators=(",", ":"))))
            sys.stdout.flush()
            print("bigbox rep %d %-6s SELECT %8.1f ms  UID FETCH %8.1f ms  SEARCH TEXT %8.1f ms  %s" %
                  (rep, name, t_select * 1000, t_fetch * 1000, t_search * 1000,
                   "; ".join(problems) or "ok (1 hit: %d)" % hits[0]), file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("maildir")
    m.add_argument("--dir", required=True)
    m.add_argument("--count", type=int, required=True)
    m.add_argument("--to", default="big@bench.test")
    s = sub.add_parser("smtp")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--to", required=True)
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--concurrency", type=int, default=8)
    s.add_argument("--per-connection", type=int, default=500)
    r = sub.add_parser("measure")
    r.add_argument("--server", action="append", required=True, help="NAME:PORT, in the order of the first rep")
    r.add_argument("--user", required=True)
    r.add_argument("--password", required=True)
    r.add_argument("--word", default=RARE_WORD)
    r.add_argument("--reps", type=int, default=5)
    r.add_argument("--expect", type=int, required=True, help="messages in INBOX")
    r.add_argument("--workload", default="bigbox")
    r.add_argument("--timeout", type=float, default=600.0)
    args = p.parse_args()
    {"maildir": cmd_maildir, "smtp": cmd_smtp, "measure": cmd_measure}[args.cmd](args)


if __name__ == "__main__":
    main()
