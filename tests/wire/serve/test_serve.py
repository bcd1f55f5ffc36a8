"""`claret serve` at the wire: the ready line, TLS policy on every TLS listener, certificate reload on
SIGHUP, per-IP connection limits and a clean exit on SIGTERM."""
import os
import signal
import socket
import ssl
import subprocess
import time
import unittest
import warnings

from claret_harness import ClaretServer

TIMEOUT = 10
TLS_LISTENERS = ("submissions", "imaps", "pop3s", "https")
ALL_LISTENERS = ("smtp", "submission", "submissions", "lmtp", "imap", "imaps", "pop3", "pop3s", "https")


def tls_handshake(srv, port, ctx=None):
    ctx = ctx or srv.tls_client_context()
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            return tls.version(), tls.cipher()[0], tls.getpeercert(binary_form=True)


class ReadyAndTls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = ClaretServer()

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        cls.srv.cleanup()

    def test_ready_line_lists_every_enabled_listener_with_a_real_port(self):
        self.assertEqual(set(self.srv.ports), set(ALL_LISTENERS))
        for name, port in self.srv.ports.items():
            self.assertGreater(port, 0, name)
            with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT):
                pass
        self.assertEqual(len(set(self.srv.ports.values())), len(self.srv.ports))

    def test_implicit_tls_listeners_handshake_with_tls12_or_13_and_aead(self):
        for name in TLS_LISTENERS:
            version, cipher, _ = tls_handshake(self.srv, self.srv.ports[name])
            self.assertIn(version, ("TLSv1.2", "TLSv1.3"), name)
            self.assertTrue("GCM" in cipher or "CHACHA20" in cipher, f"{name}: {cipher}")

    def test_tls12_handshake_uses_forward_secret_cipher(self):
        ctx = self.srv.tls_client_context()
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        version, cipher, _ = tls_handshake(self.srv, self.srv.ports["imaps"], ctx)
        self.assertEqual(version, "TLSv1.2")
        self.assertTrue(cipher.startswith("ECDHE-"), cipher)

    def test_tls11_is_refused(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        try:
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_1
            ctx.maximum_version = ssl.TLSVersion.TLSv1_1
            ctx.set_ciphers("ALL:@SECLEVEL=0")
        except (ValueError, ssl.SSLError) as e:
            self.skipTest(f"this Python/OpenSSL cannot offer TLS 1.1: {e}")
        with self.assertRaises(ssl.SSLError) as caught:
            tls_handshake(self.srv, self.srv.ports["imaps"], ctx)
        # The server's alert, not a client-side refusal to offer TLS 1.1.
        self.assertIn("PROTOCOL_VERSION", str(caught.exception))

    def test_plain_client_on_tls_port_gets_nothing_readable(self):
        with socket.create_connection(("127.0.0.1", self.srv.ports["imaps"]), timeout=TIMEOUT) as s:
            s.sendall(b"a1 LOGIN user pass\r\n")
            data = s.recv(4096)
            self.assertFalse(data.startswith(b"* "), data)


class ReloadLimitsShutdown(unittest.TestCase):
    def test_sighup_reloads_the_certificate_for_new_connections(self):
        with ClaretServer() as srv:
            port = srv.ports["imaps"]
            _, _, before = tls_handshake(srv, port)
            tls_dir = os.path.join(srv.data, "tls")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                            "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
                            "subjectAltName=DNS:localhost,IP:127.0.0.1",
                            "-keyout", os.path.join(tls_dir, "key.pem"), "-out", os.path.join(tls_dir, "cert.pem")],
                           check=True, capture_output=True, timeout=30)
            os.kill(srv.proc.pid, signal.SIGHUP)
            ctx = srv.tls_client_context()  # trusts the new certificate only
            after = None
            for _ in range(100):  # bounded: the reload is asynchronous to the signal
                try:
                    _, _, after = tls_handshake(srv, port, ctx)
                    break
                except ssl.SSLCertVerificationError:
                    srv.proc.poll()
                    self.assertIsNone(srv.proc.returncode, "server exited on SIGHUP")
                    time.sleep(0.05)
            self.assertIsNotNone(after, "the new certificate was never served")
            self.assertNotEqual(before, after)

    def test_per_ip_connection_limit(self):
        srv = ClaretServer(start=False)
        try:
            with open(srv.config) as f:
                text = f.read()
            text = text.replace("[limits.connections]\nper_ip = 50", "[limits.connections]\nper_ip = 2")
            with open(srv.config, "w") as f:
                f.write(text)
            srv.start()
            port = srv.ports["imaps"]
            held = [socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) for _ in range(2)]
            with self.assertRaises((ssl.SSLError, ConnectionError, OSError)):
                tls_handshake(srv, port)
            for s in held:
                s.close()
            ok = False
            for _ in range(100):  # the server notices the closes asynchronously
                try:
                    tls_handshake(srv, port)
                    ok = True
                    break
                except (ssl.SSLError, ConnectionError, OSError):
                    time.sleep(0.05)
            self.assertTrue(ok, "connections were not accepted again after the others closed")
        finally:
            srv.stop()
            srv.cleanup()

    def test_sigterm_exits_cleanly(self):
        srv = ClaretServer()
        try:
            with socket.create_connection(("127.0.0.1", srv.ports["smtp"]), timeout=TIMEOUT) as s:
                s.recv(512)
            self.assertEqual(srv.stop(signal.SIGTERM), 0)
            self.assertIn("serve.stopped", srv.server_log())
        finally:
            srv.stop()
            srv.cleanup()


if __name__ == "__main__":
    unittest.main()
