"""Several sessions on one INBOX: each POP3 session works on the snapshot taken at login; messages removed by
another session meanwhile are handled without error; deliveries during a session appear at the next login;
parallel readers all get byte-identical messages."""
import threading
import unittest

from pop3.pop3_util import ALICE, PASSWORD, Raw, deliver, inbox_count, make_message, start_server, stop_server


class Concurrency(unittest.TestCase):
    def setUp(self):
        self.srv = start_server()
        self.addCleanup(stop_server, self.srv)
        self.srv.add_user(ALICE, PASSWORD)

    def raw(self):
        r = Raw(self.srv.ports["pop3"])
        self.addCleanup(r.close)
        return r

    def test_message_removed_by_another_session(self):
        deliver(self.srv, ALICE, make_message("first", "unique body one\n"))
        deliver(self.srv, ALICE, make_message("second", "unique body two\n"))
        a, b = self.raw(), self.raw()
        a.login()
        b.login()
        uidl_b = b.cmd("UIDL 1")
        self.assertTrue(a.cmd("DELE 1").startswith(b"+OK"))
        self.assertTrue(a.cmd("QUIT").startswith(b"+OK"))
        self.assertTrue(a.closed())
        self.assertEqual(inbox_count(self.srv, ALICE), 1)
        # B still has its snapshot: numbers and unique-ids unchanged.
        self.assertTrue(b.cmd("STAT").startswith(b"+OK 2 "))
        self.assertEqual(b.cmd("UIDL 1"), uidl_b)
        reply = b.cmd("RETR 1")
        if reply.startswith(b"+OK"):
            self.assertIn(b"unique body one", b.multiline())  # the blob was still readable
        else:
            self.assertEqual(reply, b"-ERR Message was removed by another session")
        self.assertTrue(b.cmd("RETR 2").startswith(b"+OK"))
        self.assertIn(b"unique body two", b.multiline())
        # Deleting what is already gone, plus the other message: QUIT succeeds and removes the one left.
        self.assertTrue(b.cmd("DELE 1").startswith(b"+OK"))
        self.assertTrue(b.cmd("DELE 2").startswith(b"+OK"))
        self.assertTrue(b.cmd("QUIT").startswith(b"+OK"))
        self.assertTrue(b.closed())
        self.assertEqual(inbox_count(self.srv, ALICE), 0)

    def test_delivery_during_a_session_appears_at_next_login(self):
        deliver(self.srv, ALICE, make_message("before"))
        r = self.raw()
        r.login()
        deliver(self.srv, ALICE, make_message("during"))
        self.assertTrue(r.cmd("STAT").startswith(b"+OK 1 "))
        self.assertTrue(r.cmd("RETR 2").startswith(b"-ERR"))
        self.assertTrue(r.cmd("DELE 1").startswith(b"+OK"))
        self.assertTrue(r.cmd("QUIT").endswith(b"(1 messages left)"))  # the new one survives
        r2 = self.raw()
        r2.login()
        self.assertTrue(r2.cmd("STAT").startswith(b"+OK 1 "))
        self.assertTrue(r2.cmd("TOP 1 0").startswith(b"+OK"))
        self.assertIn(b"Subject: during", r2.multiline())

    def test_parallel_readers_and_deliveries(self):
        for i in range(10):
            deliver(self.srv, ALICE, make_message(f"m{i}", f"body {i}\n" + ".dot\n" * i))
        reference = self.raw()
        reference.login()
        expected = []
        for n in range(1, 11):
            self.assertTrue(reference.cmd(f"RETR {n}").startswith(b"+OK"))
            expected.append(reference.multiline())
        errors = []

        def reader():
            try:
                for _ in range(3):
                    r = Raw(self.srv.ports["pop3"])
                    try:
                        r.login()
                        got = []
                        for n in range(1, 11):
                            assert r.cmd(f"RETR {n}").startswith(b"+OK")
                            got.append(r.multiline())
                        assert got == expected, "a parallel reader got different bytes"
                        assert r.cmd("QUIT").startswith(b"+OK")
                    finally:
                        r.close()
            except Exception as e:  # reported in the main thread
                errors.append(repr(e))

        def deliverer():
            try:
                for i in range(5):
                    deliver(self.srv, ALICE, make_message(f"late{i}"))
            except Exception as e:
                errors.append(repr(e))

        threads = [threading.Thread(target=reader) for _ in range(6)] + [threading.Thread(target=deliverer)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
            self.assertFalse(t.is_alive(), "a worker did not finish within 60 s")
        self.assertEqual(errors, [])
        self.assertEqual(inbox_count(self.srv, ALICE), 15)


if __name__ == "__main__":
    unittest.main()
