"""Submitted mail leaves DKIM-signed with the keys `claret dkim keygen` made (RFC 6376, RFC 8463), and an
independent verifier (Debian's python3-dkim, given the TXT records keygen printed) accepts the signatures."""
import json
import os
import smtplib
import subprocess
import tempfile
import unittest

from claret_harness import ClaretServer
from outbound.queue_util import PASSWORD, TIMEOUT_S, Dnsmasq, Sink, set_config, txt_records, wait_for

SENDER = "alice@example.test"
VERIFIER = os.path.join(os.path.dirname(__file__), "..", "dkim", "dkimpy_verify.py")


@unittest.skipUnless(os.path.exists("/usr/bin/python3"), "needs Debian's python3 for python3-dkim")
class DkimSignedOutbound(unittest.TestCase):
    def test_outbound_mail_is_signed_and_verifies(self):
        sink = Sink()
        dns = Dnsmasq()
        srv = ClaretServer(start=False)
        try:
            set_config(srv, {"dns_servers": f'["127.0.0.1:{dns.port}"]', "smtp_port": str(sink.port),
                             "retry_min_s": "1", "retry_max_s": "2"})
            records = {}
            for algorithm, selector in (("rsa", "r1"), ("ed25519", "e1")):
                out = srv.cli("dkim", "keygen", "--domain", "example.test", "--selector", selector,
                              "--algorithm", algorithm).stdout
                records.update(txt_records(out))
            self.assertEqual(set(records), {"r1._domainkey.example.test", "e1._domainkey.example.test"})
            srv.start()
            srv.add_user(SENDER, PASSWORD)
            body = (f"From: Alice <{SENDER}>\r\nTo: bob@remote.test\r\nSubject: signed\r\n"
                    "Message-ID: <dkim-out-1@example.test>\r\n\r\nSigned body.\r\n")
            with smtplib.SMTP("127.0.0.1", srv.ports["submission"], timeout=TIMEOUT_S) as s:
                s.login(SENDER, PASSWORD)
                s.sendmail(SENDER, ["bob@remote.test"], body.encode())
            self.assertTrue(wait_for(lambda: len(sink.messages) == 1), "the message never reached the sink")
            data = sink.messages[0].data
            self.assertEqual(data.count(b"DKIM-Signature:"), 2, data[:600])
            with tempfile.NamedTemporaryFile(suffix=".eml", delete=False) as f:
                f.write(data)
                path = f.name
            try:
                proc = subprocess.run(["/usr/bin/python3", VERIFIER],
                                      input=json.dumps({"records": records, "files": [path]}),
                                      capture_output=True, text=True, timeout=60)
                if proc.returncode == 3:
                    self.skipTest("python3-dkim is not installed")
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertEqual(json.loads(proc.stdout)[path], [True, True])
            finally:
                os.unlink(path)
        finally:
            srv.stop()
            srv.cleanup()
            dns.stop()
            sink.stop()


if __name__ == "__main__":
    unittest.main()
