"""webmail.imap_backend: the webmail's IMAP/SMTP backend (src/webmail/imap_backend) end to end against a real
`claret serve`: corpus messages delivered over SMTP, then the C++ driver (claret_imap_backend_driver) runs every
MailBackend operation over imaps + submissions, and again over imap + submission with STARTTLS."""
import email.policy
import imaplib
import os
import smtplib
import socket
import subprocess
import time
import unittest
from email.message import EmailMessage

from claret_harness import start_server

DRIVER = os.environ.get("CLARET_IMAP_BACKEND_DRIVER", "claret_imap_backend_driver")
CORPUS = os.path.join(os.environ.get("CLARET_SHARED_DIR", os.path.join(os.path.dirname(__file__), "../../../../shared")),
                      "corpus")
TIMEOUT_S = 20
DRIVER_TIMEOUT_S = 240
PASSWORD = "correct horse battery staple"
BOB_PASSWORD = "another horse battery staple"
PDF = b"%PDF-1.4 test\x00\x01\x02\xff binary attachment\r\n"


def corpus(path):
    with open(os.path.join(CORPUS, path), "rb") as f:
        return f.read()


def crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def inbox_messages(alice):
    """The four messages of the scenario (the driver knows their subjects and dates)."""
    m17 = corpus("stalwart-mail-parser/thirdparty/017.eml")
    mixed = (b"From: Zed <zed@example.test>\nTo: " + alice.encode() +
             b"\nSubject: Corpus mixed\nDate: Wed, 01 Jan 2020 10:00:00 +0000\nMessage-ID: <mixed@example.test>\n"
             b"MIME-Version: 1.0\n" + corpus("postal-mime/mixed.eml"))
    g = EmailMessage(policy=email.policy.SMTP)
    g["From"] = "Jörg <joerg@example.test>"
    g["To"] = alice
    g["Reply-To"] = "replies@example.test"
    g["Subject"] = "Grüße mit Anhang"
    g["Date"] = "Thu, 01 Jan 2026 10:00:00 +0000"
    g["Message-ID"] = "<thread1@example.test>"
    g.set_content("Hallo Alice, anbei der Bericht. Grüße\n", charset="iso-8859-1", cte="quoted-printable")
    g.add_attachment(PDF, maintype="application", subtype="pdf", filename="Bericht-ü.pdf")
    reply = EmailMessage(policy=email.policy.SMTP)
    reply["From"] = "Alice <" + alice + ">"
    reply["To"] = "Jörg <joerg@example.test>"
    reply["Subject"] = "Re: Grüße mit Anhang"
    reply["Date"] = "Fri, 02 Jan 2026 10:00:00 +0000"
    reply["Message-ID"] = "<thread2@example.test>"
    reply["In-Reply-To"] = "<thread1@example.test>"
    reply["References"] = "<thread1@example.test>"
    reply.set_content("Danke! unique-needle-word\n")
    return [crlf(m17), crlf(mixed), g.as_bytes(), reply.as_bytes()]


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class ImapBackend(unittest.TestCase):
    def setUp(self):
        self.srv = start_server()
        self.addCleanup(self.srv.cleanup)
        self.addCleanup(self.srv.stop)
        self.alice = "alice@example.test"
        self.bob = "bob@example.test"
        self.srv.add_user(self.alice, PASSWORD)
        self.srv.add_user(self.bob, BOB_PASSWORD)
        # One at a time, so uids follow the order of the scenario (the driver relies on it).
        for i, m in enumerate(inbox_messages(self.alice)):
            with smtplib.SMTP("127.0.0.1", self.srv.ports["smtp"], timeout=TIMEOUT_S) as smtp:
                smtp.sendmail("sender@example.org", [self.alice], m)
            self.wait_for_inbox(self.alice, PASSWORD, i + 1)

    def wait_for_inbox(self, user, password, count):
        deadline = time.monotonic() + TIMEOUT_S
        n = -1
        while time.monotonic() < deadline:
            c = imaplib.IMAP4("127.0.0.1", self.srv.ports["imap"], timeout=TIMEOUT_S)
            try:
                c.login(user, password)
                typ, data = c.status("INBOX", "(MESSAGES)")
                n = int(data[0].decode().rsplit("MESSAGES ", 1)[1].rstrip(")"))
                c.logout()
            except Exception:
                c.shutdown()
                raise
            if n >= count:
                return
            time.sleep(0.1)
        self.fail(f"{user}: {n} messages delivered, {count} expected; log:\n{self.srv.server_log()}")

    def run_driver(self, imap_url, submission_url):
        cmd = [DRIVER, "--imap", imap_url, "--submission", submission_url,
               "--ca", os.path.join(self.srv.data, "tls", "cert.pem"),
               "--user", self.alice, "--password", PASSWORD, "--bob", self.bob, "--bob_password", BOB_PASSWORD,
               "--closed_port", str(closed_port()), "--pdf_hex", PDF.hex()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=DRIVER_TIMEOUT_S)
        report = proc.stdout + proc.stderr
        if proc.returncode != 0:
            self.fail(f"driver failed ({proc.returncode}):\n{report}\nserver log:\n{self.srv.server_log()}")
        self.assertIn(" 0 failed", proc.stdout)
        return report

    def test_implicit_tls(self):
        p = self.srv.ports
        self.run_driver(f"imaps://localhost:{p['imaps']}", f"submissions://localhost:{p['submissions']}")

    def test_starttls(self):
        p = self.srv.ports
        self.run_driver(f"imap://localhost:{p['imap']}", f"submission://localhost:{p['submission']}")


if __name__ == "__main__":
    unittest.main()
