"""webmail.list_cache_dovecot: the webmail's list cache (src/webmail/imap_backend/README.md) against Dovecot — another
IMAP client flags, adds and expunges INBOX mail while the webmail looks at another folder or stays on INBOX, and
GET /api/messages shows every change at once. `claret webmail` standalone in front of a private Dovecot (peers.py).

    CLARET_BIN=build/ci/src/app/claret python3 tests/webmail/dovecot_list_cache.py

Exit status 0 = passed, 1 = failed, 77 (ctest: skipped) when the Debian packages are missing or not root.
"""
import http.client
import imaplib
import json
import os
import shutil
import ssl
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from dovecot_server import SKIP, start_webmail, stop_process  # noqa: E402
from peers import Peers, missing_packages  # noqa: E402

USER, PASS = "carol@example.test", "carol-dovecot-pass-3"
TIMEOUT_S = 20


def message(i, subject):
    date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(1_700_000_000 + i * 600))
    return (f"From: Dave <dave@example.net>\r\nTo: {USER}\r\nSubject: {subject}\r\nDate: {date}\r\n"
            f"Message-ID: <cache-{i}@example.net>\r\n\r\nBody {i}\r\n").encode()


class Web:
    def __init__(self, port):
        self.c = http.client.HTTPSConnection("localhost", port, timeout=TIMEOUT_S,
                                             context=ssl._create_unverified_context())
        self.cookie = None

    def call(self, path, body=None):
        h = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            h["Content-Type"] = "application/json"
        self.c.request("POST" if body is not None else "GET", path, headers=h,
                       body=json.dumps(body) if body is not None else None)
        r = self.c.getresponse()
        data = r.read()
        if r.status != 200:
            raise AssertionError(f"{path}: HTTP {r.status} {data[:200]!r}")
        if r.getheader("Set-Cookie"):
            self.cookie = r.getheader("Set-Cookie").split(";")[0]
        return json.loads(data or b"{}")

    def page(self, folder):
        return self.call(f"/api/messages?folder={folder}&offset=0&limit=100")


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    return ok


def scenario(peers, port):
    web = Web(port)
    web.call("/api/login", {"username": USER, "password": PASS})
    m = imaplib.IMAP4_SSL("127.0.0.1", peers.imaps_port, ssl_context=ssl.create_default_context(cafile=peers.cert),
                          timeout=TIMEOUT_S)
    m.login(USER, PASS)
    for i in range(20):
        m.append("INBOX", None, None, message(i, f"Message {i}"))
    m.create("Small")
    m.append("Small", None, None, message(100, "Only message in Small"))
    m.select("INBOX")
    ok = True
    first = web.page("INBOX")
    ok &= check(first["total"] == 20 and web.page("INBOX") == first, "an unchanged INBOX lists the same twice")
    top = first["messages"][0]["uid"]
    web.page("Small")
    m.uid("STORE", str(top), "+FLAGS", "(\\Flagged)")
    ok &= check("\\Flagged" in web.page("INBOX")["messages"][0]["flags"], "flag set by another client, while away")
    m.uid("STORE", str(top), "-FLAGS", "(\\Flagged)")
    ok &= check("\\Flagged" not in web.page("INBOX")["messages"][0]["flags"], "flag cleared by another client, on INBOX")
    web.page("Small")
    m.append("INBOX", None, None, message(50, "Brand new"))
    p = web.page("INBOX")
    ok &= check(p["total"] == 21 and p["messages"][0]["subject"] == "Brand new", "new mail listed first")
    web.page("Small")
    _, found = m.uid("SEARCH", "SUBJECT", '"Brand new"')
    m.uid("STORE", found[0].split()[-1].decode(), "+FLAGS", "(\\Deleted)")
    m.expunge()
    p = web.page("INBOX")
    ok &= check(p["total"] == 20 and p["messages"][0]["subject"] != "Brand new", "expunged mail gone")
    m.select("Small")
    m.append("Small", None, None, message(51, "Second in Small"))
    ok &= check(web.page("Small")["total"] == 2, "new mail in another folder listed")
    m.logout()
    return ok


def main():
    if missing_packages() or os.geteuid() != 0:
        print("webmail.list_cache_dovecot: SKIPPED: needs root and the Debian packages of peers.py", file=sys.stderr)
        return SKIP
    os.environ.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    tmp = tempfile.mkdtemp(prefix="claret-list-cache-")
    peers = Peers({USER: PASS})
    web = log = None
    try:
        peers.start()
        web, log, port = start_webmail(peers, tmp)
        return 0 if scenario(peers, port) else 1
    except Exception as e:  # noqa: BLE001 — report with the webmail's log
        print(f"webmail.list_cache_dovecot: {type(e).__name__}: {e}", file=sys.stderr)
        if log:
            log.flush()
            print(open(os.path.join(tmp, "webmail.log"), errors="replace").read()[-4000:], file=sys.stderr)
        return 1
    finally:
        if web:
            stop_process(web)
        peers.stop()
        peers.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
