"""Issue #9 TLS audit: testssl.sh (Debian's `testssl`) against every TLS and STARTTLS listener of one
`claret serve` (webmail inside serve enabled, so its HTTPS listener is audited too).

For each listener, `testssl -p -E -U` (protocols, every cipher the server accepts per protocol, every known
vulnerability check) writes flat JSON; the test asserts:
- SSLv2, SSLv3, TLS 1.0 and TLS 1.1 are not offered; TLS 1.2 and TLS 1.3 are;
- every accepted cipher is forward-secret (ECDHE/DHE key exchange, or TLS 1.3) and AEAD (GCM, ChaCha20-Poly1305, CCM);
- no finding is rated LOW, MEDIUM, HIGH or CRITICAL, and the scan reported no problem of its own — except BREACH on
  the webmail's HTTPS listener, which testssl reports for any compressed response to "/": claret compresses only
  the embedded static front end (no secret, nothing reflected), which BREACH cannot attack; the test checks that
  the API, whose answers carry the CSRF token, never answers compressed.
Certificate findings (self-signed test certificate) and HTTP header findings are not part of these checks: the
admin's real certificate replaces the test one, and the webmail's headers are tested in wire.webmail.

The scans run four at a time (each is mostly openssl processes, ≈ 2–4 minutes under ASan on 2 cores); listeners
are found in the server's READY line, and a listener this file does not know fails the test, so a new one
cannot go unaudited. Not in wire.hardening's discover run (file name without `test_`): its own ctest entry,
wire.tls_audit, with a longer timeout."""
import concurrent.futures
import http.client
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from claret_harness import ClaretServer, edit_config

SCAN_TIMEOUT_S = 900
PARALLEL_SCANS = 4

# listener name → testssl's STARTTLS protocol, or None for implicit TLS
LISTENERS = {
    "smtp": "smtp",
    "submission": "smtp",
    "submissions": None,
    "imap": "imap",
    "imaps": None,
    "pop3": "pop3",
    "pop3s": None,
    "https": None,
}
# Plaintext by design: LMTP is bound to loopback only, as Dovecot's and Postfix's are (config.cpp refuses TLS
# settings on it); it is the local delivery hand-off from an MTA on the same machine.
NOT_TLS = {"lmtp"}

OLD_PROTOCOLS = ("SSLv2", "SSLv3", "TLS1", "TLS1_1")
CURRENT_PROTOCOLS = ("TLS1_2", "TLS1_3")
BAD_SEVERITIES = {"LOW", "MEDIUM", "HIGH", "CRITICAL", "FATAL"}
# testssl 3.0's exit status sums its checks' return values (not a verdict); 242 and above are its own errors.
TESTSSL_ERRORS_FROM = 242
AEAD_MARKERS = ("GCM", "CHACHA20", "CCM")


def testssl_binary():
    return shutil.which("testssl") or shutil.which("testssl.sh")


def run_testssl(binary, port, starttls, out_dir, name):
    json_path = os.path.join(out_dir, f"{name}.json")
    args = [binary, "--quiet", "--color", "0", "--warnings", "off", "--openssl-timeout", "20",
            "-p", "-E", "-U", "-oj", json_path]
    if starttls:
        args += ["-t", starttls]
    args.append(f"127.0.0.1:{port}")
    with open(os.path.join(out_dir, f"{name}.txt"), "wb") as log:
        proc = subprocess.run(args, stdout=log, stderr=subprocess.STDOUT, timeout=SCAN_TIMEOUT_S,
                              cwd=out_dir, env=dict(os.environ, TERM="dumb"))
    with open(json_path) as f:
        return proc.returncode, json.load(f)


def problems(findings, accepted=()):
    """The audit's complaints about one listener's findings, as readable strings (empty: the listener passes).
    `accepted`: finding ids judged separately for this listener (BREACH on the webmail, see the module docstring)."""
    by_id = {f["id"]: f for f in findings}
    out = []
    for proto in OLD_PROTOCOLS:
        f = by_id.get(proto)
        if f is None or not f["finding"].startswith("not offered"):
            out.append(f"{proto}: {f['finding'] if f else 'not checked'}")
    for proto in CURRENT_PROTOCOLS:
        f = by_id.get(proto)
        if f is None or not f["finding"].startswith("offered"):
            out.append(f"{proto}: {f['finding'] if f else 'not checked'}")
    ciphers = [f for f in findings if f["id"].startswith("cipher-tls")]
    if not ciphers:
        out.append("no accepted cipher listed (cipher-per-protocol scan did not run)")
    for f in ciphers:
        # "TLS 1.2   xc02c   ECDHE-ECDSA-AES256-GCM-SHA384     ECDH 253   AESGCM   256   TLS_ECDHE_..."
        fields = f["finding"].split()
        name = fields[3] if len(fields) > 3 else f["finding"]
        tls13 = f["id"].startswith("cipher-tls1_3")
        forward_secret = tls13 or name.startswith(("ECDHE-", "DHE-"))
        aead = any(m in name for m in AEAD_MARKERS)
        if not (forward_secret and aead):
            out.append(f"cipher not forward-secret AEAD: {f['finding']}")
    for f in findings:
        if f["id"] in accepted:
            continue
        if f["severity"] in BAD_SEVERITIES or f["id"] in ("scanProblem",):
            out.append(f"{f['id']} {f['severity']}: {f['finding']}")
    return out


class TlsAudit(unittest.TestCase):
    def test_every_listener_passes_testssl(self):
        binary = testssl_binary()
        if binary is None:
            self.fail("testssl is not installed (Debian package testssl.sh, in scripts/packages.txt)")
        srv = ClaretServer(start=False)
        self.addCleanup(srv.cleanup)
        edit_config(srv.config, {("webmail", "enabled"): "true"})
        srv.start()
        self.addCleanup(srv.stop)
        out_dir = tempfile.mkdtemp(prefix="claret-tls-audit-")
        self.addCleanup(shutil.rmtree, out_dir, True)

        unknown = set(srv.ports) - set(LISTENERS) - NOT_TLS
        self.assertEqual(unknown, set(), "listeners this audit does not know: add them to LISTENERS")
        audited = {name: port for name, port in srv.ports.items() if name in LISTENERS}
        self.assertGreaterEqual(set(audited), {"smtp", "submission", "submissions", "imap", "imaps", "pop3",
                                                "pop3s", "https"})

        failures = {}
        with concurrent.futures.ThreadPoolExecutor(PARALLEL_SCANS) as pool:
            scans = {name: pool.submit(run_testssl, binary, port, LISTENERS[name], out_dir, name)
                     for name, port in sorted(audited.items())}
            for name, scan in scans.items():
                code, findings = scan.result()
                complaints = problems(findings, ("BREACH",) if name == "https" else ())
                if code >= TESTSSL_ERRORS_FROM:
                    complaints.append(f"testssl failed with exit status {code}")
                if complaints:
                    failures[name] = complaints
        self.assertEqual(failures, {}, "TLS audit findings per listener\n"
                         + "\n".join(f"{n}: {c}" for n, cs in failures.items() for c in cs))
        self.assert_no_secret_is_compressed(srv)

    def assert_no_secret_is_compressed(self, srv):
        """BREACH needs a secret and attacker-chosen text in one compressed response: API answers (the CSRF token,
        mail) are never compressed, whatever the browser accepts; only the static front end is."""
        def get(path):
            conn = http.client.HTTPSConnection("localhost", srv.ports["https"], timeout=30,
                                               context=srv.tls_client_context())
            try:
                conn.request("GET", path, headers={"Accept-Encoding": "gzip, deflate, br"})
                resp = conn.getresponse()
                resp.read()
                return resp.status, resp.getheader("Content-Encoding")
            finally:
                conn.close()
        self.assertEqual(get("/")[1], "gzip")  # what testssl saw
        for path in ("/api/session", "/api/folders", "/api/nonexistent?q=reflected"):
            status, encoding = get(path)
            self.assertIsNone(encoding, f"{path} answered {status} compressed")


class AuditRules(unittest.TestCase):
    """The judging function itself, on findings shaped like testssl 3.0's (a test that cannot fail is no test)."""

    GOOD = [
        {"id": "SSLv2", "severity": "OK", "finding": "not offered"},
        {"id": "SSLv3", "severity": "OK", "finding": "not offered"},
        {"id": "TLS1", "severity": "INFO", "finding": "not offered"},
        {"id": "TLS1_1", "severity": "INFO", "finding": "not offered"},
        {"id": "TLS1_2", "severity": "OK", "finding": "offered"},
        {"id": "TLS1_3", "severity": "OK", "finding": "offered with final"},
        {"id": "cipher-tls1_2_xc02c", "severity": "INFO",
         "finding": "TLS 1.2   xc02c   ECDHE-ECDSA-AES256-GCM-SHA384     ECDH 253   AESGCM      256      TLS_X"},
        {"id": "cipher-tls1_3_x1301", "severity": "INFO",
         "finding": "TLS 1.3   x1301   TLS_AES_128_GCM_SHA256            ECDH 253   AESGCM      128      TLS_X"},
        {"id": "heartbleed", "severity": "OK", "finding": "not vulnerable"},
        {"id": "engine_problem", "severity": "WARN", "finding": "No engine or GOST support"},
    ]

    def test_good_listener_passes(self):
        self.assertEqual(problems(self.GOOD), [])

    def test_each_defect_is_reported(self):
        def with_changed(i, **changes):
            findings = [dict(f) for f in self.GOOD]
            findings[i].update(changes)
            return problems(findings)
        self.assertTrue(with_changed(3, finding="offered"))                      # TLS 1.1 offered
        self.assertTrue(with_changed(5, finding="not offered"))                  # no TLS 1.3
        self.assertTrue(with_changed(6, finding="TLS 1.2 x9d AES256-GCM-SHA384 RSA AESGCM 256 X"))  # no FS
        self.assertTrue(with_changed(6, finding="TLS 1.2 xc024 ECDHE-ECDSA-AES256-SHA384 ECDH AES 256 X"))  # CBC
        self.assertTrue(with_changed(8, severity="HIGH", finding="VULNERABLE"))
        self.assertTrue(problems([f for f in self.GOOD if not f["id"].startswith("cipher-")]))
        breach = self.GOOD + [{"id": "BREACH", "severity": "MEDIUM", "finding": "potentially VULNERABLE"}]
        self.assertTrue(problems(breach))
        self.assertEqual(problems(breach, ("BREACH",)), [])


if __name__ == "__main__":
    unittest.main()
