"""A mailbox big enough for the store to keep its UID/flag listing in memory (store/sqlite/flag_cache.hpp: 512
messages and more) stays exact under changes from other sessions and from another process (the CLI's deliver): a
fresh SELECT's EXISTS and [UNSEEN n], and the narrow `UID FETCH 1:* (UID FLAGS)` (served from the listing), agree with
the general FETCH path (which reads the message rows) after each STORE, EXPUNGE, APPEND, COPY and CLI
delivery. INBOX is the big mailbox: the CLI delivers only there."""
import re
import unittest

from imap.imap_util import ALICE, PASSWORD, Raw, deliver, make_message, start_server, stop_server

COUNT = 600


def fetch_lines(lines):
    return [l for l in lines if l.startswith(b"* ") and b" FETCH " in l]


def without_size(line):
    return re.sub(rb" RFC822\.SIZE \d+|RFC822\.SIZE \d+ ", b"", line)


class BigMailbox(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)
        r = cls.login()
        try:
            # One MULTIAPPEND with LITERAL+ (RFC 3502, RFC 7888): 600 messages in one transaction, every third \Seen.
            parts = []
            for i in range(COUNT):
                msg = make_message(f"big {i}").encode()
                flags = "(\\Seen) " if i % 3 == 0 else ""
                parts.append(f" {flags}{{{len(msg)}+}}\r\n".encode() + msg)
            r.send(b"a APPEND INBOX" + b"".join(parts) + b"\r\n")
            assert b"a OK" in r.until_tagged("a")[-1]
        finally:
            r.close()

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    @classmethod
    def login(cls):
        r = Raw(cls.srv.ports["imap"])
        r.line()
        assert b"OK" in r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')[-1]
        return r

    def session(self):
        r = self.login()
        self.addCleanup(r.close)
        return r

    def check_fresh_session(self, expect_count):
        """A new session's SELECT and narrow FETCH agree with the general path (message rows)."""
        r = self.session()
        sel = r.cmd("s", "SELECT INBOX")
        self.assertIn(b"s OK", sel[-1])
        exists = [int(l.split()[1]) for l in sel if l.endswith(b" EXISTS")]
        self.assertEqual(exists, [expect_count])
        narrow = fetch_lines(r.cmd("n", "UID FETCH 1:* (UID FLAGS)"))
        general = [without_size(l) for l in fetch_lines(r.cmd("g", "UID FETCH 1:* (UID FLAGS RFC822.SIZE)"))]
        self.assertEqual(len(narrow), expect_count)
        self.assertEqual(narrow, general)
        # [UNSEEN n]: the sequence number of the first message without \Seen in the same listing.
        unseen = [int(m.group(1)) for l in sel for m in [re.search(rb"\[UNSEEN (\d+)\]", l)] if m]
        first = next((i + 1 for i, l in enumerate(narrow) if b"\\Seen" not in l), None)
        self.assertEqual(unseen, [first] if first else [])
        return r

    def test_changes_from_other_sessions_and_processes(self):
        count = COUNT
        watcher = self.check_fresh_session(count)  # primes the listing; stays selected through the changes
        other = self.session()
        self.assertIn(b"OK", other.cmd("s", "SELECT INBOX")[-1])

        self.assertIn(b"OK", other.cmd("f", "STORE 1:5 +FLAGS (\\Flagged $Work)")[-1])
        self.assertIn(b"OK", other.cmd("f", "STORE 1 -FLAGS (\\Seen)")[-1])
        self.check_fresh_session(count)

        self.assertIn(b"OK", other.cmd("d", "STORE 2,4,100:110 +FLAGS (\\Deleted)")[-1])
        self.assertIn(b"OK", other.cmd("e", "EXPUNGE")[-1])
        count -= 13
        self.check_fresh_session(count)

        msg = make_message("appended").encode()
        other.send(f"a APPEND INBOX (\\Seen $Later) {{{len(msg)}+}}\r\n".encode() + msg + b"\r\n")
        self.assertIn(b"a OK", other.until_tagged("a")[-1])
        count += 1
        self.check_fresh_session(count)

        self.assertIn(b"OK", other.cmd("c", "UID COPY 1:20 INBOX")[-1])  # copies into the same mailbox
        count += len(fetch_lines(other.cmd("n", "UID FETCH 1:20 (UID)")))
        self.check_fresh_session(count)

        # Another process on the same database: the CLI's delivery, which this server's change bus never hears of.
        deliver(self.srv, ALICE, make_message("from the cli"))
        count += 1
        self.check_fresh_session(count)

        self.assertIn(b"OK", other.cmd("a", "STORE 1:* +FLAGS.SILENT (\\Answered)")[-1])
        self.check_fresh_session(count)

        # The session selected all along catches up and answers the same as a fresh one.
        noop = watcher.cmd("w", "NOOP")
        self.assertIn(b"w OK", noop[-1])
        narrow = fetch_lines(watcher.cmd("n", "UID FETCH 1:* (UID FLAGS)"))
        general = [without_size(l) for l in fetch_lines(watcher.cmd("g", "UID FETCH 1:* (UID FLAGS RFC822.SIZE)"))]
        self.assertEqual(narrow, general)
        self.assertEqual(len(narrow), count)

    def test_shared_snapshot_across_expunge_and_delivery(self):
        """Sessions selected on the same listing share its UID array (SelectedMailbox's snapshot, copied on the first
        change to one view): each keeps its own numbering until it may be told of an EXPUNGE, then renumbers exactly."""
        def uid_list(r):
            return [int(re.search(rb"UID (\d+)", l).group(1)) for l in fetch_lines(r.cmd("u", "UID FETCH 1:* (UID)"))]

        a = self.session()
        b = self.session()
        self.assertIn(b"OK", a.cmd("s", "SELECT INBOX")[-1])
        self.assertIn(b"OK", b.cmd("s", "EXAMINE INBOX")[-1])
        before = uid_list(a)
        self.assertEqual(before, uid_list(b))
        self.assertGreaterEqual(len(before), 512)  # big enough for the store's shared listing

        other = self.session()
        self.assertIn(b"OK", other.cmd("s", "SELECT INBOX")[-1])
        gone_seqs = [3, 50, 51, len(before)]  # the last one too: the view's end moves
        gone = [before[n - 1] for n in gone_seqs]
        self.assertIn(b"OK", other.cmd("d", "UID STORE %s +FLAGS.SILENT (\\Deleted)" % ",".join(map(str, gone)))[-1])
        self.assertIn(b"OK", other.cmd("e", "EXPUNGE")[-1])
        msg = make_message("after the snapshot").encode()
        other.send(f"p APPEND INBOX {{{len(msg)}+}}\r\n".encode() + msg + b"\r\n")
        self.assertIn(b"p OK", other.until_tagged("p")[-1])
        new_uid = max(before) + 1
        after = [u for u in before if u not in gone]

        # b: a FETCH by number must not renumber (RFC 9051 §7.5.1): message 4 is still the old 4th, even though the
        # 3rd is gone; new mail is announced with EXISTS counting the ghosts.
        lines = b.cmd("f", "FETCH 4 (UID)")
        self.assertIn(b"f OK", lines[-1])
        self.assertIn(b"* 4 FETCH (UID %d)" % before[3], lines)
        self.assertNotIn(True, [l.endswith(b" EXPUNGE") for l in lines])
        self.assertIn(b"* %d EXISTS" % (len(before) + 1), lines)

        # a: NOOP may expunge: each number valid when sent (highest first here), then the view equals the store's.
        noop = a.cmd("n", "NOOP")
        self.assertIn(b"n OK", noop[-1])
        expunges = [int(l.split()[1]) for l in noop if l.endswith(b" EXPUNGE")]
        self.assertEqual(expunges, sorted(gone_seqs, reverse=True))
        self.assertIn(b"* %d EXISTS" % (len(after) + 1), noop)
        self.assertEqual(uid_list(a), after + [new_uid])

        # b catches up the same way, from the same old numbering.
        noop = b.cmd("n", "NOOP")
        self.assertEqual([int(l.split()[1]) for l in noop if l.endswith(b" EXPUNGE")], sorted(gone_seqs, reverse=True))
        self.assertEqual(uid_list(b), after + [new_uid])
        # A fresh session on the merged listing agrees with both.
        fresh = self.check_fresh_session(len(after) + 1)
        self.assertEqual(uid_list(fresh), after + [new_uid])


if __name__ == "__main__":
    unittest.main()
