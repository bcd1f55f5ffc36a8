"""LMTP (RFC 2033): LHLO, local recipients only, one reply per accepted recipient after DATA and after BDAT LAST."""
import smtplib
import unittest

from smtp.smtp_util import PASSWORD, Raw, enhanced_of, inbox_count, start_server, stop_server, stored_blobs_containing


class Lmtp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.port = cls.srv.ports["lmtp"]
        cls.srv.add_user("alice@example.test", PASSWORD)
        cls.srv.add_user("bob@example.test", PASSWORD)
        cls.srv.add_user("tiny@example.test", PASSWORD, quota=300)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self):
        r = Raw(self.port)
        self.addCleanup(r.close)
        self.assertIn("LMTP", r.greeting[1][0])
        return r

    def test_lhlo_required(self):
        r = self.raw()
        self.assertEqual(r.cmd("EHLO client.test")[0], 500)
        self.assertEqual(r.cmd("HELO client.test")[0], 500)
        code, lines = r.cmd("LHLO mta.test")
        self.assertEqual(code, 250)
        self.assertIn("PIPELINING", lines)
        self.assertIn("CHUNKING", lines)
        self.assertFalse(any(l.startswith("AUTH") for l in lines))

    def test_per_recipient_replies_after_data(self):
        alice, bob = inbox_count(self.srv, "alice@example.test"), inbox_count(self.srv, "bob@example.test")
        r = self.raw()
        r.cmd("LHLO mta.test")
        self.assertEqual(r.cmd("MAIL FROM:<sender@remote.test>")[0], 250)
        self.assertEqual(r.cmd("RCPT TO:<alice@example.test>")[0], 250)
        reply = r.cmd("RCPT TO:<nobody@example.test>")
        self.assertEqual((reply[0], enhanced_of(reply)), (550, "5.1.1"))
        self.assertEqual(r.cmd("RCPT TO:<victim@remote.test>")[0], 550)
        self.assertEqual(r.cmd("RCPT TO:<tiny@example.test>")[0], 250)
        self.assertEqual(r.cmd("RCPT TO:<bob@example.test>")[0], 250)
        self.assertEqual(r.cmd("DATA")[0], 354)
        r.send("Subject: lmtp-data-1\r\n\r\n" + "x" * 400 + "\r\n.\r\n")
        replies = r.replies(3)  # alice, tiny (over quota at delivery), bob
        self.assertEqual([c for c, _ in replies], [250, 552, 250])
        self.assertEqual(enhanced_of(replies[1]), "5.2.2")
        self.assertEqual(r.cmd("NOOP")[0], 250)  # nothing more was sent
        self.assertEqual(inbox_count(self.srv, "alice@example.test"), alice + 1)
        self.assertEqual(inbox_count(self.srv, "bob@example.test"), bob + 1)
        self.assertEqual(inbox_count(self.srv, "tiny@example.test"), 0)
        (blob,) = stored_blobs_containing(self.srv, b"lmtp-data-1")
        self.assertIn(b"with LMTP", blob)

    def test_per_recipient_replies_after_bdat(self):
        r = self.raw()
        r.cmd("LHLO mta.test")
        body = b"Subject: lmtp-bdat-1\r\n\r\nchunked\r\n"
        r.send(b"MAIL FROM:<sender@remote.test>\r\nRCPT TO:<alice@example.test>\r\nRCPT TO:<bob@example.test>\r\n"
               b"BDAT %d LAST\r\n" % len(body) + body)
        self.assertEqual([c for c, _ in r.replies(5)], [250, 250, 250, 250, 250])
        self.assertEqual(len(stored_blobs_containing(self.srv, b"lmtp-bdat-1")), 1)

    def test_smtplib_lmtp_client(self):
        before = inbox_count(self.srv, "bob@example.test")
        s = smtplib.LMTP("127.0.0.1", self.port, local_hostname="mta.test")
        self.addCleanup(s.close)
        refused = s.sendmail("sender@remote.test", ["bob@example.test"], b"Subject: lmtp-lib\r\n\r\nhi\r\n")
        self.assertEqual(refused, {})
        self.assertEqual(inbox_count(self.srv, "bob@example.test"), before + 1)


if __name__ == "__main__":
    unittest.main()
