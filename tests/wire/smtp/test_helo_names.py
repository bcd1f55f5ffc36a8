"""EHLO/HELO names real senders use that are not valid host names (an underscore, a bare IP address) are
accepted as given, as Postfix does (RFC 5321 §4.1.4: never refuse mail over the greeting name); broken
address literals and non-ASCII names still get 501."""
import smtplib
import socket
import unittest

from smtp.smtp_util import PASSWORD, TIMEOUT_S, start_server, stop_server, stored_blobs_containing


class HeloNames(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user("alice@example.test", PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def test_windows_style_and_bare_ip_names_are_accepted(self):
        for name, marker in (("office_pc", "helo-underscore"), ("192.0.2.7", "helo-bare-ip")):
            with smtplib.SMTP("127.0.0.1", self.srv.ports["smtp"], local_hostname=name, timeout=TIMEOUT_S) as c:
                c.sendmail("carol@remote.test", ["alice@example.test"], f"Subject: {marker}\r\n\r\nhi\r\n".encode())
            (blob,) = stored_blobs_containing(self.srv, marker.encode())
            self.assertIn(f"Received: from {name} ".encode(), blob)

    def test_broken_literal_and_non_ascii_are_refused(self):
        for line in (b"EHLO [300.1.1.1]\r\n", "EHLO bücher.example\r\n".encode()):
            with socket.create_connection(("127.0.0.1", self.srv.ports["submission"]), timeout=TIMEOUT_S) as s:
                f = s.makefile("rb")
                self.assertTrue(f.readline().startswith(b"220 "))
                s.sendall(line)
                self.assertTrue(f.readline().startswith(b"501 "), line)


if __name__ == "__main__":
    unittest.main()
