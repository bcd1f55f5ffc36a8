"""CONDSTORE and QRESYNC (RFC 7162) at the wire: ENABLE QRESYNC, SELECT (QRESYNC (uidvalidity modseq [known-uids]))
with VANISHED (EARLIER) and the changed flags, UID FETCH (CHANGEDSINCE n VANISHED), VANISHED instead of EXPUNGE
once enabled (own expunges and other sessions'), UID in every FETCH, and BAD when QRESYNC is not enabled."""
import re
import unittest

from imap.imap_util import ALICE, PASSWORD, Raw, client, close_quietly, make_message, start_server, stop_server


class Qresync(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self):
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        self.assertIn(b"OK", r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')[-1])
        return r

    def populate(self, name, n):
        c = client(self.srv)
        self.addCleanup(close_quietly, c)
        self.assertEqual(c.create(name)[0], "OK")
        for i in range(n):
            self.assertEqual(c.append(name, None, None, make_message(f"{name} {i}").encode())[0], "OK")
        return c

    @staticmethod
    def select_state(lines):
        text = b"\n".join(lines)
        validity = int(re.search(rb"UIDVALIDITY (\d+)", text).group(1))
        modseq = int(re.search(rb"HIGHESTMODSEQ (\d+)", text).group(1))
        return validity, modseq

    def test_capability_and_enable(self):
        r = self.raw()
        caps = b" ".join(r.cmd("c", "CAPABILITY"))
        self.assertIn(b" QRESYNC", caps)
        self.assertIn(b" CONDSTORE", caps)
        self.assertEqual(r.cmd("e", "ENABLE QRESYNC")[0], b"* ENABLED QRESYNC")
        # Enabling again reports nothing new (RFC 5161 §3.1).
        self.assertEqual(r.cmd("e2", "ENABLE QRESYNC")[0], b"* ENABLED")

    def test_select_qresync_needs_enable(self):
        self.populate("NoEnable", 1)
        r = self.raw()
        lines = r.cmd("s", "SELECT NoEnable (QRESYNC (1 1))")
        self.assertTrue(lines[-1].startswith(b"s BAD"), lines)
        lines = r.cmd("s2", "SELECT NoEnable")
        lines = r.cmd("f", "UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)")
        self.assertTrue(lines[-1].startswith(b"f BAD"), lines)

    def test_resync_after_changes(self):
        c = self.populate("Resync", 6)
        r = self.raw()
        r.cmd("e", "ENABLE QRESYNC")
        validity, modseq = self.select_state(r.cmd("s", "SELECT Resync"))
        r.cmd("u", "UNSELECT")
        # Elsewhere: flag message 2, expunge messages 3 and 5 (UIDs 3 and 5).
        c.select("Resync")
        c.uid("STORE", "2", "+FLAGS", "(\\Flagged)")
        c.uid("STORE", "3,5", "+FLAGS", "(\\Deleted)")
        c.expunge()
        lines = r.cmd("q", f"SELECT Resync (QRESYNC ({validity} {modseq}))")
        self.assertTrue(lines[-1].startswith(b"q OK"), lines)
        self.assertIn(b"* VANISHED (EARLIER) 3,5", lines)
        fetches = [l for l in lines if b" FETCH " in l]
        self.assertTrue(any(re.match(rb"\* 2 FETCH \(UID 2 FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)", l) for l in fetches),
                        fetches)
        # known-uids restricts VANISHED to what the client holds.
        r.cmd("u2", "UNSELECT")
        lines = r.cmd("q2", f"SELECT Resync (QRESYNC ({validity} {modseq} 1:4))")
        self.assertIn(b"* VANISHED (EARLIER) 3", lines)
        # A different UIDVALIDITY: a plain SELECT, no VANISHED.
        r.cmd("u3", "UNSELECT")
        lines = r.cmd("q3", f"EXAMINE Resync (QRESYNC ({validity + 1} {modseq}))")
        self.assertTrue(lines[-1].startswith(b"q3 OK"), lines)
        self.assertFalse(any(l.startswith(b"* VANISHED") for l in lines), lines)
        # UID FETCH … (CHANGEDSINCE m VANISHED): vanished UIDs in the set, then the changed messages.
        lines = r.cmd("f", f"UID FETCH 1:* (FLAGS) (CHANGEDSINCE {modseq} VANISHED)")
        self.assertEqual(lines[0], b"* VANISHED (EARLIER) 3,5")
        self.assertTrue(re.match(rb"\* 2 FETCH \(UID 2 FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)", lines[1]), lines)
        self.assertTrue(lines[-1].startswith(b"f OK"), lines)
        lines = r.cmd("f2", f"UID FETCH 4:6 (FLAGS) (CHANGEDSINCE {modseq} VANISHED)")
        self.assertIn(b"* VANISHED (EARLIER) 5", lines)

    def test_vanished_replaces_expunge(self):
        c = self.populate("Vanish", 5)
        r = self.raw()
        r.cmd("e", "ENABLE QRESYNC")
        r.cmd("s", "SELECT Vanish")
        # Every FETCH carries the UID once QRESYNC is on (§3.2.4), and STORE's FETCH too.
        lines = r.cmd("f", "FETCH 1 (FLAGS)")
        self.assertTrue(re.match(rb"\* 1 FETCH \(UID 1 FLAGS", lines[0]), lines)
        lines = r.cmd("t", "STORE 1,2 +FLAGS (\\Deleted)")
        self.assertTrue(re.match(rb"\* 1 FETCH \(UID 1 FLAGS", lines[0]), lines)
        lines = r.cmd("x", "EXPUNGE")
        self.assertIn(b"* VANISHED 1:2", lines)
        self.assertFalse(any(b"EXPUNGE" in l and l.startswith(b"* ") for l in lines), lines)
        # Another session expunges: this one hears VANISHED at its next NOOP.
        c.select("Vanish")
        c.uid("STORE", "4", "+FLAGS", "(\\Deleted)")
        c.expunge()
        lines = r.cmd("n", "NOOP")
        self.assertIn(b"* VANISHED 4", lines)
        # MOVE reports the moved messages as VANISHED too.
        c.create("VanishTarget")
        lines = r.cmd("m", "UID MOVE 3 VanishTarget")
        self.assertIn(b"* VANISHED 3", lines)
        self.assertTrue(lines[-1].startswith(b"m OK"), lines)
        lines = r.cmd("f3", "FETCH 1:* (UID)")
        self.assertEqual([l for l in lines if l.startswith(b"* ")], [b"* 1 FETCH (UID 5)"])

    def test_condstore_without_qresync_still_uses_expunge(self):
        self.populate("Plain", 3)
        r = self.raw()
        r.cmd("e", "ENABLE CONDSTORE")
        r.cmd("s", "SELECT Plain")
        r.cmd("t", "STORE 2 +FLAGS.SILENT (\\Deleted)")
        lines = r.cmd("x", "EXPUNGE")
        self.assertIn(b"* 2 EXPUNGE", lines)


if __name__ == "__main__":
    unittest.main()
