"""mbsync (isync) as a real client: a two-way sync of a populated account over IMAPS — pull every mailbox into a
Maildir, change flags and add a message locally, push back, and check the server (RFC 9051, UIDPLUS)."""
import os
import shutil
import subprocess
import tempfile
import unittest

from imap.imap_util import ALICE, PASSWORD, TIMEOUT_S, client, close_quietly, make_message, start_server, stop_server


@unittest.skipUnless(shutil.which("mbsync"), "mbsync (isync) not installed")
class Mbsync(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)
        c = client(cls.srv)
        c.create("Projects")
        for i in range(5):
            c.append("INBOX", None, None, make_message(f"inbox {i}").encode())
        for i in range(3):
            c.append("Projects", None, None, make_message(f"project {i}").encode())
        c.select("INBOX")
        c.store("1", "+FLAGS", "\\Seen")
        close_quietly(c)
        cls.tmp = tempfile.mkdtemp(prefix="claret-mbsync-")

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def mbsync(self):
        cafile = os.path.join(self.srv.data, "tls", "cert.pem")
        maildir = os.path.join(self.tmp, "mail") + "/"
        os.makedirs(maildir, exist_ok=True)
        rc = os.path.join(self.tmp, "mbsyncrc")
        with open(rc, "w") as f:
            f.write(f"""IMAPAccount claret
Host localhost
Port {self.srv.ports['imaps']}
User {ALICE}
Pass "{PASSWORD}"
SSLType IMAPS
CertificateFile {cafile}

IMAPStore remote
Account claret

MaildirStore local
Path {maildir}
Inbox {maildir}INBOX
SubFolders Verbatim

Channel sync
Far :remote:
Near :local:
Patterns *
Create Both
Expunge Both
SyncState *
""")
        proc = subprocess.run(["mbsync", "-c", rc, "-a"], capture_output=True, text=True, timeout=TIMEOUT_S * 2)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        return maildir

    def test_two_way_sync(self):
        maildir = self.mbsync()
        inbox_cur = os.listdir(os.path.join(maildir, "INBOX", "cur"))
        inbox_new = os.listdir(os.path.join(maildir, "INBOX", "new"))
        self.assertEqual(len(inbox_cur) + len(inbox_new), 5)
        self.assertEqual(sum(1 for n in inbox_cur if n.endswith(",S")), 1)
        projects = os.path.join(maildir, "Projects")
        self.assertEqual(len(os.listdir(os.path.join(projects, "cur"))) + len(os.listdir(os.path.join(projects, "new"))), 3)
        # Local changes: flag a message, add one to Projects; then sync back.
        name = sorted(inbox_new or inbox_cur)[0]
        src_dir = os.path.join(maildir, "INBOX", "new" if inbox_new else "cur")
        base = name.split(":2,")[0]
        os.rename(os.path.join(src_dir, name), os.path.join(maildir, "INBOX", "cur", base + ":2,F"))
        with open(os.path.join(projects, "new", "1700000000.local.host"), "w") as f:
            f.write(make_message("written offline"))
        self.mbsync()
        c = client(self.srv)
        self.addCleanup(close_quietly, c)
        c.select("INBOX", readonly=True)
        self.assertEqual(len(c.search(None, "FLAGGED")[1][0].split()), 1)
        c.select("Projects", readonly=True)
        self.assertEqual(c.search(None, "SUBJECT", "offline")[1][0], b"4")


if __name__ == "__main__":
    unittest.main()
