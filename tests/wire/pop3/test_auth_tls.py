"""RFC 2595 STLS, RFC 8314-style implicit TLS (POP3S), RFC 5034 SASL AUTH with and without initial response, RFC 2449
CAPA per state, RFC 3206 [AUTH] codes, and no password before TLS unless the administrator allows it on loopback."""
import base64
import hashlib
import hmac
import os
import poplib
import unittest

from pop3.pop3_util import ALICE, PASSWORD, Raw, deliver, make_message, start_server, stop_server


def b64(data: bytes) -> bytes:
    return base64.b64encode(data)


def plain(user=ALICE, password=PASSWORD) -> bytes:
    return b64(f"\0{user}\0{password}".encode())


def capa(r):
    assert r.cmd("CAPA").startswith(b"+OK")
    return r.multiline().decode().split("\r\n")[:-1]


class TlsRequired(unittest.TestCase):
    """allow_plaintext_on_loopback = false: passwords only after STLS, or on POP3S."""

    @classmethod
    def setUpClass(cls):
        cls.srv = start_server({("auth", "allow_plaintext_on_loopback"): "false"})
        cls.srv.add_user(ALICE, PASSWORD)
        deliver(cls.srv, ALICE, make_message("tls"))

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self, port="pop3", tls=False):
        r = Raw(self.srv.ports[port], tls_context=self.srv.tls_client_context() if tls else None)
        self.addCleanup(r.close)
        return r

    def test_capa_before_tls_offers_stls_and_no_passwords(self):
        caps = capa(self.raw())
        self.assertIn("STLS", caps)
        self.assertNotIn("USER", caps)
        self.assertIn("SASL SCRAM-SHA-256", caps)
        for c in ("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "EXPIRE NEVER", "LOGIN-DELAY 0",
                  "IMPLEMENTATION claret"):
            self.assertIn(c, caps)

    def test_passwords_refused_before_tls(self):
        r = self.raw()
        self.assertTrue(r.cmd(f"USER {ALICE}").startswith(b"-ERR"))
        self.assertTrue(r.cmd(f"PASS {PASSWORD}").startswith(b"-ERR"))
        self.assertTrue(r.cmd(b"AUTH PLAIN " + plain()).startswith(b"-ERR"))
        self.assertTrue(r.cmd("AUTH LOGIN").startswith(b"-ERR"))
        self.assertTrue(r.cmd("STAT").startswith(b"-ERR"))

    def test_stls_then_user_pass_with_poplib(self):
        p = poplib.POP3("127.0.0.1", self.srv.ports["pop3"], timeout=20)
        self.addCleanup(p.close)
        p.stls(context=self.srv.tls_client_context())
        caps = p.capa()
        self.assertIn("USER", caps)
        self.assertNotIn("STLS", caps)
        self.assertEqual(caps["SASL"], ["SCRAM-SHA-256", "PLAIN", "LOGIN"])
        p.user(ALICE)
        p.pass_(PASSWORD)
        self.assertEqual(p.stat()[0], 1)
        self.assertIn(b"Subject: tls", p.retr(1)[1])
        p.quit()

    def test_stls_discards_pipelined_plaintext(self):
        r = self.raw()
        # The USER after STLS arrives in plaintext before the handshake: it must never be executed.
        r.send(f"STLS\r\nUSER {ALICE}\r\n".encode())
        self.assertTrue(r.line().startswith(b"+OK"))
        r.buf = b""
        r.sock = self.srv.tls_client_context().wrap_socket(r.sock, server_hostname="localhost")
        self.assertEqual(r.cmd(f"PASS {PASSWORD}"), b"-ERR Send USER first")
        self.assertTrue(r.cmd("STLS").startswith(b"-ERR"))
        r.login()

    def test_pop3s_implicit_tls(self):
        p = poplib.POP3_SSL("127.0.0.1", self.srv.ports["pop3s"], context=self.srv.tls_client_context(), timeout=20)
        self.addCleanup(p.close)
        caps = p.capa()
        self.assertNotIn("STLS", caps)
        self.assertIn("USER", caps)
        p.user(ALICE)
        p.pass_(PASSWORD)
        self.assertEqual(p.stat()[0], 1)
        p.quit()

    def test_auth_plain_with_initial_response_over_pop3s(self):
        r = self.raw("pop3s", tls=True)
        self.assertTrue(r.cmd(b"AUTH PLAIN " + plain()).startswith(b"+OK Logged in"))
        self.assertTrue(r.cmd("STAT").startswith(b"+OK 1 "))

    def test_auth_plain_without_initial_response(self):
        r = self.raw("pop3s", tls=True)
        self.assertEqual(r.cmd("AUTH PLAIN"), b"+ ")
        self.assertTrue(r.cmd(plain()).startswith(b"+OK"))

    def test_auth_login(self):
        r = self.raw("pop3s", tls=True)
        self.assertEqual(r.cmd("AUTH LOGIN"), b"+ " + b64(b"Username:"))
        self.assertEqual(r.cmd(b64(ALICE.encode())), b"+ " + b64(b"Password:"))
        self.assertTrue(r.cmd(b64(PASSWORD.encode())).startswith(b"+OK"))

    def test_auth_failures(self):
        r = self.raw("pop3s", tls=True)
        self.assertEqual(r.cmd(b"AUTH PLAIN " + plain(password="nope")), b"-ERR [AUTH] Authentication failed")
        self.assertEqual(r.cmd("AUTH PLAIN"), b"+ ")
        self.assertEqual(r.cmd("*"), b"-ERR Authentication cancelled")
        self.assertEqual(r.cmd("AUTH PLAIN"), b"+ ")
        self.assertEqual(r.cmd("not base64!"), b"-ERR Invalid base64 data")
        self.assertTrue(r.cmd("AUTH CRAM-MD5").startswith(b"-ERR"))
        self.assertTrue(r.cmd("AUTH PLAIN =").startswith(b"-ERR"))
        self.assertTrue(r.cmd(b"AUTH PLAIN " + plain()).startswith(b"+OK"))
        self.assertTrue(r.cmd(b"AUTH PLAIN " + plain()).startswith(b"-ERR"))  # TRANSACTION state now

    def test_bare_auth_lists_mechanisms(self):
        r = self.raw("pop3s", tls=True)
        self.assertTrue(r.cmd("AUTH").startswith(b"+OK"))
        self.assertEqual(r.multiline(), b"SCRAM-SHA-256\r\nPLAIN\r\nLOGIN\r\n")

    def test_auth_scram_sha_256_before_tls(self):
        # SCRAM never sends the password, so it is offered on plaintext connections too (RFC 7677).
        r = self.raw()
        nonce = base64.b64encode(os.urandom(18)).decode()
        first_bare = f"n={ALICE},r={nonce}"
        reply = r.cmd(b"AUTH SCRAM-SHA-256 " + b64(("n,," + first_bare).encode()))
        self.assertTrue(reply.startswith(b"+ "), reply)
        server_first = base64.b64decode(reply[2:]).decode()
        fields = dict(kv.split("=", 1) for kv in server_first.split(","))
        self.assertTrue(fields["r"].startswith(nonce))
        salted = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), base64.b64decode(fields["s"]), int(fields["i"]))
        client_key = hmac.new(salted, b"Client Key", "sha256").digest()
        stored_key = hashlib.sha256(client_key).digest()
        without_proof = f"c=biws,r={fields['r']}"
        auth_message = f"{first_bare},{server_first},{without_proof}".encode()
        signature = hmac.new(stored_key, auth_message, "sha256").digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        final = f"{without_proof},p={base64.b64encode(proof).decode()}"
        reply = r.cmd(b64(final.encode()))
        self.assertTrue(reply.startswith(b"+ "), reply)
        server_key = hmac.new(salted, b"Server Key", "sha256").digest()
        expected = base64.b64encode(hmac.new(server_key, auth_message, "sha256").digest()).decode()
        self.assertEqual(base64.b64decode(reply[2:]).decode(), "v=" + expected)
        self.assertTrue(r.cmd("").startswith(b"+OK Logged in"))

    def test_capa_in_transaction_state(self):
        r = self.raw("pop3s", tls=True)
        r.login()
        caps = capa(r)
        self.assertIn("TOP", caps)
        self.assertIn("UIDL", caps)
        self.assertNotIn("USER", caps)
        self.assertFalse(any(c.startswith("SASL") for c in caps))


class PlaintextOnLoopback(unittest.TestCase):
    """The administrator allowed plaintext passwords on loopback (claret init --allow-plaintext-on-loopback)."""

    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def test_user_and_plain_offered_without_tls(self):
        r = Raw(self.srv.ports["pop3"])
        self.addCleanup(r.close)
        caps = capa(r)
        self.assertIn("USER", caps)
        self.assertIn("SASL SCRAM-SHA-256 PLAIN LOGIN", caps)
        self.assertIn("STLS", caps)
        self.assertTrue(r.cmd(b"AUTH PLAIN " + plain()).startswith(b"+OK"))


if __name__ == "__main__":
    unittest.main()
