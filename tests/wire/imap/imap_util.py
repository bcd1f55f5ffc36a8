"""Helpers for the IMAP wire tests: a server with one user, imaplib clients with bounded waits, a raw line client,
and message delivery through the CLI."""
import imaplib
import socket
import time

from claret_harness import start_server  # noqa: F401 (the tests import it from here)

TIMEOUT_S = 20
PASSWORD = "correct horse battery staple"
ALICE = "alice@example.test"
BOB = "bob@example.test"




def stop_server(srv):
    srv.stop()
    srv.cleanup()


def client(srv, login=True, user=ALICE):
    c = imaplib.IMAP4("127.0.0.1", srv.ports["imap"], timeout=TIMEOUT_S)
    if login:
        c.login(user, PASSWORD)
    return c


def deliver(srv, to, message):
    srv.cli("deliver", "--to", to, input=message)


def make_message(subject, body="hello\r\n", sender="sender@example.test", to=ALICE):
    return (f"From: Sender <{sender}>\r\nTo: {to}\r\nSubject: {subject}\r\n"
            f"Date: Wed, 02 Dec 2026 10:00:00 +0000\r\nMessage-ID: <{abs(hash(subject))}@example.test>\r\n\r\n{body}")


class Raw:
    """A raw line client over a socket with bounded reads (IMAP here; any line protocol works). `source`: the
    loopback address to connect from (tests of per-address limits)."""

    def __init__(self, port, timeout=TIMEOUT_S, source=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                             source_address=(source, 0) if source else None)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError(self.buf)
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def until_tagged(self, tag):
        """Lines up to and including the tagged response for `tag`."""
        lines = []
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            line = self.line()
            lines.append(line)
            if line.startswith(tag.encode() + b" "):
                return lines
        raise AssertionError(f"no tagged response for {tag}: {lines}")

    def cmd(self, tag, text):
        self.send(f"{tag} {text}\r\n")
        return self.until_tagged(tag)

    def close(self):
        self.sock.close()


def close_quietly(c):
    """Closes an imaplib client whatever state it is in (after LOGOUT the socket is already gone)."""
    try:
        c.shutdown()
    except OSError:
        pass


def lmtp_deliver(srv, to, message):
    """Delivers through the running server's LMTP listener, so its sessions are notified in-process."""
    import smtplib
    with smtplib.LMTP("127.0.0.1", srv.ports["lmtp"], timeout=TIMEOUT_S) as lmtp:
        lmtp.sendmail("sender@example.test", [to], message.encode())
