"""Real clients: swaks (plain SMTP, pipelining, AUTH on loopback submission) and curl smtp:// / smtps:// /
STARTTLS. (swaks's TLS needs Net::SSLeay, which is not installed, so curl covers TLS.)"""
import os
import shutil
import subprocess
import tempfile
import unittest

from smtp.smtp_util import PASSWORD, inbox_count, start_server, stop_server, stored_blobs_containing

TOOL_TIMEOUT_S = 30


class Tools(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user("alice@example.test", PASSWORD)
        cls.srv.add_user("bob@example.test", PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def run_tool(self, *cmd, input=None):
        proc = subprocess.run(cmd, input=input, capture_output=True, timeout=TOOL_TIMEOUT_S)
        self.assertEqual(proc.returncode, 0, (cmd, proc.stdout.decode(errors="replace")[-3000:],
                                               proc.stderr.decode(errors="replace")[-3000:]))
        return proc.stdout.decode(errors="replace")

    @unittest.skipUnless(shutil.which("swaks"), "swaks not installed")
    def test_swaks_mx(self):
        before = inbox_count(self.srv, "alice@example.test")
        out = self.run_tool("swaks", "--server", f"127.0.0.1:{self.srv.ports['smtp']}", "--helo", "client.test",
                            "--from", "sender@remote.test", "--to", "alice@example.test",
                            "--header", "Subject: swaks-mx-1", "--body", "from swaks", "--pipeline")
        self.assertIn("250 2.6.0", out)
        self.assertEqual(inbox_count(self.srv, "alice@example.test"), before + 1)
        self.assertEqual(len(stored_blobs_containing(self.srv, b"swaks-mx-1")), 1)

    @unittest.skipUnless(shutil.which("swaks"), "swaks not installed")
    def test_swaks_submission_auth(self):
        before = inbox_count(self.srv, "bob@example.test")
        for mech in ("PLAIN", "LOGIN"):
            out = self.run_tool("swaks", "--server", f"127.0.0.1:{self.srv.ports['submission']}",
                                "--from", "alice@example.test", "--to", "bob@example.test",
                                "--header", f"From: alice@example.test", "--header", f"Subject: swaks-sub-{mech}",
                                "--auth", mech, "--auth-user", "alice@example.test", "--auth-password", PASSWORD)
            self.assertIn("235 2.7.0", out)
        self.assertEqual(inbox_count(self.srv, "bob@example.test"), before + 2)

    @unittest.skipUnless(shutil.which("curl"), "curl not installed")
    def test_curl(self):
        tmp = tempfile.mkdtemp(prefix="claret-curl-")
        self.addCleanup(shutil.rmtree, tmp, True)
        cacert = os.path.join(self.srv.data, "tls", "cert.pem")
        before = inbox_count(self.srv, "bob@example.test")
        cases = [
            ("curl-plain", ["--url", f"smtp://127.0.0.1:{self.srv.ports['smtp']}/client.test"]),
            ("curl-starttls", ["--url", f"smtp://localhost:{self.srv.ports['smtp']}/client.test", "--ssl-reqd",
                               "--cacert", cacert, "--resolve", f"localhost:{self.srv.ports['smtp']}:127.0.0.1"]),
            ("curl-smtps", ["--url", f"smtps://localhost:{self.srv.ports['submissions']}/client.test",
                            "--cacert", cacert, "--resolve", f"localhost:{self.srv.ports['submissions']}:127.0.0.1",
                            "--user", f"alice@example.test:{PASSWORD}"]),
        ]
        for marker, args in cases:
            path = os.path.join(tmp, marker + ".eml")
            with open(path, "wb") as f:
                f.write(f"From: alice@example.test\r\nTo: bob@example.test\r\nSubject: {marker}\r\n\r\n"
                        f"sent by curl\r\n.starts with a dot\r\n".encode())
            self.run_tool("curl", "--silent", "--show-error", "--max-time", str(TOOL_TIMEOUT_S), *args,
                          "--mail-from", "alice@example.test", "--mail-rcpt", "bob@example.test", "--upload-file", path)
            (blob,) = stored_blobs_containing(self.srv, marker.encode())
            self.assertTrue(blob.endswith(b"sent by curl\r\n.starts with a dot\r\n"), blob[-80:])
        self.assertEqual(inbox_count(self.srv, "bob@example.test"), before + len(cases))


if __name__ == "__main__":
    unittest.main()
