"""Port 25 refuses clients that talk before the greeting (RFC 5321 §4.3.1; Postfix postscreen's pregreet
test) when limits.smtp.greet_pause_ms is set; clients that wait are served normally after the pause."""
import smtplib
import socket
import time
import unittest

from smtp.smtp_util import start_server, stop_server

PAUSE_MS = 600


class PreGreeting(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server({("limits.smtp", "greet_pause_ms"): str(PAUSE_MS)})
        cls.srv.add_user("alice@example.test", "pw-alice-123")

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def test_client_talking_first_gets_554_and_is_disconnected(self):
        with socket.create_connection(("127.0.0.1", self.srv.ports["smtp"]), timeout=20) as sock:
            sock.sendall(b"EHLO early.test\r\nMAIL FROM:<spam@bot.test>\r\n")
            data = b""
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        self.assertTrue(data.startswith(b"554 5.5.0 "), data)
        self.assertEqual(data.count(b"\r\n"), 1, data)  # nothing after the refusal: no command was run

    def test_patient_client_is_greeted_after_the_pause(self):
        started = time.monotonic()
        with smtplib.SMTP("127.0.0.1", self.srv.ports["smtp"], timeout=20) as c:
            self.assertGreaterEqual(time.monotonic() - started, PAUSE_MS / 1000 * 0.8)
            c.sendmail("carol@remote.test", ["alice@example.test"], b"Subject: patient\r\n\r\nhello\r\n")

    def test_submission_has_no_pause(self):
        started = time.monotonic()
        with smtplib.SMTP("127.0.0.1", self.srv.ports["submission"], timeout=20) as c:
            c.ehlo()
        self.assertLess(time.monotonic() - started, PAUSE_MS / 1000)


if __name__ == "__main__":
    unittest.main()
