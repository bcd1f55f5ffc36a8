"""Session basics at the wire: greeting and CAPABILITY, LOGIN/AUTHENTICATE (PLAIN, LOGIN, SCRAM-SHA-256, SASL-IR),
STARTTLS and LOGINDISABLED, implicit TLS, states, literals (synchronizing, LITERAL-, too big), the error limit, ID,
ENABLE, NAMESPACE, and BYE on shutdown (RFC 9051 §6.1-§6.2, §7.1.5; RFC 4959; RFC 7888)."""
import base64
import hashlib
import hmac
import imaplib
import os
import socket
import ssl
import time
import unittest

from imap.imap_util import ALICE, PASSWORD, TIMEOUT_S, Raw, client, close_quietly, start_server, stop_server


class Session(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self):
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        self.assertTrue(r.line().startswith(b"* OK [CAPABILITY IMAP4rev1 "))
        return r

    def test_greeting_capabilities_before_and_after_login(self):
        c = client(self.srv, login=False)
        self.addCleanup(close_quietly, c)
        self.assertIn("STARTTLS", c.capabilities)
        self.assertIn("AUTH=PLAIN", c.capabilities)  # plaintext allowed on loopback by the test config
        self.assertIn("LITERAL-", c.capabilities)
        self.assertNotIn("IDLE", c.capabilities)
        typ, data = c.login(ALICE, PASSWORD)
        self.assertEqual(typ, "OK")
        self.assertIn(b"[CAPABILITY", data[0])
        typ, caps = c.capability()
        for cap in (b"IDLE", b"UIDPLUS", b"MOVE", b"CONDSTORE", b"SPECIAL-USE", b"NAMESPACE", b"UNSELECT", b"ESEARCH",
                    b"STATUS=SIZE", b"CHILDREN"):
            self.assertIn(cap, caps[0])
        c.logout()

    def test_wrong_password_is_no_authenticationfailed(self):
        r = self.raw()
        lines = r.cmd("a", f'LOGIN {ALICE} "wrong password"')
        self.assertTrue(lines[-1].startswith(b"a NO [AUTHENTICATIONFAILED]"), lines)

    def test_commands_in_the_wrong_state_are_bad(self):
        r = self.raw()
        for cmd in ("SELECT INBOX", "FETCH 1 FLAGS", "LIST \"\" *", "APPEND INBOX {3+}\r\nabc", "IDLE"):
            lines = r.cmd("t", cmd)
            self.assertTrue(lines[-1].startswith(b"t BAD"), (cmd, lines))
        lines = r.cmd("u", f'LOGIN {ALICE} "{PASSWORD}"')
        self.assertTrue(lines[-1].startswith(b"u OK"))
        for cmd in ("FETCH 1 FLAGS", "LOGIN a b", "STARTTLS", "EXPUNGE", "CLOSE"):
            lines = r.cmd("v", cmd)
            self.assertTrue(lines[-1].startswith(b"v BAD"), (cmd, lines))
        self.assertTrue(r.cmd("w", "NOOP")[-1].startswith(b"w OK"))

    def test_authenticate_plain_with_and_without_initial_response(self):
        token = base64.b64encode(f"\0{ALICE}\0{PASSWORD}".encode()).decode()
        r = self.raw()
        self.assertTrue(r.cmd("a", f"AUTHENTICATE PLAIN {token}")[-1].startswith(b"a OK"))
        r2 = self.raw()
        r2.send("b AUTHENTICATE PLAIN\r\n")
        self.assertEqual(r2.line(), b"+ ")
        r2.send(token + "\r\n")
        self.assertTrue(r2.until_tagged("b")[-1].startswith(b"b OK"))
        r3 = self.raw()
        r3.send("c AUTHENTICATE PLAIN\r\n")
        r3.line()
        r3.send("*\r\n")  # cancel
        self.assertTrue(r3.until_tagged("c")[-1].startswith(b"c BAD"))

    def test_authenticate_login_mechanism(self):
        c = client(self.srv, login=False)
        self.addCleanup(close_quietly, c)
        answers = iter([ALICE.encode(), PASSWORD.encode()])
        typ, _ = c.authenticate("LOGIN", lambda challenge: next(answers))
        self.assertEqual(typ, "OK")
        self.assertEqual(c.select("INBOX")[0], "OK")

    def test_authenticate_scram_sha_256(self):
        r = self.raw()
        nonce = base64.b64encode(os.urandom(18)).decode()
        first_bare = f"n={ALICE},r={nonce}"
        r.send("s AUTHENTICATE SCRAM-SHA-256 " + base64.b64encode(("n,," + first_bare).encode()).decode() + "\r\n")
        line = r.line()
        self.assertTrue(line.startswith(b"+ "), line)
        server_first = base64.b64decode(line[2:]).decode()
        attrs = dict(kv.split("=", 1) for kv in server_first.split(","))
        self.assertTrue(attrs["r"].startswith(nonce))
        salted = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), base64.b64decode(attrs["s"]), int(attrs["i"]))
        client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
        stored_key = hashlib.sha256(client_key).digest()
        final_no_proof = f"c={base64.b64encode(b'n,,').decode()},r={attrs['r']}"
        auth_message = f"{first_bare},{server_first},{final_no_proof}".encode()
        signature = hmac.new(stored_key, auth_message, hashlib.sha256).digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        r.send(base64.b64encode(f"{final_no_proof},p={base64.b64encode(proof).decode()}".encode()).decode() + "\r\n")
        line = r.line()
        self.assertTrue(line.startswith(b"+ "), line)
        server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
        expected = base64.b64encode(hmac.new(server_key, auth_message, hashlib.sha256).digest()).decode()
        self.assertEqual(base64.b64decode(line[2:]).decode(), "v=" + expected)
        r.send("\r\n")
        self.assertTrue(r.until_tagged("s")[-1].startswith(b"s OK"))

    def test_login_with_synchronizing_and_non_synchronizing_literals(self):
        r = self.raw()
        r.send(f"a LOGIN {{{len(ALICE)}}}\r\n")
        self.assertTrue(r.line().startswith(b"+ "))
        r.send(f"{ALICE} {{{len(PASSWORD)}+}}\r\n{PASSWORD}\r\n")
        self.assertTrue(r.until_tagged("a")[-1].startswith(b"a OK"))

    def test_literal_too_big(self):
        r = self.raw()
        r.cmd("a", f'LOGIN {ALICE} "{PASSWORD}"')
        big = 50 * 1024 * 1024 + 1
        r.send(f"b APPEND INBOX {{{big}}}\r\n")
        self.assertTrue(r.line().startswith(b"b NO [TOOBIG]"))
        self.assertTrue(r.cmd("d", "NOOP")[-1].startswith(b"d OK"))


    def test_id_enable_namespace(self):
        r = self.raw()
        lines = r.cmd("a", 'ID ("name" "wiretest" "version" "1")')
        self.assertTrue(lines[0].startswith(b'* ID ('), lines)
        r.cmd("b", f'LOGIN {ALICE} "{PASSWORD}"')
        lines = r.cmd("c", "ENABLE CONDSTORE X-UNKNOWN")
        self.assertEqual(lines[0], b"* ENABLED CONDSTORE")
        lines = r.cmd("d", "NAMESPACE")
        self.assertEqual(lines[0], b'* NAMESPACE (("" "/")) NIL NIL')

    def test_implicit_tls(self):
        ctx = self.srv.tls_client_context()
        c = imaplib.IMAP4_SSL("localhost", self.srv.ports["imaps"], ssl_context=ctx, timeout=TIMEOUT_S)
        self.addCleanup(close_quietly, c)
        self.assertEqual(c.login(ALICE, PASSWORD)[0], "OK")
        self.assertEqual(c.logout()[0], "BYE")

    def test_starttls(self):
        c = client(self.srv, login=False)
        self.addCleanup(close_quietly, c)
        self.assertEqual(c.starttls(self.srv.tls_client_context())[0], "OK")
        self.assertNotIn("STARTTLS", c.capabilities)
        self.assertEqual(c.login(ALICE, PASSWORD)[0], "OK")


class ErrorLimit(unittest.TestCase):
    def test_error_limit_ends_the_session(self):
        srv = start_server({("limits.imap", "max_errors"): "6"})
        self.addCleanup(stop_server, srv)
        r = Raw(srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        for i in range(5):
            self.assertTrue(r.cmd(f"e{i}", "BOGUS")[-1].startswith(f"e{i} BAD".encode()))
        r.send("e5 BOGUS\r\n")
        lines = [r.line(), r.line()]
        self.assertTrue(lines[1].startswith(b"* BYE"), lines)



class PlaintextDisabled(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server({("auth", "allow_plaintext_on_loopback"): "false"})
        cls.srv.add_user(ALICE, PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def test_logindisabled_until_tls(self):
        c = client(self.srv, login=False)
        self.addCleanup(close_quietly, c)
        self.assertIn("LOGINDISABLED", c.capabilities)
        self.assertNotIn("AUTH=PLAIN", c.capabilities)
        with self.assertRaises(imaplib.IMAP4.error):
            c.login(ALICE, PASSWORD)
        c.starttls(self.srv.tls_client_context())
        self.assertNotIn("LOGINDISABLED", c.capabilities)
        self.assertIn("AUTH=PLAIN", c.capabilities)
        self.assertEqual(c.login(ALICE, PASSWORD)[0], "OK")

    def test_scram_is_offered_without_tls(self):
        c = client(self.srv, login=False)
        self.addCleanup(close_quietly, c)
        self.assertIn("AUTH=SCRAM-SHA-256", c.capabilities)


class Shutdown(unittest.TestCase):
    def test_bye_on_shutdown(self):
        srv = start_server()
        try:
            srv.add_user(ALICE, PASSWORD)
            r = Raw(srv.ports["imap"])
            r.line()
            r.cmd("a", f'LOGIN {ALICE} "{PASSWORD}"')
            srv.stop()
            self.assertTrue(r.line().startswith(b"* BYE"))
            r.close()
        finally:
            stop_server(srv)

    def test_bye_on_preauth_timeout(self):
        srv = start_server({("limits.imap", "preauth_timeout_s"): "1"})
        try:
            r = Raw(srv.ports["imap"])
            r.line()
            start = time.monotonic()
            self.assertTrue(r.line().startswith(b"* BYE"))
            self.assertLess(time.monotonic() - start, 10)
            r.close()
        finally:
            stop_server(srv)


if __name__ == "__main__":
    unittest.main()
