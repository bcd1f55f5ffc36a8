"""Domain, user and alias administration through the CLI: effects, and one-line errors that write nothing."""
import subprocess
import unittest

from claret_harness import ClaretDir


class Accounts(unittest.TestCase):
    def setUp(self):
        self.dir = ClaretDir()
        self.addCleanup(self.dir.cleanup)

    def err(self, *args, input=None):
        proc = self.dir.cli(*args, input=input, check=False)
        self.assertNotEqual(proc.returncode, 0, f"{args} should fail")
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)
        self.assertTrue(proc.stderr.startswith("claret: "), proc.stderr)
        return proc.stderr

    def test_domains(self):
        self.dir.cli("domain", "add", "other.test")
        self.assertIn("other.test", self.dir.cli("domain", "list").stdout.split())
        self.assertIn("exists", self.err("domain", "add", "other.test"))
        self.err("domain", "add", "bad domain")
        self.dir.cli("domain", "del", "other.test")
        self.assertNotIn("other.test", self.dir.cli("domain", "list").stdout.split())
        self.err("domain", "del", "other.test")

    def test_users(self):
        self.dir.add_user("alice@example.test", "correct horse battery")
        listing = self.dir.cli("user", "list").stdout
        self.assertIn("alice@example.test", listing)
        self.assertIn("exists", self.err("user", "add", "alice@example.test", "--password-stdin", input="x\n"))
        self.err("user", "add", "bob@unknown.test", "--password-stdin", input="pw\n")
        self.err("user", "add", "not-an-address", "--password-stdin", input="pw\n")
        self.err("user", "add", "carol@example.test", "--hash", "{PLAIN}secret")
        self.err("user", "add", "carol@example.test", "--hash", "{SHA512-CRYPT}$6$broken")
        self.assertNotIn("carol@", self.dir.cli("user", "list").stdout)
        self.dir.cli("user", "quota", "alice@example.test", "10M")
        self.assertIn("10485760", self.dir.cli("user", "list").stdout)
        self.err("user", "quota", "alice@example.test", "lots")
        self.dir.cli("user", "passwd", "alice@example.test", "--password-stdin", input="new password\n")
        self.dir.cli("user", "del", "alice@example.test")
        self.assertNotIn("alice@", self.dir.cli("user", "list").stdout)
        self.err("user", "del", "alice@example.test")

    def test_import_dovecot_hash(self):
        # A SHA512-CRYPT hash as Dovecot's `doveadm pw -s SHA512-CRYPT` writes it.
        h = subprocess.run(["openssl", "passwd", "-6", "-salt", "abcdefgh", "secret"],
                           capture_output=True, text=True, check=True, timeout=30).stdout.strip()
        self.dir.cli("user", "add", "dave@example.test", "--hash", "{SHA512-CRYPT}" + h)
        self.assertIn("dave@example.test", self.dir.cli("user", "list").stdout)

    def test_aliases(self):
        self.dir.add_user("alice@example.test", "pw-alice-123")
        self.dir.cli("alias", "add", "postmaster@example.test", "alice@example.test")
        self.dir.cli("alias", "add", "@example.test", "alice@example.test")
        listing = self.dir.cli("alias", "list").stdout
        self.assertIn("postmaster@example.test", listing)
        self.assertIn("@example.test", listing)
        self.err("alias", "add", "x@nowhere.test", "alice@example.test")
        self.err("alias", "add", "bad", "alice@example.test")
        self.dir.cli("alias", "del", "postmaster@example.test")
        self.assertNotIn("postmaster@", self.dir.cli("alias", "list").stdout)


if __name__ == "__main__":
    unittest.main()
