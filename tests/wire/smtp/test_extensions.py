"""Extensions at the wire: SMTPUTF8 (RFC 6531), PIPELINING (RFC 2920), CHUNKING/BINARYMIME (RFC 3030), DSN
parameters (RFC 3461), 8BITMIME (RFC 6152)."""
import smtplib
import unittest

from smtp.smtp_util import PASSWORD, Raw, enhanced_of, inbox_count, start_server, stop_server, stored_blobs_containing


class Extensions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.port = cls.srv.ports["smtp"]
        cls.srv.add_user("alice@example.test", PASSWORD)
        cls.srv.add_user("jösé@example.test", PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self):
        r = Raw(self.port)
        self.addCleanup(r.close)
        r.cmd("EHLO client.test")
        return r

    def test_smtputf8_with_smtplib(self):
        s = smtplib.SMTP("127.0.0.1", self.port, timeout=20)
        self.addCleanup(s.close)
        msg = "From: Renée <renée@remote.test>\r\nSubject: utf8-smtp-1 héllo\r\n\r\nçà et là\r\n".encode()
        refused = s.sendmail("renée@remote.test", ["jösé@example.test"], msg, mail_options=["SMTPUTF8", "BODY=8BITMIME"])
        self.assertEqual(refused, {})
        self.assertEqual(inbox_count(self.srv, "jösé@example.test"), 1)
        (blob,) = stored_blobs_containing(self.srv, b"utf8-smtp-1")
        self.assertTrue(blob.startswith("Return-Path: <renée@remote.test>\r\n".encode()), blob[:100])
        self.assertIn(b"with UTF8SMTP", blob)
        self.assertIn("for <jösé@example.test>".encode(), blob)

    def test_utf8_address_needs_smtputf8(self):
        r = self.raw()
        reply = r.cmd("MAIL FROM:<renée@remote.test>")
        self.assertEqual(reply[0], 553)
        self.assertEqual(r.cmd("MAIL FROM:<a@remote.test>")[0], 250)
        self.assertEqual(r.cmd("RCPT TO:<jösé@example.test>")[0], 553)

    def test_pipelining(self):
        before = inbox_count(self.srv, "alice@example.test")
        r = self.raw()
        # One write: the whole envelope and DATA (RFC 2920 §3.1: DATA ends the group).
        r.send("MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.test>\r\nRCPT TO:<nobody@example.test>\r\n"
               "RCPT TO:<alice+x@example.test>\r\nDATA\r\n")
        self.assertEqual([c for c, _ in r.replies(5)], [250, 250, 550, 250, 354])
        r.send("Subject: pipe-1\r\n\r\nbody\r\n.\r\nRSET\r\nMAIL FROM:<b@remote.test>\r\nRCPT TO:<alice@example.test>\r\n"
               "DATA\r\n")
        self.assertEqual([c for c, _ in r.replies(5)], [250, 250, 250, 250, 354])
        r.send("Subject: pipe-2\r\n\r\nbody\r\n.\r\nQUIT\r\n")
        self.assertEqual([c for c, _ in r.replies(2)], [250, 221])
        self.assertEqual(inbox_count(self.srv, "alice@example.test"), before + 2)

    def test_bdat_chunks(self):
        r = self.raw()
        part1 = b"Subject: bdat-1\r\n\r\nfirst chunk\r\n"
        part2 = b".leading dot is data\r\n"
        r.send(b"MAIL FROM:<a@remote.test> BODY=8BITMIME\r\nRCPT TO:<alice@example.test>\r\n")
        self.assertEqual([c for c, _ in r.replies(2)], [250, 250])
        r.send(b"BDAT %d\r\n" % len(part1) + part1)
        self.assertEqual(r.reply()[0], 250)
        self.assertEqual(r.cmd("DATA")[0], 503)  # not while BDAT is in progress
        self.assertEqual(r.cmd("RCPT TO:<alice@example.test>")[0], 503)
        r.send(b"BDAT %d\r\n" % len(part2) + part2)
        self.assertEqual(r.reply()[0], 250)
        reply = r.cmd("BDAT 0 LAST")
        self.assertEqual((reply[0], enhanced_of(reply)), (250, "2.6.0"))
        (blob,) = stored_blobs_containing(self.srv, b"bdat-1")
        self.assertTrue(blob.endswith(part1 + part2))

    def test_binarymime(self):
        r = self.raw()
        body = b"Subject: binary-1\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01\n\r\xff bytes\r\n"
        r.send(b"MAIL FROM:<a@remote.test> BODY=BINARYMIME\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n")
        self.assertEqual([c for c, _ in r.replies(3)], [250, 250, 503])  # BINARYMIME needs BDAT
        r.send(b"BDAT %d LAST\r\n" % len(body) + body)
        self.assertEqual(r.reply()[0], 250)
        (blob,) = stored_blobs_containing(self.srv, b"binary-1")
        self.assertTrue(blob.endswith(body))

    def test_bdat_without_binarymime_refuses_bare_lf(self):
        r = self.raw()
        body = b"Subject: bdat-bare\r\n\r\nline\nmore\r\n"
        r.send(b"MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.test>\r\nBDAT %d LAST\r\n" % len(body) + body)
        replies = r.replies(3)
        self.assertEqual((replies[2][0], enhanced_of(replies[2])), (550, "5.6.0"))
        self.assertEqual(stored_blobs_containing(self.srv, b"bdat-bare"), [])

    def test_bdat_refused_payload_is_skipped(self):
        r = self.raw()
        payload = b"RSET\r\nQUIT\r\n"  # must be read as data, not as commands
        r.send(b"BDAT %d LAST\r\n" % len(payload) + payload)
        self.assertEqual(r.reply()[0], 503)
        self.assertEqual(r.cmd("NOOP")[0], 250)

    def test_dsn_parameters_accepted(self):
        r = self.raw()
        self.assertEqual(r.cmd("MAIL FROM:<a@remote.test> RET=HDRS ENVID=QQ314159+2Bx")[0], 250)
        self.assertEqual(r.cmd("RCPT TO:<alice@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;alice@example.test")[0],
                         250)
        self.assertEqual(r.cmd("RCPT TO:<alice@example.test> NOTIFY=NEVER,SUCCESS")[0], 501)
        self.assertEqual(r.cmd("DATA")[0], 354)
        r.send("Subject: dsn-1\r\n\r\nx\r\n.\r\n")
        self.assertEqual(r.reply()[0], 250)

    def test_8bit_data(self):
        s = smtplib.SMTP("127.0.0.1", self.port, timeout=20)
        self.addCleanup(s.close)
        msg = "Subject: eightbit-1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGrüße\r\n".encode()
        self.assertEqual(s.sendmail("a@remote.test", ["alice@example.test"], msg, mail_options=["BODY=8BITMIME"]), {})
        (blob,) = stored_blobs_containing(self.srv, b"eightbit-1")
        self.assertTrue(blob.endswith("Grüße\r\n".encode()))


if __name__ == "__main__":
    unittest.main()
