"""IDLE learns of mail stored by another process (`claret deliver`, what Postfix runs as its LDA), which is not on
the server's in-process change bus: the session checks the store's commit stamp every limits.imap.idle_poll_s
(1 s here) and re-reads its mailbox when something was committed. Nothing is pushed when nothing changed."""
import socket
import time
import unittest

from claret_harness import edit_config
from imap.imap_util import ALICE, PASSWORD, Raw, deliver, make_message, start_server, stop_server


class IdleOtherProcess(unittest.TestCase):
    def setUp(self):
        self.srv = start_server({("limits.imap", "idle_poll_s"): "1"})
        self.addCleanup(stop_server, self.srv)
        self.srv.add_user(ALICE, PASSWORD)
        deliver(self.srv, ALICE, make_message("before"))

    def idle(self):
        r = Raw(self.srv.ports["imap"], timeout=10)
        self.addCleanup(r.close)
        r.line()
        self.assertIn(b"OK", r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')[-1])
        self.assertIn(b"OK", r.cmd("e", "ENABLE IMAP4rev2")[-1])  # no RECENT lines between the EXISTS
        self.assertIn(b"* 1 EXISTS", r.cmd("s", "SELECT INBOX"))
        r.send("i IDLE\r\n")
        self.assertTrue(r.line().startswith(b"+ "))
        return r

    def test_cli_delivery_is_pushed_within_a_few_polls(self):
        r = self.idle()
        started = time.monotonic()
        deliver(self.srv, ALICE, make_message("from claret deliver"))
        self.assertEqual(r.line(), b"* 2 EXISTS")
        self.assertLess(time.monotonic() - started, 8)
        deliver(self.srv, ALICE, make_message("and another"))
        self.assertEqual(r.line(), b"* 3 EXISTS")
        r.send("DONE\r\n")
        self.assertTrue(r.until_tagged("i")[-1].startswith(b"i OK"))

    def test_nothing_is_pushed_when_nothing_changed(self):
        r = self.idle()
        r.sock.settimeout(2.5)  # two and a half polls
        with self.assertRaises(socket.timeout):
            r.line()
        r.sock.settimeout(10)
        r.send("DONE\r\n")
        self.assertEqual(r.until_tagged("i"), [b"i OK IDLE terminated"])

    def test_poll_interval_is_validated(self):
        self.assertEqual(self.srv.cli("config", "check", check=False).returncode, 0)
        edit_config(self.srv.config, {("limits.imap", "idle_poll_s"): "0"})
        proc = self.srv.cli("config", "check", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("idle_poll_s must be between 1 and 3600", proc.stderr)


if __name__ == "__main__":
    unittest.main()
