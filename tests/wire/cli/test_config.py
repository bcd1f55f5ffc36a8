"""`claret init` and `claret config check`: the files written, and one-line errors for bad configs."""
import os
import stat
import unittest

from claret_harness import ClaretDir, run_cli


class InitAndConfigCheck(unittest.TestCase):
    def setUp(self):
        self.dir = ClaretDir()
        self.addCleanup(self.dir.cleanup)

    def test_init_writes_config_certificate_and_store(self):
        for rel in ("claret.toml", "tls/cert.pem", "tls/key.pem", "claret.db"):
            self.assertTrue(os.path.exists(os.path.join(self.dir.data, rel)), rel)
        key_mode = stat.S_IMODE(os.stat(os.path.join(self.dir.data, "tls/key.pem")).st_mode)
        self.assertEqual(key_mode, 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(self.dir.data).st_mode), 0o700)
        out = self.dir.cli("config", "check")
        self.assertIn("configuration OK", out.stdout)
        self.assertIn("example.test", self.dir.cli("domain", "list").stdout.split())

    def test_init_refuses_to_overwrite(self):
        proc = run_cli(None, "init", "--domain", "example.test", "--data", self.dir.data, check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("already", proc.stderr)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1)

    def test_config_error_names_the_line(self):
        with open(self.dir.config) as f:
            lines = f.read().split("\n")
        index = lines.index("max_recipients = 1000")
        lines[index] = "max_recipents = 1000"  # a typo an admin might make
        with open(self.dir.config, "w") as f:
            f.write("\n".join(lines))
        proc = self.dir.cli("config", "check", check=False)
        self.assertEqual(proc.returncode, 1)
        line = proc.stderr.strip()
        self.assertEqual(len(line.splitlines()), 1, line)
        self.assertIn("unknown setting limits.smtp.max_recipents", line)
        self.assertIn(f"claret.toml:{index + 1}:", line)

    def test_missing_config_file(self):
        proc = run_cli(os.path.join(self.dir.tmp, "nope.toml"), "config", "check", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("cannot read", proc.stderr)

    def test_unknown_command_and_option(self):
        self.assertEqual(run_cli(None, "frobnicate", check=False).returncode, 2)
        proc = self.dir.cli("domain", "list", "--bogus", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("unknown option --bogus", proc.stderr)


if __name__ == "__main__":
    unittest.main()
