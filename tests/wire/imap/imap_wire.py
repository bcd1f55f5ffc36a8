"""A byte-exact IMAP client connection for tests that must see responses as sent: every response is read whole,
literals included ({n}CRLF + n bytes), with a bounded wait. Used by the corpus test and the transcript replayer."""
import re
import socket
import ssl
import time

LITERAL_AT_END = re.compile(rb"\{(\d+)\}$")


class WireError(AssertionError):
    pass


class Wire:
    def __init__(self, port, timeout=30, tls_context=None, host="127.0.0.1"):
        sock = socket.create_connection((host, port), timeout=timeout)
        if tls_context is not None:
            sock = tls_context.wrap_socket(sock, server_hostname="localhost")
        self.sock = sock
        self.timeout = timeout
        self.buf = bytearray()
        self.pos = 0

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def _fill(self, deadline):
        if time.monotonic() > deadline:
            raise WireError("timed out waiting for the server")
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise WireError(f"connection closed; unread: {bytes(self.buf[self.pos:self.pos + 300])!r}")
        self.buf += chunk

    def response(self, deadline=None):
        """One whole response line (with its literals), without the final CRLF."""
        deadline = deadline or time.monotonic() + self.timeout
        if self.pos > (1 << 22):  # drop what was consumed (only here: indexes below are relative to it)
            del self.buf[:self.pos]
            self.pos = 0
        start = self.pos
        scan = self.pos
        while True:
            eol = self.buf.find(b"\r\n", scan)
            if eol < 0:
                self._fill(deadline)
                continue
            m = LITERAL_AT_END.search(self.buf, max(start, eol - 24), eol)
            if m and m.end() == eol:
                n = int(m.group(1))
                while len(self.buf) < eol + 2 + n:
                    self._fill(deadline)
                scan = eol + 2 + n
                continue
            out = bytes(self.buf[start:eol])
            self.pos = eol + 2
            return out

    def until_tagged(self, tag, deadline=None):
        """Every response up to and including the tagged one for `tag`: (untagged list, tagged line)."""
        deadline = deadline or time.monotonic() + self.timeout
        untagged = []
        prefix = tag.encode() + b" "
        while True:
            line = self.response(deadline)
            if line.startswith(prefix):
                return untagged, line
            untagged.append(line)

    def command(self, tag, text, deadline=None):
        self.send(f"{tag} {text}\r\n")
        return self.until_tagged(tag, deadline)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
