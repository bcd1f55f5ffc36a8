"""\\Recent (RFC 3501 §2.3.2, §6.3.1, §6.3.10, §6.4.4, §7.3.2), SAVEDATE (RFC 8514) and the catch-up of UID SEARCH,
SORT and THREAD at the wire: one session is told a message is \\Recent, EXAMINE and STATUS only look, IMAP4rev2
sessions take part in none of it; FETCH SAVEDATE and SEARCH SAVEDBEFORE/SAVEDON/SAVEDSINCE; new mail shows up
(EXISTS first) in the answer of UID SEARCH, SORT and THREAD without a NOOP."""
import datetime
import re
import unittest

from imap.imap_util import ALICE, PASSWORD, Raw, client, close_quietly, make_message, start_server, stop_server


def today():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%d-%b-%Y")


def number_after(lines, word):
    """n from "* n WORD" among the lines, or None."""
    for line in lines:
        m = re.match(rb"\* (\d+) " + word.encode() + rb"$", line)
        if m:
            return int(m.group(1))
    return None


class RecentAndSaveDate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self, rev2=False):
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        self.assertIn(b"OK", r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')[-1])
        if rev2:
            self.assertEqual(r.cmd("e", "ENABLE IMAP4rev2")[0], b"* ENABLED IMAP4rev2")
        return r

    def appender(self, name, n=0, create=True):
        c = client(self.srv)
        self.addCleanup(close_quietly, c)
        if create:
            self.assertEqual(c.create(name)[0], "OK")
        self.append(c, name, n)
        return c

    def append(self, c, name, n, date=None):
        for i in range(n):
            typ, _ = c.append(name, None, date, make_message(f"{name} {i} {id(c)} {n}").encode())
            self.assertEqual(typ, "OK")

    def test_capability(self):
        caps = self.raw().cmd("c", "CAPABILITY")[0].split()
        self.assertIn(b"SAVEDATE", caps)
        self.assertIn(b"LITERAL+", caps)

    def test_first_selecting_session_gets_recent(self):
        self.appender("R1", 2)
        a = self.raw()
        lines = a.cmd("s", "SELECT R1")
        self.assertEqual(number_after(lines, "RECENT"), 2, lines)
        lines = a.cmd("f", "FETCH 1:* (FLAGS)")
        self.assertEqual(sum(b"\\Recent" in l for l in lines), 2, lines)
        self.assertEqual(a.cmd("r", "SEARCH RECENT")[0], b"* SEARCH 1 2")
        self.assertEqual(a.cmd("n", "SEARCH NEW")[0], b"* SEARCH 1 2")
        self.assertEqual(a.cmd("o", "SEARCH OLD")[0], b"* SEARCH")
        lines = a.cmd("t", "STORE 1 +FLAGS (\\Seen)")
        self.assertIn(b"\\Recent", lines[0])  # \Recent stays: it is the session's, not a stored flag
        self.assertEqual(a.cmd("n2", "SEARCH NEW")[0], b"* SEARCH 2")
        self.assertEqual(a.cmd("n3", "SEARCH OR NEW SEEN")[0], b"* SEARCH 1 2")
        # A second session is not the first to hear of them.
        b = self.raw()
        lines = b.cmd("s", "SELECT R1")
        self.assertEqual(number_after(lines, "RECENT"), 0, lines)
        self.assertEqual(b.cmd("r", "SEARCH RECENT")[0], b"* SEARCH")
        self.assertEqual(b.cmd("o", "SEARCH OLD")[0], b"* SEARCH 1 2")
        self.assertNotIn(b"\\Recent", b.cmd("f", "FETCH 1 (FLAGS)")[0])
        self.assertIn(b"(RECENT 0)", b.cmd("st", "STATUS R1 (RECENT)")[0])

    def test_new_mail_is_recent_for_the_session_that_sees_it_first(self):
        c = self.appender("R2", 1)
        a = self.raw()
        self.assertEqual(number_after(a.cmd("s", "SELECT R2"), "RECENT"), 1)
        self.append(c, "R2", 2)
        self.assertIn(b"(MESSAGES 3 RECENT 2)", self.raw().cmd("st", "STATUS R2 (MESSAGES RECENT)")[0])
        lines = a.cmd("n", "NOOP")
        self.assertEqual(number_after(lines, "EXISTS"), 3, lines)
        self.assertEqual(number_after(lines, "RECENT"), 3, lines)  # all three are this session's
        self.assertLess(lines.index(b"* 3 EXISTS"), lines.index(b"* 3 RECENT"))
        self.assertIn(b"(RECENT 0)", self.raw().cmd("st", "STATUS R2 (RECENT)")[0])

    def test_examine_only_looks(self):
        self.appender("R3", 2)
        e = self.raw()
        self.assertEqual(number_after(e.cmd("x", "EXAMINE R3"), "RECENT"), 2)
        self.assertEqual(e.cmd("r", "SEARCH RECENT")[0], b"* SEARCH 1 2")
        self.assertEqual(number_after(self.raw().cmd("s", "SELECT R3"), "RECENT"), 2)

    def test_imap4rev2_sessions_neither_see_nor_take_recent(self):
        self.appender("R4", 1)
        v2 = self.raw(rev2=True)
        lines = v2.cmd("s", "SELECT R4")
        self.assertIsNone(number_after(lines, "RECENT"), lines)
        self.assertNotIn(b"\\Recent", v2.cmd("f", "FETCH 1 (FLAGS)")[0])
        self.assertEqual(number_after(self.raw().cmd("s", "SELECT R4"), "RECENT"), 1)

    def test_savedate(self):
        c = self.appender("S1")
        self.append(c, "S1", 1, date='"01-Jan-2001 10:00:00 +0000"')
        a = self.raw()
        a.cmd("s", "SELECT S1")
        line = a.cmd("f", "FETCH 1 (INTERNALDATE SAVEDATE)")[0]
        self.assertIn(b'INTERNALDATE " 1-Jan-2001 10:00:00 +0000"', line)
        m = re.search(rb'SAVEDATE "([^"]+)"', line)
        self.assertIsNotNone(m, line)
        saved = datetime.datetime.strptime(m.group(1).decode().strip(), "%d-%b-%Y %H:%M:%S %z")
        self.assertLess(abs((datetime.datetime.now(datetime.timezone.utc) - saved).total_seconds()), 300)
        self.assertEqual(a.cmd("a", f"SEARCH SAVEDON {today()}")[0], b"* SEARCH 1")
        self.assertEqual(a.cmd("b", f"SEARCH SAVEDSINCE {today()}")[0], b"* SEARCH 1")
        self.assertEqual(a.cmd("c", f"SEARCH SAVEDBEFORE {today()}")[0], b"* SEARCH")
        self.assertEqual(a.cmd("d", "SEARCH SAVEDATESUPPORTED")[0], b"* SEARCH 1")
        self.assertEqual(a.cmd("e", "SEARCH BEFORE 02-Jan-2001")[0], b"* SEARCH 1")  # INTERNALDATE is untouched
        self.assertEqual(a.cmd("g", "SEARCH OR SAVEDBEFORE 01-Jan-2000 SUBJECT S1")[0], b"* SEARCH 1")
        # A copy is saved anew in its mailbox.
        self.assertTrue(a.cmd("cp", "COPY 1 INBOX")[-1].startswith(b"cp OK"))
        a.cmd("x", "EXAMINE INBOX")
        self.assertIn(b"SAVEDATE \"", a.cmd("f2", "FETCH * (SAVEDATE)")[0])

    def test_uid_search_sort_thread_catch_up_first(self):
        c = self.appender("C1", 1)
        a = self.raw()
        a.cmd("s", "SELECT C1")
        for n, (tag, command) in enumerate((("u", "UID SEARCH ALL"), ("o", "UID SORT (ARRIVAL) UTF-8 ALL"),
                                            ("t", "UID THREAD REFERENCES UTF-8 ALL"), ("d", "SORT (DATE) UTF-8 ALL"))):
            self.append(c, "C1", 1)
            lines = a.cmd(tag, command)
            exists = number_after(lines, "EXISTS")
            self.assertEqual(exists, n + 2, lines)  # the new message, announced first ...
            answer = next(i for i, l in enumerate(lines) if re.match(rb"\* (SEARCH|SORT|THREAD)", l))
            self.assertLess(lines.index(b"* %d EXISTS" % exists), answer, lines)
            self.assertIn(str(exists).encode(), lines[answer].replace(b"(", b" ").replace(b")", b" ").split(),
                          lines)  # ... and in the answer (UIDs equal numbers here)


if __name__ == "__main__":
    unittest.main()
