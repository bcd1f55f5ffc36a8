"""offlineimap (Debian's offlineimap3) as a real client: a two-way sync of a populated account (several folders,
flags, a message with 8-bit content) to a local Maildir over IMAPS, the server's certificate trusted through its CA
file; local flag changes, deletions and a new local message are synced back and checked over imaplib. Issue #4.

offlineimap parses every message into a Python email object and writes it back out with LF line endings, so the
Maildir files are compared with the delivered bytes after CRLF -> LF — every other byte must be identical."""
import email
import os
import shutil
import subprocess
import tempfile
import unittest

from imap.imap_util import ALICE, PASSWORD, TIMEOUT_S, client, close_quietly, start_server, stop_server

OFFLINEIMAP = shutil.which("offlineimap")

EIGHT_BIT = ("From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@example.test>\r\nTo: alice@example.test\r\n"
             "Subject: oi 8bit\r\nDate: Mon, 07 Dec 2026 10:00:00 +0100\r\nMessage-ID: <oi.8bit@example.test>\r\n"
             "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
             "Grüße aus Köln — naïve café, 日本語のテキスト.\r\n").encode()


def plain(subject, n):
    return (f"From: Sender <sender@example.test>\r\nTo: alice@example.test\r\nSubject: {subject}\r\n"
            f"Date: Mon, 07 Dec 2026 10:0{n}:00 +0000\r\nMessage-ID: <oi.{n}@example.test>\r\n\r\n"
            f"body of {subject}\r\n").encode()


@unittest.skipUnless(OFFLINEIMAP, "offlineimap (offlineimap3) not installed")
class Offlineimap(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)
        cls.delivered = {"INBOX": {"oi 1": plain("oi 1", 1), "oi 2": plain("oi 2", 2), "oi 8bit": EIGHT_BIT},
                         "Projects": {"oi p1": plain("oi p1", 3), "oi p2": plain("oi p2", 4)}}
        c = client(cls.srv)
        c.create("Projects")
        flags = {"oi 1": "(\\Seen)", "oi 2": "(\\Flagged)"}
        for box, msgs in cls.delivered.items():
            for subject, data in msgs.items():
                typ, _ = c.append(box, flags.get(subject), None, data)
                assert typ == "OK"
        close_quietly(c)
        cls.tmp = tempfile.mkdtemp(prefix="claret-offlineimap-")
        cls.maildir = os.path.join(cls.tmp, "mail")

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def offlineimap(self):
        rc = os.path.join(self.tmp, "offlineimaprc")
        cafile = os.path.join(self.srv.data, "tls", "cert.pem")
        with open(rc, "w") as f:
            f.write(f"""[general]
accounts = claret
metadata = {self.tmp}/metadata
ui = basic

[Account claret]
localrepository = local
remoterepository = remote

[Repository local]
type = Maildir
localfolders = {self.maildir}

[Repository remote]
type = IMAP
remotehost = localhost
remoteport = {self.srv.ports['imaps']}
remoteuser = {ALICE}
remotepass = {PASSWORD}
ssl = yes
sslcacertfile = {cafile}
maxconnections = 1
holdconnectionopen = no
""")
        env = dict(os.environ, HOME=self.tmp)
        proc = subprocess.run([OFFLINEIMAP, "-c", rc, "-o", "-u", "basic"], capture_output=True, text=True,
                              timeout=TIMEOUT_S * 6, env=env, stdin=subprocess.DEVNULL)
        out = proc.stdout + proc.stderr
        self.assertEqual(proc.returncode, 0, out)
        self.assertNotIn("ERROR", out, out)
        return out

    def local(self, box):
        """{subject: (path, maildir flags, bytes)} of a local Maildir folder."""
        out = {}
        for sub in ("cur", "new"):
            d = os.path.join(self.maildir, box, sub)
            for name in os.listdir(d):
                path = os.path.join(d, name)
                with open(path, "rb") as f:
                    data = f.read()
                subject = email.message_from_bytes(data)["Subject"]
                out[subject] = (path, name.split(":2,")[1] if ":2," in name else "", data)
        return out

    def server_state(self, box):
        """{subject: (flags string, bytes)} over imaplib."""
        c = client(self.srv)
        self.addCleanup(close_quietly, c)
        typ, _ = c.select(box, readonly=True)
        self.assertEqual(typ, "OK")
        typ, resp = c.fetch("1:*", "(FLAGS BODY.PEEK[])")
        out = {}
        for item in resp:
            if isinstance(item, tuple):
                out[email.message_from_bytes(item[1])["Subject"]] = (item[0].decode(), item[1])
        return out

    def test_two_way_sync(self):
        self.offlineimap()
        # Pull: every folder, every message byte-exact (modulo CRLF -> LF), flags mapped to Maildir letters.
        for box, msgs in self.delivered.items():
            local = self.local(box)
            self.assertEqual(sorted(local), sorted(msgs), box)
            for subject, data in msgs.items():
                self.assertEqual(local[subject][2], data.replace(b"\r\n", b"\n"), (box, subject))
        inbox = self.local("INBOX")
        self.assertEqual(inbox["oi 1"][1], "S")
        self.assertEqual(inbox["oi 2"][1], "F")
        self.assertEqual(inbox["oi 8bit"][1], "")
        for special in ("Sent", "Trash", "Drafts"):
            self.assertTrue(os.path.isdir(os.path.join(self.maildir, special, "cur")), special)

        # Local changes: flag and read the 8-bit message, delete "oi 1", delete "oi p2", write a new message.
        path = inbox["oi 8bit"][0]
        base = os.path.basename(path).split(":2,")[0]
        os.rename(path, os.path.join(self.maildir, "INBOX", "cur", base + ":2,FS"))
        os.unlink(inbox["oi 1"][0])
        os.unlink(self.local("Projects")["oi p2"][0])
        with open(os.path.join(self.maildir, "Projects", "new", "1765100000.P1Q1.localhost"), "wb") as f:
            f.write(plain("written offline", 5).replace(b"\r\n", b"\n"))
        self.offlineimap()

        # Push: the server has the flags, lost the deleted messages, and holds the new one.
        inbox = self.server_state("INBOX")
        self.assertEqual(sorted(inbox), ["oi 2", "oi 8bit"])
        self.assertIn("\\Flagged", inbox["oi 8bit"][0])
        self.assertIn("\\Seen", inbox["oi 8bit"][0])
        self.assertEqual(inbox["oi 8bit"][1], EIGHT_BIT)  # still the delivered bytes
        self.assertIn("\\Flagged", inbox["oi 2"][0])
        projects = self.server_state("Projects")
        self.assertEqual(sorted(projects), ["oi p1", "written offline"])
        self.assertIn(b"body of written offline", projects["written offline"][1])

        # A third sync changes nothing on either side.
        self.offlineimap()
        self.assertEqual(sorted(self.local("INBOX")), ["oi 2", "oi 8bit"])
        self.assertEqual(sorted(self.local("Projects")), ["oi p1", "written offline"])


if __name__ == "__main__":
    unittest.main()
