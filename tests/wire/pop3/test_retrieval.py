"""RFC 1939 retrieval over plain POP3 on loopback (plaintext allowed there by the administrator): STAT, LIST,
RETR/TOP byte-exact with dot-stuffing, UIDL stability, DELE only at QUIT, RSET, dropped connections, pipelining."""
import poplib
import unittest

from pop3.pop3_util import (ALICE, BOB, PASSWORD, Raw, stored_blob, deliver, inbox_count, inbox_status, make_message,
                            start_server, stop_server)

DOTS = "line one\n.starts with a dot\n..two dots\n.\nlast\n"


class Retrieval(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)
        cls.srv.add_user(BOB, PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def setUp(self):
        # Each test starts from an empty maildrop for alice.
        r = self.raw()
        r.login()
        count = int(r.cmd("STAT").split()[1])
        for n in range(1, count + 1):
            self.assertTrue(r.cmd(f"DELE {n}").startswith(b"+OK"))
        self.assertTrue(r.cmd("QUIT").startswith(b"+OK"))
        r.close()

    def raw(self):
        r = Raw(self.srv.ports["pop3"])
        self.addCleanup(r.close)
        return r

    def pop(self):
        p = poplib.POP3("127.0.0.1", self.srv.ports["pop3"], timeout=20)
        self.addCleanup(p.close)
        p.user(ALICE)
        p.pass_(PASSWORD)
        return p

    def test_greeting_has_no_apop_timestamp(self):
        r = self.raw()
        self.assertTrue(r.greeting.startswith(b"+OK"))
        self.assertNotIn(b"<", r.greeting)
        self.assertTrue(r.cmd("APOP alice@example.test c4c9334bac560ecc979e58001b3e22fb").startswith(b"-ERR"))

    def test_stat_list_retr_are_byte_exact(self):
        deliver(self.srv, ALICE, make_message("first", DOTS))
        deliver(self.srv, ALICE, make_message("second", "x" * 5000 + "\n"))
        p = self.pop()
        count, size = p.stat()
        self.assertEqual(count, 2)
        listing = p.list()[1]
        sizes = [int(l.split()[1]) for l in listing]
        self.assertEqual(sum(sizes), size)
        r = self.raw()
        r.login()
        for n in (1, 2):
            status = r.cmd(f"RETR {n}")
            self.assertEqual(status, f"+OK {sizes[n - 1]} octets".encode())
            data = r.multiline()
            self.assertEqual(len(data), sizes[n - 1])
            self.assertEqual(stored_blob(self.srv, data), data, "the retrieved bytes are exactly a stored blob")
        retr = p.retr(1)[1]
        self.assertIn(b".starts with a dot", retr)  # poplib un-stuffs; the raw line had "..starts"
        self.assertIn(b"..two dots", retr)
        self.assertIn(b".", retr)

    def test_dot_stuffing_on_the_wire(self):
        deliver(self.srv, ALICE, make_message("dots", DOTS))
        r = self.raw()
        r.login()
        r.send(b"RETR 1\r\n")
        self.assertTrue(r.line().startswith(b"+OK"))
        lines = []
        while True:
            line = r.line()
            if line == b".":
                break
            lines.append(line)
        self.assertIn(b"..starts with a dot", lines)
        self.assertIn(b"...two dots", lines)
        self.assertIn(b"..", lines)

    def test_large_message_streams_intact(self):
        body = "".join(f".{i:07d} {'y' * 70}\n" for i in range(40000))  # about 3.2 MB, every line dot-stuffed
        deliver(self.srv, ALICE, make_message("large", body))
        r = self.raw()
        r.login()
        size = int(r.cmd("LIST 1").split()[2])
        self.assertGreater(size, 3_000_000)
        self.assertTrue(r.cmd("RETR 1").startswith(b"+OK"))
        data = r.multiline()
        self.assertEqual(len(data), size)
        self.assertEqual(stored_blob(self.srv, data), data)

    def test_mid_size_messages_are_byte_exact_on_every_read_path(self):
        # 100 KB is kept inside the database, 200 KB is a blob file read whole (the one-piece path up to 256 KiB),
        # 300 KB is streamed in chunks: each comes out with its dot-stuffing undone byte for byte, also when
        # fetched in order (the read-ahead) and out of order.
        for kib in (100, 200, 300):
            body = "".join(f"{'.' if i % 3 == 0 else ''}{kib}-{i:06d} {'z' * 60}\n" for i in range(kib * 1024 // 70))
            deliver(self.srv, ALICE, make_message(f"mid {kib}", body))
        r = self.raw()
        r.login()
        for n in (1, 2, 3, 2, 1, 3):
            size = int(r.cmd(f"LIST {n}").split()[2])
            self.assertTrue(r.cmd(f"RETR {n}").startswith(b"+OK"))
            data = r.multiline()
            self.assertEqual(len(data), size)
            self.assertEqual(stored_blob(self.srv, data), data)

    def test_top(self):
        deliver(self.srv, ALICE, make_message("top", "b1\n.b2\nb3\nb4\n"))
        r = self.raw()
        r.login()
        self.assertTrue(r.cmd("TOP 1 0").startswith(b"+OK"))
        head = r.multiline()
        self.assertTrue(head.endswith(b"Subject: top\r\n\r\n"), head)
        self.assertTrue(r.cmd("TOP 1 2").startswith(b"+OK"))
        self.assertEqual(r.multiline(), head + b"b1\r\n.b2\r\n")
        self.assertTrue(r.cmd("TOP 1 1000000000000").startswith(b"+OK"))
        self.assertEqual(r.multiline(), head + b"b1\r\n.b2\r\nb3\r\nb4\r\n")

    def test_uidl_is_stable_and_derived_from_uidvalidity_and_uid(self):
        deliver(self.srv, ALICE, make_message("u1"))
        deliver(self.srv, ALICE, make_message("u2"))
        first = self.pop().uidl()[1]
        uidvalidity = inbox_status(self.srv, ALICE)["uidvalidity"]
        ids = [l.split()[1].decode() for l in first]
        self.assertEqual(len(set(ids)), 2)
        for uid in ids:
            self.assertEqual(uid.split(".")[0], str(uidvalidity))
        # Deleting the first message renumbers the second, but its unique-id stays.
        r = self.raw()
        r.login()
        self.assertTrue(r.cmd("DELE 1").startswith(b"+OK"))
        self.assertTrue(r.cmd("QUIT").startswith(b"+OK"))
        again = self.pop().uidl()[1]
        self.assertEqual([l.split()[1].decode() for l in again], [ids[1]])
        self.assertEqual(self.pop().uidl(1), f"+OK 1 {ids[1]}".encode())

    def test_dele_takes_effect_only_at_quit(self):
        for i in range(3):
            deliver(self.srv, ALICE, make_message(f"d{i}"))
        r = self.raw()
        r.login()
        self.assertTrue(r.cmd("DELE 2").startswith(b"+OK"))
        self.assertEqual(r.cmd("STAT").split()[1], b"2")
        self.assertTrue(r.cmd("RETR 2").startswith(b"-ERR"))
        self.assertTrue(r.cmd("LIST 2").startswith(b"-ERR"))
        self.assertTrue(r.cmd("DELE 2").startswith(b"-ERR"))
        r.send(b"LIST\r\n")
        self.assertTrue(r.line().startswith(b"+OK"))
        self.assertEqual([l.split()[0] for l in r.multiline().split(b"\r\n") if l], [b"1", b"3"])
        self.assertEqual(inbox_count(self.srv, ALICE), 3)  # nothing removed before QUIT
        self.assertTrue(r.cmd("QUIT").startswith(b"+OK"))
        self.assertTrue(r.closed())
        self.assertEqual(inbox_count(self.srv, ALICE), 2)

    def test_dropped_connection_deletes_nothing(self):
        deliver(self.srv, ALICE, make_message("keep"))
        r = self.raw()
        r.login()
        self.assertTrue(r.cmd("DELE 1").startswith(b"+OK"))
        r.close()
        self.assertEqual(inbox_count(self.srv, ALICE), 1)
        self.assertEqual(self.pop().stat()[0], 1)

    def test_rset_undeletes(self):
        deliver(self.srv, ALICE, make_message("r1"))
        deliver(self.srv, ALICE, make_message("r2"))
        r = self.raw()
        r.login()
        r.cmd("DELE 1")
        r.cmd("DELE 2")
        self.assertEqual(r.cmd("STAT").split()[1], b"0")
        self.assertTrue(r.cmd("RSET").startswith(b"+OK Maildrop has 2 messages"))
        self.assertTrue(r.cmd("QUIT").startswith(b"+OK"))
        self.assertEqual(inbox_count(self.srv, ALICE), 2)

    def test_retrieved_messages_are_marked_seen_at_quit(self):
        deliver(self.srv, ALICE, make_message("s1"))
        deliver(self.srv, ALICE, make_message("s2"))
        self.assertEqual(inbox_status(self.srv, ALICE)["unseen"], 2)
        r = self.raw()
        r.login()
        self.assertTrue(r.cmd("RETR 2").startswith(b"+OK"))
        r.multiline()
        self.assertTrue(r.cmd("TOP 1 0").startswith(b"+OK"))  # TOP is not reading
        r.multiline()
        self.assertEqual(inbox_status(self.srv, ALICE)["unseen"], 2)
        self.assertTrue(r.cmd("QUIT").startswith(b"+OK"))
        self.assertTrue(r.closed())
        self.assertEqual(inbox_status(self.srv, ALICE)["unseen"], 1)

    def test_pipelined_commands_get_answers_in_order(self):
        deliver(self.srv, ALICE, make_message("pipe", DOTS))
        r = self.raw()
        r.send(f"USER {ALICE}\r\nPASS {PASSWORD}\r\nSTAT\r\nLIST\r\nUIDL 1\r\nRETR 1\r\nTOP 1 1\r\nNOOP\r\nQUIT\r\n"
               .encode())
        self.assertTrue(r.line().startswith(b"+OK"))  # USER
        self.assertTrue(r.line().startswith(b"+OK Logged in"))
        self.assertTrue(r.line().startswith(b"+OK 1 "))
        self.assertTrue(r.line().startswith(b"+OK"))
        self.assertEqual(len(r.multiline().split(b"\r\n")), 2)
        self.assertTrue(r.line().startswith(b"+OK 1 "))
        self.assertTrue(r.line().startswith(b"+OK"))
        self.assertIn(b".starts with a dot", r.multiline())
        self.assertTrue(r.line().startswith(b"+OK"))
        self.assertTrue(r.multiline().endswith(b"\r\n\r\nline one\r\n"))
        self.assertEqual(r.line(), b"+OK")
        self.assertTrue(r.line().startswith(b"+OK"))
        self.assertTrue(r.closed())

    def test_empty_maildrop_and_other_users_mail(self):
        deliver(self.srv, BOB, make_message("for bob"))
        p = self.pop()
        self.assertEqual(p.stat(), (0, 0))
        self.assertEqual(p.list()[1], [])
        self.assertTrue(p.noop().startswith(b"+OK"))

    def test_wrong_password_and_unknown_user(self):
        for user, pw in ((ALICE, "wrong"), ("nobody@example.test", PASSWORD)):
            r = self.raw()
            self.assertTrue(r.cmd(f"USER {user}").startswith(b"+OK"))
            self.assertEqual(r.cmd(f"PASS {pw}"), b"-ERR [AUTH] Authentication failed")
            self.assertTrue(r.cmd("PASS " + PASSWORD).startswith(b"-ERR"))  # USER must come again
            self.assertTrue(r.cmd("STAT").startswith(b"-ERR"))


if __name__ == "__main__":
    unittest.main()
