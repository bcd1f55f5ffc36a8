"""Submission (587 with STARTTLS, 465 implicit TLS): TLS before AUTH, AUTH PLAIN/LOGIN/SCRAM, sender and From:
restricted to the account's addresses, non-local recipients deferred until the outbound queue exists."""
import base64
import smtplib
import unittest

from smtp.smtp_util import PASSWORD, Raw, enhanced_of, inbox_count, start_server, stop_server, stored_blobs_containing


def message(marker, sender):
    return f"From: {sender}\r\nTo: bob@example.test\r\nSubject: {marker}\r\n\r\nsubmitted\r\n".encode()


def plain(user, password):
    return base64.b64encode(f"\0{user}\0{password}".encode()).decode()


class SubmissionRequiresTls(unittest.TestCase):
    """The administrator did not allow plaintext passwords on loopback: TLS first."""

    @classmethod
    def setUpClass(cls):
        cls.srv = start_server({("auth", "allow_plaintext_on_loopback"): "false"})
        cls.srv.add_user("alice@example.test", PASSWORD)
        cls.srv.add_user("bob@example.test", PASSWORD)
        cls.srv.cli("alias", "add", "sales@example.test", "alice@example.test")

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def smtp(self):
        s = smtplib.SMTP("127.0.0.1", self.srv.ports["submission"], local_hostname="client.test", timeout=20)
        self.addCleanup(s.close)
        return s

    def test_auth_before_starttls_refused(self):
        r = Raw(self.srv.ports["submission"])
        self.addCleanup(r.close)
        code, lines = r.cmd("EHLO client.test")
        self.assertIn("STARTTLS", lines)
        self.assertFalse(any(l.startswith("AUTH") for l in lines), lines)
        for line in ("AUTH PLAIN " + plain("alice@example.test", PASSWORD), "MAIL FROM:<alice@example.test>",
                     "VRFY alice"):
            reply = r.cmd(line)
            self.assertEqual((reply[0], enhanced_of(reply)), (530, "5.7.0"), line)
        r.starttls(self.srv.tls_client_context())
        code, lines = r.cmd("EHLO client.test")
        self.assertIn("AUTH SCRAM-SHA-256 PLAIN LOGIN", lines)
        self.assertNotIn("STARTTLS", lines)
        self.assertEqual(r.cmd("MAIL FROM:<alice@example.test>")[0], 530)  # TLS alone is not enough
        reply = r.cmd("AUTH PLAIN " + plain("alice@example.test", PASSWORD))
        self.assertEqual((reply[0], enhanced_of(reply)), (235, "2.7.0"))
        self.assertEqual(r.cmd("AUTH PLAIN " + plain("alice@example.test", PASSWORD))[0], 503)

    def test_starttls_login_and_send(self):
        before = inbox_count(self.srv, "bob@example.test")
        s = self.smtp()
        s.starttls(context=self.srv.tls_client_context())
        s.login("alice@example.test", PASSWORD)
        s.sendmail("alice@example.test", ["bob@example.test"], message("sub-587-1", "Alice <alice@example.test>"))
        self.assertEqual(inbox_count(self.srv, "bob@example.test"), before + 1)
        (blob,) = stored_blobs_containing(self.srv, b"sub-587-1")
        self.assertIn(b"with ESMTPSA", blob)

    def test_implicit_tls_465(self):
        before = inbox_count(self.srv, "bob@example.test")
        s = smtplib.SMTP_SSL("127.0.0.1", self.srv.ports["submissions"], local_hostname="client.test", timeout=20,
                             context=self.srv.tls_client_context())
        self.addCleanup(s.close)
        s.ehlo()
        self.assertFalse(s.has_extn("starttls"))
        s.login("alice@example.test", PASSWORD)
        s.sendmail("alice@example.test", ["bob@example.test"], message("sub-465-1", "alice@example.test"))
        self.assertEqual(inbox_count(self.srv, "bob@example.test"), before + 1)

    def test_auth_mechanisms(self):
        for mech in ("PLAIN", "LOGIN"):
            s = self.smtp()
            s.starttls(context=self.srv.tls_client_context())
            s.ehlo()
            s.user, s.password = "alice@example.test", PASSWORD
            code, _ = s.auth(mech, getattr(s, "auth_" + mech.lower()))
            self.assertEqual(code, 235, mech)

    def test_wrong_password(self):
        s = self.smtp()
        s.starttls(context=self.srv.tls_client_context())
        with self.assertRaises(smtplib.SMTPAuthenticationError) as cm:
            s.login("alice@example.test", "wrong password")
        self.assertEqual(cm.exception.smtp_code, 535)
        self.assertTrue(cm.exception.smtp_error.startswith(b"5.7.8"))
        with self.assertRaises(smtplib.SMTPAuthenticationError):
            s.login("nobody@example.test", PASSWORD)

    def test_auth_cancel_and_bad_base64(self):
        r = Raw(self.srv.ports["submissions"], implicit_tls_context=self.srv.tls_client_context())
        self.addCleanup(r.close)
        r.cmd("EHLO client.test")
        self.assertEqual(r.cmd("AUTH LOGIN")[0], 334)
        self.assertEqual(r.cmd("*")[0], 501)
        self.assertEqual(r.cmd("AUTH PLAIN")[0], 334)
        self.assertEqual(r.cmd("!!!notbase64")[0], 501)
        self.assertEqual(r.cmd("AUTH CRAM-MD5")[0], 504)

    def test_sender_restricted_to_own_addresses(self):
        r = Raw(self.srv.ports["submissions"], implicit_tls_context=self.srv.tls_client_context())
        self.addCleanup(r.close)
        r.cmd("EHLO client.test")
        self.assertEqual(r.cmd("AUTH PLAIN " + plain("alice@example.test", PASSWORD))[0], 235)
        for sender in ("bob@example.test", "ceo@remote.test", ""):
            reply = r.cmd(f"MAIL FROM:<{sender}>")
            self.assertEqual((reply[0], enhanced_of(reply)), (553, "5.7.1"), sender)
        for sender in ("alice@example.test", "ALICE+tag@Example.test", "sales@example.test"):
            self.assertEqual(r.cmd(f"MAIL FROM:<{sender}>")[0], 250, sender)
            self.assertEqual(r.cmd("RSET")[0], 250)

    def test_from_header_restricted(self):
        before = inbox_count(self.srv, "bob@example.test")
        s = self.smtp()
        s.starttls(context=self.srv.tls_client_context())
        s.login("alice@example.test", PASSWORD)
        with self.assertRaises(smtplib.SMTPDataError) as cm:
            s.sendmail("alice@example.test", ["bob@example.test"], message("sub-forged", "Bob <bob@example.test>"))
        self.assertEqual(cm.exception.smtp_code, 553)
        self.assertTrue(cm.exception.smtp_error.startswith(b"5.7.1"))
        s.sendmail("alice@example.test", ["bob@example.test"], message("sub-alias", "Sales <sales@example.test>"))
        self.assertEqual(inbox_count(self.srv, "bob@example.test"), before + 1)

    def test_non_local_recipient_is_relayed(self):
        s = self.smtp()
        s.starttls(context=self.srv.tls_client_context())
        s.login("alice@example.test", PASSWORD)
        s.mail("alice@example.test")
        code, text = s.rcpt("friend@remote.test")
        self.assertEqual(code, 250)  # queued for outbound delivery (tests/wire/outbound covers delivery)
        self.assertTrue(text.startswith(b"2.1.5"), text)
        self.assertEqual(s.rcpt("nobody@example.test")[0], 550)


class SubmissionPlaintextLoopback(unittest.TestCase):
    """allow_plaintext_on_loopback = true (the harness default): AUTH without TLS from 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user("carol@example.test", PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def test_plain_auth_on_loopback(self):
        s = smtplib.SMTP("127.0.0.1", self.srv.ports["submission"], timeout=20)
        self.addCleanup(s.close)
        s.ehlo()
        self.assertIn("PLAIN", s.esmtp_features.get("auth", ""))
        s.login("carol@example.test", PASSWORD)
        s.sendmail("carol@example.test", ["carol@example.test"], message("sub-loop-1", "carol@example.test"))
        self.assertEqual(inbox_count(self.srv, "carol@example.test"), 1)
        (blob,) = stored_blobs_containing(self.srv, b"sub-loop-1")
        self.assertIn(b"with ESMTPA", blob)


class SubmissionThrottle(unittest.TestCase):
    """Repeated AUTH failures from one address are slowed down, then refused without checking (auth/ throttle)."""

    @classmethod
    def setUpClass(cls):
        cls.srv = start_server({("auth", "failures_before_block"): "5"})
        cls.srv.add_user("dave@example.test", PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def test_failures_then_refusal(self):
        r = Raw(self.srv.ports["submission"])
        self.addCleanup(r.close)
        r.cmd("EHLO client.test")
        for _ in range(5):
            reply = r.cmd("AUTH PLAIN " + plain("dave@example.test", "wrong"))
            self.assertEqual((reply[0], enhanced_of(reply)), (535, "5.7.8"))
        # Even the right password is not checked any more from this address.
        reply = r.cmd("AUTH PLAIN " + plain("dave@example.test", PASSWORD))
        self.assertEqual((reply[0], enhanced_of(reply)), (454, "4.7.0"))


if __name__ == "__main__":
    unittest.main()
