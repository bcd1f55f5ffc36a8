"""Port 25 (MX): delivery with smtplib, recipients (users, aliases, catch-all, plus tags, quota), no relaying,
RFC 5321 sequencing and syntax replies, enhanced status codes, STARTTLS, limits."""
import re
import smtplib
import unittest

from smtp.smtp_util import (PASSWORD, Raw, enhanced_of, inbox_count, start_server, stop_server,
                             stored_blobs_containing)

ENHANCED = re.compile(r"^[245]\.\d{1,3}\.\d{1,3}$")


def message(marker, sender="sender@remote.test", body="hello\r\n"):
    return (f"From: {sender}\r\nTo: someone@example.test\r\nSubject: {marker}\r\nMessage-ID: <{marker}@remote.test>"
            f"\r\n\r\n{body}").encode()


class Mx(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.port = cls.srv.ports["smtp"]
        for user in ("alice", "bob"):
            cls.srv.add_user(f"{user}@example.test", PASSWORD)
        cls.srv.add_user("full@example.test", PASSWORD, quota=1000)
        cls.srv.cli("domain", "add", "other.test")
        cls.srv.cli("alias", "add", "sales@example.test", "alice@example.test", "bob@example.test")
        cls.srv.cli("alias", "add", "@other.test", "bob@example.test")

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def smtp(self):
        s = smtplib.SMTP("127.0.0.1", self.port, local_hostname="client.test", timeout=20)
        self.addCleanup(s.close)
        return s

    def raw(self):
        r = Raw(self.port)
        self.addCleanup(r.close)
        return r

    def test_greeting_and_ehlo(self):
        r = self.raw()
        self.assertEqual(r.greeting[0], 220)
        self.assertIn("ESMTP", r.greeting[1][0])
        code, lines = r.cmd("EHLO client.test")
        self.assertEqual(code, 250)
        for ext in ("PIPELINING", "SIZE 52428800", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING",
                    "BINARYMIME", "DSN", "STARTTLS"):
            self.assertIn(ext, lines)
        self.assertFalse(any(l.startswith("AUTH") for l in lines), "port 25 offers no AUTH")

    def test_delivery_with_trace_headers(self):
        before = inbox_count(self.srv, "alice@example.test")
        s = self.smtp()
        refused = s.sendmail("sender@remote.test", ["alice@example.test"], message("mx-trace-1"))
        self.assertEqual(refused, {})
        self.assertEqual(inbox_count(self.srv, "alice@example.test"), before + 1)
        (blob,) = stored_blobs_containing(self.srv, b"mx-trace-1")
        self.assertTrue(blob.startswith(b"Return-Path: <sender@remote.test>\r\nReceived: from client.test"), blob[:200])
        self.assertIn(b"with ESMTP id", blob)
        self.assertIn(b"for <alice@example.test>", blob)
        self.assertTrue(blob.endswith(b"\r\n\r\nhello\r\n"))

    def test_one_blob_for_many_recipients_and_aliases(self):
        counts = {u: inbox_count(self.srv, f"{u}@example.test") for u in ("alice", "bob")}
        s = self.smtp()
        s.sendmail("sender@remote.test", ["alice@example.test", "Bob@Example.Test", "sales@example.test"],
                   message("mx-multi-1"))
        # Alice and Bob each get one copy, although sales@ names both again.
        self.assertEqual(inbox_count(self.srv, "alice@example.test"), counts["alice"] + 1)
        self.assertEqual(inbox_count(self.srv, "bob@example.test"), counts["bob"] + 1)
        self.assertEqual(len(stored_blobs_containing(self.srv, b"mx-multi-1")), 1)

    def test_plus_addressing_and_catch_all(self):
        alice = inbox_count(self.srv, "alice@example.test")
        bob = inbox_count(self.srv, "bob@example.test")
        s = self.smtp()
        s.sendmail("sender@remote.test", ["alice+lists@example.test"], message("mx-plus-1"))
        s.sendmail("sender@remote.test", ["anything@OTHER.test"], message("mx-catchall-1"))
        self.assertEqual(inbox_count(self.srv, "alice@example.test"), alice + 1)
        self.assertEqual(inbox_count(self.srv, "bob@example.test"), bob + 1)

    def test_unknown_user(self):
        s = self.smtp()
        s.ehlo()
        s.mail("sender@remote.test")
        code, text = s.rcpt("nobody@example.test")
        self.assertEqual(code, 550)
        self.assertTrue(text.startswith(b"5.1.1"), text)

    def test_no_relay(self):
        r = self.raw()
        r.cmd("EHLO client.test")
        self.assertEqual(r.cmd("MAIL FROM:<sender@remote.test>")[0], 250)
        reply = r.cmd("RCPT TO:<victim@remote.test>")
        self.assertEqual(reply[0], 550)
        self.assertEqual(enhanced_of(reply), "5.7.1")
        self.assertEqual(r.cmd("DATA")[0], 554)  # no valid recipient

    def test_quota(self):
        small = message("mx-quota-small", body="x" * 100 + "\r\n")
        big = message("mx-quota-big", body="y" * 2000 + "\r\n")
        s = self.smtp()
        self.assertEqual(s.sendmail("sender@remote.test", ["full@example.test"], small), {})
        # Accepted at RCPT (not full yet) but refused at delivery: it would exceed the quota.
        s.ehlo()
        s.mail("sender@remote.test")
        self.assertEqual(s.rcpt("full@example.test")[0], 250)
        code, text = s.data(big)
        self.assertEqual((code, text[:5]), (552, b"5.2.2"))
        self.assertEqual(inbox_count(self.srv, "full@example.test"), 1)
        # Once the mailbox is full, RCPT already refuses with a temporary error.
        self.srv.cli("user", "quota", "full@example.test", "10")
        s.rset()
        s.mail("sender@remote.test")
        code, text = s.rcpt("full@example.test")
        self.assertEqual((code, text[:5]), (452, b"4.2.2"))

    def test_sequencing_and_syntax(self):
        r = self.raw()
        self.assertEqual(r.cmd("MAIL FROM:<a@remote.test>")[0], 503)  # before EHLO
        r.cmd("EHLO client.test")
        checks = [
            ("RCPT TO:<alice@example.test>", 503),
            ("DATA", 503),
            ("BOGUS command", 500),
            ("MAIL FROM:a@remote.test", 501),
            ("MAIL FROM:<a@remote.test> FOO=1", 555),
            ("MAIL FROM:<a@remote.test> SIZE=999999999999", 552),
            ("VRFY alice", 252),
            ("EXPN staff", 502),
            ("HELP", 214),
            ("NOOP", 250),
            ("AUTH PLAIN AGFsaWNlAHB3", 502),
            ("LHLO client.test", 500),
            ("MAIL FROM:<a@remote.test>", 250),
            ("MAIL FROM:<a@remote.test>", 503),
            ("RCPT TO:<bad address@example.test>", 553),
            ("RSET", 250),
            ("RCPT TO:<alice@example.test>", 503),
        ]
        for line, expected in checks:
            code, texts = r.cmd(line)
            self.assertEqual(code, expected, f"{line}: {texts}")
            self.assertRegex(texts[-1].split(" ")[0], ENHANCED, f"{line}: {texts}")
        self.assertEqual(r.cmd("QUIT")[0], 221)
        self.assertTrue(r.closed_by_peer())

    def test_helo_allows_no_extensions(self):
        r = self.raw()
        code, lines = r.cmd("HELO client.test")
        self.assertEqual((code, len(lines)), (250, 1))
        self.assertEqual(r.cmd("MAIL FROM:<a@remote.test> BODY=8BITMIME")[0], 555)
        self.assertEqual(r.cmd("MAIL FROM:<a@remote.test>")[0], 250)
        self.assertEqual(r.cmd("RCPT TO:<alice@example.test> NOTIFY=NEVER")[0], 555)

    def test_too_many_errors_disconnects(self):
        r = self.raw()
        code = None
        for i in range(25):
            code, _ = r.cmd(f"GARBAGE {i}")
            if code == 421:
                break
        self.assertEqual(code, 421)
        self.assertTrue(r.closed_by_peer())

    def test_starttls(self):
        before = inbox_count(self.srv, "bob@example.test")
        s = self.smtp()
        s.starttls(context=self.srv.tls_client_context())
        s.ehlo("client.test")
        self.assertFalse(s.has_extn("starttls"))
        s.sendmail("sender@remote.test", ["bob@example.test"], message("mx-tls-1"))
        self.assertEqual(inbox_count(self.srv, "bob@example.test"), before + 1)
        (blob,) = stored_blobs_containing(self.srv, b"mx-tls-1")
        self.assertIn(b"with ESMTPS", blob)
        self.assertIn(b"TLSv1.3", blob)

    def test_starttls_forgets_ehlo(self):
        r = self.raw()
        r.cmd("EHLO client.test")
        r.starttls(self.srv.tls_client_context())
        self.assertEqual(r.cmd("MAIL FROM:<a@remote.test>")[0], 503)  # EHLO again after TLS
        self.assertEqual(r.cmd("EHLO client.test")[0], 250)
        self.assertEqual(r.cmd("STARTTLS")[0], 503)

    def test_null_sender_and_postmaster(self):
        self.srv.cli("alias", "add", "postmaster@example.test", "alice@example.test")
        before = inbox_count(self.srv, "alice@example.test")
        r = self.raw()
        r.cmd("EHLO client.test")
        self.assertEqual(r.cmd("MAIL FROM:<>")[0], 250)
        self.assertEqual(r.cmd("RCPT TO:<Postmaster>")[0], 250)
        self.assertEqual(r.cmd("DATA")[0], 354)
        r.send("Subject: bounce\r\n\r\nbounce\r\n.\r\n")
        self.assertEqual(r.reply()[0], 250)
        self.assertEqual(inbox_count(self.srv, "alice@example.test"), before + 1)


class MxLimits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server({("limits.smtp", "max_message_size"): "4000",
                                ("limits.smtp", "max_recipients"): "3"})
        cls.port = cls.srv.ports["smtp"]
        cls.srv.add_user("alice@example.test", PASSWORD)
        cls.srv.cli("alias", "add", "a1@example.test", "alice@example.test")

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def test_message_too_large_after_data(self):
        r = Raw(self.port)
        self.addCleanup(r.close)
        code, lines = r.cmd("EHLO client.test")
        self.assertIn("SIZE 4000", lines)
        r.cmd("MAIL FROM:<a@remote.test>")
        r.cmd("RCPT TO:<alice@example.test>")
        self.assertEqual(r.cmd("DATA")[0], 354)
        r.send("Subject: big\r\n\r\n" + ("z" * 70 + "\r\n") * 100 + ".\r\n")
        reply = r.reply()
        self.assertEqual((reply[0], enhanced_of(reply)), (552, "5.3.4"))
        self.assertEqual(r.cmd("NOOP")[0], 250)  # the session goes on
        self.assertEqual(inbox_count(self.srv, "alice@example.test"), 0)

    def test_recipient_limit(self):
        r = Raw(self.port)
        self.addCleanup(r.close)
        r.cmd("EHLO client.test")
        r.cmd("MAIL FROM:<a@remote.test>")
        codes = [r.cmd(f"RCPT TO:<alice+{i}@example.test>") for i in range(5)]
        self.assertEqual([c[0] for c in codes], [250, 250, 250, 452, 452])
        self.assertEqual(enhanced_of(codes[3]), "4.5.3")
        self.assertEqual(r.cmd("DATA")[0], 354)
        r.send("Subject: limit\r\n\r\nx\r\n.\r\n")
        self.assertEqual(r.reply()[0], 250)
        self.assertEqual(inbox_count(self.srv, "alice@example.test"), 1)

    def test_long_command_line(self):
        r = Raw(self.port)
        self.addCleanup(r.close)
        reply = r.cmd("NOOP " + "x" * 5000)
        self.assertEqual((reply[0], enhanced_of(reply)), (500, "5.5.2"))
        self.assertEqual(r.cmd("NOOP")[0], 250)


if __name__ == "__main__":
    unittest.main()
