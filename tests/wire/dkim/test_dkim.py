"""`claret dkim`: keygen writes a private key and prints the TXT record; messages signed by claret verify
with an independent implementation (Debian's python3-dkim) using exactly the records keygen printed."""
import json
import os
import re
import stat
import subprocess
import tempfile
import unittest

from claret_harness import CLARET, CLI_TIMEOUT_S, DOMAIN, ClaretDir

DEBIAN_PYTHON = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(os.environ.get("CLARET_SHARED_DIR", os.path.join(HERE, "../../../../shared")), "corpus")
TXT_LINE = re.compile(r'^(\S+)\. IN TXT((?: "[^"]*")+)$')

# Corpus messages chosen for what tends to break DKIM: folded and repeated headers, 8-bit bodies and
# headers, long lines, LF-only and CRLF line endings, trailing whitespace, big multipart bodies.
SAMPLE_STEP = 12  # plus every 12th message file of the corpus


def parse_txt_line(line):
    m = TXT_LINE.match(line)
    if not m:
        raise AssertionError(f"not a TXT zone line: {line!r}")
    strings = re.findall(r'"([^"]*)"', m.group(2))
    return m.group(1), strings


def corpus_messages():
    with open(os.path.join(CORPUS, "MANIFEST.tsv"), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    return [os.path.join(CORPUS, r[0]) for r in rows if len(r) > 1 and r[1] == "message"]


class Dkim(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        probe = subprocess.run([DEBIAN_PYTHON, os.path.join(HERE, "dkimpy_verify.py")], input=b'{"records":{},"files":[]}',
                               capture_output=True, timeout=CLI_TIMEOUT_S) if os.path.exists(DEBIAN_PYTHON) else None
        if probe is None or probe.returncode == 3:
            raise unittest.SkipTest("python3-dkim is not installed for /usr/bin/python3 (apt-get install python3-dkim)")
        cls.dir = ClaretDir()
        cls.records = {}
        cls.lines = {}
        for selector, algorithm in (("rsa2026", "rsa"), ("ed2026", "ed25519")):
            out = cls.dir.cli("dkim", "keygen", "--domain", DOMAIN, "--selector", selector, "--algorithm", algorithm)
            line = out.stdout.strip()
            name, strings = parse_txt_line(line)
            cls.records[name] = "".join(strings)
            cls.lines[selector] = (line, strings)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def sign(self, message, domain=DOMAIN):
        proc = subprocess.run([CLARET, "dkim", "sign", "--domain", domain, "--config", self.dir.config],
                              input=message, capture_output=True, timeout=CLI_TIMEOUT_S)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode(errors="replace"))
        return proc.stdout

    def verify_with_dkimpy(self, paths):
        request = json.dumps({"records": self.records, "files": paths}).encode()
        proc = subprocess.run([DEBIAN_PYTHON, os.path.join(HERE, "dkimpy_verify.py")], input=request,
                              capture_output=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode(errors="replace"))
        return json.loads(proc.stdout)

    def test_keygen_prints_exact_records_and_writes_private_keys(self):
        rsa_line, rsa_strings = self.lines["rsa2026"]
        self.assertTrue(rsa_line.startswith(f'rsa2026._domainkey.{DOMAIN}. IN TXT "v=DKIM1; k=rsa; p=MIIBIjAN'))
        self.assertGreater(len(rsa_strings), 1)  # a 2048-bit key does not fit one 255-byte string
        self.assertTrue(all(len(s) <= 255 for s in rsa_strings))
        self.assertTrue(all(len(s) == 255 for s in rsa_strings[:-1]))
        ed_line, ed_strings = self.lines["ed2026"]
        self.assertRegex(ed_line, rf'^ed2026\._domainkey\.{re.escape(DOMAIN)}\. IN TXT "v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{{43}}="$')
        for selector in ("rsa2026", "ed2026"):
            path = os.path.join(self.dir.data, "dkim", DOMAIN, selector + ".pem")
            mode = stat.S_IMODE(os.stat(path).st_mode)
            self.assertEqual(mode, 0o600, path)
            with open(path, encoding="ascii") as f:
                self.assertTrue(f.read().startswith("-----BEGIN PRIVATE KEY-----"))

    def test_keygen_refuses_to_overwrite_and_unknown_domains(self):
        path = os.path.join(self.dir.data, "dkim", DOMAIN, "rsa2026.pem")
        before = open(path, "rb").read()
        proc = self.dir.cli("dkim", "keygen", "--domain", DOMAIN, "--selector", "rsa2026", check=False)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("already exists", proc.stderr)
        self.assertEqual(open(path, "rb").read(), before)
        proc = self.dir.cli("dkim", "keygen", "--domain", "elsewhere.test", "--selector", "s", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("not a local domain", proc.stderr)
        proc = self.dir.cli("dkim", "keygen", "--domain", DOMAIN, "--selector", "../x", check=False)
        self.assertEqual(proc.returncode, 2)
        proc = self.dir.cli("dkim", "keygen", "--domain", DOMAIN, "--selector", "x", "--algorithm", "dsa", check=False)
        self.assertEqual(proc.returncode, 2)

    def test_list_and_record_repeat_the_published_records(self):
        listing = self.dir.cli("dkim", "list").stdout.splitlines()
        self.assertEqual([l.split()[:3] for l in listing],
                         [[DOMAIN, "ed2026", "ed25519"], [DOMAIN, "rsa2026", "rsa-2048"]])
        dns = self.dir.cli("dkim", "list", "--dns").stdout.splitlines()
        self.assertEqual(dns, [self.lines["ed2026"][0], self.lines["rsa2026"][0]])
        one = self.dir.cli("dkim", "record", "--domain", DOMAIN, "--selector", "rsa2026").stdout.strip()
        self.assertEqual(one, self.lines["rsa2026"][0])

    def test_signed_message_verifies_with_python3_dkim(self):
        message = (f"From: Alice <alice@{DOMAIN}>\r\nTo: bob@remote.test\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n"
                   f"Date: Wed, 02 Dec 2026 12:00:00 +0000\r\nMessage-ID: <1@{DOMAIN}>\r\n\r\nHello Bob.\r\n").encode()
        signed = self.sign(message)
        self.assertEqual(signed.count(b"DKIM-Signature:"), 2)  # one per key of the domain
        self.assertTrue(signed.endswith(message))
        with tempfile.TemporaryDirectory(prefix="claret-dkim-") as tmp:
            good = os.path.join(tmp, "good.eml")
            with open(good, "wb") as f:
                f.write(signed)
            tampered = os.path.join(tmp, "tampered.eml")
            with open(tampered, "wb") as f:
                f.write(signed.replace(b"Hello Bob.", b"Hello Bob!"))
            added_from = os.path.join(tmp, "added-from.eml")
            with open(added_from, "wb") as f:
                f.write(signed.replace(b"\r\n\r\n", b"\r\nFrom: ceo@" + DOMAIN.encode() + b"\r\n\r\n", 1))
            results = self.verify_with_dkimpy([good, tampered, added_from])
        self.assertEqual(results[good], [True, True])
        self.assertEqual(results[tampered], [False, False])
        self.assertEqual(results[added_from], [False, False])

    def test_subdomain_signed_by_parent_and_unknown_domain_refused(self):
        signed = self.sign(b"From: x@news." + DOMAIN.encode() + b"\r\n\r\nhi\r\n", domain="news." + DOMAIN)
        self.assertIn(b"d=" + DOMAIN.encode() + b";", signed.replace(b"\r\n\t", b""))
        proc = subprocess.run([CLARET, "dkim", "sign", "--domain", "remote.test", "--config", self.dir.config],
                              input=b"From: a@remote.test\r\n\r\nhi\r\n", capture_output=True, timeout=CLI_TIMEOUT_S)
        self.assertEqual(proc.returncode, 1)
        self.assertIn(b"no DKIM key", proc.stderr)

    def test_corpus_messages_verify_with_python3_dkim(self):
        paths = corpus_messages()
        if not paths:
            self.skipTest(f"no corpus at {CORPUS}")
        sample = paths[::SAMPLE_STEP]
        with tempfile.TemporaryDirectory(prefix="claret-dkim-") as tmp:
            signed_paths = []
            for i, path in enumerate(sample):
                with open(path, "rb") as f:
                    message = f.read()
                if message.startswith(b"From "):  # mbox envelope line, not part of the message
                    message = message.split(b"\n", 1)[1] if b"\n" in message else b""
                out = os.path.join(tmp, f"{i:04d}.eml")
                with open(out, "wb") as f:
                    f.write(self.sign(message))
                signed_paths.append(out)
            results = self.verify_with_dkimpy(signed_paths)
        by_source = {sample[int(os.path.basename(p)[:4])]: v for p, v in results.items()}
        unparseable = [p for p, v in by_source.items() if isinstance(v, str)]
        failures = {p: v for p, v in by_source.items() if not isinstance(v, str) and v[:2] != [True, True]}
        self.assertEqual(failures, {}, f"{len(failures)} of {len(sample)} corpus messages failed python3-dkim")
        # python3-dkim refuses a few deliberately malformed header blocks; the rest must have been checked.
        self.assertLess(len(unparseable), len(sample) // 10, unparseable)


if __name__ == "__main__":
    unittest.main()
