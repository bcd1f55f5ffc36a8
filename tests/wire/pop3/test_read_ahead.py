"""RETR read-ahead (RFC 1939 §5): a client fetching in order gets its responses prepared in batches; every path must
stay byte-exact and keep DELE/RSET and concurrent-expunge semantics. Sizes chosen to cross the read paths: a few KB
and 100 KB live in the database, 200 KB is a blob file read whole, 300 KB is streamed in chunks (never read ahead)."""
import imaplib
import unittest

from pop3.pop3_util import ALICE, PASSWORD, TIMEOUT_S, Raw, deliver, stored_blob, start_server, stop_server

REMOVED = b"-ERR Message was removed by another session"


def body_of(tag, kib):
    """About `kib` KiB of lines, every third one starting with a dot (so stuffing happens all along)."""
    lines = max(1, kib * 1024 // 70)
    return "".join(f"{'.' if i % 3 == 0 else ''}{tag}-{i:06d} {'r' * 60}\n" for i in range(lines))


def message(tag, kib):
    return f"From: sender@example.test\nTo: {ALICE}\nSubject: {tag}\n\n{body_of(tag, kib)}"


class ReadAhead(unittest.TestCase):
    def setUp(self):
        self.srv = start_server()
        self.addCleanup(stop_server, self.srv)
        self.srv.add_user(ALICE, PASSWORD)

    def raw(self):
        r = Raw(self.srv.ports["pop3"])
        self.addCleanup(r.close)
        r.login()
        return r

    def deliver_all(self, sizes_kib):
        for i, kib in enumerate(sizes_kib):
            deliver(self.srv, ALICE, message(f"m{i + 1}", kib))

    def retr_exact(self, r, n, stored=True):
        """RETR n must succeed and give exactly the stored message LIST announces (stored=False: its blob is gone)."""
        size = int(r.cmd(f"LIST {n}").split()[2])
        status = r.cmd(f"RETR {n}")
        self.assertEqual(status, f"+OK {size} octets".encode(), f"RETR {n}")
        data = r.multiline()
        self.assertEqual(len(data), size, f"RETR {n}")
        if stored:
            self.assertEqual(stored_blob(self.srv, data), data, f"RETR {n} is exactly a stored blob")
        self.assertIn(f"Subject: m{n}\r\n".encode(), data)
        return data

    def barrier(self, r):
        """A NOOP answered means the previous RETR's read-ahead has finished (it runs before the next command)."""
        self.assertEqual(r.cmd("NOOP"), b"+OK")

    def test_many_messages_in_order_are_byte_exact(self):
        sizes = [2, 6, 1, 100, 3, 6, 6, 2, 40, 6, 1, 6, 6, 100, 2, 6, 6, 6, 1, 6, 6, 6, 3, 6, 6, 6, 6, 6, 2, 6,
                 6, 6, 100, 6, 6, 6, 1, 6, 6, 6]
        self.deliver_all(sizes)
        r = self.raw()
        for n in range(1, len(sizes) + 1):
            self.retr_exact(r, n)
        # A second pass in order, then pipelined: every response still in order and intact.
        for n in range(1, len(sizes) + 1):
            self.retr_exact(r, n)
        r.send(b"".join(f"RETR {n}\r\n".encode() for n in range(1, len(sizes) + 1)))
        for n in range(1, len(sizes) + 1):
            self.assertTrue(r.line().startswith(b"+OK"), n)
            self.assertIn(f"Subject: m{n}\r\n".encode(), r.multiline())

    def test_mixed_small_and_large_messages(self):
        # 300 KiB is over the one-piece limit: streamed, never read ahead; the batch stops before it and resumes after.
        sizes = [3, 300, 5, 200, 100, 300, 300, 2, 6, 200, 6, 6]
        self.deliver_all(sizes)
        r = self.raw()
        for n in range(1, len(sizes) + 1):
            self.retr_exact(r, n)
        for n in (12, 1, 2, 3, 11, 7, 8, 9, 10, 4, 5, 6):
            self.retr_exact(r, n)

    def test_out_of_order_and_top_in_between(self):
        self.deliver_all([6] * 20)
        r = self.raw()
        for n in (1, 2, 3, 4, 9, 5, 6, 20, 19, 7, 8, 10, 11, 1, 12):
            self.retr_exact(r, n)
        # TOP between RETRs neither breaks nor consumes the read-ahead.
        self.retr_exact(r, 13)
        self.barrier(r)
        self.assertTrue(r.cmd("TOP 14 0").startswith(b"+OK"))
        self.assertTrue(r.multiline().endswith(b"Subject: m14\r\n\r\n"))
        for n in (14, 15, 16):
            self.retr_exact(r, n)

    def test_dele_then_retr_and_rset(self):
        self.deliver_all([6] * 24)
        r = self.raw()
        for n in (1, 2, 3):
            self.retr_exact(r, n)
        self.barrier(r)  # 4 is read ahead now (batches of 1, 2, 4... messages)
        self.assertTrue(r.cmd("DELE 4").startswith(b"+OK"))
        self.assertEqual(r.cmd("RETR 4"), b"-ERR Message 4 already deleted")
        self.retr_exact(r, 5)
        # A message deleted before it is planned is skipped; the next one is served.
        self.assertTrue(r.cmd("DELE 7").startswith(b"+OK"))
        self.retr_exact(r, 6)
        self.assertEqual(r.cmd("RETR 7"), b"-ERR Message 7 already deleted")
        for n in range(8, 13):
            self.retr_exact(r, n)
        self.assertTrue(r.cmd("RSET").startswith(b"+OK Maildrop has 24 messages"))
        self.retr_exact(r, 4)
        self.retr_exact(r, 7)
        for n in range(13, 25):
            self.retr_exact(r, n)
        self.assertTrue(r.cmd("DELE 24").startswith(b"+OK"))
        self.assertTrue(r.cmd("QUIT").startswith(b"+OK"))
        self.assertTrue(r.closed())

    def test_message_expunged_by_imap_mid_batch(self):
        self.deliver_all([6] * 20)
        r = self.raw()
        for n in (1, 2, 3):
            self.retr_exact(r, n)
        self.barrier(r)  # 4 is read ahead now (batches of 1, 2, 4... messages); 12 is read later
        imap = imaplib.IMAP4("127.0.0.1", self.srv.ports["imap"], timeout=TIMEOUT_S)
        try:
            imap.login(ALICE, PASSWORD)
            imap.select("INBOX")
            # Sequence numbers are POP3's message numbers here (nothing was removed yet).
            self.assertEqual(imap.store("4,12", "+FLAGS.SILENT", r"(\Deleted)")[0], "OK")
            self.assertEqual(imap.expunge()[0], "OK")
        finally:
            imap.logout()
        # 4 was prepared before the expunge: it is served (its blob is gone now) as a RETR that came just before the
        # expunge would have been.
        self.retr_exact(r, 4, stored=False)
        for n in range(5, 21):
            if n == 12:
                self.assertEqual(r.cmd("RETR 12"), REMOVED)
            else:
                self.retr_exact(r, n)
        # The numbers stay those of the snapshot, and the session ends normally (the expunged messages are skipped).
        self.assertTrue(r.cmd("DELE 12").startswith(b"+OK"))
        self.assertTrue(r.cmd("QUIT").startswith(b"+OK"))
        self.assertTrue(r.closed())


if __name__ == "__main__":
    unittest.main()
