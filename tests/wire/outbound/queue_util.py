"""Helpers for the outbound-queue wire tests: a local DNS server (Debian's dnsmasq) on a loopback high port serving
MX records for test domains, a scripted SMTP sink (standard library socketserver), and a claret server configured to
use both with retry intervals of seconds. Every wait is bounded; everything started is stopped."""
import base64
import binascii
import os
import re
import shutil
import smtplib
import socket
import socketserver
import ssl
import struct
import subprocess
import tempfile
import threading
import time

from claret_harness import ClaretServer

TIMEOUT_S = 30
PASSWORD = "correct horse battery staple"
SENDER = "alice@example.test"
DNSMASQ = shutil.which("dnsmasq") or "/usr/sbin/dnsmasq"


def wait_for(predicate, timeout=TIMEOUT_S, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def free_port():
    """A port free for both UDP and TCP on 127.0.0.1 (dnsmasq listens on both)."""
    for _ in range(50):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", 0))
        port = u.getsockname()[1]
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            t.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            t.close()
            u.close()
    raise AssertionError("no free port")


def dns_query(port, name, qtype=15, timeout=1.0):
    """Sends one query; returns the response rcode and answer count, or None on timeout."""
    qname = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"
    packet = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + qname + struct.pack(">HH", qtype, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.sendto(packet, ("127.0.0.1", port))
        data, _ = s.recvfrom(512)
        return data[3] & 0x0F, struct.unpack(">H", data[6:8])[0]
    except OSError:
        return None
    finally:
        s.close()


class Dnsmasq:
    """dnsmasq answering only from its command line: remote.test → MX mx.remote.test (127.0.0.1),
    nomail.test → null MX (RFC 7505: preference 0, target ".")."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="claret-dnsmasq-")
        self.port = free_port()
        self.log = open(os.path.join(self.tmp, "dnsmasq.log"), "wb")
        self.proc = subprocess.Popen(
            [DNSMASQ, "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
             "--listen-address=127.0.0.1", "--bind-interfaces", f"--port={self.port}",
             "--pid-file=", "--user=" + ("root" if os.geteuid() == 0 else os.environ.get("USER", "nobody")),
             "--mx-host=remote.test,mx.remote.test,10", "--host-record=mx.remote.test,127.0.0.1",
             "--mx-host=other.test,mx.other.test,10", "--host-record=mx.other.test,127.0.0.1",
             "--dns-rr=nomail.test,15,000000", "--host-record=nomail.test,127.0.0.1"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        if not wait_for(lambda: dns_query(self.port, "remote.test") == (0, 1), timeout=10):
            self.stop()
            raise AssertionError("dnsmasq did not answer within 10 s")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


class SinkMessage:
    def __init__(self, mail_from, rcpts, data, tls, auth_user=None, session=0):
        self.mail_from, self.rcpts, self.data, self.tls = mail_from, rcpts, data, tls
        self.auth_user = auth_user  # who authenticated the session (None: no AUTH)
        self.session = session      # which SMTP connection carried it (1, 2, … in order of acceptance)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def unb64(text: str) -> str:
    try:
        return base64.b64decode(text.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None


class Sink:
    """An SMTP server on 127.0.0.1 that records what it accepts. Behaviour by recipient address:
    `reject` → 550 5.1.1 at RCPT; `tempfail[address] = n` → 451 for the first n RCPTs; `hold_marker` in the data →
    the end-of-data reply waits until `release` is set (bounded), so a test can kill the client mid-delivery.
    As a smarthost: `users = {name: password}` offers AUTH PLAIN and LOGIN (RFC 4954, only once TLS is up when
    a TLS context is set) and refuses MAIL before a successful AUTH; `implicit_tls` speaks TLS from the first
    byte (port-465 style, RFC 8314). `auth_attempts` records (user, password, accepted)."""

    def __init__(self, port=0):
        self.messages = []
        self.lock = threading.Lock()
        self.reject = set()
        self.tempfail = {}
        self.hold_marker = None
        self.held = threading.Event()
        self.release = threading.Event()
        self.tls_context = None  # an ssl server context: STARTTLS offered
        self.eight_bit = True    # 8BITMIME offered
        self.users = None        # {user: password}: AUTH required before MAIL
        self.implicit_tls = False
        self.auth_attempts = []
        self.sessions = 0        # SMTP connections accepted so far
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = TIMEOUT_S

            def reply(self, text):
                self.wfile.write(text.encode() + b"\r\n")
                self.wfile.flush()

            def handle(self):
                try:
                    self.session()
                except OSError:
                    pass

            def finish(self):
                try:
                    super().finish()
                except OSError:
                    pass
                if isinstance(self.request, ssl.SSLSocket):  # the server only closes the socket it accepted
                    self.request.close()

            def start_tls(self):
                self.request = sink.tls_context.wrap_socket(self.request, server_side=True)
                self.rfile = self.request.makefile("rb")
                self.wfile = self.request.makefile("wb")

            def read_line(self):
                line = self.rfile.readline(4096)
                return line.decode(errors="replace").rstrip("\r\n") if line else None

            def authenticate(self, cmd):
                """AUTH PLAIN [initial response] / AUTH LOGIN (RFC 4954, RFC 4616); returns the user or None."""
                parts = cmd.split(" ")
                mech = parts[1].upper() if len(parts) > 1 else ""
                if mech == "PLAIN":
                    if len(parts) > 2:
                        answer = parts[2]
                    else:
                        self.reply("334 ")
                        answer = self.read_line()
                    decoded = unb64(answer or "")
                    fields = decoded.split("\0") if decoded is not None else []
                    if len(fields) != 3:
                        self.reply("501 5.5.2 malformed AUTH PLAIN response")
                        return None
                    user, password = fields[1], fields[2]
                elif mech == "LOGIN":
                    self.reply("334 " + b64("Username:"))
                    user = unb64(self.read_line() or "")
                    self.reply("334 " + b64("Password:"))
                    password = unb64(self.read_line() or "")
                else:
                    self.reply("504 5.5.4 unrecognized authentication mechanism")
                    return None
                ok = user is not None and sink.users.get(user) == password
                with sink.lock:
                    sink.auth_attempts.append((user, password, ok))
                if not ok:
                    self.reply("535 5.7.8 authentication credentials invalid")
                    return None
                self.reply("235 2.7.0 authentication successful")
                return user

            def session(self):
                with sink.lock:
                    sink.sessions += 1
                    session_number = sink.sessions
                if sink.implicit_tls:
                    self.start_tls()
                self.reply("220 sink.test ESMTP")
                mail_from, rcpts, tls, user = None, [], sink.implicit_tls, None
                while True:
                    line = self.rfile.readline(4096)
                    if not line:
                        return
                    cmd = line.decode(errors="replace").rstrip("\r\n")
                    verb = cmd.split(" ", 1)[0].upper()
                    if verb == "EHLO":
                        keywords = ["PIPELINING", "DSN", "SIZE 10000000"]
                        if sink.eight_bit:
                            keywords.append("8BITMIME")
                        if sink.tls_context and not tls:
                            keywords.append("STARTTLS")
                        if sink.users is not None and (tls or not sink.tls_context) and not user:
                            keywords.append("AUTH PLAIN LOGIN")
                        self.reply("250-sink.test\r\n" + "\r\n".join(
                            ("250 " if i == len(keywords) - 1 else "250-") + k for i, k in enumerate(keywords)))
                    elif verb == "STARTTLS" and sink.tls_context and not tls:
                        self.reply("220 2.0.0 ready for TLS")
                        self.start_tls()
                        mail_from, rcpts, tls = None, [], True
                    elif verb == "AUTH" and sink.users is not None and not user:
                        if sink.tls_context and not tls:
                            self.reply("538 5.7.11 encryption required for requested authentication mechanism")
                            continue
                        user = self.authenticate(cmd)
                    elif verb == "MAIL" and sink.users is not None and not user:
                        self.reply("530 5.7.0 authentication required")
                    elif verb == "MAIL":
                        mail_from, rcpts = cmd, []
                        self.reply("250 2.1.0 ok")
                    elif verb == "RCPT":
                        addr = re.search(r"<([^>]*)>", cmd).group(1).lower()
                        with sink.lock:
                            left = sink.tempfail.get(addr, 0)
                            if left:
                                sink.tempfail[addr] = left - 1
                        if addr in sink.reject:
                            self.reply("550 5.1.1 no such user here")
                        elif left:
                            self.reply("451 4.3.0 try again later")
                        else:
                            rcpts.append(addr)
                            self.reply("250 2.1.5 ok")
                    elif verb == "DATA":
                        if not rcpts:
                            self.reply("554 5.5.1 no valid recipients")
                            continue
                        self.reply("354 go ahead")
                        data = b""
                        while True:
                            l = self.rfile.readline(1 << 20)
                            if not l:
                                return
                            if l == b".\r\n":
                                break
                            data += l[1:] if l.startswith(b".") else l
                        if sink.hold_marker and sink.hold_marker in data and not sink.release.is_set():
                            sink.held.set()
                            sink.release.wait(TIMEOUT_S)
                            return  # the client was killed meanwhile: never acknowledge this copy
                        with sink.lock:
                            sink.messages.append(SinkMessage(mail_from, rcpts, data, tls, user, session_number))
                        self.reply("250 2.0.0 queued")
                        mail_from, rcpts = None, []
                    elif verb == "QUIT":
                        self.reply("221 2.0.0 bye")
                        return
                    else:
                        self.reply("250 2.0.0 ok")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def containing(self, marker: bytes):
        with self.lock:
            return [m for m in self.messages if marker in m.data]

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def set_config(srv, values):
    """Replaces `key = ...` lines (keys unique in the template) in the server's TOML."""
    with open(srv.config) as f:
        text = f.read()
    for key, value in values.items():
        text, n = re.subn(r"(?m)^" + re.escape(key) + r"\s*=.*$", f"{key} = {value}", text, count=1)
        assert n == 1, f"{key} not in the config"
    with open(srv.config, "w") as f:
        f.write(text)


def start_claret(dns_port, sink_port, **overrides):
    """A started claret whose MX lookups go to dnsmasq on dns_port and whose outbound SMTP goes to sink_port, with
    retries after 1-2 s and no delay warnings unless `overrides` (config keys) say otherwise."""
    srv = ClaretServer(start=False)
    set_config(srv, {"dns_servers": f'["127.0.0.1:{dns_port}"]', "smtp_port": str(sink_port), "retry_min_s": "1",
                     "retry_max_s": "2", "delay_warning_s": "0", **overrides})
    try:
        srv.start()
    except BaseException:
        srv.cleanup()
        raise
    return srv


def inbox_count(srv, address):
    for line in srv.cli("mailbox", "list", address).stdout.splitlines():
        if line.startswith("INBOX "):
            return int(re.search(r"messages=(\d+)", line).group(1))
    return 0


def blobs_containing(srv, marker: bytes):
    from claret_harness import stored_blobs
    return [data for data in stored_blobs(srv.data).values() if marker in data]


def queue_ids(srv):
    return [line.split(" ", 1)[0] for line in srv.cli("queue", "list").stdout.splitlines() if line.strip()]


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)


def make_relay_pki(directory):
    """A private CA with a certificate for `localhost` signed by it (what a relay on a private network has), and an
    unrelated self-signed `localhost` certificate that the CA does not vouch for. Returns their file paths."""
    p = {name: os.path.join(directory, name) for name in
         ("ca.pem", "ca.key", "relay.pem", "relay.key", "relay.csr", "rogue.pem", "rogue.key", "ext.cnf")}
    with open(p["ext.cnf"], "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p["ca.key"], "-out", p["ca.pem"], "-days", "2",
            "-subj", "/CN=claret test relay CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", p["relay.key"], "-out", p["relay.csr"],
            "-subj", "/CN=localhost")
    openssl("x509", "-req", "-in", p["relay.csr"], "-CA", p["ca.pem"], "-CAkey", p["ca.key"], "-CAcreateserial",
            "-out", p["relay.pem"], "-days", "2", "-extfile", p["ext.cnf"])
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p["rogue.key"], "-out", p["rogue.pem"],
            "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
    return p


def server_tls_context(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


def submit(srv, rcpts, marker, extra_headers=""):
    """Submits a small message from SENDER (port 587, AUTH) whose Subject and last line are `marker`; returns the
    message text and smtplib's refused-recipients map."""
    body = (f"From: {SENDER}\r\nTo: {', '.join(rcpts)}\r\nSubject: {marker}\r\n{extra_headers}\r\n"
            f"first line\r\n.line starting with a dot\r\n{marker}\r\n")
    s = smtplib.SMTP("127.0.0.1", srv.ports["submission"], local_hostname="client.test", timeout=TIMEOUT_S)
    try:
        s.login(SENDER, PASSWORD)
        refused = s.sendmail(SENDER, rcpts, body.encode())
        s.quit()
    finally:
        s.close()
    return body, refused


def txt_records(keygen_output):
    """{"sel._domainkey.example.test": "v=DKIM1; ..."} from the zone line `claret dkim keygen` prints."""
    records = {}
    for line in keygen_output.splitlines():
        m = re.match(r'^(\S+)\s+IN\s+TXT\s+(.*)$', line.strip())
        if m:
            records[m.group(1).rstrip(".")] = "".join(re.findall(r'"([^"]*)"', m.group(2)))
    return records
