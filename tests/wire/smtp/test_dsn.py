"""DSNs from final delivery (RFC 3461): NOTIFY=SUCCESS gets a "delivered" report, and a recipient accepted at
RCPT but refused at delivery (over quota) gets a "failed" report, both as RFC 3464 multipart/report messages
in the local sender's INBOX; NOTIFY=NEVER and the null sender get nothing."""
import smtplib
import unittest

from smtp.smtp_util import PASSWORD, TIMEOUT_S, inbox_count, start_server, stop_server, stored_blobs_containing, wait_for


def message(marker, size=0):
    return (f"From: carol@example.test\r\nTo: alice@example.test\r\nSubject: {marker}\r\n"
            f"Message-ID: <{marker}@example.test>\r\n\r\nbody {marker}\r\n" + "x" * size + "\r\n").encode()


class FinalDeliveryDsn(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        for user in ("alice", "bob", "carol"):
            cls.srv.add_user(f"{user}@example.test", PASSWORD)
        cls.srv.cli("user", "quota", "bob@example.test", "2000")

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def send(self, sender, rcpts, msg, rcpt_options=()):
        with smtplib.SMTP("127.0.0.1", self.srv.ports["smtp"], timeout=TIMEOUT_S) as c:
            c.ehlo("client.test")
            return c.sendmail(sender, rcpts, msg, rcpt_options=list(rcpt_options))

    def reports_for(self, marker):
        return [b for b in stored_blobs_containing(self.srv, marker.encode())
                if b"Content-Type: multipart/report" in b]

    def test_notify_success_gets_a_delivered_report(self):
        before = inbox_count(self.srv, "carol@example.test")
        self.send("carol@example.test", ["alice@example.test"], message("dsn-success"), ["NOTIFY=SUCCESS"])
        self.assertTrue(wait_for(lambda: inbox_count(self.srv, "carol@example.test") == before + 1))
        (report,) = self.reports_for("dsn-success")
        self.assertIn(b"Action: delivered", report)
        self.assertIn(b"Final-Recipient: rfc822;alice@example.test", report.replace(b"; ", b";"))
        self.assertIn(b"Return-Path: <>", report)

    def test_refused_after_rcpt_gets_a_failed_report(self):
        before = inbox_count(self.srv, "carol@example.test")
        refused = self.send("carol@example.test", ["alice@example.test", "bob@example.test"],
                            message("dsn-quota", size=5000))
        self.assertEqual(refused, {})  # both accepted at RCPT; the 250 covers the message
        self.assertEqual(inbox_count(self.srv, "bob@example.test"), 0)
        self.assertTrue(wait_for(lambda: inbox_count(self.srv, "carol@example.test") == before + 1))
        (report,) = self.reports_for("dsn-quota")
        self.assertIn(b"Action: failed", report)
        self.assertIn(b"Status: 5.2.2", report)
        self.assertNotIn(b"alice@example.test\r\nAction", report.replace(b"rfc822;", b"").replace(b"rfc822; ", b""))

    def test_never_and_null_sender_get_nothing(self):
        before = inbox_count(self.srv, "carol@example.test")
        self.send("carol@example.test", ["alice@example.test"], message("dsn-never"), ["NOTIFY=NEVER"])
        self.send("", ["alice@example.test", "bob@example.test"], message("dsn-null", size=5000))  # bob is full
        self.send("carol@example.test", ["alice@example.test"], message("dsn-sync"))  # a plain message after them
        self.assertTrue(wait_for(lambda: len(stored_blobs_containing(self.srv, b"dsn-sync")) == 1))
        self.assertEqual(self.reports_for("dsn-never"), [])
        self.assertEqual(self.reports_for("dsn-null"), [])
        self.assertEqual(inbox_count(self.srv, "carol@example.test"), before)


if __name__ == "__main__":
    unittest.main()
