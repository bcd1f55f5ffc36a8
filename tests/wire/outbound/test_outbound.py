"""Outbound delivery end to end: submission → queue → MX lookup at a local dnsmasq → SMTP to a local sink.
Covers intact delivery, 4xx retried then delivered, 5xx → DSN in the sender's INBOX, null MX → bounce, the admin CLI,
and a SIGKILL during delivery (delivered after restart, at least once). Retry intervals are 1-2 s."""
import os
import signal
import smtplib
import ssl
import unittest

from outbound.queue_util import (PASSWORD, SENDER, TIMEOUT_S, Dnsmasq, Sink, blobs_containing, inbox_count,
                              queue_ids, start_claret, submit, wait_for)



class Outbound(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.dns = None
        cls.srv = None
        try:
            cls.dns = Dnsmasq()
            cls.srv = start_claret(cls.dns.port, cls.sink.port)
            cls.srv.add_user(SENDER, PASSWORD)
            cls.srv.add_user("frank@example.test", PASSWORD)
            # The sink offers STARTTLS with claret's own self-signed certificate: opportunistic TLS must use it.
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(os.path.join(cls.srv.data, "tls", "cert.pem"), os.path.join(cls.srv.data, "tls", "key.pem"))
            cls.sink.tls_context = ctx
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.srv:
            code = cls.srv.stop()
            log = cls.srv.server_log()
            cls.srv.cleanup()
            if cls.dns:
                cls.dns.stop()
                cls.dns = None
            cls.sink.stop()
            # Sanitizer builds report at exit; a clean SIGTERM shutdown must say nothing and exit 0.
            assert "Sanitizer" not in log and "runtime error" not in log, log
            assert code == 0, f"claret serve exited {code}: {log}"
            return
        if cls.dns:
            cls.dns.stop()
        cls.sink.stop()

    def test_delivered_intact_to_the_mx(self):
        body, refused = submit(self.srv, ["bob@remote.test"], "MARKER-intact")
        self.assertEqual(refused, {})
        self.assertTrue(wait_for(lambda: self.sink.containing(b"MARKER-intact")), self.srv.server_log())
        m = self.sink.containing(b"MARKER-intact")[0]
        self.assertIn("<alice@example.test>", m.mail_from)
        self.assertEqual(m.rcpts, ["bob@remote.test"])
        self.assertTrue(m.tls, "STARTTLS was offered, so the message must have travelled over TLS")
        # The submitted message arrives byte for byte after claret's own Received field.
        self.assertTrue(m.data.startswith(b"Received: "), m.data[:200])
        self.assertTrue(m.data.endswith(body.encode()), m.data)
        self.assertTrue(wait_for(lambda: not queue_ids(self.srv)))

    def test_temporary_failure_is_retried(self):
        with self.sink.lock:
            self.sink.tempfail["later@remote.test"] = 2
        submit(self.srv, ["later@remote.test"], "MARKER-retry")
        self.assertTrue(wait_for(lambda: self.sink.containing(b"MARKER-retry")), self.srv.server_log())
        with self.sink.lock:
            self.assertEqual(self.sink.tempfail["later@remote.test"], 0)
        self.assertTrue(wait_for(lambda: not queue_ids(self.srv)))

    def test_permanent_failure_bounces_to_sender(self):
        with self.sink.lock:
            self.sink.reject.add("nobody@remote.test")
        before = inbox_count(self.srv, SENDER)
        submit(self.srv, ["nobody@remote.test", "carol@remote.test"], "MARKER-bounce")
        self.assertTrue(wait_for(lambda: inbox_count(self.srv, SENDER) > before), self.srv.server_log())
        dsns = [b for b in blobs_containing(self.srv, b"Final-Recipient: rfc822; nobody@remote.test")]
        self.assertTrue(dsns)
        dsn = dsns[0]
        self.assertIn(b"Content-Type: multipart/report; report-type=delivery-status", dsn)
        self.assertIn(b"Action: failed\r\nStatus: 5.1.1", dsn)
        self.assertIn(b"Subject: MARKER-bounce", dsn)  # the original headers
        self.assertNotIn(b"carol@remote.test\r\nAction", dsn)  # carol was delivered
        self.assertTrue(wait_for(lambda: self.sink.containing(b"MARKER-bounce")))

    def test_many_recipients_across_domains(self):
        before = inbox_count(self.srv, "frank@example.test")
        _, refused = submit(self.srv, ["bob@remote.test", "eve@other.test", "frank@example.test", "zoe@remote.test"],
                            "MARKER-multi")
        self.assertEqual(refused, {})
        self.assertTrue(wait_for(lambda: len(self.sink.containing(b"MARKER-multi")) == 2), self.srv.server_log())
        rcpts = sorted(sorted(m.rcpts) for m in self.sink.containing(b"MARKER-multi"))
        self.assertEqual(rcpts, [["bob@remote.test", "zoe@remote.test"], ["eve@other.test"]])
        self.assertEqual(inbox_count(self.srv, "frank@example.test"), before + 1)  # local: never over the network

    def test_eight_bit_to_seven_bit_server_bounces(self):
        before = inbox_count(self.srv, SENDER)
        self.sink.eight_bit = False
        try:
            body = (f"From: {SENDER}\r\nTo: bob@remote.test\r\nSubject: MARKER-8bit\r\nMIME-Version: 1.0\r\n"
                    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                    "caf\u00e9 MARKER-8bit\r\n").encode()
            s = smtplib.SMTP("127.0.0.1", self.srv.ports["submission"], local_hostname="client.test", timeout=TIMEOUT_S)
            try:
                s.login(SENDER, PASSWORD)
                s.sendmail(SENDER, ["bob@remote.test"], body, mail_options=["BODY=8BITMIME"])
                s.quit()
            finally:
                s.close()
            self.assertTrue(wait_for(lambda: inbox_count(self.srv, SENDER) > before), self.srv.server_log())
        finally:
            self.sink.eight_bit = True
        self.assertTrue(blobs_containing(self.srv, b"Status: 5.6.3"))
        self.assertFalse(self.sink.containing(b"MARKER-8bit"))

    def test_success_dsn_when_asked(self):
        before = inbox_count(self.srv, SENDER)
        body = f"From: {SENDER}\r\nTo: ok@remote.test\r\nSubject: MARKER-notify\r\n\r\nbody\r\n".encode()
        s = smtplib.SMTP("127.0.0.1", self.srv.ports["submission"], local_hostname="client.test", timeout=TIMEOUT_S)
        try:
            s.login(SENDER, PASSWORD)
            s.sendmail(SENDER, ["ok@remote.test"], body, mail_options=["RET=HDRS", "ENVID=env-42"],
                       rcpt_options=["NOTIFY=SUCCESS", "ORCPT=rfc822;ok@remote.test"])
            s.quit()
        finally:
            s.close()
        self.assertTrue(wait_for(lambda: self.sink.containing(b"MARKER-notify")), self.srv.server_log())
        m = self.sink.containing(b"MARKER-notify")[0]
        self.assertIn("RET=HDRS", m.mail_from)  # passed on: the sink offers DSN
        self.assertIn("ENVID=env-42", m.mail_from)
        self.assertTrue(wait_for(lambda: inbox_count(self.srv, SENDER) > before), self.srv.server_log())
        dsn = blobs_containing(self.srv, b"Original-Envelope-Id: env-42")
        self.assertTrue(dsn)
        self.assertIn(b"Final-Recipient: rfc822; ok@remote.test\r\nAction: delivered\r\nStatus: 2.0.0", dsn[0])

    def test_null_mx_bounces(self):
        before = inbox_count(self.srv, SENDER)
        submit(self.srv, ["x@nomail.test"], "MARKER-nullmx")
        self.assertTrue(wait_for(lambda: inbox_count(self.srv, SENDER) > before), self.srv.server_log())
        self.assertTrue(blobs_containing(self.srv, b"Status: 5.1.10"))
        self.assertFalse(self.sink.containing(b"MARKER-nullmx"))

    def test_queue_cli_hold_release(self):
        with self.sink.lock:
            self.sink.tempfail["held@remote.test"] = 1000
        submit(self.srv, ["held@remote.test"], "MARKER-cli")
        self.assertTrue(wait_for(lambda: len(queue_ids(self.srv)) == 1))
        qid = queue_ids(self.srv)[0]
        self.srv.cli("queue", "hold", qid)
        self.assertIn(" held", self.srv.cli("queue", "list").stdout)
        shown = self.srv.cli("queue", "show", qid).stdout
        self.assertIn("<held@remote.test> pending", shown)
        self.srv.cli("queue", "release", qid)
        with self.sink.lock:
            self.sink.tempfail["held@remote.test"] = 0
        self.srv.cli("queue", "flush")
        self.assertTrue(wait_for(lambda: self.sink.containing(b"MARKER-cli")), self.srv.server_log())
        self.assertTrue(wait_for(lambda: not queue_ids(self.srv)))
        bad = self.srv.cli("queue", "delete", qid, check=False)
        self.assertNotEqual(bad.returncode, 0)


class KilledDuringDelivery(unittest.TestCase):
    def test_sigkill_mid_delivery_then_restart_delivers(self):
        sink = Sink()
        self.addCleanup(sink.stop)
        dns = Dnsmasq()
        self.addCleanup(dns.stop)
        srv = start_claret(dns.port, sink.port)
        self.addCleanup(srv.cleanup)
        self.addCleanup(srv.stop)
        srv.add_user(SENDER, PASSWORD)
        sink.hold_marker = b"MARKER-kill"
        submit(srv, ["dave@remote.test"], "MARKER-kill")
        self.assertTrue(sink.held.wait(TIMEOUT_S), srv.server_log())
        srv.stop(sig=signal.SIGKILL)  # mid-DATA: the sink never answered
        self.assertFalse(sink.containing(b"MARKER-kill"))
        sink.release.set()
        srv.start()
        self.assertTrue(wait_for(lambda: sink.containing(b"MARKER-kill")), srv.server_log())
        self.assertTrue(wait_for(lambda: not queue_ids(srv)))


if __name__ == "__main__":
    unittest.main()
