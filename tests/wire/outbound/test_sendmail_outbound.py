"""`claret sendmail` to a remote address: queued by the command, delivered by the running `claret serve`."""
import os
import subprocess
import unittest

from claret_harness import CLARET
from outbound.queue_util import PASSWORD, Dnsmasq, Sink, start_claret, wait_for


class SendmailOutbound(unittest.TestCase):
    def test_sendmail_to_remote_reaches_the_mx(self):
        sink = Sink()
        dns = Dnsmasq()
        srv = None
        try:
            srv = start_claret(dns.port, sink.port)
            srv.add_user("alice@example.test", PASSWORD)
            proc = subprocess.run([CLARET, "sendmail", "-f", "alice@example.test", "-i", "bob@remote.test",
                                   "--config", srv.config],
                                  input=b"From: alice@example.test\nSubject: from cron\n\nreport\n",
                                  capture_output=True, timeout=60)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertTrue(wait_for(lambda: len(sink.messages) == 1), "not delivered to the sink")
            m = sink.messages[0]
            self.assertIn("<alice@example.test>", m.mail_from)
            self.assertEqual(m.rcpts, ["bob@remote.test"])
            self.assertIn(b"Subject: from cron\r\n", m.data)
            self.assertTrue(m.data.endswith(b"\r\n\r\nreport\r\n"), m.data[-60:])
        finally:
            if srv:
                srv.stop()
                srv.cleanup()
            dns.stop()
            sink.stop()


if __name__ == "__main__":
    unittest.main()
