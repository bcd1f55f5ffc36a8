"""Replays recorded IMAP client sessions (tests/wire/imap/transcripts/*.txt: Thunderbird, Outlook) against a fresh
`claret serve` and checks the server's replies against the patterns a client depends on — tagged results,
required untagged responses, captured values reused later — not byte-exact where values vary (UIDVALIDITY,
dates). The file format is described in transcripts/README.md. Issue #4, "Tests (at the wire)"."""
import base64
import os
import re
import time
import unittest

from imap.imap_util import ALICE, PASSWORD, lmtp_deliver, start_server, stop_server
from imap.imap_wire import Wire
from imap.rfc_grammar import GrammarError, parse_fetch_response

HERE = os.path.dirname(os.path.abspath(__file__))
TRANSCRIPTS = os.path.join(HERE, "transcripts")
STEP_TIMEOUT_S = 30


def message(subject):
    return (f"From: Sender <sender@example.test>\r\nTo: {ALICE}\r\nSubject: {subject}\r\n"
            f"Date: Mon, 07 Dec 2026 09:00:00 +0000\r\nMessage-ID: <{subject.replace(' ', '.')}@example.test>\r\n"
            f"Content-Type: text/plain; charset=us-ascii\r\n\r\nbody of {subject}\r\n")


def parse_transcript(path):
    """[(kind, text)] with D: lines folded into their C: line as (kind "C", text, literal bytes)."""
    steps = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f.read().splitlines(), 1):
            if not raw.strip() or raw.startswith("#"):
                continue
            kind, _, text = raw.partition(":")
            text = text[1:] if text.startswith(" ") else text
            if kind not in ("C", "D", "S", "N", "W", "!"):
                raise ValueError(f"{path}:{n}: unknown line kind {kind!r}")
            if kind == "D":
                if not steps or steps[-1][0] != "C" or "{$MSG}" not in steps[-1][1]:
                    raise ValueError(f"{path}:{n}: D: line without a C: line announcing {{$MSG}}")
                steps[-1][2].append(text)
            else:
                steps.append((kind, text, [], n))
    return steps


class Replayer:
    def __init__(self, test, srv, name):
        self.t = test
        self.srv = srv
        self.name = name
        self.vars = {"user": ALICE, "password": PASSWORD,
                     "plain": base64.b64encode(f"\0{ALICE}\0{PASSWORD}".encode()).decode()}
        self.w = Wire(srv.ports["imap"], timeout=STEP_TIMEOUT_S)
        self.tag = None
        self.responses = []

    def fail(self, line, msg):
        shown = "\n".join(r.decode("latin-1")[:300] for r in self.responses[-20:])
        self.t.fail(f"{self.name}:{line}: {msg}\nresponses to the last command:\n{shown}")

    def subst(self, text):
        return re.sub(r"\$\{(\w+)\}", lambda m: self.vars[m.group(1)], text)

    def read_exchange(self, line, continuation_ok=True):
        """Responses until the pending tag completes or the server asks for a continuation ("+")."""
        deadline = time.monotonic() + STEP_TIMEOUT_S
        prefix = (self.tag + " ").encode()
        while True:
            try:
                r = self.w.response(deadline)
            except AssertionError as e:
                self.fail(line, f"no complete reply: {e}")
            self.responses.append(r)
            self.check_response(line, r)
            if r.startswith(prefix):
                return "tagged"
            if r.startswith(b"+") and continuation_ok:
                return "continue"

    def check_response(self, line, r):
        if r.startswith(b"* BAD") or re.match(rb"\S+ BAD", r) and not r.startswith(b"*"):
            self.fail(line, f"BAD response: {r[:200]!r}")
        if re.match(rb"\* \d+ FETCH ", r):
            try:
                parse_fetch_response(r)
            except GrammarError as e:
                self.fail(line, f"FETCH response violates the RFC 9051 grammar: {e}")

    def run(self, steps):
        self.w.response()  # greeting
        state = "tagged"
        for kind, text, data, line in steps:
            if kind == "C":
                out = self.subst(text)
                literal = None
                if "{$MSG}" in out:
                    literal = "\r\n".join(data).encode() + b"\r\n"
                    out = out.replace("{$MSG}", "{%d}" % len(literal))
                if state != "continue":
                    self.tag = out.split(" ", 1)[0]
                    self.responses = []
                self.w.send(out + "\r\n")
                state = self.read_exchange(line)
                if literal is not None:
                    if state != "continue":
                        self.fail(line, "no continuation request for the literal")
                    self.w.send(literal + b"\r\n")  # the literal, then the end of the command line
                    state = self.read_exchange(line, continuation_ok=False)
            elif kind in ("S", "N"):
                rx = re.compile(self.subst(text).encode("latin-1"), re.S)
                hits = [m for m in (rx.match(r) for r in self.responses) if m]
                if kind == "S":
                    if not hits:
                        self.fail(line, f"no response matches {text!r}")
                    for k, v in hits[0].groupdict().items():
                        if v is not None:
                            self.vars[k] = v.decode("latin-1")
                elif hits:
                    self.fail(line, f"a response matches the forbidden {text!r}: {hits[0].group(0)[:200]!r}")
            elif kind == "!":
                verb, _, arg = text.partition(" ")
                if verb != "deliver":
                    self.fail(line, f"unknown action {verb!r}")
                lmtp_deliver(self.srv, ALICE, message(arg))
            elif kind == "W":
                rx = re.compile(self.subst(text).encode("latin-1"), re.S)
                deadline = time.monotonic() + STEP_TIMEOUT_S
                while not any(rx.match(r) for r in self.responses):
                    try:
                        r = self.w.response(deadline)
                    except AssertionError as e:
                        self.fail(line, f"waited for {text!r}: {e}")
                    self.check_response(line, r)
                    self.responses.append(r)
        self.w.close()


class Transcripts(unittest.TestCase):
    def replay(self, filename):
        srv = start_server()
        self.addCleanup(stop_server, srv)
        srv.add_user(ALICE, PASSWORD)
        for s in ("msg one", "msg two", "msg three"):
            lmtp_deliver(srv, ALICE, message(s))
        r = Replayer(self, srv, filename)
        self.addCleanup(r.w.close)
        r.run(parse_transcript(os.path.join(TRANSCRIPTS, filename)))

    def test_thunderbird(self):
        self.replay("thunderbird_115.txt")

    def test_outlook(self):
        self.replay("outlook_2016.txt")

    def test_every_transcript_has_a_test(self):
        files = sorted(f for f in os.listdir(TRANSCRIPTS) if f.endswith(".txt"))
        self.assertEqual(files, ["outlook_2016.txt", "thunderbird_115.txt"])

    def test_parser_rejects_malformed_files(self):
        bad = os.path.join(self.tmpdir(), "bad.txt")
        with open(bad, "w") as f:
            f.write("D: data without a command\n")
        with self.assertRaises(ValueError):
            parse_transcript(bad)

    def tmpdir(self):
        import shutil
        import tempfile
        d = tempfile.mkdtemp(prefix="claret-transcript-")
        self.addCleanup(shutil.rmtree, d, True)
        return d


if __name__ == "__main__":
    unittest.main()
