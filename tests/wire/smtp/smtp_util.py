"""Helpers for the SMTP wire tests: a raw line client with bounded waits, config edits, mailbox inspection."""
import glob
import os
import re
import socket
import ssl
import time

from claret_harness import start_server  # noqa: F401 (the tests import it from here)

TIMEOUT_S = 20
PASSWORD = "correct horse battery staple"




def mailboxes(srv, address):
    """{mailbox name: {"messages": n, "uidnext": n, "size": n}} from `claret mailbox list`."""
    out = {}
    for line in srv.cli("mailbox", "list", address).stdout.splitlines():
        name, rest = line.split(" ", 1)
        out[name] = {k: int(v) for k, v in re.findall(r"(messages|uidnext|size)=(\d+)", rest)}
    return out


def inbox_count(srv, address):
    return mailboxes(srv, address)["INBOX"]["messages"]


def wait_for(predicate, timeout=TIMEOUT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def stored_blobs_containing(srv, marker: bytes):
    """Contents of the stored message blobs (database or files, claret_harness.stored_blobs) that contain `marker`."""
    from claret_harness import stored_blobs
    return [data for data in stored_blobs(srv.data).values() if marker in data]


class Raw:
    """A byte-level SMTP client: send exactly what a test wants, read replies with a bounded wait."""

    def __init__(self, port, implicit_tls_context=None, timeout=TIMEOUT_S, greeting=True):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.settimeout(timeout)
        if implicit_tls_context is not None:
            self.sock = implicit_tls_context.wrap_socket(self.sock, server_hostname="localhost")
        self.buf = b""
        self.greeting = self.reply() if greeting else None

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def _line(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed; buffered: %r" % self.buf)
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def reply(self):
        """(code, [texts]) of one possibly multi-line reply."""
        texts = []
        while True:
            line = self._line()
            texts.append(line[4:])
            if len(line) < 4 or line[3] != "-":
                return int(line[:3]), texts

    def cmd(self, line):
        self.send(line + "\r\n")
        return self.reply()

    def replies(self, n):
        return [self.reply() for _ in range(n)]

    def starttls(self, context):
        code, _ = self.cmd("STARTTLS")
        assert code == 220, code
        assert self.buf == b"", "data after the 220 must not be read in plaintext"
        self.sock = context.wrap_socket(self.sock, server_hostname="localhost")

    def closed_by_peer(self):
        """True when the server has closed the connection (EOF within the timeout)."""
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
                self.buf += chunk
        except (socket.timeout, TimeoutError):
            return False
        except (ConnectionError, ssl.SSLError, OSError):
            return True

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def code_of(reply):
    return reply[0]


def enhanced_of(reply):
    return reply[1][-1].split(" ", 1)[0]


def stop_server(srv):
    """Stops the server and fails on an unclean exit or any sanitizer report in its log."""
    try:
        code = srv.stop()
        log = srv.server_log()
        assert "Sanitizer" not in log and "runtime error:" not in log, log
        assert code == 0, f"claret serve exited {code}:\n{log}"
    finally:
        srv.cleanup()
