"""Verified-credentials cache ([auth] cache_ttl_s): a repeated login skips Argon2id (seen as an `auth.cache.hit`
debug line), across IMAP, POP3 and submission; a wrong password is still refused; a password change ends it."""
import imaplib
import poplib
import smtplib
import time
import unittest

from claret_harness import start_server

TIMEOUT_S = 30
ALICE = "alice@example.test"
PASSWORD = "correct horse battery staple"


class AuthCache(unittest.TestCase):
    def start(self, ttl="3600"):
        srv = start_server({("log", "level"): '"debug"', ("auth", "cache_ttl_s"): ttl})
        self.addCleanup(srv.cleanup)
        self.addCleanup(srv.stop)
        srv.add_user(ALICE, PASSWORD)
        return srv

    def hits(self, srv):
        with open(srv.log_path, "rb") as f:
            return f.read().count(b"auth.cache.hit")

    def wait_hits(self, srv, n):
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            if self.hits(srv) >= n:
                return True
            time.sleep(0.02)
        return False

    def imap_login(self, srv, password):
        c = imaplib.IMAP4("127.0.0.1", srv.ports["imap"], timeout=TIMEOUT_S)
        try:
            c.login(ALICE, password)
            return True
        except imaplib.IMAP4.error:
            return False
        finally:
            try:
                c.logout()
            except (imaplib.IMAP4.error, OSError):
                pass

    def test_second_login_hits_and_wrong_password_is_refused(self):
        srv = self.start()
        self.assertTrue(self.imap_login(srv, PASSWORD))
        self.assertEqual(self.hits(srv), 0, "the first login verifies in full")
        self.assertTrue(self.imap_login(srv, PASSWORD))
        self.assertTrue(self.wait_hits(srv, 1), srv.server_log())
        self.assertFalse(self.imap_login(srv, PASSWORD + "x"))
        self.assertFalse(self.imap_login(srv, ""))
        self.assertEqual(self.hits(srv), 1, "a wrong password never hits")
        # The cache is shared by every protocol's password check.
        pop = poplib.POP3("127.0.0.1", srv.ports["pop3"], timeout=TIMEOUT_S)
        pop.user(ALICE)
        pop.pass_(PASSWORD)
        pop.quit()
        self.assertTrue(self.wait_hits(srv, 2), srv.server_log())
        with smtplib.SMTP("127.0.0.1", srv.ports["submission"], timeout=TIMEOUT_S) as s:
            s.ehlo("client.test")
            s.login(ALICE, PASSWORD)
        self.assertTrue(self.wait_hits(srv, 3), srv.server_log())

    def test_password_change_refuses_the_old_password_at_once(self):
        srv = self.start()
        self.assertTrue(self.imap_login(srv, PASSWORD))
        self.assertTrue(self.imap_login(srv, PASSWORD))
        self.assertTrue(self.wait_hits(srv, 1), srv.server_log())
        srv.cli("user", "passwd", ALICE, "--password-stdin", input="a brand new password\n")
        self.assertFalse(self.imap_login(srv, PASSWORD))
        self.assertTrue(self.imap_login(srv, "a brand new password"))
        self.assertEqual(self.hits(srv), 1)

    def test_zero_ttl_disables_the_cache(self):
        srv = self.start(ttl="0")
        self.assertTrue(self.imap_login(srv, PASSWORD))
        self.assertTrue(self.imap_login(srv, PASSWORD))
        self.assertEqual(self.hits(srv), 0)


if __name__ == "__main__":
    unittest.main()
