"""`claret deliver`: local delivery from standard input with LDA exit codes."""
import os
import unittest

from claret_harness import ClaretDir, stored_blobs

MESSAGE = "From: Carol <carol@remote.test>\nTo: alice@example.test\nSubject: hello\n\nHi Alice.\n"


def inbox_counts(d, address):
    for line in d.cli("mailbox", "list", address).stdout.splitlines():
        if line.startswith("INBOX "):
            return dict(kv.split("=") for kv in line.split()[1:] if "=" in kv)
    raise AssertionError("no INBOX")


class Deliver(unittest.TestCase):
    def setUp(self):
        self.dir = ClaretDir()
        self.addCleanup(self.dir.cleanup)
        self.dir.add_user("alice@example.test", "pw-alice-123")
        self.dir.add_user("bob@example.test", "pw-bob-123")

    def test_delivers_to_aliases_and_plus_addresses_once_per_account(self):
        self.dir.cli("alias", "add", "team@example.test", "alice@example.test", "bob@example.test")
        out = self.dir.cli("deliver", "--to", "team@example.test", "--to", "alice+news@example.test",
                           "--from", "carol@remote.test", input=MESSAGE)
        self.assertIn("delivered team@example.test uid=1", out.stdout)
        self.assertEqual(inbox_counts(self.dir, "alice@example.test")["messages"], "1")
        self.assertEqual(inbox_counts(self.dir, "bob@example.test")["messages"], "1")
        self.assertEqual(inbox_counts(self.dir, "bob@example.test")["uidnext"], "2")

    def test_catch_all(self):
        self.dir.cli("alias", "add", "@example.test", "bob@example.test")
        self.dir.cli("deliver", "--to", "whoever@example.test", input=MESSAGE)
        self.assertEqual(inbox_counts(self.dir, "bob@example.test")["messages"], "1")

    def test_unknown_recipient_exit_67_and_nothing_stored(self):
        proc = self.dir.cli("deliver", "--to", "ghost@example.test", input=MESSAGE, check=False)
        self.assertEqual(proc.returncode, 67)
        self.assertIn("ghost@example.test", proc.stderr)
        self.assertEqual(stored_blobs(self.dir.data), {})

    def test_over_quota_is_temporary_failure(self):
        self.dir.cli("user", "quota", "alice@example.test", "100")
        proc = self.dir.cli("deliver", "--to", "alice@example.test", input=MESSAGE * 5, check=False)
        self.assertEqual(proc.returncode, 75)
        self.assertEqual(inbox_counts(self.dir, "alice@example.test")["messages"], "0")

    def test_empty_message_refused(self):
        proc = self.dir.cli("deliver", "--to", "alice@example.test", input="", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("empty", proc.stderr)

    def test_corpus_messages_deliver(self):
        corpus = os.path.join(os.environ.get("CLARET_SHARED_DIR", "../shared"), "corpus")
        names = []
        for folder in ("cpython", "zimbra", "stalwart-mail-parser/malformed", "torture"):
            path = os.path.join(corpus, folder)
            if os.path.isdir(path):
                names += [os.path.join(path, n) for n in sorted(os.listdir(path))
                          if not n.endswith((".json", ".md", ".txt.expected")) and
                          os.path.isfile(os.path.join(path, n))][:15]
        self.assertGreater(len(names), 20)
        for i, path in enumerate(names):
            with open(path, "rb") as f:
                data = f.read()
            import subprocess
            proc = subprocess.run([os.environ.get("CLARET_BIN", "claret"), "deliver", "--to", "alice@example.test",
                                   "--config", self.dir.config], input=data, capture_output=True, timeout=60)
            self.assertEqual(proc.returncode, 0, f"{path}: {proc.stderr.decode(errors='replace')}")
        self.assertEqual(inbox_counts(self.dir, "alice@example.test")["messages"], str(len(names)))


if __name__ == "__main__":
    unittest.main()
