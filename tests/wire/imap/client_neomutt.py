"""neomutt as a real client, driven non-interactively: it runs on a pseudo-terminal (24x80, TERM=vt100) with
`-n -F <rc>` and a `push` of key-bound functions ending in <quit>, so every session is a fixed sequence with no
prompts (confirmations are switched off in the rc) and the test only waits for the process to exit (bounded).
neomutt talks IMAPS to the test server, whose certificate it trusts through ssl_ca_certificates_file (GnuTLS).

What is checked on the server over imaplib: listing the INBOX (neomutt copies every message to a local mbox,
which must hold the delivered messages), flagging, saving a message to another folder (COPY + delete), and
deleting with a sync (STORE \\Deleted + EXPUNGE). Issue #4."""
import mailbox
import os
import pty
import select
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import fcntl
import struct
import termios

from imap.imap_util import ALICE, PASSWORD, client, close_quietly, start_server, stop_server

NEOMUTT = shutil.which("neomutt")
RUN_TIMEOUT_S = 90


def message(subject, n):
    return (f"From: Sender <sender@example.test>\r\nTo: alice@example.test\r\nSubject: {subject}\r\n"
            f"Date: Mon, 07 Dec 2026 10:0{n}:00 +0000\r\nMessage-ID: <nm.{n}@example.test>\r\n\r\n"
            f"body of {subject}\r\n").encode()


@unittest.skipUnless(NEOMUTT, "neomutt not installed")
class Neomutt(unittest.TestCase):
    def setUp(self):
        self.srv = start_server()
        self.addCleanup(stop_server, self.srv)
        self.srv.add_user(ALICE, PASSWORD)
        c = client(self.srv)
        for n, s in enumerate(("keep me", "flag me", "save me", "delete me")):
            self.assertEqual(c.append("INBOX", None, None, message(s, n))[0], "OK")
        close_quietly(c)
        self.tmp = tempfile.mkdtemp(prefix="claret-neomutt-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def neomutt(self, keys):
        """Runs neomutt on the INBOX with `push keys` and waits for it to quit; returns the terminal output."""
        rc = os.path.join(self.tmp, "neomuttrc")
        cafile = os.path.join(self.srv.data, "tls", "cert.pem")
        folder = f"imaps://{ALICE.replace('@', '%40')}@localhost:{self.srv.ports['imaps']}/"
        with open(rc, "w") as f:
            f.write(f"""set imap_user = "{ALICE}"
set imap_pass = "{PASSWORD}"
set folder = "{folder}"
set spoolfile = "+INBOX"
set ssl_ca_certificates_file = "{cafile}"
set ssl_verify_host = yes
set ssl_force_tls = yes
set imap_check_subscribed = no
set imap_idle = no
set mail_check = 0
set timeout = 0
set header_cache = ""
set message_cachedir = ""
set mbox_type = mbox
set confirmappend = no
set confirmcreate = no
set delete = yes
set move = no
set quit = yes
set wait_key = no
set mark_old = no
set beep = no
set sort = date-sent
set sleep_time = 0
set record = ""
set history_file = "{self.tmp}/history"
set certificate_file = "{self.tmp}/certificates"
""")
            f.write(f"push '{keys}'\n")
        env = {"HOME": self.tmp, "TERM": "vt100", "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        proc = subprocess.Popen([NEOMUTT, "-n", "-F", rc, "-f", "+INBOX"], stdin=slave, stdout=slave, stderr=slave,
                                env=env, cwd=self.tmp, start_new_session=True)
        os.close(slave)
        out = b""
        deadline = time.monotonic() + RUN_TIMEOUT_S
        try:
            while proc.poll() is None and time.monotonic() < deadline:
                r, _, _ = select.select([master], [], [], 0.2)
                if r:
                    try:
                        out += os.read(master, 65536)
                    except OSError:
                        break
            # EIO on the master means neomutt closed the terminal: it is exiting, wait for it (bounded).
            try:
                proc.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
                self.fail(f"neomutt did not quit within {RUN_TIMEOUT_S}s; screen:\n{screen_text(out)}")
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            os.close(master)
        self.assertEqual(proc.returncode, 0, screen_text(out))
        return out

    def server(self, box):
        c = client(self.srv)
        self.addCleanup(close_quietly, c)
        self.assertEqual(c.select(box, readonly=True)[0], "OK")
        typ, resp = c.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        out = {}
        for item in resp:
            if isinstance(item, tuple):
                out[item[1].decode().split(":", 1)[1].strip()] = item[0].decode()
        return out

    def test_list_inbox(self):
        # Tag every message and copy them all to a local mbox: neomutt FETCHes each message over IMAPS.
        listing = os.path.join(self.tmp, "listing.mbox")
        self.neomutt(f"<tag-pattern>~A<enter><tag-prefix><copy-message>{listing}<enter><quit>")
        box = mailbox.mbox(listing)
        self.addCleanup(box.close)
        subjects = sorted(m["Subject"] for m in box)
        self.assertEqual(subjects, ["delete me", "flag me", "keep me", "save me"])
        for m in box:
            self.assertIn(f"body of {m['Subject']}", m.get_payload())
        # Listing is not reading: nothing became \Seen (neomutt fetches with BODY.PEEK for copies).
        self.assertEqual(sorted(self.server("INBOX")), subjects)

    def test_flag_save_delete(self):
        self.neomutt("<tag-pattern>~s \"flag me\"<enter><tag-prefix><flag-message><untag-pattern>~A<enter>"
                     "<tag-pattern>~s \"save me\"<enter><tag-prefix><save-message>=Archive<enter><untag-pattern>~A<enter>"
                     "<delete-pattern>~s \"delete me\"<enter><sync-mailbox><quit>")
        inbox = self.server("INBOX")
        self.assertEqual(sorted(inbox), ["flag me", "keep me"])
        self.assertIn("\\Flagged", inbox["flag me"])
        self.assertNotIn("\\Flagged", inbox["keep me"])
        archive = self.server("Archive")
        self.assertEqual(sorted(archive), ["save me"])


def screen_text(raw):
    """The terminal output with escape sequences dropped, for failure messages."""
    import re
    return re.sub(rb"\x1b(\[[0-9;?]*[A-Za-z]|[()][0-9A-Za-z]|[=>])", b"", raw).decode("utf-8", "replace")[-12000:]


if __name__ == "__main__":
    unittest.main()
