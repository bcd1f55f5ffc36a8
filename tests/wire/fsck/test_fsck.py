"""`claret fsck`: clean while `serve` runs, one line per problem, --repair fixes counters and never drops mail."""
import os
import smtplib
import sqlite3
import unittest

from claret_harness import ClaretServer, run_cli

TIMEOUT_S = 20


def send(port, n, big=False):
    body = ("x" * 200_000) if big else "hello"
    with smtplib.SMTP("127.0.0.1", port, timeout=TIMEOUT_S) as c:
        for i in range(n):
            c.sendmail("carol@remote.test", ["alice@example.test"],
                       f"From: carol@remote.test\r\nSubject: m{i}\r\n\r\n{body} {i}\r\n")


class Fsck(unittest.TestCase):
    def setUp(self):
        self.srv = ClaretServer()
        self.addCleanup(self.srv.cleanup)
        self.addCleanup(self.srv.stop)
        self.srv.add_user("alice@example.test", "pw-alice-123")
        send(self.srv.ports["smtp"], 3)
        send(self.srv.ports["smtp"], 1, big=True)  # a file blob besides the inline ones

    def fsck(self, *args):
        return self.srv.cli("fsck", *args, check=False)

    def sql(self, statement):
        db = sqlite3.connect(os.path.join(self.srv.data, "claret.db"), timeout=10)
        try:
            db.execute(statement)
            db.commit()
        finally:
            db.close()

    def test_clean_store_while_serving(self):
        proc = self.fsck()
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("fsck: 4 messages, 4 blobs: clean", proc.stdout)

    def test_repair_beside_a_running_server(self):
        self.sql("UPDATE mailboxes SET total = 0, uidnext = 1 WHERE name = 'INBOX'")
        proc = self.fsck()
        self.assertEqual(proc.returncode, 1)
        self.assertIn("uidnext alice@example.test/INBOX: UIDNEXT 1 but UID 4 is used; raise to 5", proc.stdout)
        self.assertIn("counters alice@example.test/INBOX: messages/size/unseen stored as 0/", proc.stdout)
        proc = self.fsck("--repair")
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout.count("(repaired)"), 2, proc.stdout)
        self.assertIn("2 problems, 2 repaired", proc.stdout)
        # The server keeps working on the repaired store: the next message gets UID 5.
        send(self.srv.ports["smtp"], 1)
        listing = self.srv.cli("mailbox", "list", "alice@example.test").stdout
        self.assertIn("INBOX messages=5 ", listing)
        self.assertIn(" uidnext=6 ", listing)
        self.assertEqual(self.fsck().returncode, 0)

    def test_missing_blob_is_reported_and_kept(self):
        self.srv.stop()
        self.sql("DELETE FROM blob_data WHERE id = (SELECT blob_id FROM messages WHERE uid = 2)")
        for args in ((), ("--repair",), ()):
            proc = self.fsck(*args)
            self.assertEqual(proc.returncode, 1)
            lines = [l for l in proc.stdout.splitlines() if not l.startswith("fsck:")]
            self.assertEqual(len(lines), 1, proc.stdout)
            self.assertTrue(lines[0].startswith("missing-blob alice@example.test/INBOX uid 2: blob "), lines[0])
            self.assertNotIn("(repaired)", lines[0])
        self.assertIn("INBOX messages=4 ", self.srv.cli("mailbox", "list", "alice@example.test").stdout)

    def test_orphan_file_removed_only_after_the_grace_period(self):
        self.srv.stop()
        orphan = "ab" * 32
        path = os.path.join(self.srv.data, "blobs", "ab", "ab")
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, orphan), "wb") as f:
            f.write(b"left by a crash")
        proc = self.fsck("--repair")
        self.assertEqual(proc.returncode, 0, proc.stdout)
        self.assertIn("1 unreferenced blob files younger than 3600s left alone", proc.stdout)
        proc = self.fsck("--repair", "--grace", "0")
        self.assertEqual(proc.returncode, 1)
        self.assertIn(f"orphan-blob-file blob {orphan}: file of 15 bytes nobody references (repaired)", proc.stdout)
        self.assertFalse(os.path.exists(os.path.join(path, orphan)))
        self.assertEqual(self.fsck("--grace", "0").returncode, 0)

    def test_errors_exit_2(self):
        self.assertEqual(self.fsck("extra").returncode, 2)
        self.assertEqual(self.fsck("--grace", "soon").returncode, 2)
        self.srv.stop()
        os.rename(os.path.join(self.srv.data, "claret.db"), os.path.join(self.srv.data, "moved.db"))
        proc = self.fsck()
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no store at", proc.stderr)


if __name__ == "__main__":
    unittest.main()
