"""Hostile input: deep parentheses, huge sequence sets, "*" and "$" edge cases, NUL and binary garbage, unterminated
literals, mailbox names trying to escape the account. The server answers BAD/NO and keeps the session usable."""
import unittest

from imap.imap_util import ALICE, BOB, PASSWORD, Raw, client, close_quietly, make_message, start_server, stop_server


class Adversarial(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)
        cls.srv.add_user(BOB, PASSWORD)
        c = client(cls.srv, user=BOB)
        c.create("Private")
        close_quietly(c)
        c = client(cls.srv)
        for i in range(3):
            c.append("INBOX", None, None, make_message(f"a{i}").encode())
        close_quietly(c)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self, select=True):
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')
        if select:
            r.cmd("s", "SELECT INBOX")
        return r

    def assert_alive(self, r):
        self.assertTrue(r.cmd("alive", "NOOP")[-1].startswith(b"alive OK"))

    def test_starttls_discards_pipelined_plaintext(self):
        # STARTTLS command injection (CVE-2011-0411 class): a LOGIN sent in plaintext right behind STARTTLS, read
        # before the handshake, must never run — not before TLS, and not as if it had arrived over TLS.
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        r.send(f's STARTTLS\r\ninj LOGIN {ALICE} "{PASSWORD}"\r\n')
        self.assertTrue(r.line().startswith(b"s OK"))
        r.buf = b""
        r.sock = self.srv.tls_client_context().wrap_socket(r.sock, server_hostname="localhost")
        lines = r.cmd("c", "CAPABILITY")
        self.assertFalse(any(line.startswith(b"inj ") for line in lines), lines)
        self.assertIn(b"AUTH=", b" ".join(lines))  # still not authenticated: login mechanisms offered
        lines = r.cmd("x", "SELECT INBOX")
        self.assertTrue(lines[-1].startswith(b"x BAD") or lines[-1].startswith(b"x NO"), lines)
        self.assertFalse(any(line.startswith(b"inj ") for line in lines), lines)
        self.assertTrue(r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')[-1].startswith(b"l OK"))

    def test_deep_parentheses(self):
        r = self.raw()
        lines = r.cmd("a", "SEARCH " + "(" * 200 + "ALL" + ")" * 200)
        self.assertTrue(lines[-1].startswith(b"a BAD"), lines[-1])
        self.assert_alive(r)

    def test_huge_sequence_sets(self):
        r = self.raw()
        # 100,000 numbers do not fit in a command line (limits.imap.max_line_length): the line is refused whole.
        big = ",".join(str(i) for i in range(1, 100001))
        r.send(f"a UID FETCH {big} (FLAGS)\r\n")
        self.assertTrue(r.line().startswith(b"* BAD [TOOBIG]"))
        # 10,000 fit.
        big = ",".join(str(i) for i in range(1, 10001))
        lines = r.cmd("a2", f"UID FETCH {big} (FLAGS)")
        self.assertTrue(lines[-1].startswith(b"a2 OK"), lines[-1])
        self.assertEqual(len(lines), 4)
        lines = r.cmd("b", "UID FETCH 1:4294967295 (UID)")
        self.assertTrue(lines[-1].startswith(b"b OK"))
        self.assertEqual(len(lines), 4)
        self.assert_alive(r)

    def test_star_and_dollar(self):
        r = self.raw()
        self.assertEqual(r.cmd("a", "FETCH * (UID)")[0], b"* 3 FETCH (UID 3)")
        self.assertEqual(r.cmd("b", "UID FETCH 1000:* (UID)")[0], b"* 3 FETCH (UID 3)")
        self.assertTrue(r.cmd("c", "FETCH 4 (UID)")[-1].startswith(b"c BAD"))
        self.assertTrue(r.cmd("d", "FETCH 0 (UID)")[-1].startswith(b"d BAD"))
        # SEARCHRES (RFC 5182 §2.1): before any SEARCH … SAVE, "$" is the empty set.
        self.assertEqual(r.cmd("e", "FETCH $ (UID)"), [b"e OK FETCH completed"])
        r.cmd("f", "CREATE Empty")
        r.cmd("g", "SELECT Empty")
        self.assertEqual(r.cmd("h", "UID FETCH 1:* (UID)"), [b"h OK UID FETCH completed"])
        self.assertTrue(r.cmd("i", "FETCH 1:* (UID)")[-1].startswith(b"i BAD"))
        self.assert_alive(r)

    def test_nul_and_garbage(self):
        r = self.raw()
        r.send(b"a NOOP\x00\r\n")
        self.assertTrue(r.line().startswith(b"a BAD"))
        r.send(b"\xff\xfe\x00garbage\r\n")
        self.assertTrue(r.line().startswith(b"* BAD"))
        self.assert_alive(r)

    def test_names_cannot_escape_the_account(self):
        r = self.raw(select=False)
        for name in ('"../bob@example.test/INBOX"', '"INBOX/../../x"', '"Private"', '"/etc/passwd"'):
            self.assertRegex(r.cmd("a", f"SELECT {name}")[-1], rb"^a (NO|BAD)", name)
            self.assertRegex(r.cmd("b", f"CREATE {name}")[-1], rb"^b (NO|BAD|OK)", name)
        lines = r.cmd("c", 'LIST "" *')
        self.assertFalse(any(b"bob" in l for l in lines), lines)
        self.assert_alive(r)

    def test_unterminated_literal_then_disconnect(self):
        r = self.raw()
        r.send("a APPEND INBOX {100}\r\n")
        self.assertTrue(r.line().startswith(b"+"))
        r.send("only a few bytes")
        r.close()
        self.assert_alive(self.raw())


if __name__ == "__main__":
    unittest.main()
