"""`claret sendmail`: the classic sendmail interface for local programs (-t, -f, -F, -i, recipients as
arguments, a lone "." ending input without -i), with missing Date/Message-ID/From added and Bcc removed."""
import os
import subprocess
import unittest

from claret_harness import CLARET, ClaretDir, stored_blobs


def blobs(d):
    return list(stored_blobs(d.data).values())


def inbox_messages(d, address):
    for line in d.cli("mailbox", "list", address).stdout.splitlines():
        if line.startswith("INBOX "):
            return int(line.split("messages=")[1].split()[0])
    return 0


class Sendmail(unittest.TestCase):
    def setUp(self):
        self.dir = ClaretDir()
        self.addCleanup(self.dir.cleanup)
        self.dir.add_user("alice@example.test", "pw-alice-123")
        self.dir.add_user("bob@example.test", "pw-bob-123")

    def sendmail(self, *args, input, via_symlink=False):
        cmd = [CLARET, "sendmail", *args, "--config", self.dir.config]
        if via_symlink:
            link = os.path.join(self.dir.tmp, "sendmail")
            if not os.path.exists(link):
                os.symlink(CLARET, link)
            cmd = [link, *args, "--config", self.dir.config]
        return subprocess.run(cmd, input=input.encode(), capture_output=True, timeout=60)

    def test_recipients_as_arguments_and_headers_completed(self):
        proc = self.sendmail("-f", "cron@example.test", "-F", "Cron Daemon", "alice", input="Subject: nightly\n\nall good\n")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(inbox_messages(self.dir, "alice@example.test"), 1)
        (blob,) = blobs(self.dir)
        self.assertTrue(blob.startswith(b"Return-Path: <cron@example.test>\r\nReceived: "), blob[:200])
        for field in (b"\r\nDate: ", b"\r\nMessage-ID: <", b'\r\nFrom: "Cron Daemon" <cron@example.test>\r\n'):
            self.assertIn(field, blob)
        self.assertTrue(blob.endswith(b"\r\n\r\nall good\r\n"), blob[-80:])

    def test_dash_t_reads_recipients_and_drops_bcc(self):
        msg = ("From: alice@example.test\nTo: bob@example.test\nBcc: alice@example.test\n"
               "Subject: t\n\nhello\n")
        proc = self.sendmail("-t", "-i", input=msg, via_symlink=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(inbox_messages(self.dir, "bob@example.test"), 1)
        self.assertEqual(inbox_messages(self.dir, "alice@example.test"), 1)
        for blob in blobs(self.dir):
            self.assertNotIn(b"Bcc:", blob)

    def test_lone_dot_ends_input_unless_dash_i(self):
        self.assertEqual(self.sendmail("bob", input="Subject: a\n\nbefore\n.\nafter\n").returncode, 0)
        self.assertEqual(self.sendmail("-oi", "alice", input="Subject: b\n\nbefore\n.\nafter\n").returncode, 0)
        by_subject = {b"Subject: a": None, b"Subject: b": None}
        for blob in blobs(self.dir):
            for key in by_subject:
                if key in blob:
                    by_subject[key] = blob
        self.assertTrue(by_subject[b"Subject: a"].endswith(b"before\r\n"))
        self.assertTrue(by_subject[b"Subject: b"].endswith(b"before\r\n.\r\nafter\r\n"))

    def test_unknown_local_user_sends_nothing(self):
        proc = self.sendmail("alice", "nobody", input="Subject: x\n\nx\n")
        self.assertEqual(proc.returncode, 67)
        self.assertIn(b"nobody@example.test", proc.stderr)
        self.assertEqual(inbox_messages(self.dir, "alice@example.test"), 0)

    def test_remote_recipient_is_queued(self):
        proc = self.sendmail("-f", "alice@example.test", "friend@remote.test", input="Subject: out\n\nhi\n")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        listing = self.dir.cli("queue", "list").stdout
        self.assertIn("from=<alice@example.test>", listing)
        entry = listing.split()[0]
        self.assertIn("friend@remote.test", self.dir.cli("queue", "show", entry).stdout)

    def test_usage_errors(self):
        self.assertEqual(self.sendmail(input="Subject: x\n\nx\n").returncode, 64)
        self.assertEqual(self.sendmail("-X", "alice", input="x\n").returncode, 64)
        self.assertEqual(self.sendmail("alice", input="").returncode, 65)


if __name__ == "__main__":
    unittest.main()
