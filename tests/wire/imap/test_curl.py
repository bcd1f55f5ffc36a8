"""curl as an IMAP client: imap:// (STARTTLS not required on loopback) and imaps:// listing mailboxes and fetching
a message by UID byte for byte."""
import os
import shutil
import subprocess
import unittest

from imap.imap_util import ALICE, PASSWORD, TIMEOUT_S, client, close_quietly, start_server, stop_server

MESSAGE = b"From: a@example.test\r\nTo: alice@example.test\r\nSubject: curl\r\n\r\nfetched by curl\r\n"


@unittest.skipUnless(shutil.which("curl"), "curl not installed")
class Curl(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)
        c = client(cls.srv)
        c.append("INBOX", None, None, MESSAGE)
        close_quietly(c)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def curl(self, url, *extra):
        proc = subprocess.run(["curl", "-sS", "--max-time", str(TIMEOUT_S), "--user", f"{ALICE}:{PASSWORD}", *extra,
                               url], capture_output=True, timeout=TIMEOUT_S + 5)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def test_list_over_imap(self):
        out = self.curl(f"imap://127.0.0.1:{self.srv.ports['imap']}/")
        self.assertIn(b'"/" INBOX', out)
        self.assertIn(b"\\Sent", out)

    def test_fetch_by_uid_over_imaps(self):
        cafile = os.path.join(self.srv.data, "tls", "cert.pem")
        out = self.curl(f"imaps://localhost:{self.srv.ports['imaps']}/INBOX;UID=1", "--cacert", cafile)
        self.assertEqual(out, MESSAGE)

    def test_custom_command(self):
        out = self.curl(f"imap://127.0.0.1:{self.srv.ports['imap']}/INBOX", "-X", "UID SEARCH SUBJECT curl")
        self.assertIn(b"* SEARCH 1", out)


if __name__ == "__main__":
    unittest.main()
