"""Outbound queue behaviour over time, each test with its own server and retry settings: delay warnings, a remote
that is down, connection reuse within the per-domain session limit. A ctest entry of their own (wire.outbound_retry):
under ASan on a loaded machine they take minutes, and wire.outbound has a 10-minute budget."""
import smtplib
import unittest

from outbound.queue_util import (PASSWORD, SENDER, TIMEOUT_S, Dnsmasq, Sink, blobs_containing, free_port,
                                 inbox_count, queue_ids, start_claret, submit, wait_for)


class DelayWarning(unittest.TestCase):
    """RFC 3461 §4.1 / RFC 3464: a message still undelivered after `delay_warning_s` gets one "delayed" DSN to its
    sender (only for recipients whose NOTIFY includes DELAY, the default), keeps being retried, and is delivered
    once the remote recovers, with no further report."""

    def test_one_delay_warning_then_delivery(self):
        sink = Sink()
        self.addCleanup(sink.stop)
        dns = Dnsmasq()
        self.addCleanup(dns.stop)
        srv = start_claret(dns.port, sink.port, retry_min_s="1", retry_max_s="1", delay_warning_s="2")
        self.addCleanup(srv.cleanup)
        self.addCleanup(srv.stop)
        srv.add_user(SENDER, PASSWORD)
        with sink.lock:
            sink.tempfail["slow@remote.test"] = 1000
            sink.tempfail["quiet@remote.test"] = 1000
        body = f"From: {SENDER}\r\nTo: slow@remote.test\r\nSubject: MARKER-delay\r\n\r\nbody\r\n".encode()
        s = smtplib.SMTP("127.0.0.1", srv.ports["submission"], local_hostname="client.test", timeout=TIMEOUT_S)
        try:
            s.login(SENDER, PASSWORD)
            s.mail(SENDER, ["ENVID=delay-env-1"])
            self.assertEqual(s.rcpt("slow@remote.test")[0], 250)  # default NOTIFY: FAILURE,DELAY
            self.assertEqual(s.rcpt("quiet@remote.test", ["NOTIFY=FAILURE"])[0], 250)
            self.assertEqual(s.data(body)[0], 250)
            s.quit()
        finally:
            s.close()
        self.assertTrue(wait_for(lambda: inbox_count(srv, SENDER) == 1), srv.server_log())
        warnings = blobs_containing(srv, b"Original-Envelope-Id: delay-env-1")
        self.assertEqual(len(warnings), 1)
        dsn = warnings[0]
        self.assertIn(b"Content-Type: multipart/report; report-type=delivery-status", dsn)
        self.assertIn(b"Final-Recipient: rfc822; slow@remote.test\r\nAction: delayed\r\nStatus: 4.", dsn)
        self.assertNotIn(b"quiet@remote.test\r\nAction", dsn)  # NOTIFY=FAILURE: no delay report for it
        self.assertIn(b"Subject: MARKER-delay", dsn)
        self.assertEqual(len(queue_ids(srv)), 1, "a delay warning must not take the message off the queue")
        # The remote recovers: the message is delivered to both, and no second report follows.
        with sink.lock:
            sink.tempfail["slow@remote.test"] = 0
            sink.tempfail["quiet@remote.test"] = 0
        srv.cli("queue", "flush")
        self.assertTrue(wait_for(lambda: sink.containing(b"MARKER-delay")), srv.server_log())
        self.assertEqual(sorted(r for m in sink.containing(b"MARKER-delay") for r in m.rcpts),
                         ["quiet@remote.test", "slow@remote.test"])
        self.assertTrue(wait_for(lambda: not queue_ids(srv)))
        self.assertEqual(inbox_count(srv, SENDER), 1)


class RemoteDown(unittest.TestCase):
    """The MX refuses connections (nothing listens): the message stays queued with the failure recorded, is not
    bounced, and once the MX is back `claret queue retry ID` makes it due at once (the backoff here is 5 minutes, so
    only the retry can explain a delivery within the test's time)."""

    def test_connection_refused_is_retried_after_the_mx_comes_back(self):
        dns = Dnsmasq()
        self.addCleanup(dns.stop)
        port = free_port()  # nothing listens here yet
        srv = start_claret(dns.port, port, retry_min_s="300", retry_max_s="600", delay_warning_s="0")
        self.addCleanup(srv.cleanup)
        self.addCleanup(srv.stop)
        srv.add_user(SENDER, PASSWORD)
        submit(srv, ["bob@remote.test"], "MARKER-down")
        self.assertTrue(wait_for(lambda: len(queue_ids(srv)) == 1))
        qid = queue_ids(srv)[0]
        self.assertTrue(wait_for(lambda: "attempts=1" in srv.cli("queue", "show", qid).stdout), srv.server_log())
        shown = srv.cli("queue", "show", qid).stdout
        self.assertIn("<bob@remote.test> pending", shown)
        self.assertEqual(inbox_count(srv, SENDER), 0)  # a temporary failure: no bounce
        sink = Sink(port)
        self.addCleanup(sink.stop)
        srv.cli("queue", "retry", qid)
        self.assertTrue(wait_for(lambda: sink.containing(b"MARKER-down")), srv.server_log())
        self.assertTrue(wait_for(lambda: not queue_ids(srv)))
        self.assertEqual(inbox_count(srv, SENDER), 0)
        bad = srv.cli("queue", "retry", qid, check=False)  # gone now: a clear error, non-zero exit
        self.assertNotEqual(bad.returncode, 0)
        self.assertTrue(bad.stderr.strip())


class ConnectionReuse(unittest.TestCase):
    """Messages due together for one destination are spread over at most `max_per_domain` SMTP connections, each
    carrying several transactions. Four messages first fail with 451 so they wait in the queue (5-minute backoff);
    `claret queue flush` makes them due at the same moment; with max_per_domain = 2 they travel as two sessions of
    two messages each."""

    def test_queued_messages_share_sessions_within_the_domain_limit(self):
        sink = Sink()
        self.addCleanup(sink.stop)
        dns = Dnsmasq()
        self.addCleanup(dns.stop)
        srv = start_claret(dns.port, sink.port, retry_min_s="300", retry_max_s="600", delay_warning_s="0",
                           max_per_domain="2")
        self.addCleanup(srv.cleanup)
        self.addCleanup(srv.stop)
        srv.add_user(SENDER, PASSWORD)
        names = [f"r{i}@remote.test" for i in range(4)]
        with sink.lock:
            for n in names:
                sink.tempfail[n] = 1
        for i, n in enumerate(names):
            submit(srv, [n], f"MARKER-reuse-{i}")
        self.assertTrue(wait_for(lambda: len(queue_ids(srv)) == 4))
        self.assertTrue(wait_for(lambda: all("attempts=1" in srv.cli("queue", "show", q).stdout
                                             for q in queue_ids(srv))), srv.server_log())
        srv.cli("queue", "flush")
        self.assertTrue(wait_for(lambda: all(sink.containing(f"MARKER-reuse-{i}".encode()) for i in range(4))),
                        srv.server_log())
        sessions = [sink.containing(f"MARKER-reuse-{i}".encode())[0].session for i in range(4)]
        self.assertEqual(sorted(sessions.count(s) for s in set(sessions)), [2, 2], sessions)
        self.assertTrue(wait_for(lambda: not queue_ids(srv)))


if __name__ == "__main__":
    unittest.main()
