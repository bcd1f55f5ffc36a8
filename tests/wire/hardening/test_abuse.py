"""Issue #9 abuse and privilege bullets, each against a real `claret serve`:
- 1,000 connections trickling a byte every 10 s do not stop a normal client, and the server's memory stays bounded;
- 1,000 wrong passwords from one address are throttled while the real user logs in from another (127.0.0.2);
- a wrong password and an unknown account get the same answer;
- every file in the data directory is 0600 and every directory 0700."""
import imaplib
import os
import smtplib
import socket
import stat
import threading
import time
import unittest

from claret_harness import ClaretServer

PASSWORD = "the real password 123"
ALICE = "alice@example.test"
TIMEOUT_S = 30


class ImapFrom(imaplib.IMAP4):
    """imaplib from a chosen loopback source address."""

    def __init__(self, source, port):
        self.source = source
        super().__init__("127.0.0.1", port, timeout=TIMEOUT_S)

    def _create_socket(self, timeout):
        return socket.create_connection((self.host, self.port), timeout, source_address=(self.source, 0))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def send_and_read_back(srv, marker, source="127.0.0.1"):
    with smtplib.SMTP("127.0.0.1", srv.ports["smtp"], timeout=TIMEOUT_S, source_address=(source, 0)) as s:
        s.sendmail("carol@remote.test", [ALICE], f"Subject: {marker}\r\n\r\n{marker}\r\n")
    c = ImapFrom(source, srv.ports["imap"])
    try:
        c.login(ALICE, PASSWORD)
        c.select("INBOX", readonly=True)
        typ, data = c.search(None, "SUBJECT", marker)
        return typ == "OK" and bool(data[0].split())
    finally:
        c.logout()


class Abuse(unittest.TestCase):
    def setUp(self):
        self.srv = ClaretServer(start=False)
        self.addCleanup(self.srv.cleanup)
        # 1,000 connections from 20 addresses of 127.0.0.0/8: within the default 50 per address.
        self.srv.start()
        self.addCleanup(self.srv.stop)
        self.srv.add_user(ALICE, PASSWORD)

    def test_thousand_trickling_connections_do_not_starve_a_normal_client(self):
        self.assertTrue(send_and_read_back(self.srv, "warm-up"))
        before = rss_kib(self.srv.proc.pid)
        slow = []
        try:
            for i in range(1000):
                s = socket.socket()
                s.settimeout(TIMEOUT_S)
                s.bind((f"127.0.0.{2 + i // 50}", 0))
                s.connect(("127.0.0.1", self.srv.ports["smtp"] if i % 2 else self.srv.ports["imap"]))
                s.send(b"E" if i % 2 else b"a")
                slow.append(s)
            # While all 1,000 are open, a normal client is served promptly, twice, a trickle of bytes apart.
            for round_no in range(2):
                started = time.monotonic()
                self.assertTrue(send_and_read_back(self.srv, f"normal-{round_no}"))
                self.assertLess(time.monotonic() - started, 10, "the normal client waited too long")
                if round_no == 0:
                    deadline = time.monotonic() + 10
                    while time.monotonic() < deadline:  # one byte every 10 s on every slow connection
                        time.sleep(deadline - time.monotonic())
                    for s in slow:
                        try:
                            s.send(b"H" if s.getpeername()[1] == self.srv.ports["smtp"] else b"1")
                        except OSError:
                            pass  # closed by the server: allowed
            during = rss_kib(self.srv.proc.pid)
        finally:
            for s in slow:
                s.close()
        growth_mib = (during - before) / 1024
        print(f"\nRSS before {before // 1024} MiB, with 1,000 slow connections {during // 1024} MiB "
              f"(+{growth_mib:.1f} MiB)")
        self.assertLess(growth_mib, 256, "memory per slow connection is not bounded")

    def test_thousand_wrong_passwords_throttled_while_the_user_logs_in_elsewhere(self):
        port = self.srv.ports["imap"]
        answers = []
        lock = threading.Lock()

        def attacker(n):
            done = 0
            while done < n:
                try:
                    c = ImapFrom("127.0.0.1", port)
                except OSError:
                    with lock:
                        answers.append("connect refused")
                    done += 1
                    continue
                try:
                    while done < n:
                        done += 1
                        try:
                            c.login(ALICE, "wrong password")
                            with lock:
                                answers.append("OK")
                        except (imaplib.IMAP4.abort, OSError):  # dropped, or held past the client's timeout
                            with lock:
                                answers.append("disconnected")
                            break
                        except imaplib.IMAP4.error as e:
                            with lock:
                                answers.append(str(e))
                finally:
                    try:
                        c.shutdown()
                    except OSError:
                        pass

        threads = [threading.Thread(target=attacker, args=(50,)) for _ in range(20)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        self.assertFalse(any(t.is_alive() for t in threads), "attackers did not finish within 300 s")
        self.assertEqual(len(answers), 1000)
        self.assertNotIn("OK", answers)
        kinds = {}
        for a in answers:
            kinds[a] = kinds.get(a, 0) + 1
        print(f"\n1,000 wrong passwords answered in {time.monotonic() - started:.1f} s: {kinds}")
        # The address is refused now, even with the right password ...
        c = ImapFrom("127.0.0.1", port)
        with self.assertRaises(imaplib.IMAP4.error):
            c.login(ALICE, PASSWORD)
        c.shutdown()
        # ... while the real user, from another address, gets in within the per-account delay cap.
        started = time.monotonic()
        c = ImapFrom("127.0.0.2", port)
        typ, _ = c.login(ALICE, PASSWORD)
        self.assertEqual(typ, "OK")
        c.logout()
        self.assertLess(time.monotonic() - started, 10)

    def test_unknown_account_and_wrong_password_answer_alike(self):
        replies = []
        for user in (ALICE, "nobody-here@example.test"):
            c = ImapFrom("127.0.0.3", self.srv.ports["imap"])
            try:
                c.login(user, "wrong password")
            except imaplib.IMAP4.error as e:
                replies.append(str(e))
            finally:
                c.shutdown()
            with smtplib.SMTP("127.0.0.1", self.srv.ports["submission"], timeout=TIMEOUT_S,
                              source_address=("127.0.0.4", 0)) as s:
                s.ehlo("client.test")
                try:
                    s.login(user, "wrong password")
                except smtplib.SMTPAuthenticationError as e:
                    replies.append(f"{e.smtp_code} {e.smtp_error!r}")
        self.assertEqual(len(replies), 4)
        self.assertEqual(replies[0], replies[2])
        self.assertEqual(replies[1], replies[3])

    def test_data_files_are_0600_and_directories_0700(self):
        self.assertTrue(send_and_read_back(self.srv, "small"))
        with smtplib.SMTP("127.0.0.1", self.srv.ports["smtp"], timeout=TIMEOUT_S) as s:  # a blob file, not inline
            s.sendmail("carol@remote.test", [ALICE], "Subject: big\r\n\r\n" + "x" * 300_000 + "\r\n")
        self.srv.cli("dkim", "keygen", "--domain", "example.test", "--selector", "s1")
        loose = []
        for root, dirs, files in os.walk(self.srv.data):
            for name in dirs + files:
                path = os.path.join(root, name)
                if os.path.relpath(path, self.srv.data) == os.path.join("tls", "cert.pem"):
                    continue  # the certificate is public: every client receives it (its key is 0600)
                mode = stat.S_IMODE(os.lstat(path).st_mode)
                if mode & 0o077:
                    loose.append(f"{oct(mode)} {os.path.relpath(path, self.srv.data)}")
        self.assertEqual(loose, [])


if __name__ == "__main__":
    unittest.main()
