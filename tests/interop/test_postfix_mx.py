"""Interop, outbound: claret looks up the MX of remote.test at a local dnsmasq, finds a real Postfix on loopback
(the final destination for remote.test, offering STARTTLS) and delivers a submitted message to it. The message
arrives in the recipients' Maildirs intact, and both DKIM signatures (RSA-SHA256 and Ed25519, keys made by
`claret dkim keygen`) verify with an independent verifier (Debian's python3-dkim)."""
import json
import os
import re
import smtplib
import subprocess
import tempfile
import unittest

from claret_harness import ClaretServer
from interop.postfix_peer import PrivatePostfix, available
from outbound.queue_util import PASSWORD, TIMEOUT_S, Dnsmasq, queue_ids, set_config, txt_records, wait_for

SENDER = "alice@example.test"
VERIFIER = os.path.join(os.path.dirname(__file__), "..", "wire", "dkim", "dkimpy_verify.py")
# 8-bit text, a line that starts with a dot (dot-stuffing both ways), a long line, trailing white space (DKIM
# relaxed body canonicalisation), an empty line inside the body.
BODY = ("Line one.\r\n.leading dot survives\r\n\r\nCaf\u00e9 \u00fcml\u00e4ut   \r\n" + "x" * 900 + "\r\n"
        "Last line.\r\n")


def split_message(raw: bytes):
    head, _, body = raw.partition(b"\r\n\r\n")
    return head, body


@unittest.skipUnless(available(), "needs root and Debian's postfix package")
class ClaretDeliversToPostfix(unittest.TestCase):
    def test_message_reaches_postfix_intact_and_dkim_verifies(self):
        tmp = tempfile.mkdtemp(prefix="claret-mx-tls-")
        cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=mx.remote.test"], check=True, capture_output=True, timeout=60)
        pf = PrivatePostfix("remote.test", mailboxes=["bob", "carol"], tls=(cert, key))
        self.addCleanup(subprocess.run, ["rm", "-rf", tmp])
        self.addCleanup(pf.stop)
        dns = Dnsmasq()
        self.addCleanup(dns.stop)
        srv = ClaretServer(start=False)
        self.addCleanup(srv.cleanup)
        set_config(srv, {"dns_servers": f'["127.0.0.1:{dns.port}"]', "smtp_port": str(pf.port),
                         "retry_min_s": "1", "retry_max_s": "2"})
        records = {}
        for algorithm, selector in (("rsa", "r1"), ("ed25519", "e1")):
            records.update(txt_records(srv.cli("dkim", "keygen", "--domain", "example.test", "--selector", selector,
                                               "--algorithm", algorithm).stdout))
        self.assertEqual(len(records), 2)
        srv.start()
        self.addCleanup(srv.stop)
        srv.add_user(SENDER, PASSWORD)

        submitted = (f"From: Alice <{SENDER}>\r\nTo: Bob <bob@remote.test>, carol@remote.test\r\n"
                     "Subject: to a real Postfix\r\nDate: Mon, 07 Dec 2026 10:00:00 +0000\r\n"
                     "Message-ID: <postfix-mx-1@example.test>\r\nMIME-Version: 1.0\r\n"
                     "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                     + BODY).encode()
        with smtplib.SMTP("127.0.0.1", srv.ports["submission"], local_hostname="client.test",
                          timeout=TIMEOUT_S) as s:
            s.login(SENDER, PASSWORD)
            refused = s.sendmail(SENDER, ["bob@remote.test", "carol@remote.test"], submitted,
                                 mail_options=["BODY=8BITMIME"])
        self.assertEqual(refused, {})
        self.assertTrue(wait_for(lambda: pf.maildir("bob") and pf.maildir("carol"), timeout=60),
                        f"{srv.server_log()[-3000:]}\n{pf.maillog()}")
        self.assertTrue(wait_for(lambda: not queue_ids(srv)))
        log = pf.maillog()
        # One SMTP transaction for both recipients, over TLS (claret uses STARTTLS whenever it is offered).
        self.assertIn("Anonymous TLS connection established from", log)
        self.assertEqual(len(re.findall(r"postfix/smtpd\[\d+\]: \w+: client=", log)), 1, log)

        sub_head, sub_body = split_message(submitted)
        for local in ("bob", "carol"):
            delivered = pf.maildir(local)
            self.assertEqual(len(delivered), 1)
            # Maildir stores LF line ends; the wire form has CRLF.
            raw = delivered[0].replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            head, body = split_message(raw)
            self.assertEqual(body, sub_body)  # the body byte for byte
            self.assertIn(f"Delivered-To: {local}@remote.test".encode(), head)
            self.assertIn(b"Return-Path: <alice@example.test>", head)
            # Every submitted header field arrives unchanged and in order, after what the hops prepended.
            self.assertTrue(head.endswith(sub_head), head)
            self.assertEqual(head.count(b"\r\nDKIM-Signature:"), 2, head)

            with tempfile.NamedTemporaryFile(suffix=".eml", delete=False) as f:
                f.write(raw)
                path = f.name
            try:
                # -I: this suite's PYTHONPATH holds tests/wire, whose dkim/ directory would shadow python3-dkim.
                proc = subprocess.run(["/usr/bin/python3", "-I", VERIFIER],
                                      input=json.dumps({"records": records, "files": [path]}),
                                      capture_output=True, text=True, timeout=60)
                if proc.returncode == 3:
                    self.skipTest("python3-dkim is not installed")
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertEqual(json.loads(proc.stdout)[path], [True, True], raw[:2000])
            finally:
                os.unlink(path)


if __name__ == "__main__":
    unittest.main()
