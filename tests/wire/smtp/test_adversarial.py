"""Hostile clients: SMTP smuggling, early talkers, pipelining abuse, huge lines, NUL bytes, 10,000 RCPTs,
STARTTLS command injection, relay tricks, broken addresses, slow clients. Each gets the right reply and nothing is
stored partially."""
import socket
import time
import unittest

from smtp.smtp_util import PASSWORD, Raw, enhanced_of, inbox_count, start_server, stop_server, stored_blobs_containing

# End-of-data look-alikes that must never end a message (RFC 5321 §2.3.8, §4.1.1.4; SMTP smuggling).
SMUGGLING_TERMINATORS = [b"\n.\n", b"\n.\r\n", b"\r.\r", b"\r\n.\n", b"\r.\n", b"\n.\r", b"\r\n.\r", b"\r.\r\n",
                         b"\r\n\x00.\r\n"]


class Adversarial(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.port = cls.srv.ports["smtp"]
        cls.srv.add_user("alice@example.test", PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self, ehlo=True):
        r = Raw(self.port)
        self.addCleanup(r.close)
        if ehlo:
            r.cmd("EHLO client.test")
        return r

    def test_smuggling_variants(self):
        before = inbox_count(self.srv, "alice@example.test")
        for i, fake_end in enumerate(SMUGGLING_TERMINATORS):
            with self.subTest(terminator=fake_end):
                r = self.raw()
                r.send("MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n")
                self.assertEqual([c for c, _ in r.replies(3)], [250, 250, 354])
                r.send(b"Subject: outer-%d\r\n\r\nbody" % i + fake_end +
                       b"MAIL FROM:<evil@remote.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n"
                       b"Subject: smuggled-%d\r\n\r\nevil\r\n.\r\n" % i)
                reply = r.reply()
                self.assertEqual((reply[0], enhanced_of(reply)), (550, "5.6.0"))
                self.assertEqual(r.cmd("NOOP")[0], 250)  # no reply to a hidden second transaction
                self.assertEqual(stored_blobs_containing(self.srv, b"smuggled-%d" % i), [])
        self.assertEqual(inbox_count(self.srv, "alice@example.test"), before)

    def test_commands_with_trailing_blanks_obey_the_state_gate(self):
        # "DATA<TAB>" once parsed as DATA while the state gate saw an unknown verb (found by fuzz_smtp_command).
        r = self.raw()
        for line in ("DATA\t", "DATA ", "DATA \t "):
            with self.subTest(line=line):
                self.assertEqual(r.cmd(line)[0], 503)
        self.assertEqual(r.cmd("MAIL FROM:<a@remote.test>")[0], 250)
        self.assertEqual(r.cmd("RCPT TO:<alice@example.test>")[0], 250)
        self.assertEqual(r.cmd("DATA\t")[0], 354)
        r.send("Subject: tab-data\r\n\r\nbody\r\n.\r\n")
        self.assertEqual(r.reply()[0], 250)

    def test_dot_stuffing(self):
        r = self.raw()
        r.send("MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n")
        r.replies(3)
        r.send("Subject: stuffed-1\r\n\r\n..leading dot\r\n...\r\n.\r\n")
        self.assertEqual(r.reply()[0], 250)
        (blob,) = stored_blobs_containing(self.srv, b"stuffed-1")
        self.assertTrue(blob.endswith(b"\r\n\r\n.leading dot\r\n..\r\n"))

    def test_data_pipelined_without_recipients(self):
        r = self.raw()
        r.send("MAIL FROM:<a@remote.test>\r\nRCPT TO:<nobody@example.test>\r\nDATA\r\n"
               "Subject: pipelined-body\r\n\r\nMAIL FROM:<evil@remote.test>\r\n.\r\n")
        codes = [c for c, _ in r.replies(7)]
        self.assertEqual(codes[:3], [250, 550, 554])
        self.assertTrue(all(c >= 500 for c in codes[3:]), codes)  # the body lines are bad commands
        self.assertEqual(r.cmd("RSET")[0], 250)
        self.assertEqual(stored_blobs_containing(self.srv, b"pipelined-body"), [])

    def test_many_pipelined_commands(self):
        r = self.raw()
        r.send("NOOP\r\n" * 2000)
        self.assertEqual({c for c, _ in r.replies(2000)}, {250})

    def test_one_megabyte_lines(self):
        r = self.raw()
        reply = r.cmd("NOOP " + "x" * (1 << 20))
        self.assertEqual((reply[0], enhanced_of(reply)), (500, "5.5.2"))
        r.send("MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n")
        self.assertEqual([c for c, _ in r.replies(3)], [250, 250, 354])
        r.send(b"Subject: hugeline-1\r\n\r\n" + b"y" * (2 << 20) + b"\r\nend\r\n.\r\n")
        reply = r.reply()
        self.assertEqual((reply[0], enhanced_of(reply)), (550, "5.6.0"))
        self.assertEqual(r.cmd("NOOP")[0], 250)
        self.assertEqual(stored_blobs_containing(self.srv, b"hugeline-1"), [])

    def test_nul_bytes(self):
        r = self.raw()
        self.assertEqual(r.cmd("NOOP\x00hidden")[0], 500)
        self.assertEqual(r.cmd("MAIL FROM:<a\x00b@remote.test>")[0], 500)
        r.send("MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n")
        self.assertEqual([c for c, _ in r.replies(3)], [250, 250, 354])
        r.send(b"Subject: nul-1\r\n\r\nbefore\x00after\r\n.\r\n")
        reply = r.reply()
        self.assertEqual((reply[0], enhanced_of(reply)), (550, "5.6.0"))
        self.assertEqual(stored_blobs_containing(self.srv, b"nul-1"), [])

    def test_ten_thousand_recipients(self):
        before = inbox_count(self.srv, "alice@example.test")
        r = self.raw()
        self.assertEqual(r.cmd("MAIL FROM:<a@remote.test>")[0], 250)
        codes = []
        batch = 500
        for start in range(0, 10000, batch):
            r.send("".join(f"RCPT TO:<alice+{i}@example.test>\r\n" for i in range(start, start + batch)))
            codes += r.replies(batch)
        self.assertEqual(sum(1 for c, _ in codes if c == 250), 1000)  # limits.smtp.max_recipients
        self.assertEqual({(c, enhanced_of((c, t))) for c, t in codes[1000:]}, {(452, "4.5.3")})
        self.assertEqual(r.cmd("DATA")[0], 354)
        r.send("Subject: many-rcpts\r\n\r\nx\r\n.\r\n")
        self.assertEqual(r.reply()[0], 250)
        # One account behind all the plus addresses: one copy.
        self.assertEqual(inbox_count(self.srv, "alice@example.test"), before + 1)

    def test_starttls_with_pipelined_plaintext(self):
        r = self.raw()
        r.send("STARTTLS\r\nMAIL FROM:<evil@remote.test>\r\nRCPT TO:<alice@example.test>\r\n")
        self.assertEqual(r.reply()[0], 220)
        r.buf = b""
        r.sock = self.srv.tls_client_context().wrap_socket(r.sock, server_hostname="localhost")
        code, lines = r.cmd("EHLO client.test")  # the first reply over TLS answers this EHLO
        self.assertEqual(code, 250)
        self.assertIn("localhost Hello client.test", lines[0])
        self.assertEqual(r.cmd("RCPT TO:<alice@example.test>")[0], 503)  # the injected MAIL never ran

    def test_relay_attempts(self):
        tricks = ["victim@remote.test", "victim%remote.test@example.test", "remote.test!victim@example.test",
                  "\"victim@remote.test\"@example.test", "\"victim%remote.test\"@example.test",
                  "@example.test:victim@remote.test", "@remote.test:alice@example.test",
                  "@example.test,@remote.test:victim@remote.test", "victim@remote.test.", "victim@[127.0.0.1]",
                  "victim@[IPv6:::1]", "victim@example.test.remote.test", "victim@remote.test@example.test",
                  "alice@example.test.", "victim@localhost", "victim@[192.0.2.1]"]
        for chunk in range(0, len(tricks), 8):
            r = self.raw()
            self.assertEqual(r.cmd("MAIL FROM:<a@remote.test>")[0], 250)
            for t in tricks[chunk:chunk + 8]:
                code, texts = r.cmd(f"RCPT TO:<{t}>")
                self.assertIn(code, (550, 553, 501), t)
            self.assertEqual(r.cmd("DATA")[0], 554)

    def test_invalid_and_overlong_addresses(self):
        bad = ["<" + "a" * 65 + "@example.test>", "<alice@" + "b" * 64 + ".test>",
               "<alice@" + ".".join(["c" * 60] * 5) + ".test>", "<alice@example.test", "alice@example.test",
               "<alice@@example.test>", "<@>", "<alice@-bad-.test>", "<a b@example.test>", "<alice@exa_mple.test>",
               "<>"]
        r = self.raw()
        self.assertEqual(r.cmd("MAIL FROM:<a@remote.test>")[0], 250)
        for addr in bad:
            code, texts = r.cmd(f"RCPT TO:{addr}")
            self.assertIn(code, (501, 553), f"{addr}: {texts}")
        self.assertEqual(r.cmd("RSET")[0], 250)
        self.assertEqual(r.cmd("MAIL FROM:<" + "s" * 300 + "@remote.test>")[0], 501)


class SlowClients(unittest.TestCase):
    """Short timeouts (RFC 5321 §4.5.3.2 gives the floors; the config lowers them for the test)."""

    @classmethod
    def setUpClass(cls):
        cls.srv = start_server({("limits.smtp", "command_timeout_s"): "2", ("limits.smtp", "data_timeout_s"): "2"})
        cls.srv.add_user("alice@example.test", PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def test_idle_client_gets_421(self):
        r = Raw(self.srv.ports["smtp"], timeout=10)
        self.addCleanup(r.close)
        reply = r.reply()
        self.assertEqual((reply[0], enhanced_of(reply)), (421, "4.4.2"))
        self.assertTrue(r.closed_by_peer())

    def test_trickling_data_gets_421_and_nothing_stored(self):
        r = Raw(self.srv.ports["smtp"], timeout=10)
        self.addCleanup(r.close)
        r.send("EHLO c.test\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n")
        self.assertEqual([c for c, _ in r.replies(4)], [250, 250, 250, 354])
        r.send("Subject: trickle-1\r\n\r\n")
        code = None
        for _ in range(40):  # one byte every 0.1 s: the deadline is for the whole DATA phase
            try:
                r.send("x")
            except OSError:
                break
            time.sleep(0.1)
            r.sock.settimeout(0.01)
            try:
                chunk = r.sock.recv(4096)
                if chunk:
                    r.buf += chunk
                    if b"\n" in r.buf:
                        code = r.reply()[0]
                        break
            except (socket.timeout, TimeoutError):
                pass
        self.assertEqual(code, 421)
        self.assertEqual(stored_blobs_containing(self.srv, b"trickle-1"), [])
        self.assertEqual(inbox_count(self.srv, "alice@example.test"), 0)


if __name__ == "__main__":
    unittest.main()
