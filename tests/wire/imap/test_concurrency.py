"""Sessions sharing a mailbox: deliveries, flag changes and expunges made elsewhere reach a selected session as
untagged EXISTS / FETCH / EXPUNGE, never an EXPUNGE during FETCH, STORE or SEARCH, and an IDLE session learns of a
delivery within a second (RFC 9051 §7.5.1, RFC 2177)."""
import time
import unittest

from imap.imap_util import (ALICE, PASSWORD, Raw, client, close_quietly, deliver, lmtp_deliver, make_message, start_server,
                            stop_server)


class Shared(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self, mailbox):
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')
        r.cmd("s", f"SELECT {mailbox}")
        return r

    def other(self, mailbox, count):
        c = client(self.srv)
        self.addCleanup(close_quietly, c)
        c.create(mailbox)
        for i in range(count):
            c.append(mailbox, None, None, make_message(f"{mailbox}{i}").encode())
        c.select(mailbox)
        return c

    def test_idle_sees_delivery_within_a_second(self):
        a = self.raw("INBOX")
        a.send("i IDLE\r\n")
        self.assertEqual(a.line(), b"+ idling")
        lmtp_deliver(self.srv, ALICE, make_message("pushed"))
        start = time.monotonic()
        line = a.line()
        self.assertLess(time.monotonic() - start, 1.0)
        self.assertRegex(line, rb"^\* \d+ EXISTS$")
        a.send("DONE\r\n")
        self.assertTrue(a.until_tagged("i")[-1].startswith(b"i OK"))

    def test_idle_sees_flags_and_expunge(self):
        b = self.other("IdleBox", 3)
        a = self.raw("IdleBox")
        a.send("i IDLE\r\n")
        self.assertEqual(a.line(), b"+ idling")
        b.store("2", "+FLAGS", "\\Flagged")
        self.assertEqual(a.line(), b"* 2 FETCH (UID 2 FLAGS (\\Flagged))")
        b.store("1", "+FLAGS", "\\Deleted")
        a.line()  # the flag change
        b.expunge()
        self.assertEqual(a.line(), b"* 1 EXPUNGE")
        a.send("DONE\r\n")
        self.assertTrue(a.until_tagged("i")[-1].startswith(b"i OK"))

    def test_no_expunge_during_fetch_store_search(self):
        b = self.other("Shared", 3)
        a = self.raw("Shared")
        b.store("1", "+FLAGS", "\\Deleted")
        b.expunge()
        time.sleep(0.3)
        for tag, cmd in (("f", "FETCH 1:* (FLAGS)"), ("t", "STORE 3 +FLAGS (\\Seen)"), ("q", "SEARCH ALL")):
            lines = a.cmd(tag, cmd)
            self.assertFalse(any(l.endswith(b"EXPUNGE") for l in lines), lines)
        lines = a.cmd("n", "NOOP")
        self.assertIn(b"* 1 EXPUNGE", lines)
        # Afterwards the numbers are the new ones.
        self.assertEqual(a.cmd("q2", "SEARCH ALL")[0], b"* SEARCH 1 2")

    def test_other_sessions_changes_on_noop(self):
        b = self.other("Notes", 1)
        a = self.raw("Notes")
        b.append("Notes", None, None, make_message("n2").encode())
        b.store("1", "+FLAGS", "\\Answered")
        time.sleep(0.3)
        lines = a.cmd("n", "NOOP")
        self.assertIn(b"* 2 EXISTS", lines)
        self.assertIn(b"* 1 FETCH (UID 1 FLAGS (\\Answered))", lines)

    def test_noop_sees_other_processes_deliveries(self):
        a = self.raw("INBOX")
        count = int(a.cmd("c", "STATUS INBOX (MESSAGES)")[0].split(b"MESSAGES ")[1].rstrip(b")"))
        # Polls with nothing committed in between skip the store read (Session::listed_at); the delivery is a commit.
        self.assertEqual(a.cmd("n0", "NOOP")[-1], b"n0 OK NOOP completed")
        self.assertEqual(a.cmd("n1", "NOOP"), [b"n1 OK NOOP completed"])
        deliver(self.srv, ALICE, make_message("from the cli"))
        self.assertIn(f"* {count + 1} EXISTS".encode(), a.cmd("n", "NOOP"))
        deliver(self.srv, ALICE, make_message("from the cli again"))
        self.assertIn(f"* {count + 2} EXISTS".encode(), a.cmd("k", "CHECK"))

    def test_own_store_is_not_echoed(self):
        a = self.raw("INBOX")
        a.cmd("t", "STORE 1 +FLAGS (\\Flagged)")
        time.sleep(0.3)
        self.assertEqual(a.cmd("n", "NOOP"), [b"n OK NOOP completed"])


if __name__ == "__main__":
    unittest.main()
