"""Graceful shutdown (DESIGN.md §4): an idle session gets 421 4.3.2; a message being received is finished and
stored first."""
import os
import signal
import unittest

from smtp.smtp_util import PASSWORD, Raw, enhanced_of, inbox_count, start_server, stop_server


class Shutdown(unittest.TestCase):
    def test_sigterm(self):
        srv = start_server()
        try:
            srv.add_user("alice@example.test", PASSWORD)
            idle = Raw(srv.ports["smtp"])
            self.addCleanup(idle.close)
            idle.cmd("EHLO idle.test")
            busy = Raw(srv.ports["lmtp"])
            self.addCleanup(busy.close)
            busy.cmd("LHLO busy.test")
            busy.send("MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n")
            self.assertEqual([c for c, _ in busy.replies(3)], [250, 250, 354])
            busy.send("Subject: in-flight\r\n\r\nfirst half\r\n")

            os.killpg(srv.proc.pid, signal.SIGTERM)
            reply = idle.reply()
            self.assertEqual((reply[0], enhanced_of(reply)), (421, "4.3.2"))
            self.assertTrue(idle.closed_by_peer())

            busy.send("second half\r\n.\r\n")
            self.assertEqual(busy.reply()[0], 250)  # the transaction in flight completes
            reply = busy.reply()
            self.assertEqual((reply[0], enhanced_of(reply)), (421, "4.3.2"))
            self.assertEqual(srv.proc.wait(timeout=30), 0)
            self.assertEqual(inbox_count(srv, "alice@example.test"), 1)
        finally:
            stop_server(srv)


if __name__ == "__main__":
    unittest.main()
