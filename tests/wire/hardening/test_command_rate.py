"""Issue #9 "per-IP ... command-rate limits": `[limits.connections] commands_per_second` and `command_burst`
(auth::CommandRate). One address flooding commands is slowed to the rate, over every protocol together, while
another address is answered at once; nothing is refused."""
import time
import unittest

from claret_harness import ClaretServer, edit_config
from imap.imap_util import Raw

PASSWORD = "the real password 123"
ALICE = "alice@example.test"
TIMEOUT_S = 30
RATE = 20
BURST = 20


class CommandRate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = ClaretServer(start=False)
        try:
            edit_config(cls.srv.config, {("limits.connections", "commands_per_second"): str(RATE),
                                         ("limits.connections", "command_burst"): str(BURST)})
            cls.srv.start()
            cls.srv.add_user(ALICE, PASSWORD)
        except BaseException:
            cls.srv.stop()
            cls.srv.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        cls.srv.cleanup()

    def imap(self, source):
        c = Raw(self.srv.ports["imap"], TIMEOUT_S, source)
        self.addCleanup(c.close)
        self.assertTrue(c.line().startswith(b"* OK"))
        return c

    def noops(self, c, n, tag="n"):
        """Sends n pipelined NOOPs; returns the seconds until the last tagged OK."""
        started = time.monotonic()
        c.send("".join(f"{tag}{i} NOOP\r\n" for i in range(n)))
        seen = 0
        while seen < n:
            line = c.line()
            if line.startswith(tag.encode()):
                self.assertIn(b" OK", line)
                seen += 1
        return time.monotonic() - started

    def test_flood_from_one_address_is_paced_and_another_address_is_not(self):
        flood = self.imap("127.0.0.5")
        # Two connections from the flooding address share its bucket: BURST pass at once, the next 3 × RATE wait
        # about 3 s in all, whichever connection sends them.
        second = self.imap("127.0.0.5")
        first_burst = self.noops(flood, BURST)
        self.assertLess(first_burst, 5, "the burst itself was delayed")
        paced = self.noops(second, 3 * RATE, "p")
        self.assertGreater(paced, 2.0, f"{3 * RATE} commands over the burst took only {paced:.2f} s")
        self.assertLess(paced, 20, "paced far below the configured rate")
        # Meanwhile (the flooding address is now in debt) another address gets its answers at once.
        other = self.imap("127.0.0.6")
        self.assertLess(self.noops(other, 5, "o"), 2.0)

    def test_all_protocols_share_an_address_bucket(self):
        # IMAP uses up the burst of 127.0.0.7; RATE further commands over POP3, then over SMTP, from the same
        # address each take about a second (a session's commands are charged one at a time, as they run).
        self.noops(self.imap("127.0.0.7"), BURST)
        pop = Raw(self.srv.ports["pop3"], TIMEOUT_S, "127.0.0.7")
        self.addCleanup(pop.close)
        self.assertTrue(pop.line().startswith(b"+OK"))
        started = time.monotonic()
        pop.send("CAPA\r\n" * RATE)
        for _ in range(RATE):
            while pop.line() != b".":  # each CAPA: "+OK", the capabilities, "."
                pass
        self.assertGreater(time.monotonic() - started, 0.5, "POP3 did not share the address's bucket")
        smtp = Raw(self.srv.ports["smtp"], TIMEOUT_S, "127.0.0.7")
        self.addCleanup(smtp.close)
        self.assertTrue(smtp.line().startswith(b"220"))
        started = time.monotonic()
        smtp.send("NOOP\r\n" * RATE)
        for _ in range(RATE):
            self.assertTrue(smtp.line().startswith(b"250"))
        self.assertGreater(time.monotonic() - started, 0.5, "SMTP did not share the address's bucket")

if __name__ == "__main__":
    unittest.main()
