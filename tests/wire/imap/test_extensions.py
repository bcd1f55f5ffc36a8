"""IMAP extensions at the wire (raw sockets and imaplib against a real `claret serve`): IMAP4rev2 via ENABLE
(RFC 9051), UTF8=ACCEPT (RFC 6855), SEARCHRES (RFC 5182), ESEARCH (RFC 4731), SORT/ESORT/SORT=DISPLAY (RFC 5256,
RFC 5267, RFC 5957), THREAD=ORDEREDSUBJECT/REFERENCES (RFC 5256), LIST-EXTENDED (RFC 5258), LIST-STATUS (RFC 5819),
CREATE-SPECIAL-USE (RFC 6154), BINARY (RFC 3516), PREVIEW (RFC 8970), OBJECTID (RFC 8474), APPENDLIMIT (RFC 7889),
QUOTA (RFC 9208), MULTIAPPEND (RFC 3502)."""
import re
import unittest

from imap.imap_util import ALICE, BOB, PASSWORD, Raw, client, close_quietly, start_server, stop_server


def msg(subject, sender="Sender <sender@example.test>", to="alice@example.test", date="Wed, 02 Dec 2026 10:00:00 +0000",
        message_id=None, references=None, body="hello\r\n", extra=""):
    h = f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\n"
    if message_id:
        h += f"Message-ID: {message_id}\r\n"
    if references:
        h += f"References: {references}\r\n"
    return h + extra + "\r\n" + body


class Extensions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)
        cls.srv.add_user(BOB, PASSWORD, quota=3000)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self, user=ALICE):
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        self.assertIn(b"OK", r.cmd("l", f'LOGIN {user} "{PASSWORD}"')[-1])
        return r

    def append_raw(self, r, mailbox, messages):
        for i, m in enumerate(messages):
            data = m.encode()
            r.send(f"ap{i} APPEND {mailbox} {{{len(data)}+}}\r\n".encode() + data + b"\r\n")
            lines = r.until_tagged(f"ap{i}")
            self.assertTrue(lines[-1].startswith(f"ap{i} OK".encode()), lines)

    def mailbox(self, name, messages):
        r = self.raw()
        self.assertTrue(r.cmd("c", f"CREATE {name}")[-1].startswith(b"c OK"))
        self.append_raw(r, name, messages)
        return r

    def test_capabilities(self):
        r = self.raw()
        caps = r.cmd("c", "CAPABILITY")[0].split()
        for cap in (b"IMAP4rev1", b"IMAP4rev2", b"QRESYNC", b"SEARCHRES", b"ESEARCH", b"SORT", b"SORT=DISPLAY",
                    b"ESORT", b"THREAD=ORDEREDSUBJECT", b"THREAD=REFERENCES", b"LIST-EXTENDED", b"LIST-STATUS",
                    b"SPECIAL-USE", b"CREATE-SPECIAL-USE", b"BINARY", b"PREVIEW", b"OBJECTID", b"UTF8=ACCEPT",
                    b"MULTIAPPEND", b"QUOTA", b"UNSELECT", b"MOVE", b"UIDPLUS", b"IDLE", b"NAMESPACE", b"ID",
                    b"CHILDREN"):
            self.assertIn(cap, caps)
        self.assertTrue(any(c.startswith(b"APPENDLIMIT=") for c in caps), caps)

    def test_imap4rev2_enable(self):
        r = self.mailbox("Rev2", [msg("one"), msg("two")])
        self.assertEqual(r.cmd("e", "ENABLE IMAP4rev2")[0], b"* ENABLED IMAP4rev2")
        lines = r.cmd("s", "SELECT Rev2")
        self.assertFalse(any(l.endswith(b"RECENT") for l in lines), lines)
        # A plain SEARCH answers with ESEARCH under IMAP4rev2.
        lines = r.cmd("f", "SEARCH ALL")
        self.assertEqual(lines[0], b'* ESEARCH (TAG "f") ALL 1:2')
        lines = r.cmd("g", "STATUS Rev2 (MESSAGES RECENT)")
        self.assertEqual(lines[0], b"* STATUS Rev2 (MESSAGES 2)")

    def test_utf8_accept(self):
        r = self.raw()
        self.assertTrue(r.cmd("c", "CREATE &AMk-t&AOk-")[-1].startswith(b"c OK"))  # "Été" in modified UTF-7
        self.assertIn(b"&AMk-t&AOk-", b"".join(r.cmd("l1", 'LIST "" "*t*"')))
        self.assertEqual(r.cmd("e", "ENABLE UTF8=ACCEPT")[0], b"* ENABLED UTF8=ACCEPT")
        lines = r.cmd("l2", 'LIST "" "*"')
        self.assertTrue(any("Été".encode() in l for l in lines), lines)
        lines = r.cmd("st", 'STATUS "Été" (MESSAGES)')
        self.assertTrue(lines[-1].startswith(b"st OK"), lines)
        data = b"From: a@example.test\r\nSubject: caf\xc3\xa9\r\n\r\nbody\r\n"
        r.send(b'u APPEND INBOX UTF8 (~{' + str(len(data)).encode() + b'+}\r\n' + data + b')\r\n')
        lines = r.until_tagged("u")
        self.assertTrue(lines[-1].startswith(b"u OK"), lines)

    def test_searchres(self):
        r = self.mailbox("Saved", [msg(f"m{i}") for i in range(5)])
        r.cmd("s", "SELECT Saved")
        r.cmd("t", "STORE 2,4 +FLAGS (\\Flagged)")
        lines = r.cmd("a", "UID SEARCH RETURN (SAVE) FLAGGED")
        self.assertEqual(len(lines), 1, lines)  # SAVE alone: no ESEARCH
        lines = r.cmd("b", "FETCH $ (UID)")
        self.assertEqual([l for l in lines if l.startswith(b"* ")], [b"* 2 FETCH (UID 2)", b"* 4 FETCH (UID 4)"])
        lines = r.cmd("c", "UID SEARCH UID $ SEEN")
        self.assertEqual(lines[0], b"* SEARCH")
        lines = r.cmd("d", "SEARCH RETURN (SAVE MIN) ALL")
        self.assertEqual(lines[0], b'* ESEARCH (TAG "d") MIN 1')
        lines = r.cmd("e", "UID FETCH $ (UID)")
        self.assertEqual([l for l in lines if l.startswith(b"* ")], [b"* 1 FETCH (UID 1)"])
        lines = r.cmd("f", "SEARCH RETURN (MIN MAX COUNT ALL) FLAGGED")
        self.assertEqual(lines[0], b'* ESEARCH (TAG "f") MIN 2 MAX 4 ALL 2,4 COUNT 2')

    def test_sort_esort_display(self):
        r = self.mailbox("Sorting", [
            msg("Charlie", sender="Zed <a@example.test>", date="Wed, 02 Dec 2026 12:00:00 +0000", body="x" * 300),
            msg("Re: alpha", sender="Amy <z@example.test>", date="Wed, 02 Dec 2026 11:00:00 +0000"),
            msg("bravo", sender="m@example.test", date="Wed, 02 Dec 2026 10:00:00 +0000", body="y" * 100),
        ])
        r.cmd("s", "SELECT Sorting")
        self.assertEqual(r.cmd("a", "SORT (SUBJECT) UTF-8 ALL")[0], b"* SORT 2 3 1")
        self.assertEqual(r.cmd("b", "SORT (DATE) UTF-8 ALL")[0], b"* SORT 3 2 1")
        self.assertEqual(r.cmd("c", "SORT (REVERSE SIZE) UTF-8 ALL")[0], b"* SORT 1 3 2")
        self.assertEqual(r.cmd("d", "SORT (FROM) UTF-8 ALL")[0], b"* SORT 1 3 2")
        self.assertEqual(r.cmd("e", "SORT (DISPLAYFROM) UTF-8 ALL")[0], b"* SORT 2 3 1")
        self.assertEqual(r.cmd("f", "UID SORT (ARRIVAL) UTF-8 NOT SUBJECT bravo")[0], b"* SORT 1 2")
        self.assertEqual(r.cmd("g", "SORT RETURN (MIN MAX COUNT ALL) (DATE) UTF-8 ALL")[0],
                         b'* ESEARCH (TAG "g") MIN 3 MAX 1 ALL 3,2,1 COUNT 3')
        lines = r.cmd("h", "SORT (SUBJECT) KOI8-R ALL")
        self.assertTrue(lines[-1].startswith(b"h NO [BADCHARSET"), lines)

    def test_thread(self):
        r = self.mailbox("Threads", [
            msg("topic", message_id="<t1@x>", date="Wed, 02 Dec 2026 10:00:00 +0000"),
            msg("other", message_id="<o1@x>", date="Wed, 02 Dec 2026 10:30:00 +0000"),
            msg("Re: topic", message_id="<t2@x>", references="<t1@x>", date="Wed, 02 Dec 2026 11:00:00 +0000"),
            msg("Re: topic", message_id="<t3@x>", references="<t1@x> <t2@x>", date="Wed, 02 Dec 2026 12:00:00 +0000"),
            msg("Re: topic", message_id="<t4@x>", references="<t1@x>", date="Wed, 02 Dec 2026 13:00:00 +0000"),
        ])
        r.cmd("s", "SELECT Threads")
        self.assertEqual(r.cmd("a", "THREAD REFERENCES UTF-8 ALL")[0], b"* THREAD (1 (3 4)(5))(2)")
        self.assertEqual(r.cmd("b", "THREAD ORDEREDSUBJECT UTF-8 ALL")[0], b"* THREAD (1 (3)(4)(5))(2)")
        self.assertEqual(r.cmd("c", "UID THREAD REFERENCES UTF-8 NOT SUBJECT other")[0], b"* THREAD (1 (3 4)(5))")

    def test_list_extended_and_status(self):
        r = self.raw()
        r.cmd("c1", "CREATE Lx")
        r.cmd("c2", "CREATE Lx/Child")
        r.cmd("s1", "SUBSCRIBE Lx/Child")
        self.append_raw(r, "Lx/Child", [msg("one")])
        lines = r.cmd("a", 'LIST (SUBSCRIBED RECURSIVEMATCH) "" "Lx"')
        self.assertIn(b'* LIST (\\HasChildren) "/" Lx ("CHILDINFO" ("SUBSCRIBED"))', lines)
        lines = r.cmd("b", 'LIST "" "Lx*" RETURN (CHILDREN STATUS (MESSAGES UIDNEXT APPENDLIMIT MAILBOXID))')
        self.assertIn(b'* LIST (\\HasChildren) "/" Lx', lines)
        i = lines.index(b'* LIST (\\HasNoChildren) "/" Lx/Child')
        self.assertTrue(re.match(rb"\* STATUS Lx/Child \(MESSAGES 1 UIDNEXT 2 APPENDLIMIT \d+ MAILBOXID \(F\d+\)\)",
                                 lines[i + 1]), lines)
        lines = r.cmd("c", 'LIST (SPECIAL-USE) "" "*"')
        self.assertTrue(lines[-1].startswith(b"c OK"), lines)

    def test_create_special_use_and_mailboxid(self):
        r = self.raw()
        lines = r.cmd("a", "CREATE MyArchive (USE (\\Archive))")
        self.assertTrue(re.match(rb"a OK \[MAILBOXID \(F\d+\)\]", lines[-1]), lines)
        lines = r.cmd("b", 'LIST "" MyArchive')
        self.assertIn(b"\\Archive", lines[0])
        lines = r.cmd("c", "SELECT MyArchive")
        self.assertTrue(any(re.match(rb"\* OK \[MAILBOXID \(F\d+\)\]", l) for l in lines), lines)

    def test_binary_preview_objectid(self):
        c = client(self.srv)
        self.addCleanup(close_quietly, c)
        c.create("Bin")
        body = ("From: a@example.test\r\nSubject: bin\r\nMIME-Version: 1.0\r\n"
                "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n"
                "Preview text here\r\n--B\r\nContent-Type: application/octet-stream\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\nAAECAw==\r\n--B--\r\n")
        c.append("Bin", None, None, body.encode())
        c.select("Bin")
        typ, data = c.fetch("1", "(BINARY.PEEK[2] BINARY.SIZE[2] BINARY.SIZE[1])")
        self.assertEqual(typ, "OK", data)
        self.assertEqual(data[0][1], b"\x00\x01\x02\x03")
        self.assertIn(b"BINARY.SIZE[2] 4", data[1])
        typ, data = c.fetch("1", "(PREVIEW EMAILID THREADID)")
        self.assertEqual(typ, "OK", data)
        text = data[0] if isinstance(data[0], bytes) else data[0][0] + data[0][1]
        self.assertIn(b"Preview text here", text)
        self.assertTrue(re.search(rb"EMAILID \(M[A-Za-z0-9_-]+\)", text), text)
        self.assertTrue(re.search(rb"THREADID (\(T\d+\)|NIL)", text), text)

    def test_quota(self):
        r = self.raw(user=BOB)
        lines = r.cmd("a", "GETQUOTAROOT INBOX")
        self.assertEqual(lines[0], b'* QUOTAROOT INBOX ""')
        self.assertTrue(re.match(rb'\* QUOTA "" \(STORAGE \d+ 2\)', lines[1]), lines)
        self.assertTrue(r.cmd("b", 'GETQUOTA ""')[-1].startswith(b"b OK"))
        self.assertTrue(r.cmd("c", 'SETQUOTA "" (STORAGE 10)')[-1].startswith(b"c NO"))
        lines = self.raw().cmd("d", "GETQUOTAROOT INBOX")  # alice: no limit, no root
        self.assertEqual(lines[0], b"* QUOTAROOT INBOX")

    def test_multiappend_all_or_nothing(self):
        r = self.raw(user=BOB)
        small = msg("small")
        big = msg("big", body="z" * 3000)  # over the quota, under the 4096-byte non-synchronizing literal limit
        r.send(f"m1 APPEND INBOX {{{len(small)}+}}\r\n{small} {{{len(small)}+}}\r\n{small}\r\n")
        lines = r.until_tagged("m1")
        self.assertTrue(re.match(rb"m1 OK \[APPENDUID \d+ \d+:\d+\]", lines[-1]), lines)
        # UIDNEXT too: one store transaction for the whole command, so a failed MULTIAPPEND uses up no UID
        # (appending then expunging again would have).
        before = r.cmd("s1", "STATUS INBOX (MESSAGES UIDNEXT)")[0]
        r.send(f"m2 APPEND INBOX {{{len(small)}+}}\r\n{small} {{{len(big)}+}}\r\n{big}\r\n")
        lines = r.until_tagged("m2")
        self.assertTrue(lines[-1].startswith(b"m2 NO"), lines)
        self.assertEqual(r.cmd("s2", "STATUS INBOX (MESSAGES UIDNEXT)")[0], before)


if __name__ == "__main__":
    unittest.main()
