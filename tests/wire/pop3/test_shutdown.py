"""SIGTERM during a POP3 session: the client gets "-ERR" and the connection closes; messages marked deleted stay,
since the session never reached the UPDATE state (RFC 1939 §6)."""
import signal
import unittest

from pop3.pop3_util import ALICE, PASSWORD, Raw, deliver, inbox_count, make_message, start_server, stop_server


class Shutdown(unittest.TestCase):
    def test_sigterm_says_goodbye_and_deletes_nothing(self):
        srv = start_server()
        self.addCleanup(stop_server, srv)
        srv.add_user(ALICE, PASSWORD)
        deliver(srv, ALICE, make_message("survives"))
        r = Raw(srv.ports["pop3"])
        self.addCleanup(r.close)
        r.login()
        self.assertTrue(r.cmd("DELE 1").startswith(b"+OK"))
        waiting = Raw(srv.ports["pop3"])  # not logged in
        self.addCleanup(waiting.close)
        code = srv.stop(signal.SIGTERM)
        self.assertEqual(code, 0)
        self.assertEqual(r.line(), b"-ERR [SYS/TEMP] Server shutting down")
        self.assertTrue(r.closed())
        self.assertEqual(waiting.line(), b"-ERR [SYS/TEMP] Server shutting down")
        self.assertEqual(inbox_count(srv, ALICE), 1)


if __name__ == "__main__":
    unittest.main()
