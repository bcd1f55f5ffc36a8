"""SELECT answered from memory (MailStore::select_snapshot_in_memory, src/store/sqlite/select_memo.hpp) says exactly
what a read of the store says, and stops the moment anything is committed: by another session of this server
(APPEND, STORE, EXPUNGE), by LMTP delivery, or by another process on the same database (`claret deliver`). A session
keeps the mailbox selected throughout, which is what keeps a small mailbox's listing (and so its memo) alive."""
import fcntl
import os
import re
import struct
import unittest

from imap.imap_util import ALICE, PASSWORD, Raw, deliver, lmtp_deliver, make_message, start_server, stop_server


def select_facts(lines):
    """EXISTS, RECENT, UNSEEN, UIDNEXT, HIGHESTMODSEQ and UIDVALIDITY of a SELECT's untagged responses."""
    facts = {}
    for line in lines:
        m = re.match(rb"\* (\d+) (EXISTS|RECENT)$", line)
        if m:
            facts[m.group(2).decode()] = int(m.group(1))
        m = re.search(rb"\[(UNSEEN|UIDNEXT|HIGHESTMODSEQ|UIDVALIDITY) (\d+)\]", line)
        if m:
            facts[m.group(1).decode()] = int(m.group(2))
    return facts


class SelectMemo(unittest.TestCase):
    def setUp(self):
        self.srv = start_server()
        self.addCleanup(stop_server, self.srv)
        self.srv.add_user(ALICE, PASSWORD)
        for i in range(3):
            deliver(self.srv, ALICE, make_message(f"memo {i}"))

    def session(self, rev2=True):
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        self.assertIn(b"OK", r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')[-1])
        if rev2:
            self.assertIn(b"OK", r.cmd("e", "ENABLE IMAP4rev2")[-1])
        return r

    def select(self, r, verb="SELECT"):
        lines = r.cmd("s", f"{verb} INBOX")
        self.assertIn(b"OK", lines[-1])
        return lines

    def test_repeated_select_answers_identically(self):
        holder, reader = self.session(), self.session()
        self.select(holder, "EXAMINE")
        first = self.select(reader)
        for _ in range(5):
            again = self.select(reader)
            self.assertEqual(again[0], b"* OK [CLOSED] Previous mailbox closed")
            self.assertEqual(again[1:], first)
        self.assertEqual(select_facts(first)["EXISTS"], 3)

    def test_every_kind_of_commit_is_seen_by_the_next_select(self):
        holder, writer, reader = self.session(), self.session(), self.session()
        self.select(holder, "EXAMINE")
        facts = select_facts(self.select(reader))
        self.assertEqual((facts["EXISTS"], facts["UIDNEXT"], facts["UNSEEN"]), (3, 4, 1))

        deliver(self.srv, ALICE, make_message("from another process"))
        facts = select_facts(self.select(reader))
        self.assertEqual((facts["EXISTS"], facts["UIDNEXT"]), (4, 5))

        lmtp_deliver(self.srv, ALICE, make_message("over LMTP"))
        facts = select_facts(self.select(reader))
        self.assertEqual((facts["EXISTS"], facts["UIDNEXT"]), (5, 6))

        before = facts["HIGHESTMODSEQ"]
        self.select(writer)
        self.assertIn(b"OK", writer.cmd("f", "STORE 1:2 +FLAGS (\\Seen)")[-1])
        facts = select_facts(self.select(reader))
        self.assertEqual(facts["UNSEEN"], 3)
        self.assertGreater(facts["HIGHESTMODSEQ"], before)

        msg = make_message("appended").encode()
        writer.send(f"a APPEND INBOX {{{len(msg)}+}}\r\n".encode() + msg + b"\r\n")
        self.assertIn(b"OK", writer.until_tagged("a")[-1])
        facts = select_facts(self.select(reader))
        self.assertEqual((facts["EXISTS"], facts["UIDNEXT"]), (6, 7))

        self.assertIn(b"OK", writer.cmd("d", "STORE 6 +FLAGS (\\Deleted)")[-1])
        self.assertIn(b"OK", writer.cmd("x", "EXPUNGE")[-1])
        facts = select_facts(self.select(reader))
        self.assertEqual((facts["EXISTS"], facts["UIDNEXT"]), (5, 7))

    def test_recent_is_claimed_once_even_when_the_answer_is_in_memory(self):
        # IMAP4rev1 sessions: a read-write SELECT claims \Recent (a write), so it never comes from memory while
        # something is unclaimed; the next one finds nothing left.
        holder = self.session(rev2=False)
        self.assertEqual(select_facts(self.select(holder, "EXAMINE"))["RECENT"], 3)
        first = self.session(rev2=False)
        self.assertEqual(select_facts(self.select(first))["RECENT"], 3)
        second = self.session(rev2=False)
        self.assertEqual(select_facts(self.select(second))["RECENT"], 0)
        self.assertEqual(select_facts(self.select(second))["RECENT"], 0)
        deliver(self.srv, ALICE, make_message("new"))
        third = self.session(rev2=False)
        self.assertEqual(select_facts(self.select(third))["RECENT"], 1)
        self.assertEqual(select_facts(self.select(second))["RECENT"], 0)

    def test_other_processes_opening_the_database_leave_the_server_working(self):
        # Each CLI run opens and closes the database. The in-memory answers read SQLite's WAL index; a server that
        # opened the -shm file itself lost its locks on it when it closed that descriptor, the next process truncated
        # the file, and the server died of SIGBUS at its next commit.
        holder, reader = self.session(), self.session()
        self.select(holder, "EXAMINE")
        self.select(reader)
        for i in range(3):
            self.srv.cli("mailbox", "list", ALICE)
            lmtp_deliver(self.srv, ALICE, make_message(f"while the cli runs {i}"))
            self.assertEqual(select_facts(self.select(reader))["EXISTS"], 4 + i)
        self.assertIsNone(self.srv.proc.poll())
        self.assertEqual(self.dead_man_switch_holder(), self.srv.proc.pid)

    def dead_man_switch_holder(self):
        """The pid holding a read lock on the WAL index's "dead man switch" byte (offset 128 of claret.db-shm, SQLite's
        os_unix.c): while some process holds it, no process that opens the database truncates the file. F_GETLK
        reports another process's lock that would conflict with a write lock there."""
        path = os.path.join(self.srv.data, "claret.db-shm")
        fd = os.open(path, os.O_RDONLY)
        try:
            query = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 128, 1, 0)
            l_type, _, _, _, pid = struct.unpack("hhqqi4x", fcntl.fcntl(fd, fcntl.F_GETLK, query))
        finally:
            os.close(fd)
        return pid if l_type == fcntl.F_RDLCK else None

    def test_deleted_and_renamed_mailboxes(self):
        holder, other = self.session(), self.session()
        self.assertIn(b"OK", holder.cmd("c", "CREATE Work")[-1])
        self.assertIn(b"OK", holder.cmd("s", "SELECT Work")[-1])
        self.assertIn(b"OK", other.cmd("s", "SELECT Work")[-1])
        self.assertIn(b"OK", other.cmd("u", "UNSELECT")[-1])
        self.assertIn(b"OK", other.cmd("r", "RENAME Work Play")[-1])
        self.assertIn(b"NO", other.cmd("s", "SELECT Work")[-1])
        self.assertIn(b"OK", other.cmd("s2", "SELECT Play")[-1])
        self.assertIn(b"OK", other.cmd("u2", "UNSELECT")[-1])
        self.assertIn(b"OK", other.cmd("d", "DELETE Play")[-1])
        self.assertIn(b"NO", other.cmd("s3", "SELECT Play")[-1])


if __name__ == "__main__":
    unittest.main()
