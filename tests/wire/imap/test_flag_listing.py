"""FETCH of only UID, FLAGS and MODSEQ (the narrow path: MailStore::fetch_flags, a covering index, one output buffer)
answers exactly as the general FETCH path does: same sequence numbers, UIDs, flags with keywords and \\Recent, MODSEQ,
items in the client's order, gaps left by expunged messages, UID sets with holes, and CHANGEDSINCE (RFC 9051
§6.4.5, §7.5.2; RFC 7162 §3.1.4)."""
import re
import unittest

from imap.imap_util import ALICE, PASSWORD, Raw, client, close_quietly, make_message, start_server, stop_server


def fetch_lines(lines):
    return [l for l in lines if l.startswith(b"* ") and b" FETCH " in l]


def without_size(line):
    # The general path's line with RFC822.SIZE removed: what the narrow path must write for the same items.
    return re.sub(rb" RFC822\.SIZE \d+|RFC822\.SIZE \d+ ", b"", line)


class FlagListing(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)
        c = client(cls.srv)
        try:
            assert c.create("Listing")[0] == "OK"
            for i in range(8):
                assert c.append("Listing", None, None, make_message(f"listing {i}").encode())[0] == "OK"
            c.select("Listing")
            c.store("2,5", "+FLAGS", "(\\Seen $Work Later)")
            c.store("3", "+FLAGS", "(\\Deleted)")
            c.expunge()
            c.store("6", "+FLAGS", "(\\Flagged)")
        finally:
            close_quietly(c)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self):
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        self.assertIn(b"OK", r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')[-1])
        return r

    def test_narrow_path_matches_general_path(self):
        r = self.raw()
        self.assertIn(b"OK", r.cmd("s", "EXAMINE Listing")[-1])
        for narrow, general in (
            ("UID FETCH 1:* (UID FLAGS)", "UID FETCH 1:* (UID FLAGS RFC822.SIZE)"),
            ("FETCH 1:* (FLAGS)", "FETCH 1:* (FLAGS RFC822.SIZE)"),
            ("FETCH 2:4 (FLAGS UID MODSEQ)", "FETCH 2:4 (FLAGS UID MODSEQ RFC822.SIZE)"),
            ("UID FETCH 1,3:5,8:* (FLAGS)", "UID FETCH 1,3:5,8:* (FLAGS RFC822.SIZE)"),
            ("FETCH * (MODSEQ)", "FETCH * (MODSEQ RFC822.SIZE)"),
        ):
            a = r.cmd("n", narrow)
            b = r.cmd("g", general)
            self.assertIn(b"n OK", a[-1], a)
            self.assertIn(b"g OK", b[-1], b)
            self.assertEqual(fetch_lines(a), [without_size(l) for l in fetch_lines(b)], narrow)
        lines = fetch_lines(r.cmd("f", "UID FETCH 1:* (UID FLAGS)"))
        self.assertEqual(len(lines), 7)  # 8 appended, 1 expunged
        self.assertEqual(lines[0], b"* 1 FETCH (UID 1 FLAGS ())")
        self.assertEqual(lines[1], b"* 2 FETCH (UID 2 FLAGS (\\Seen $Work Later))")
        self.assertEqual(lines[2], b"* 3 FETCH (UID 4 FLAGS ())")  # UID 3 is gone: numbers shift

    def test_changedsince_lists_only_changed(self):
        r = self.raw()
        lines = r.cmd("s", "SELECT Listing (CONDSTORE)")
        self.assertIn(b"OK", lines[-1])
        text = b"\n".join(lines)
        highest = int(re.search(rb"HIGHESTMODSEQ (\d+)", text).group(1))
        # Only message 6 (UID 7) was changed last.
        lines = fetch_lines(r.cmd("c", f"FETCH 1:* (FLAGS) (CHANGEDSINCE {highest - 1})"))
        self.assertEqual(len(lines), 1, lines)
        self.assertRegex(lines[0], rb"^\* 6 FETCH \(FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)$")
        self.assertEqual(fetch_lines(r.cmd("c2", f"UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE {highest})")), [])
        for since in (1, highest - 3):
            a = fetch_lines(r.cmd("n", f"UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE {since})"))
            b = fetch_lines(r.cmd("g", f"UID FETCH 1:* (UID FLAGS RFC822.SIZE) (CHANGEDSINCE {since})"))
            self.assertEqual(a, [without_size(l) for l in b])
            self.assertTrue(a)


if __name__ == "__main__":
    unittest.main()
