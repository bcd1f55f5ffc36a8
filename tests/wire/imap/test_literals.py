"""Literals at the wire (RFC 7888 LITERAL+/LITERAL-, RFC 7889 APPENDLIMIT): LITERAL- before login (4096 bytes),
LITERAL+ after it, sizes checked before any byte is read, and a non-synchronizing literal over a limit answered
BAD [TOOBIG] followed by closing the connection (RFC 7888 §4)."""
import unittest

from imap.imap_util import ALICE, PASSWORD, Raw, client, close_quietly, start_server, stop_server

APPEND_LIMIT = 100000  # limits.smtp.max_message_size below limits.imap.max_literal_size: the smaller one applies


class Literals(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server({("limits.smtp", "max_message_size"): str(APPEND_LIMIT)})
        cls.srv.add_user(ALICE, PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self, login=True):
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        greeting = r.line()
        self.assertIn(b" LITERAL- ", greeting)
        self.assertNotIn(b"LITERAL+", greeting)
        if login:
            lines = r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')
            self.assertTrue(lines[-1].startswith(b"l OK [CAPABILITY "), lines)
            self.assertIn(b" LITERAL+ ", lines[-1])
            self.assertNotIn(b"LITERAL-", lines[-1])
            self.assertIn(f" APPENDLIMIT={APPEND_LIMIT}".encode(), lines[-1])
        return r

    def assert_closed_after(self, r, tag):
        lines = r.until_tagged(tag)
        self.assertTrue(lines[-1].startswith(tag.encode() + b" BAD [TOOBIG]"), lines)
        self.assertTrue(r.line().startswith(b"* BYE"))
        with self.assertRaises(EOFError):
            r.line()

    def test_literal_minus_before_login(self):
        r = self.raw(login=False)
        r.send(f"a LOGIN {{{len(ALICE)}+}}\r\n{ALICE} {{{len(PASSWORD)}+}}\r\n{PASSWORD}\r\n")
        self.assertTrue(r.until_tagged("a")[-1].startswith(b"a OK"))

    def test_literal_minus_over_4096_before_login_closes(self):
        r = self.raw(login=False)
        r.send("a LOGIN {5000+}\r\n" + "x" * 100)
        self.assert_closed_after(r, "a")

    def test_literal_plus_append_after_login(self):
        r = self.raw()
        body = "Subject: plus\r\n\r\n" + "y" * 20000 + "\r\n"
        r.send(f"a APPEND INBOX (\\Seen) {{{len(body)}+}}\r\n{body}\r\nb NOOP\r\n")
        lines = r.until_tagged("a")
        self.assertTrue(lines[-1].startswith(b"a OK [APPENDUID "), lines)
        self.assertFalse(any(l.startswith(b"+ ") for l in lines), lines)  # no continuation was asked for
        self.assertTrue(r.until_tagged("b")[-1].startswith(b"b OK"))
        c = client(self.srv)
        self.addCleanup(close_quietly, c)
        c.select("INBOX", readonly=True)
        typ, data = c.uid("SEARCH", "SUBJECT", "plus")
        uid = data[0].split()[-1]
        typ, data = c.uid("FETCH", uid, "(BODY.PEEK[])")
        self.assertEqual(data[0][1], body.encode())

    def test_multiappend_with_non_sync_literals(self):
        r = self.raw()
        m1, m2 = "Subject: m1\r\n\r\none\r\n", "Subject: m2\r\n\r\ntwo\r\n"
        r.send(f"a APPEND INBOX {{{len(m1)}+}}\r\n{m1} {{{len(m2)}+}}\r\n{m2}\r\n")
        lines = r.until_tagged("a")
        self.assertTrue(lines[-1].startswith(b"a OK [APPENDUID "), lines)

    def test_synchronizing_append_over_appendlimit_is_refused_before_reading(self):
        r = self.raw()
        r.send(f"a APPEND INBOX {{{APPEND_LIMIT + 1}}}\r\n")
        self.assertTrue(r.line().startswith(b"a NO [TOOBIG]"))
        self.assertTrue(r.cmd("b", "NOOP")[-1].startswith(b"b OK"))

    def test_non_sync_append_over_appendlimit_closes(self):
        r = self.raw()
        r.send(f"a APPEND INBOX {{{APPEND_LIMIT + 1}+}}\r\n" + "z" * 1000)
        self.assert_closed_after(r, "a")

    def test_non_sync_literal_over_64k_in_other_commands_closes(self):
        r = self.raw()
        r.cmd("s", "SELECT INBOX")
        r.send(f"a SEARCH SUBJECT {{{64 * 1024 + 1}+}}\r\n" + "q" * 100)
        self.assert_closed_after(r, "a")

    def test_synchronizing_literal_over_64k_in_other_commands_is_refused(self):
        r = self.raw()
        r.cmd("s", "SELECT INBOX")
        r.send(f"a SEARCH SUBJECT {{{64 * 1024 + 1}}}\r\n")
        self.assertTrue(r.line().startswith(b"a NO [TOOBIG]"))
        self.assertTrue(r.cmd("b", "NOOP")[-1].startswith(b"b OK"))


if __name__ == "__main__":
    unittest.main()
