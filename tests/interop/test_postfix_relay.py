"""Interop: a real Postfix relays mail into claret, over SMTP (with STARTTLS) and over LMTP; the
messages arrive intact in the recipients' INBOXes."""
import os
import smtplib
import time
import unittest

from claret_harness import ClaretServer, stored_blobs as harness_stored_blobs
from interop.postfix_peer import PrivatePostfix, available

BODY = "Line one.\r\n.leading dot survives\r\n\r\nLast line with ümlaut.\r\n"


def message(i, to):
    return (f"From: Carol <carol@relay.test>\r\nTo: {to}\r\nSubject: interop {i}\r\n"
            f"Message-ID: <interop-{i}@relay.test>\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{BODY}").encode()


def inbox_messages(srv, address):
    for line in srv.cli("mailbox", "list", address).stdout.splitlines():
        if line.startswith("INBOX "):
            return int(line.split("messages=")[1].split()[0])
    return 0


def stored_blobs(srv):
    return list(harness_stored_blobs(srv.data).values())


@unittest.skipUnless(available(), "needs root and Debian's postfix package")
class PostfixRelaysIntoClaret(unittest.TestCase):
    def setUp(self):
        self.srv = ClaretServer()
        self.addCleanup(self.srv.cleanup)
        self.addCleanup(self.srv.stop)
        self.srv.add_user("alice@example.test", "pw-alice-123")
        self.srv.add_user("bob@example.test", "pw-bob-123")

    def relay(self, transport, count):
        pf = PrivatePostfix("example.test", transport)
        try:
            with smtplib.SMTP("127.0.0.1", pf.port, timeout=30) as c:
                for i in range(count):
                    to = "alice@example.test" if i % 2 == 0 else "bob@example.test"
                    c.sendmail("carol@relay.test", [to], message(i, to))
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                got = inbox_messages(self.srv, "alice@example.test") + inbox_messages(self.srv, "bob@example.test")
                if got >= count:
                    break
                time.sleep(0.2)
            self.assertEqual(got, count, pf.maillog())
            return pf.maillog()
        finally:
            pf.stop()

    def check_intact(self, count):
        blobs = stored_blobs(self.srv)
        self.assertEqual(len(blobs), count)
        for blob in blobs:
            self.assertIn(BODY.encode(), blob)
            self.assertIn(b"\r\nReceived: from relay.test", blob)

    def test_smtp_with_starttls(self):
        log = self.relay(f"smtp:[127.0.0.1]:{self.srv.ports['smtp']}", 6)
        self.check_intact(6)
        self.assertIn("TLS connection established", log)

    def test_lmtp(self):
        self.relay(f"lmtp:inet:127.0.0.1:{self.srv.ports['lmtp']}", 6)
        self.check_intact(6)


if __name__ == "__main__":
    unittest.main()
