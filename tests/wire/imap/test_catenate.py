"""CATENATE (RFC 4469) at the wire with URLAUTH-less IMAP URLs (RFC 5092 subset) to the user's own messages: the
RFC's forwarding example (a header from one message, new text, a part of another), ;PARTIAL=, BADURL for URLs
naming nothing (wrong UIDVALIDITY, missing UID or mailbox, another user), TOOBIG over APPENDLIMIT."""
import re
import unittest

from imap.imap_util import ALICE, BOB, PASSWORD, Raw, client, close_quietly, start_server, stop_server

APPEND_LIMIT = 20000

FIRST = ("From: a@example.test\r\nSubject: original\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfirst part\r\n"
         "--b\r\nContent-Type: text/plain\r\n\r\nsecond part\r\n--b--\r\n")


class Catenate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server({("limits.smtp", "max_message_size"): str(APPEND_LIMIT)})
        cls.srv.add_user(ALICE, PASSWORD)
        cls.srv.add_user(BOB, PASSWORD)
        c = client(cls.srv)
        c.create("Src")
        typ, data = c.append("Src", None, None, FIRST.encode())
        assert typ == "OK", data
        cls.uid = int(re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1))
        typ, data = c.select("Src")
        cls.uidvalidity = int(c.response("UIDVALIDITY")[1][0])
        c.logout()

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self, user=ALICE):
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        lines = r.cmd("l", f'LOGIN {user} "{PASSWORD}"')
        self.assertIn(b" CATENATE ", lines[-1])
        return r

    def url(self, rest=""):
        return f"/Src;UIDVALIDITY={self.uidvalidity}/;UID={self.uid}{rest}"

    def fetch_last(self, r, mailbox):
        r.cmd("x", f"EXAMINE {mailbox}")
        r.send("f FETCH * (BODY.PEEK[])\r\n")
        first = r.line()
        m = re.search(rb"\{(\d+)\}$", first)
        self.assertIsNotNone(m, first)
        n = int(m.group(1))
        while len(r.buf) < n:
            r.buf += r.sock.recv(65536)
        body, r.buf = r.buf[:n], r.buf[n:]
        r.until_tagged("f")
        return body

    def test_rfc4469_style_forward(self):
        r = self.raw()
        r.cmd("c", "CREATE Out1")
        text = "\r\nForwarded:\r\n"
        r.send(f'a APPEND Out1 (\\Draft) CATENATE (URL "{self.url("/;SECTION=HEADER")}" TEXT {{{len(text)}+}}\r\n'
               f'{text} URL "{self.url("/;section=2")}" URL "imap://alice%40example.test@localhost{self.url()}")\r\n')
        lines = r.until_tagged("a")
        self.assertTrue(lines[-1].startswith(b"a OK [APPENDUID "), lines)
        header = FIRST[:FIRST.index("\r\n\r\n") + 4]
        self.assertEqual(self.fetch_last(r, "Out1"), (header + text + "second part" + FIRST).encode())

    def test_partial(self):
        r = self.raw()
        r.cmd("c", "CREATE Out2")
        r.send(f'a APPEND Out2 CATENATE (URL "{self.url("/;PARTIAL=6.15")}")\r\n')
        self.assertTrue(r.until_tagged("a")[-1].startswith(b"a OK"))
        self.assertEqual(self.fetch_last(r, "Out2"), FIRST[6:21].encode())

    def test_bad_urls(self):
        r = self.raw()
        r.cmd("c", "CREATE Out3")
        before = r.cmd("s", "STATUS Out3 (MESSAGES UIDNEXT)")[0]
        for n, url in enumerate((f"/Src;UIDVALIDITY={self.uidvalidity + 1}/;UID={self.uid}",
                                 f"/Src/;UID={self.uid + 100}", f"/Nope/;UID={self.uid}",
                                 self.url("/;SECTION=9"), f"imap://bob%40example.test@localhost{self.url()}",
                                 self.url(";URLAUTH=anonymous:internal:00"), "not a url")):
            r.send(f'b{n} APPEND Out3 CATENATE (TEXT {{2+}}\r\nhi URL "{url}")\r\n')
            lines = r.until_tagged(f"b{n}")
            self.assertTrue(lines[-1].startswith(f"b{n} NO [BADURL ".encode()), (url, lines))
        self.assertEqual(r.cmd("s", "STATUS Out3 (MESSAGES UIDNEXT)")[0], before)

    def test_other_users_mailbox_is_not_reachable(self):
        r = self.raw(user=BOB)
        r.send(f'a APPEND INBOX CATENATE (URL "{self.url()}")\r\n')
        self.assertTrue(r.until_tagged("a")[-1].startswith(b"a NO [BADURL "))

    def test_too_big(self):
        r = self.raw()
        r.cmd("c", "CREATE Out4")
        big = "x" * 15000
        r.send(f'a APPEND Out4 CATENATE (TEXT {{{len(big)}+}}\r\n{big} TEXT {{{len(big)}+}}\r\n{big})\r\n')
        self.assertTrue(r.until_tagged("a")[-1].startswith(b"a NO [TOOBIG]"))
        self.assertTrue(r.cmd("n", "NOOP")[-1].startswith(b"n OK"))


if __name__ == "__main__":
    unittest.main()
