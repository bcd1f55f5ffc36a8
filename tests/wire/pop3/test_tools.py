"""Real clients: curl pop3:// (plain and STLS) and pop3s://, fetchmail delivering into a local mbox over POP3S and
STLS, and a message sent by SMTP fetched by POP3 byte-identical to what was stored."""
import mailbox
import os
import shutil
import smtplib
import subprocess
import sys
import unittest

from pop3.pop3_util import ALICE, PASSWORD, Raw, stored_blob, deliver, inbox_count, make_message, start_server, \
    stop_server

TOOL_TIMEOUT_S = 30

MDA = """import mailbox, sys
box = mailbox.mbox(sys.argv[1])
box.lock()
box.add(sys.stdin.buffer.read())
box.flush()
box.unlock()
"""


def retr_all(srv):
    """{subject line: raw message bytes} of alice's maildrop, read over POP3."""
    r = Raw(srv.ports["pop3"])
    try:
        r.login()
        count = int(r.cmd("STAT").split()[1])
        out = []
        for n in range(1, count + 1):
            assert r.cmd(f"RETR {n}").startswith(b"+OK")
            out.append(r.multiline())
        r.cmd("QUIT")
        return out
    finally:
        r.close()


class Curl(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)
        deliver(cls.srv, ALICE, make_message("curl one", "a\n.b\n"))
        deliver(cls.srv, ALICE, make_message("curl two", "c\n"))
        cls.messages = retr_all(cls.srv)
        cls.cafile = os.path.join(cls.srv.data, "tls", "cert.pem")

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def curl(self, url, *extra):
        proc = subprocess.run(["curl", "-sS", "--max-time", str(TOOL_TIMEOUT_S), "-u", f"{ALICE}:{PASSWORD}", *extra,
                               url], capture_output=True, timeout=TOOL_TIMEOUT_S + 10)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())
        return proc.stdout

    def test_pop3_list_and_retrieve(self):
        port = self.srv.ports["pop3"]
        listing = self.curl(f"pop3://127.0.0.1:{port}/")
        self.assertEqual(listing, b"".join(b"%d %d\r\n" % (i + 1, len(m)) for i, m in enumerate(self.messages)))
        self.assertEqual(self.curl(f"pop3://127.0.0.1:{port}/1"), self.messages[0])

    def test_pop3_with_stls_required(self):
        port = self.srv.ports["pop3"]
        got = self.curl(f"pop3://localhost:{port}/2", "--ssl-reqd", "--cacert", self.cafile, "--resolve",
                        f"localhost:{port}:127.0.0.1")
        self.assertEqual(got, self.messages[1])

    def test_pop3s(self):
        port = self.srv.ports["pop3s"]
        got = self.curl(f"pop3s://localhost:{port}/1", "--cacert", self.cafile, "--resolve",
                        f"localhost:{port}:127.0.0.1")
        self.assertEqual(got, self.messages[0])
        uidl = self.curl(f"pop3s://localhost:{port}/", "-X", "UIDL", "--cacert", self.cafile, "--resolve",
                         f"localhost:{port}:127.0.0.1")
        self.assertEqual(len(uidl.splitlines()), 2)


@unittest.skipUnless(shutil.which("fetchmail"), "fetchmail is not installed (scripts/packages.txt)")
class Fetchmail(unittest.TestCase):
    def setUp(self):
        self.srv = start_server()
        self.addCleanup(stop_server, self.srv)
        self.srv.add_user(ALICE, PASSWORD)
        self.work = os.path.join(self.srv.tmp, "fetchmail")
        os.makedirs(self.work)
        self.mbox = os.path.join(self.work, "mbox")
        self.mda = os.path.join(self.work, "mda.py")
        with open(self.mda, "w") as f:
            f.write(MDA)

    def fetchmail(self, port, options, expect=0):
        rc = os.path.join(self.work, "fetchmailrc")
        with open(rc, "w") as f:
            f.write(f'poll localhost via 127.0.0.1 service {port} protocol pop3 timeout {TOOL_TIMEOUT_S}:\n'
                    f'  user "{ALICE}" there with password "{PASSWORD}" is "nobody" here\n'
                    f'  {options}\n'
                    f'  sslcertck sslcommonname "localhost" sslcertfile "{os.path.join(self.srv.data, "tls", "cert.pem")}"\n'
                    f'  mda "{sys.executable} {self.mda} {self.mbox}"\n')
        os.chmod(rc, 0o600)
        env = dict(os.environ, HOME=self.work, FETCHMAILHOME=self.work)
        proc = subprocess.run(["fetchmail", "-f", rc, "--nosyslog", "--idfile", os.path.join(self.work, "ids"),
                               "--pidfile", os.path.join(self.work, "pid")],
                              capture_output=True, env=env, timeout=TOOL_TIMEOUT_S + 30)
        self.assertEqual(proc.returncode, expect, proc.stdout.decode() + proc.stderr.decode())
        return proc

    def mbox_messages(self):
        box = mailbox.mbox(self.mbox)
        try:
            return [m for m in box]
        finally:
            box.close()

    def test_fetch_over_pop3s_deletes_from_server(self):
        for i in range(3):
            deliver(self.srv, ALICE, make_message(f"fetch {i}", f"body {i}\n.dotted\n"))
        stored = retr_all(self.srv)
        self.fetchmail(self.srv.ports["pop3s"], "ssl")
        got = self.mbox_messages()
        self.assertEqual([m["Subject"] for m in got], [f"fetch {i}" for i in range(3)])
        for m, raw in zip(got, stored):
            self.assertEqual(m.get_payload(), raw.split(b"\r\n\r\n", 1)[1].decode().replace("\r\n", "\n"))
        self.assertEqual(inbox_count(self.srv, ALICE), 0)

    def test_fetch_over_stls_keeping_messages(self):
        deliver(self.srv, ALICE, make_message("kept"))
        self.fetchmail(self.srv.ports["pop3"], "sslproto tls1.2+ keep")
        self.assertEqual([m["Subject"] for m in self.mbox_messages()], ["kept"])
        self.assertEqual(inbox_count(self.srv, ALICE), 1)
        # UIDL lets fetchmail skip what it already has: exit status 1 is fetchmail's "no new mail".
        again = self.fetchmail(self.srv.ports["pop3"], "sslproto tls1.2+ keep", expect=1)
        self.assertIn(b"1 seen", again.stdout)
        self.assertEqual(len(self.mbox_messages()), 1)


class SmtpToPop3(unittest.TestCase):
    def test_message_sent_by_smtp_is_fetched_byte_identical(self):
        srv = start_server()
        self.addCleanup(stop_server, srv)
        srv.add_user(ALICE, PASSWORD)
        sent = (b"From: Remote <remote@sender.test>\r\nTo: alice@example.test\r\nSubject: via smtp\r\n"
                b"Message-ID: <smtp-pop3@sender.test>\r\n\r\n.leading dot\r\n..two\r\n\r\nend\r\n")
        with smtplib.SMTP("127.0.0.1", srv.ports["smtp"], local_hostname="client.sender.test", timeout=20) as s:
            s.sendmail("remote@sender.test", [ALICE], sent)
        (fetched,) = retr_all(srv)
        # What SMTP received is what POP3 returns, after the trace fields the server prepended.
        self.assertTrue(fetched.endswith(sent), fetched)
        self.assertTrue(fetched[:-len(sent)].startswith(b"Return-Path: <remote@sender.test>\r\nReceived: "))
        self.assertEqual(stored_blob(srv, fetched), fetched)


if __name__ == "__main__":
    unittest.main()
