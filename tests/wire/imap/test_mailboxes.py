"""Mailbox commands at the wire: LIST (patterns, SPECIAL-USE, CHILDREN), LSUB, CREATE/DELETE/RENAME, SUBSCRIBE,
STATUS, SELECT/EXAMINE responses, CLOSE versus UNSELECT, and names that must be refused (RFC 9051 §6.3, RFC 6154)."""
import re
import unittest

from imap.imap_util import ALICE, PASSWORD, Raw, client, close_quietly, deliver, make_message, start_server, stop_server


class Mailboxes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)
        deliver(cls.srv, ALICE, make_message("one"))
        deliver(cls.srv, ALICE, make_message("two"))

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def client(self):
        c = client(self.srv)
        self.addCleanup(close_quietly, c)
        return c

    def raw(self):
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')
        return r

    def test_list_special_use_and_hierarchy(self):
        c = self.client()
        typ, data = c.list()
        self.assertEqual(typ, "OK")
        lines = [d.decode() for d in data]
        self.assertIn('(\\HasNoChildren) "/" INBOX', lines)
        self.assertIn('(\\HasNoChildren \\Sent) "/" Sent', lines)
        self.assertIn('(\\HasNoChildren \\Trash) "/" Trash', lines)
        self.assertEqual(c.list('""', '""')[1], [b'(\\Noselect) "/" ""'])
        self.assertEqual(c.create("Projects/2026/Q1")[0], "OK")
        data = [d.decode() for d in c.list('""', 'Projects/%')[1]]
        self.assertEqual(data, ['(\\HasChildren) "/" Projects/2026'])
        data = [d.decode() for d in c.list("Projects/", "*")[1]]
        self.assertEqual(data, ['(\\HasChildren) "/" Projects/2026', '(\\HasNoChildren) "/" Projects/2026/Q1'])
        self.assertEqual(c.list('""', 'inbox')[1], [b'(\\HasNoChildren) "/" INBOX'])

    def test_create_rename_delete_subscribe(self):
        c = self.client()
        self.assertEqual(c.create("Work")[0], "OK")
        self.assertEqual(c.create("Work")[0], "NO")
        self.assertEqual(c.rename("Work", "Job")[0], "OK")
        self.assertEqual(c.subscribe("Job")[0], "OK")
        self.assertIn(b'() "/" Job', c.lsub('""', '*')[1])
        self.assertEqual(c.unsubscribe("Job")[0], "OK")
        self.assertNotIn(b'() "/" Job', c.lsub('""', '*')[1])
        self.assertEqual(c.delete("Job")[0], "OK")
        self.assertEqual(c.delete("Job")[0], "NO")
        self.assertEqual(c.delete("INBOX")[0], "NO")

    def test_unicode_names_travel_as_modified_utf7(self):
        c = self.client()
        self.assertEqual(c.create("&ZeVnLIqe-")[0], "OK")  # 日本語
        self.assertIn(b'(\\HasNoChildren) "/" &ZeVnLIqe-', c.list()[1])
        r = self.raw()
        self.assertTrue(r.cmd("b", "CREATE &Jjo")[-1].startswith(b"b BAD"))  # invalid UTF-7

    def test_bad_names_are_refused(self):
        r = self.raw()
        for name in ('"a/../b"', '"."', '"a//b"', '"x*"', '"/abs"'):
            lines = r.cmd("c", f"CREATE {name}")
            self.assertRegex(lines[-1], rb"^c (NO|BAD)", name)
        self.assertTrue(r.cmd("d", 'LIST "" *')[-1].startswith(b"d OK"))

    def test_select_examine_responses(self):
        r = self.raw()
        lines = r.cmd("s", "SELECT INBOX")
        text = b"\n".join(lines)
        self.assertIn(b"* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)", text)
        self.assertIn(b"* 2 EXISTS", text)
        self.assertRegex(text, rb"\* [0-2] RECENT")  # \Recent goes to the first session that selects INBOX
        self.assertIn(b"* OK [UNSEEN 1]", text)
        self.assertRegex(text, rb"\* OK \[UIDVALIDITY \d+\]")
        self.assertIn(b"* OK [UIDNEXT 3]", text)
        self.assertIn(b"\\*)]", text)
        self.assertRegex(text, rb"\* OK \[HIGHESTMODSEQ \d+\]")
        self.assertTrue(lines[-1].startswith(b"s OK [READ-WRITE]"))
        lines = r.cmd("e", "EXAMINE INBOX")
        self.assertIn(b"* OK [CLOSED]", lines[0])
        self.assertTrue(lines[-1].startswith(b"e OK [READ-ONLY]"))
        self.assertTrue(r.cmd("f", "STORE 1 +FLAGS (\\Deleted)")[-1].startswith(b"f NO"))
        self.assertTrue(r.cmd("g", "SELECT Nonexistent")[-1].startswith(b"g NO [NONEXISTENT]"))
        self.assertTrue(r.cmd("h", "FETCH 1 FLAGS")[-1].startswith(b"h BAD"))  # no longer selected

    def test_status(self):
        c = self.client()
        typ, data = c.status("INBOX", "(MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT HIGHESTMODSEQ SIZE DELETED)")
        self.assertEqual(typ, "OK")
        m = re.search(rb"MESSAGES (\d+) UIDNEXT (\d+) UIDVALIDITY \d+ UNSEEN (\d+) RECENT \d+ HIGHESTMODSEQ \d+ "
                      rb"SIZE \d+ DELETED 0", data[0])
        self.assertIsNotNone(m, data)
        self.assertEqual(c.status("Nope", "(MESSAGES)")[0], "NO")

    def test_close_expunges_unselect_does_not(self):
        c = self.client()
        c.create("Scratch")
        for i in range(3):
            c.append("Scratch", None, None, make_message(f"s{i}").encode())
        c.select("Scratch")
        c.store("1", "+FLAGS", "\\Deleted")
        self.assertEqual(c.unselect()[0], "OK")
        self.assertIn(b"MESSAGES 3", c.status("Scratch", "(MESSAGES)")[1][0])
        c.select("Scratch")
        self.assertEqual(c.close()[0], "OK")
        self.assertIn(b"MESSAGES 2", c.status("Scratch", "(MESSAGES)")[1][0])


if __name__ == "__main__":
    unittest.main()
