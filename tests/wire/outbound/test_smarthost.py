"""Relaying through a smarthost (issue 6): claret sends everything to a configured relay over STARTTLS, verifies the
relay's certificate against `queue.smarthost_ca_file` (a private CA), and authenticates with AUTH PLAIN. A wrong
password or an untrusted certificate leaves the message queued with the reason in `claret queue show`; per-domain
`[queue.routes]` send one domain to its own relay (implicit TLS, its own credentials) while others go by MX.
The relays are the scripted Python sink on loopback; retry intervals are 1-2 s; every wait is bounded."""
import shutil
import tempfile
import unittest

from outbound import queue_util
from outbound.queue_util import (PASSWORD, Dnsmasq, Sink, make_relay_pki, queue_ids, server_tls_context,
                                 set_config, start_claret, wait_for)
from claret_harness import ClaretServer

SENDER = "alice@example.test"
RELAY_USER = "relay-user@example.test"
RELAY_PASSWORD = "relay pass with spaces"


def submit(srv, rcpts, marker):
    body, refused = queue_util.submit(srv, rcpts, marker)
    assert refused == {}, refused
    return body


def toml_string(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def start_relaying_claret(values, extra_toml=""):
    """claret with short retries and the given [queue] settings (and text appended to its configuration)."""
    srv = ClaretServer(start=False)
    try:
        set_config(srv, {"retry_min_s": "1", "retry_max_s": "2", "delay_warning_s": "0", **values})
        if extra_toml:
            with open(srv.config, "a") as f:
                f.write(extra_toml)
        srv.start()
        srv.add_user(SENDER, PASSWORD)
    except BaseException:
        srv.cleanup()
        raise
    return srv


def stop_claret(srv):
    code = srv.stop()
    log = srv.server_log()
    srv.cleanup()
    # Sanitizer builds report at exit; a clean SIGTERM shutdown must say nothing and exit 0.
    assert "Sanitizer" not in log and "runtime error" not in log, log
    assert code == 0, f"claret serve exited {code}: {log}"


def queue_show(srv, qid):
    return srv.cli("queue", "show", qid).stdout


class SmarthostStarttlsAuth(unittest.TestCase):
    """One claret relaying everything to one sink: STARTTLS, certificate from a private CA, AUTH PLAIN."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="claret-relay-pki-")
        cls.sink = Sink()
        cls.srv = None
        try:
            cls.pki = make_relay_pki(cls.tmp)
            cls.sink.tls_context = server_tls_context(cls.pki["relay.pem"], cls.pki["relay.key"])
            cls.sink.users = {RELAY_USER: RELAY_PASSWORD}
            cls.srv = start_relaying_claret({
                "smarthost": toml_string(f"localhost:{cls.sink.port}"),
                "smarthost_user": toml_string(RELAY_USER),
                "smarthost_password": toml_string(RELAY_PASSWORD),
                "smarthost_ca_file": toml_string(cls.pki["ca.pem"]),
            })
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.srv:
                stop_claret(cls.srv)
                cls.srv = None
        finally:
            cls.sink.stop()
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def set_sink(self, users=None, cert=None):
        with self.sink.lock:
            if users is not None:
                self.sink.users = users
            if cert is not None:
                self.sink.tls_context = server_tls_context(*cert)

    def test_relayed_over_starttls_with_auth_intact(self):
        body = submit(self.srv, ["bob@remote.test", "carol@elsewhere.test"], "MARKER-relayed")
        self.assertTrue(wait_for(lambda: self.sink.containing(b"MARKER-relayed")), self.srv.server_log())
        m = self.sink.containing(b"MARKER-relayed")[0]
        self.assertTrue(m.tls, "the credentials and the message must travel over TLS")
        self.assertEqual(m.auth_user, RELAY_USER)
        self.assertIn((RELAY_USER, RELAY_PASSWORD, True), self.sink.auth_attempts)
        self.assertIn("<alice@example.test>", m.mail_from)
        self.assertEqual(sorted(m.rcpts), ["bob@remote.test", "carol@elsewhere.test"])  # one transaction, no MX
        self.assertTrue(m.data.startswith(b"Received: "), m.data[:200])
        self.assertTrue(m.data.endswith(body.encode()), m.data)
        self.assertTrue(wait_for(lambda: not queue_ids(self.srv)))

    def test_wrong_password_stays_queued_with_the_relay_reply(self):
        self.set_sink(users={RELAY_USER: "the password changed"})
        try:
            submit(self.srv, ["dave@remote.test"], "MARKER-badauth")
            self.assertTrue(wait_for(lambda: len(queue_ids(self.srv)) == 1), self.srv.server_log())
            qid = queue_ids(self.srv)[0]
            self.assertTrue(wait_for(lambda: "535 5.7.8" in queue_show(self.srv, qid)), queue_show(self.srv, qid))
            shown = queue_show(self.srv, qid)
            self.assertIn("<dave@remote.test> pending", shown)
            self.assertIn("AUTH failed", shown)
            self.assertFalse(self.sink.containing(b"MARKER-badauth"))
        finally:
            self.set_sink(users={RELAY_USER: RELAY_PASSWORD})
        # The admin fixes the relay account: the next retry delivers.
        self.srv.cli("queue", "flush")
        self.assertTrue(wait_for(lambda: self.sink.containing(b"MARKER-badauth")), self.srv.server_log())
        self.assertTrue(wait_for(lambda: not queue_ids(self.srv)))

    def test_untrusted_certificate_defers_without_sending_credentials(self):
        self.set_sink(cert=(self.pki["rogue.pem"], self.pki["rogue.key"]))
        try:
            with self.sink.lock:
                attempts_before = len(self.sink.auth_attempts)
            submit(self.srv, ["erin@remote.test"], "MARKER-rogue")
            self.assertTrue(wait_for(lambda: len(queue_ids(self.srv)) == 1), self.srv.server_log())
            qid = queue_ids(self.srv)[0]
            self.assertTrue(wait_for(lambda: "certificate" in queue_show(self.srv, qid)), queue_show(self.srv, qid))
            shown = queue_show(self.srv, qid)
            self.assertIn("<erin@remote.test> pending", shown)
            self.assertIn("4.4.1", shown)
            self.assertFalse(self.sink.containing(b"MARKER-rogue"))
            with self.sink.lock:
                self.assertEqual(len(self.sink.auth_attempts), attempts_before, "no password to an unverified relay")
        finally:
            self.set_sink(cert=(self.pki["relay.pem"], self.pki["relay.key"]))
        self.srv.cli("queue", "flush")
        self.assertTrue(wait_for(lambda: self.sink.containing(b"MARKER-rogue")), self.srv.server_log())
        self.assertTrue(wait_for(lambda: not queue_ids(self.srv)))


class PerDomainRoute(unittest.TestCase):
    """MX routing by default (a local dnsmasq points remote.test at the MX sink); routed.test goes to its own relay
    with implicit TLS (port-465 style) and that route's own credentials."""

    def test_route_goes_to_its_relay_others_by_mx(self):
        tmp = tempfile.mkdtemp(prefix="claret-relay-pki-")
        self.addCleanup(shutil.rmtree, tmp, True)
        pki = make_relay_pki(tmp)
        mx = Sink()
        self.addCleanup(mx.stop)
        relay = Sink()
        self.addCleanup(relay.stop)
        relay.implicit_tls = True
        relay.tls_context = server_tls_context(pki["relay.pem"], pki["relay.key"])
        relay.users = {"route-user": "route-secret"}
        dns = Dnsmasq()
        self.addCleanup(dns.stop)
        route = (f'\n[queue.routes]\n"Routed.Test" = {{ host = "localhost:{relay.port}", user = "route-user", '
                 f'password = "route-secret", tls = "implicit", ca_file = {toml_string(pki["ca.pem"])} }}\n')
        srv = start_relaying_claret({"dns_servers": f'["127.0.0.1:{dns.port}"]', "smtp_port": str(mx.port)}, route)
        stopped = []
        self.addCleanup(lambda: stopped or (srv.stop(), srv.cleanup()))

        submit(srv, ["bob@remote.test", "rita@routed.test"], "MARKER-route")
        self.assertTrue(wait_for(lambda: mx.containing(b"MARKER-route") and relay.containing(b"MARKER-route")),
                        srv.server_log())
        self.assertEqual(mx.containing(b"MARKER-route")[0].rcpts, ["bob@remote.test"])
        self.assertIsNone(mx.containing(b"MARKER-route")[0].auth_user)
        routed = relay.containing(b"MARKER-route")[0]
        self.assertEqual(routed.rcpts, ["rita@routed.test"])
        self.assertTrue(routed.tls)
        self.assertEqual(routed.auth_user, "route-user")
        self.assertTrue(wait_for(lambda: not queue_ids(srv)))
        stopped.append(True)
        stop_claret(srv)


class RelayCaFileErrors(unittest.TestCase):
    def test_missing_ca_file_stops_serve_with_its_name(self):
        srv = ClaretServer(start=False)
        self.addCleanup(srv.cleanup)
        set_config(srv, {"smarthost": '"localhost:2525"', "smarthost_ca_file": '"/nonexistent/relay-ca.pem"'})
        with self.assertRaises(Exception):
            srv.start()
        self.assertIn("relay-ca.pem", srv.server_log())


if __name__ == "__main__":
    unittest.main()
