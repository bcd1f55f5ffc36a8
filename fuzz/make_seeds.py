#!/usr/bin/env python3
"""Generates the seed corpora of the fuzz targets into OUT/<target>/ (never into the source tree).

Sources: ../shared/corpus (messages, mboxes, their header fields, charsets and bodies) and the protocol lines
found in string literals of the wire tests (tests/wire) and the protocol unit tests (src/*/proto/*_test.cpp).
Deterministic: the same checkout gives the same seeds. Usage: make_seeds.py OUT
"""
import codecs
import hashlib
import os
import re
import sys
import warnings

# Test sources hold regex literals ("\d"); decoding them as string escapes only warns.
warnings.filterwarnings("ignore", category=DeprecationWarning)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
CORPUS = os.path.join(SHARED, "corpus")
MAX_MESSAGE = 64 * 1024

IMAP_COMMANDS = ["CAPABILITY", "NOOP", "LOGOUT", "STARTTLS", "AUTHENTICATE", "LOGIN", "ENABLE", "SELECT", "EXAMINE",
                 "CREATE", "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE", "LIST", "LSUB", "NAMESPACE", "STATUS",
                 "APPEND", "IDLE", "CHECK", "CLOSE", "UNSELECT", "EXPUNGE", "UID EXPUNGE", "SEARCH", "UID SEARCH",
                 "FETCH", "UID FETCH", "STORE", "UID STORE", "COPY", "UID COPY", "MOVE", "UID MOVE", "SORT",
                 "UID SORT", "THREAD", "UID THREAD", "ID", "GETQUOTA", "GETQUOTAROOT", "SETQUOTA", "COMPRESS",
                 "NOTIFY"]  # the order of kCommands in src/imap/proto/commands.hpp
SMTP_VERB = re.compile(rb"^(EHLO|HELO|LHLO|MAIL FROM|RCPT TO|DATA|BDAT|RSET|NOOP|QUIT|VRFY|EXPN|HELP|STARTTLS|AUTH)\b",
                       re.I)
POP3_VERB = re.compile(rb"^(USER|PASS|APOP|TOP|AUTH|UIDL|LIST|RETR|DELE|STAT|CAPA|STLS|NOOP|RSET|QUIT|UTF8)\b")


def write(out, target, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def corpus_files(kind):
    with open(os.path.join(CORPUS, "MANIFEST.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) > 1 and cols[1] == kind:
                yield os.path.join(CORPUS, cols[0])


def messages():
    """Every corpus message (mboxes split at their "From " lines), up to MAX_MESSAGE bytes."""
    for path in sorted(corpus_files("message")):
        with open(path, "rb") as f:
            data = f.read()
        if len(data) <= MAX_MESSAGE:
            yield data
    for path in sorted(corpus_files("mbox")):
        with open(path, "rb") as f:
            data = f.read()
        for part in re.split(rb"(?m)^(?=From )", data):
            if part and len(part) <= MAX_MESSAGE:
                yield part


def header_fields(message):
    head = re.split(rb"\r?\n\r?\n", message, maxsplit=1)[0]
    fields = re.split(rb"\r?\n(?![ \t])", head)
    for field in fields:
        name, sep, value = field.partition(b":")
        if sep:
            yield name.strip().lower(), value.strip()


def string_literals(paths):
    """Python and C++ string literal contents, escapes decoded, as bytes."""
    for path in paths:
        with open(path, "rb") as f:
            text = f.read()
        for m in re.finditer(rb'b?"((?:[^"\\\n]|\\.)*)"', text):
            try:
                yield codecs.escape_decode(m.group(1))[0]
            except Exception:
                continue


def files(pattern_dirs, suffixes):
    for d in pattern_dirs:
        full = os.path.join(ROOT, d)
        for dirpath, _, names in os.walk(full):
            for n in sorted(names):
                if n.endswith(suffixes):
                    yield os.path.join(dirpath, n)


def protocol_lines(dirs):
    lines = set()
    for literal in string_literals(files(dirs, (".py", "_test.cpp"))):
        for line in re.split(rb"\r?\n", literal):
            if 0 < len(line) < 2000:
                lines.add(line)
    return sorted(lines)


def main():
    out = sys.argv[1]
    msgs = list(messages())

    # mime_message: whole messages. smtp_data: the same messages as DATA (dot-stuffed) and as raw bytes.
    for i, m in enumerate(msgs):
        write(out, "mime_message", m)
        if i % 8 == 0:
            crlf = re.sub(rb"\r?\n", b"\r\n", m)
            stuffed = re.sub(rb"(?m)^\.", b"..", crlf)
            write(out, "smtp_data", b"\x00\x11" + stuffed + b"\r\n.\r\n")
            write(out, "smtp_data", b"\x01\x05" + m[:4096])
            write(out, "dkim", b"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n" + m[:8192])

    # mime_header: distinct values of the structured and encoded fields; mime_codec: charset + body.
    wanted = {b"from", b"to", b"cc", b"bcc", b"reply-to", b"sender", b"subject", b"date", b"content-type",
              b"content-disposition", b"message-id", b"references", b"in-reply-to", b"dkim-signature"}
    seen = set()
    for m in msgs:
        for name, value in header_fields(m):
            if name in wanted and value not in seen and len(value) < 4096:
                seen.add(value)
                write(out, "mime_header", value)
                if name == b"dkim-signature":
                    write(out, "dkim", b"v=DKIM1; k=rsa; p=\nDKIM-Signature: " + value + b"\r\n\r\n")
        cs = re.search(rb'charset="?([A-Za-z0-9_.:-]+)', m[:8192], re.I)
        body = re.split(rb"\r?\n\r?\n", m, maxsplit=1)
        if cs and len(body) == 2:
            write(out, "mime_codec", cs.group(1) + b"\n" + body[1][:2048])
        enc = re.search(rb"content-transfer-encoding:\s*([A-Za-z0-9-]+)", m[:8192], re.I)
        if enc and len(body) == 2:
            write(out, "mime_codec", enc.group(1).lower() + b"\n" + body[1][:2048])
    for path in sorted(corpus_files("message")):
        if "/dkim/" in path:
            with open(path, "rb") as f:
                write(out, "dkim", b"v=DKIM1; k=rsa; p=\n" + f.read()[:MAX_MESSAGE])

    # Protocol lines from the tests.
    smtp = [l for l in protocol_lines(["tests/wire/smtp", "tests/wire/outbound", "src/smtp"]) if SMTP_VERB.match(l)]
    for l in smtp:
        write(out, "smtp_command", l + b"\r\n")
    pop3 = [l for l in protocol_lines(["tests/wire/pop3", "src/pop3"]) if POP3_VERB.match(l)]
    for l in pop3:
        write(out, "pop3_command", l)
    imap = []
    for l in protocol_lines(["tests/wire/imap", "src/imap"]):
        m = re.match(rb"^(?:([A-Za-z0-9.]+) )?((?:UID )?[A-Z]+)(?: (.*))?$", l)
        if m and m.group(2).decode() in IMAP_COMMANDS:
            imap.append((m.group(2).decode(), m.group(3) or b""))
    for name, args in imap:
        write(out, "imap_args", bytes([IMAP_COMMANDS.index(name), 0]) + args)
    # The receiver gets runs of consecutive commands, as a pipelining client sends them.
    for i in range(0, len(imap), 4):
        batch = b"".join(b"t%d %s %s\r\n" % (k, n.encode(), a) for k, (n, a) in enumerate(imap[i:i + 4]))
        write(out, "imap_receiver", bytes([i % 32, 7]) + batch)

    # Config: the texts the config unit tests and wire tests parse.
    for literal in string_literals(files(["src/config", "tests/wire/cli"], (".py", "_test.cpp"))):
        if b"=" in literal and b"\n" in literal:
            write(out, "config", literal)

    # webmail_http: the requests and JSON bodies of the webmail's unit and wire tests, after a read-size byte.
    for i, literal in enumerate(string_literals(files(["src/webmail/http", "src/webmail/server", "tests/wire/webmail"],
                                                      (".py", "_test.cpp")))):
        if re.match(rb"^(GET|POST|PUT|DELETE|HEAD|OPTIONS) ", literal) or literal[:1] in (b"{", b"["):
            write(out, "webmail_http", bytes([i % 256]) + literal)

    for target in sorted(os.listdir(out)):
        print(f"{target}: {len(os.listdir(os.path.join(out, target)))} seeds")


if __name__ == "__main__":
    main()
