"""Sender identities over HTTPS against `claret serve` (webmail in-process): the account's aliases — one in
another hosted domain — are offered at login, sending as an alias passes claret's submission check, sending as
an address that is no identity is refused, the user's edits are kept in data_dir/webmail across a restart, and
bad lists are refused with the entry named and nothing changed.
"""
import os
import time
import unittest

from claret_harness import ClaretServer, edit_config
from webmail.test_webmail_http import Browser, backend_missing

ANN = "ann@example.test"
BOB = "bob@example.test"
SALES = "sales@example.test"        # alias in the account's domain
DESK = "desk@other.example"         # alias in another hosted domain


class WebmailIdentitiesTest(unittest.TestCase):
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
            cls.srv.cli("domain", "add", "other.example")
            cls.srv.cli("alias", "add", SALES, ANN)
            cls.srv.cli("alias", "add", DESK, ANN)
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

    def login(self, user=ANN, password="ann-secret"):
        b = Browser(self.srv.ports["https"], self.ctx)
        status, _, body = b.login(user, password)
        self.assertEqual(status, 200, body)
        return b, body

    def wait_for(self, browser, subject, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, _, page = browser.call("GET", "/api/messages?folder=INBOX&limit=50")
            self.assertEqual(status, 200, page)
            found = next((m for m in page["messages"] if m["subject"] == subject), None)
            if found:
                return found
            time.sleep(0.2)
        self.fail(f"{subject!r} did not arrive")

    def test_1_aliases_offered_and_accepted_by_submission(self):
        ann, session = self.login()
        emails = [i["email"] for i in session["identities"]]
        self.assertEqual(emails[0], ANN)
        self.assertIn(SALES, emails)
        self.assertIn(DESK, emails)
        self.assertTrue(all(i["server_known"] for i in session["identities"]))
        bob, _ = self.login(BOB, "bob-secret")
        self.assertEqual([i["email"] for i in bob.call("GET", "/api/identities")[2]["identities"]], [BOB])

        # Sending as the alias of another domain passes the submission server's sender check.
        subject = f"from the desk {time.time()}"
        status, _, body = ann.call("POST", "/api/send", {"from": f"Desk <{DESK}>", "reply_to": SALES,
                                                          "to": [BOB], "subject": subject, "text": "hi"})
        self.assertEqual(status, 200, body)
        found = self.wait_for(bob, subject)
        self.assertEqual(found["from"][0]["email"], DESK)
        status, _, msg = bob.call("GET", f"/api/message?folder=INBOX&uid={found['uid']}")
        self.assertEqual([a["email"] for a in msg["reply_to"]], [SALES])

        # Not an identity: refused by the webmail, nothing sent.
        status, _, body = ann.call("POST", "/api/send", {"from": BOB, "to": [BOB], "subject": "x", "text": "y"})
        self.assertEqual(status, 400, body)
        self.assertIn("not one of your identities", body["error"])

    def test_2_user_edits_are_validated_and_kept_across_restart(self):
        ann, session = self.login()
        ids = session["identities"]
        ids[0]["name"] = "Ann Example"
        ids[0]["signature"] = "Ann\nExample Corp"
        own = {"name": "Ann at home", "email": "ann@home.example", "reply_to": "", "signature": ""}
        status, _, body = ann.call("POST", "/api/identities", {"identities": ids[:1] + [own]})
        self.assertEqual(status, 200, body)
        saved = body["identities"]
        self.assertEqual([i["email"] for i in saved][:2], [ANN, "ann@home.example"])
        self.assertIn(SALES, [i["email"] for i in saved])  # server-known addresses come back
        self.assertFalse(saved[1]["server_known"])

        for bad, message in (({"identities": [{"email": "x@"}]}, 'identity 1: "x@" is not an email address'),
                             ({"identities": []}, "keep at least one identity"),
                             ({"identities": [{"email": ANN, "name": "a\r\nBcc: x@y"}]}, "identity 1: name must be one line"),
                             ({"nothing": 1}, '"identities" is required')):
            status, _, body = ann.call("POST", "/api/identities", bad)
            self.assertEqual((status, body.get("error")), (400, message))
        status, _, body = ann.call("POST", "/api/identities", {"identities": []}, csrf=False)
        self.assertEqual(status, 403)

        # An identity the server does not know: the webmail lets it through, claret's submission refuses it.
        status, _, body = ann.call("POST", "/api/send", {"from": "ann@home.example", "to": [BOB], "subject": "x",
                                                          "text": "y"})
        self.assertEqual(status, 400, body)
        self.assertIn("Sender address not owned by the authenticated user", body["error"])

        self.srv.stop()
        self.assertTrue(os.path.isdir(os.path.join(self.srv.data, "webmail")))
        self.srv.start()
        ann, session = self.login()
        self.assertEqual(session["identities"][0]["name"], "Ann Example")
        self.assertEqual(session["identities"][0]["signature"], "Ann\nExample Corp")
        self.assertEqual(session["identities"][1]["email"], "ann@home.example")


if __name__ == "__main__":
    unittest.main()
