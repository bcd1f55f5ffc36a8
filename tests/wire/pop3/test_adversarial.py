"""Hostile and broken clients: commands in the wrong state, bad message numbers (0, -1, 2^40), over-long lines,
binary garbage, pipelined garbage up to the error limit, and the pre-login timeout. The server answers -ERR and keeps
going (or closes cleanly at a limit); it never crashes."""
import socket
import time
import unittest

from pop3.pop3_util import ALICE, PASSWORD, Raw, deliver, make_message, start_server, stop_server


class Adversarial(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)
        deliver(cls.srv, ALICE, make_message("one"))
        deliver(cls.srv, ALICE, make_message("two"))

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self):
        r = Raw(self.srv.ports["pop3"])
        self.addCleanup(r.close)
        return r

    def assert_alive(self, r):
        self.assertTrue(r.cmd("CAPA").startswith(b"+OK"))
        r.multiline()

    def test_commands_in_the_wrong_state(self):
        r = self.raw()
        for cmd in ("STAT", "LIST", "RETR 1", "DELE 1", "NOOP", "RSET", "TOP 1 1", "UIDL", "RETR x"):
            self.assertTrue(r.cmd(cmd).startswith(b"-ERR"), cmd)
        r.login()
        for cmd in ("USER a", "PASS b", "AUTH PLAIN", "STLS", "APOP a b"):
            self.assertTrue(r.cmd(cmd).startswith(b"-ERR"), cmd)
        self.assertTrue(r.cmd("NOOP").startswith(b"+OK"))

    def test_bad_message_numbers(self):
        r = self.raw()
        r.login()
        for cmd in ("RETR 0", "RETR -1", "RETR 1099511627776", "RETR 99999999999999999999999", "RETR 3", "TOP 0 1",
                    "TOP 1 -1", "TOP 1 x", "DELE 0", "DELE -1", "LIST 0", "LIST 1099511627776", "UIDL 3", "RETR",
                    "RETR 1 2", "RETR +1", "RETR 0x1"):
            self.assertTrue(r.cmd(cmd).startswith(b"-ERR"), cmd)
        # 17 errors: still under the limit (20), and the session works.
        self.assertTrue(r.cmd("STAT").startswith(b"+OK 2 "))
        self.assertTrue(r.cmd("RETR 1").startswith(b"+OK"))
        self.assertIn(b"Subject: ", r.multiline())

    def test_long_lines_are_refused_and_skipped(self):
        r = self.raw()
        self.assertEqual(r.cmd("USER " + "a" * 10000), b"-ERR Line too long")
        self.assertEqual(r.cmd(b"X" * 200000), b"-ERR Line too long")
        r.login()
        self.assertTrue(r.cmd("PASS " + "p" * 600).startswith(b"-ERR"))
        self.assert_alive(r)

    def test_binary_garbage(self):
        r = self.raw()
        for junk in (b"\x00\x01\x02", b"\xff\xfe USER", b"RETR \x00", b"USER \x1b[31m", b"\x80\x81\x82\x83"):
            self.assertTrue(r.cmd(junk).startswith(b"-ERR"), junk)
        self.assertTrue(r.cmd(b"USER a\rb").startswith(b"-ERR"))
        self.assert_alive(r)

    def test_pipelined_garbage_hits_the_error_limit(self):
        r = self.raw()
        r.send(b"".join(b"GARBAGE %d\r\n" % i for i in range(100)))
        replies = []
        while True:
            line = r.line()
            if not line:
                break
            replies.append(line)
        self.assertEqual(replies[-1], b"-ERR Too many errors, closing connection")
        self.assertEqual(len(replies), 21)
        self.assertTrue(all(l.startswith(b"-ERR") for l in replies))

    def test_pipelined_commands_after_quit_are_ignored(self):
        r = self.raw()
        r.login()
        r.send(b"DELE 1\r\nQUIT\r\nRSET\r\nNOOP\r\n")
        self.assertTrue(r.line().startswith(b"+OK"))
        self.assertTrue(r.line().startswith(b"+OK"))
        self.assertTrue(r.closed())
        deliver(self.srv, ALICE, make_message("one"))  # put one back for the other tests

    def test_half_close_mid_command(self):
        s = socket.create_connection(("127.0.0.1", self.srv.ports["pop3"]), timeout=20)
        self.addCleanup(s.close)
        s.recv(1024)
        s.sendall(b"USER alice@exa")
        s.shutdown(socket.SHUT_WR)
        s.settimeout(20)
        while s.recv(1024):
            pass
        r = self.raw()
        r.login()


class Timeouts(unittest.TestCase):
    """A 2-second pre-login timeout, in a server of its own so the other tests are not raced against it."""

    @classmethod
    def setUpClass(cls):
        cls.srv = start_server({("limits.pop3", "preauth_timeout_s"): "2"})

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self):
        r = Raw(self.srv.ports["pop3"])
        self.addCleanup(r.close)
        return r

    def test_preauth_timeout_closes(self):
        r = self.raw()
        start = time.monotonic()
        self.assertEqual(r.line(), b"-ERR Timeout, closing connection")
        self.assertTrue(r.closed())
        self.assertLess(time.monotonic() - start, 15)

    def test_trickled_command_is_cut_by_the_deadline(self):
        r = self.raw()
        start = time.monotonic()
        try:
            for ch in b"USER alice":
                r.send(bytes([ch]))
                time.sleep(0.3)
        except OSError:
            pass
        self.assertTrue(r.closed())
        self.assertLess(time.monotonic() - start, 15)


if __name__ == "__main__":
    unittest.main()
