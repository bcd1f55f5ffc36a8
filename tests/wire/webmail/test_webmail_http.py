"""Webmail over HTTPS: `claret serve` with [webmail] enabled, driven with urllib like a browser's fetch().

Needs the real IMAP backend (src/webmail/imap_backend); in builds without it `claret serve` refuses to
start with "webmail: IMAP backend not built" and these tests skip (the integrator removes the skip).
"""
import http.cookiejar
import json
import os
import ssl
import subprocess
import time
import unittest
import urllib.error
import urllib.request

from claret_harness import CLARET, ClaretServer, edit_config

ANN = "ann@example.test"
BOB = "bob@example.test"


def backend_missing():
    """The reason to skip, or None when `claret webmail` has an IMAP backend."""
    proc = subprocess.run([CLARET, "webmail", "--listen", "127.0.0.1:0", "--cert", "/nonexistent",
                           "--key", "/nonexistent", "--imap", "imaps://127.0.0.1:1",
                           "--submission", "submissions://127.0.0.1:1"],
                          capture_output=True, text=True, timeout=30)
    if "IMAP backend not built" in proc.stderr:
        return "webmail: IMAP backend not built in this tree (src/webmail/imap_backend)"
    return None


class Browser:
    """A cookie-keeping HTTPS client that sends the CSRF header like the front end does."""

    def __init__(self, port, ctx):
        self.base = f"https://localhost:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=ctx),
                                                  urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None

    def call(self, method, path, body=None, csrf=True, raw=False):
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if csrf and self.csrf and method != "GET":
            req.add_header("X-CSRF-Token", self.csrf)
        try:
            with self.opener.open(req, timeout=30) as resp:
                payload = resp.read()
                return resp.status, dict(resp.headers), payload if raw else json.loads(payload or b"{}")
        except urllib.error.HTTPError as e:
            payload = e.read()
            return e.code, dict(e.headers), payload if raw else json.loads(payload or b"{}")

    def login(self, user, password):
        status, headers, body = self.call("POST", "/api/login", {"username": user, "password": password})
        if status == 200:
            self.csrf = body["csrf"]
        return status, headers, body


class WebmailHttpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        reason = backend_missing()
        if reason:
            raise unittest.SkipTest(reason)
        cls.srv = ClaretServer(start=False)
        try:
            edit_config(cls.srv.config, {("webmail", "enabled"): "true"})
            cls.srv.add_user(ANN, "ann-secret")
            cls.srv.add_user(BOB, "bob-secret")
            cls.srv.start()
        except BaseException:
            cls.srv.stop()
            cls.srv.cleanup()
            raise
        cls.ctx = cls.srv.tls_client_context()

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        cls.srv.cleanup()

    def browser(self):
        return Browser(self.srv.ports["https"], self.ctx)

    def test_index_and_security_headers(self):
        status, headers, body = self.browser().call("GET", "/", raw=True)
        self.assertEqual(status, 200)
        self.assertIn(b"<html", body.lower())
        self.assertIn("default-src 'self'", headers["Content-Security-Policy"])
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")

    def test_login_bad_and_good(self):
        b = self.browser()
        status, _, body = b.login(ANN, "wrong")
        self.assertEqual(status, 401)
        self.assertIn("error", body)
        status, headers, body = b.login(ANN, "ann-secret")
        self.assertEqual(status, 200, body)
        cookie = headers["Set-Cookie"]
        for attr in ("HttpOnly", "Secure", "SameSite=Strict"):
            self.assertIn(attr, cookie)
        self.assertEqual(body["username"], ANN)
        status, _, body = b.call("GET", "/api/session")
        self.assertEqual(status, 200)

    def test_csrf_rejected(self):
        b = self.browser()
        b.login(ANN, "ann-secret")
        status, _, body = b.call("POST", "/api/folders", {"name": "NoCsrf"}, csrf=False)
        self.assertEqual(status, 403, body)

    def test_folders_list_message_flags_send_logout(self):
        b = self.browser()
        self.assertEqual(b.login(ANN, "ann-secret")[0], 200)
        status, _, body = b.call("GET", "/api/folders")
        self.assertEqual(status, 200, body)
        names = [f["name"] for f in body["folders"]]
        self.assertIn("INBOX", names)

        # Send to Bob; it arrives in Bob's INBOX (local delivery by this same server).
        subject = f"wire webmail {time.time()}"
        status, _, body = b.call("POST", "/api/send", {"from": ANN, "to": [f"Bob <{BOB}>"], "subject": subject,
                                                        "text": "Hello from the webmail"})
        self.assertEqual(status, 200, body)

        bob = self.browser()
        self.assertEqual(bob.login(BOB, "bob-secret")[0], 200)
        deadline = time.monotonic() + 20
        found = None
        while time.monotonic() < deadline and not found:
            status, _, page = bob.call("GET", "/api/messages?folder=INBOX&limit=50")
            self.assertEqual(status, 200, page)
            found = next((m for m in page["messages"] if m["subject"] == subject), None)
            if not found:
                time.sleep(0.2)
        self.assertIsNotNone(found, "the sent message did not arrive in Bob's INBOX")

        status, _, msg = bob.call("GET", f"/api/message?folder=INBOX&uid={found['uid']}")
        self.assertEqual(status, 200, msg)
        self.assertIn("Hello from the webmail", msg["text"])

        status, _, body = bob.call("POST", "/api/flags", {"folder": "INBOX", "uids": [found["uid"]],
                                                          "add": ["\\Flagged"]})
        self.assertEqual(status, 200, body)
        status, _, page = bob.call("GET", "/api/messages?folder=INBOX&flagged=1")
        self.assertIn(found["uid"], [m["uid"] for m in page["messages"]])

        status, _, body = bob.call("POST", "/api/logout")
        self.assertEqual(status, 200)
        status, _, body = bob.call("GET", "/api/folders")
        self.assertEqual(status, 401)

    def test_bad_address_is_named(self):
        b = self.browser()
        b.login(ANN, "ann-secret")
        status, _, body = b.call("POST", "/api/send", {"from": ANN, "to": ["bob@"], "subject": "x", "text": "y"})
        self.assertEqual(status, 400)
        self.assertIn("bob@", body["error"])


class WebmailWithoutBackendTest(unittest.TestCase):
    """What works in every build: the standalone command reports a missing backend clearly."""

    def test_missing_backend_or_bad_flags(self):
        proc = subprocess.run([CLARET, "webmail", "--listen", "nonsense"], capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--listen must be ADDR:PORT", proc.stderr)
        reason = backend_missing()
        if reason:
            proc = subprocess.run([CLARET, "webmail", "--listen", "127.0.0.1:0", "--cert", "c", "--key", "k",
                                   "--imap", "imaps://127.0.0.1:1", "--submission", "submissions://127.0.0.1:1"],
                                  capture_output=True, text=True, timeout=30)
            self.assertEqual(proc.returncode, 1)
            self.assertIn("webmail: IMAP backend not built", proc.stderr)


if __name__ == "__main__":
    unittest.main()
