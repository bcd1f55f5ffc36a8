"""Message commands at the wire: APPEND/FETCH byte-exact over a sample of the shared corpus, BODY[section]<partial>,
HEADER.FIELDS, \\Seen on BODY[] but not BODY.PEEK, STORE (.SILENT, UNCHANGEDSINCE → MODIFIED), EXPUNGE, UID EXPUNGE,
COPY/MOVE with COPYUID, APPENDUID, quota → OVERQUOTA, SEARCH keys (RFC 9051 §6.3.12, §6.4; RFC 4315; RFC 6851;
RFC 7162)."""
import os
import re
import unittest

from imap.imap_util import (ALICE, BOB, PASSWORD, Raw, client, close_quietly, deliver, make_message, start_server,
                            stop_server)
from imap.imap_wire import Wire
from imap.rfc_grammar import GrammarError, parse_fetch_response

CORPUS = os.path.join(os.environ.get("CLARET_SHARED_DIR", os.path.join(os.path.dirname(__file__), "../../../../shared")),
                      "corpus")

MULTIPART = ("From: a@example.test\r\nTo: b@example.test\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
             "Content-Type: multipart/mixed; boundary=XX\r\n\r\npreamble\r\n--XX\r\nContent-Type: text/plain\r\n\r\n"
             "first part\r\n--XX\r\nContent-Type: text/html\r\n\r\n<p>second</p>\r\n--XX--\r\n")


def corpus_sample(every=6):
    files = []
    manifest = os.path.join(CORPUS, "MANIFEST.tsv")
    with open(manifest) as f:
        for line in f.read().splitlines()[1:]:
            cols = line.split("\t")
            if len(cols) > 2 and cols[1] == "message":
                files.append(cols[0])
    return [os.path.join(CORPUS, p) for p in sorted(files)[::every]]


class Messages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)
        cls.srv.add_user(BOB, PASSWORD, quota=2000)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def client(self, user=ALICE):
        c = client(self.srv, user=user)
        self.addCleanup(close_quietly, c)
        return c

    def fresh_mailbox(self, c, name, messages):
        self.assertEqual(c.create(name)[0], "OK")
        for m in messages:
            self.assertEqual(c.append(name, None, None, m.encode() if isinstance(m, str) else m)[0], "OK")
        c.select(name)

    def test_corpus_append_fetch_byte_exact(self):
        # imaplib rewrites line endings in APPEND, so the messages go in over a raw connection, byte for byte.
        c = self.client()
        c.create("Corpus")
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        r.cmd("a", f'LOGIN {ALICE} "{PASSWORD}"')
        sample = [p for p in corpus_sample() if os.path.getsize(p) > 0]
        self.assertGreater(len(sample), 50)
        uids = []
        for i, path in enumerate(sample):
            with open(path, "rb") as f:
                data = f.read()
            r.send(f"p{i} APPEND Corpus {{{len(data)}}}\r\n")
            self.assertTrue(r.line().startswith(b"+ "), path)
            r.send(data + b"\r\n")
            done = r.until_tagged(f"p{i}")[-1]
            self.assertTrue(done.startswith(f"p{i} OK".encode()), (path, done))
            uids.append(int(re.search(rb"APPENDUID \d+ (\d+)", done).group(1)))
        # Read back as sent (literals included) and checked with the strict RFC 9051 grammar; corpus_grammar.py
        # (ctest wire.imap_corpus.*) does the same for every message of the corpus.
        w = Wire(self.srv.ports["imap"])
        self.addCleanup(w.close)
        w.response()
        w.command("l", f'LOGIN {ALICE} "{PASSWORD}"')
        w.command("s", "EXAMINE Corpus")
        for path, uid in zip(sample, uids):
            with open(path, "rb") as f:
                data = f.read()
            untagged, done = w.command("f", f"UID FETCH {uid} (BODY.PEEK[] RFC822.SIZE BODYSTRUCTURE ENVELOPE)")
            self.assertTrue(done.startswith(b"f OK"), (path, done))
            fetches = [r for r in untagged if re.match(rb"\* \d+ FETCH ", r)]
            self.assertEqual(len(fetches), 1, path)
            try:
                _, att = parse_fetch_response(fetches[0])
            except GrammarError as e:
                self.fail(f"{path}: {e}")
            self.assertEqual(att["BODY[]"], data, path)
            self.assertEqual(att["RFC822.SIZE"], len(data), path)
            self.assertIn("BODYSTRUCTURE", att, path)
            self.assertIn("ENVELOPE", att, path)

    def test_sections_partials_and_header_fields(self):
        c = self.client()
        self.fresh_mailbox(c, "Parts", [MULTIPART])
        typ, resp = c.fetch("1", "(BODY.PEEK[1] BODY.PEEK[2.MIME] BODY.PEEK[HEADER.FIELDS (SUBJECT TO)] "
                                 "BODY.PEEK[TEXT]<0.8> BODY.PEEK[3])")
        self.assertEqual(typ, "OK")
        items = {}
        for part in resp:
            if isinstance(part, tuple):
                items[re.search(rb"(BODY\[[^\]]*\](?:<\d+>)?) \{\d+\}$", part[0]).group(1)] = part[1]
        self.assertEqual(items[b"BODY[1]"], b"first part")
        self.assertEqual(items[b"BODY[2.MIME]"], b"Content-Type: text/html\r\n\r\n")
        self.assertEqual(items[b"BODY[HEADER.FIELDS (SUBJECT TO)]"], b"To: b@example.test\r\nSubject: parts\r\n\r\n")
        self.assertEqual(items[b"BODY[TEXT]<0>"], b"preamble")
        self.assertEqual(items[b"BODY[3]"], b"")
        self.assertNotIn(b"\\Seen", c.fetch("1", "(FLAGS)")[1][0])
        typ, resp = c.fetch("1", "(BODY[1])")
        self.assertIn(b"\\Seen", b"".join(x if isinstance(x, bytes) else x[0] for x in resp))
        typ, resp = c.fetch("1", "(RFC822.HEADER BODY)")
        self.assertEqual(typ, "OK")
        self.assertTrue(resp[1].startswith(b' BODY (("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1)'), resp)

    def test_store_silent_and_unchangedsince(self):
        c = self.client()
        self.fresh_mailbox(c, "Flags", [make_message("f1"), make_message("f2")])
        typ, resp = c.store("1:2", "+FLAGS", "(\\Flagged $Work)")
        self.assertEqual(typ, "OK")
        self.assertEqual(len(resp), 2)
        self.assertIn(b"$Work", resp[0])
        typ, resp = c.store("1", "+FLAGS.SILENT", "\\Answered")
        self.assertEqual(resp, [None])
        typ, resp = c.fetch("1:2", "(MODSEQ)")
        m1 = int(re.search(rb"MODSEQ \((\d+)\)", resp[0]).group(1))
        typ, resp = c.store("1:2", "(UNCHANGEDSINCE %d) +FLAGS" % m1, "\\Seen")
        # Message 2 was not changed since m1 either (its modseq is lower), message 1 equals m1: both pass.
        self.assertEqual(typ, "OK")
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        r.cmd("a", f'LOGIN {ALICE} "{PASSWORD}"')
        r.cmd("b", "SELECT Flags")
        lines = r.cmd("c", "STORE 1:2 (UNCHANGEDSINCE 1) -FLAGS (\\Seen)")
        self.assertTrue(lines[-1].startswith(b"c OK [MODIFIED 1:2]"), lines)
        typ, resp = c.fetch("1", "(FLAGS)")
        self.assertIn(b"\\Seen", resp[0])

    def test_expunge_and_uid_expunge(self):
        c = self.client()
        self.fresh_mailbox(c, "Exp", [make_message(f"e{i}") for i in range(5)])
        c.store("2,4", "+FLAGS", "\\Deleted")
        typ, resp = c.expunge()
        self.assertEqual(resp, [b"4", b"2"])
        c.store("1:3", "+FLAGS", "\\Deleted")
        typ, resp = c.uid("EXPUNGE", "1")
        self.assertEqual(typ, "OK")
        self.assertEqual(c.uid("SEARCH", "ALL")[1], [b"3 5"])

    def test_copy_move_with_copyuid(self):
        c = self.client()
        self.fresh_mailbox(c, "Src", [make_message(f"c{i}") for i in range(3)])
        c.create("Dst")
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        r.cmd("a", f'LOGIN {ALICE} "{PASSWORD}"')
        r.cmd("b", "SELECT Src")
        lines = r.cmd("c", "UID COPY 1:2 Dst")
        self.assertRegex(lines[-1], rb"^c OK \[COPYUID \d+ 1:2 1:2\]")
        lines = r.cmd("d", "MOVE 3 Dst")
        self.assertRegex(lines[0], rb"^\* OK \[COPYUID \d+ 3 3\]")
        self.assertEqual(lines[1], b"* 3 EXPUNGE")
        self.assertTrue(lines[-1].startswith(b"d OK"))
        self.assertTrue(r.cmd("e", "COPY 1 Missing")[-1].startswith(b"e NO [TRYCREATE]"))
        self.assertIn(b"MESSAGES 3", c.status("Dst", "(MESSAGES)")[1][0])

    def test_search_keys(self):
        c = self.client()
        msgs = [make_message("Invoice March", body="pay the zanzibar bill\r\n", sender="billing@shop.test"),
                make_message("Lunch", body="sandwiches\r\n", sender="friend@example.test"),
                make_message("Re: Invoice March", body="paid\r\n", sender="me@example.test")]
        self.fresh_mailbox(c, "Search", msgs)
        c.store("2", "+FLAGS", "\\Flagged")
        self.assertEqual(c.search(None, "ALL")[1], [b"1 2 3"])
        self.assertEqual(c.search(None, "FLAGGED")[1], [b"2"])
        self.assertEqual(c.search(None, "UNFLAGGED")[1], [b"1 3"])
        self.assertEqual(c.search(None, "FROM", "billing")[1], [b"1"])
        self.assertEqual(c.search(None, "SUBJECT", "invoice")[1], [b"1 3"])
        self.assertEqual(c.search(None, "TEXT", "zanzibar")[1], [b"1"])
        self.assertEqual(c.search(None, "BODY", "sandwiches")[1], [b"2"])
        self.assertEqual(c.search(None, "OR", "FLAGGED", "FROM", "me@")[1], [b"2 3"])
        self.assertEqual(c.search(None, "NOT", "SUBJECT", "lunch")[1], [b"1 3"])
        self.assertEqual(c.search(None, "HEADER", "Message-ID", "example.test")[1], [b"1 2 3"])
        self.assertEqual(c.search(None, "2:*", "SUBJECT", "invoice")[1], [b"3"])
        self.assertEqual(c.search("UTF-8", "SENTON", "2-Dec-2026")[1], [b"1 2 3"])
        self.assertEqual(c.search(None, "SINCE", "1-Jan-2000", "LARGER", "10")[1], [b"1 2 3"])
        self.assertEqual(c.uid("SEARCH", "UID", "2:*")[1], [b"2 3"])
        # This session selected the mailbox first: the three are \Recent for it, and unseen (RFC 3501 §6.4.4 NEW).
        self.assertEqual(c.search(None, "NEW")[1], [b"1 2 3"])
        self.assertEqual(c.search(None, "OLD")[1], [b""])
        # ESEARCH (RFC 4731).
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        r.cmd("a", f'LOGIN {ALICE} "{PASSWORD}"')
        r.cmd("b", "SELECT Search")
        self.assertEqual(r.cmd("c", "SEARCH RETURN (MIN MAX COUNT) SUBJECT invoice")[0],
                         b'* ESEARCH (TAG "c") MIN 1 MAX 3 COUNT 2')
        self.assertEqual(r.cmd("d", "UID SEARCH RETURN () ALL")[0], b'* ESEARCH (TAG "d") UID ALL 1:3')
        self.assertEqual(r.cmd("e", "SEARCH RETURN (COUNT) DELETED")[0], b'* ESEARCH (TAG "e") COUNT 0')

    def test_append_over_quota(self):
        big = make_message("big", body="x" * 3000 + "\r\n")
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        r.cmd("a", f'LOGIN {BOB} "{PASSWORD}"')
        r.send(f"b APPEND INBOX {{{len(big)}}}\r\n")
        self.assertTrue(r.line().startswith(b"+"))
        r.send(big + "\r\n")
        self.assertTrue(r.until_tagged("b")[-1].startswith(b"b NO [OVERQUOTA]"))

    def test_badcharset(self):
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        r.cmd("a", f'LOGIN {ALICE} "{PASSWORD}"')
        r.cmd("b", "SELECT INBOX")
        self.assertTrue(r.cmd("c", "SEARCH CHARSET KOI8-R ALL")[-1].startswith(b"c NO [BADCHARSET"))


if __name__ == "__main__":
    unittest.main()
