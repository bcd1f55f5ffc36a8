"""Helpers for the POP3 wire tests: config edits, message delivery through the CLI, a raw line client with bounded
waits, and blob lookup under the data directory."""
import glob
import hashlib
import os
import re
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


def deliver(srv, to, message):
    """Delivers `message` (str, LF or CRLF) to `to` with `claret deliver`."""
    srv.cli("deliver", "--to", to, input=message)


def make_message(subject, body="hello\n"):
    return f"From: sender@example.test\nTo: {ALICE}\nSubject: {subject}\n\n{body}"


def inbox_status(srv, address):
    """{"messages": n, "unseen": n, "uidvalidity": n, ...} of the account's INBOX from `claret mailbox list`."""
    for line in srv.cli("mailbox", "list", address).stdout.splitlines():
        name, rest = line.split(" ", 1)
        if name == "INBOX":
            return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", rest)}
    raise AssertionError("no INBOX")


def inbox_count(srv, address):
    return inbox_status(srv, address)["messages"]


def stored_blob(srv, data: bytes):
    """The stored blob (database or file) whose content is exactly `data`, or None."""
    from claret_harness import stored_blob as harness_stored_blob
    return harness_stored_blob(srv.data, data)


def wait_for(predicate, timeout=TIMEOUT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


class Raw:
    """A byte-level POP3 client: sends exactly what a test wants, reads responses with a bounded wait."""

    def __init__(self, port, tls_context=None, timeout=TIMEOUT_S):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.settimeout(timeout)
        if tls_context is not None:
            self.sock = tls_context.wrap_socket(self.sock, server_hostname="localhost")
        self.buf = b""
        self.eof = False
        self.greeting = self.line()

    def send(self, data: bytes):
        self.sock.sendall(data)

    def line(self) -> bytes:
        """One line without CRLF; b"" at EOF."""
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                self.eof = True
                rest, self.buf = self.buf, b""
                return rest
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def multiline(self) -> bytes:
        """The body of a multi-line response up to ".", un-stuffed, CRLF-joined (as the original message)."""
        out = []
        while True:
            line = self.line()
            if line == b".":
                return b"".join(l + b"\r\n" for l in out)
            if self.eof and line == b"":
                raise AssertionError("connection closed inside a multi-line response")
            out.append(line[1:] if line.startswith(b".") else line)

    def cmd(self, text) -> bytes:
        self.send((text if isinstance(text, bytes) else text.encode()) + b"\r\n")
        return self.line()

    def login(self, user=ALICE, password=PASSWORD):
        assert self.cmd(f"USER {user}").startswith(b"+OK")
        reply = self.cmd(f"PASS {password}")
        assert reply.startswith(b"+OK"), reply
        return reply

    def starttls(self, context):
        reply = self.cmd("STLS")
        assert reply.startswith(b"+OK"), reply
        assert self.buf == b""
        self.sock = context.wrap_socket(self.sock, server_hostname="localhost")

    def closed(self, timeout=TIMEOUT_S) -> bool:
        """True when the server closes the connection within `timeout` (any data first is discarded)."""
        self.sock.settimeout(timeout)
        try:
            while True:
                if not self.sock.recv(65536):
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
