"""Independent DKIM verifier for the wire tests, run with Debian's /usr/bin/python3 and python3-dkim.

Reads JSON on stdin: {"records": {"sel._domainkey.example.test": "v=DKIM1; ..."}, "files": ["a.eml", ...]}
and prints JSON: {"a.eml": [true, true], ...}, one boolean per DKIM-Signature field (top to bottom), or
{"a.eml": "unparseable: ..."} when python3-dkim cannot parse the message at all (it rejects some malformed
header blocks that claret signs best-effort).
Exit status 3 when the dkim module is not installed.
"""
import json
import sys

try:
    import dkim
except ImportError:
    sys.exit(3)


def main():
    request = json.load(sys.stdin)
    records = {name.rstrip(".").lower(): value.encode() for name, value in request["records"].items()}

    def dnsfunc(name, timeout=5):
        return records.get(name.decode().rstrip(".").lower())

    results = {}
    for path in request["files"]:
        with open(path, "rb") as f:
            message = f.read()
        try:
            d = dkim.DKIM(message)
        except dkim.MessageFormatError as e:
            results[path] = f"unparseable: {e}"
            continue
        count = sum(1 for name, _ in d.headers if name.lower() == b"dkim-signature")
        verdicts = []
        for idx in range(count):
            try:
                verdicts.append(bool(d.verify(idx=idx, dnsfunc=dnsfunc)))
            except dkim.ValidationError:  # body hash mismatch and similar: the signature does not verify
                verdicts.append(False)
            except dkim.MessageFormatError as e:
                verdicts.append(f"unparseable: {e}")
        results[path] = verdicts
    json.dump(results, sys.stdout)


main()
