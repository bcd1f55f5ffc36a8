"""COMPRESS=DEFLATE at the wire (RFC 4978): imaplib and a raw client, each with zlib raw deflate (wbits -15) and a
sync flush per write, over plaintext on loopback, implicit TLS (imaps) and after STARTTLS; SELECT/FETCH byte-exact,
a large APPEND literal, corpus messages, IDLE through compression, the state and mechanism checks, and a deflate
bomb that the line limit stops."""
import imaplib
import os
import re
import socket
import ssl
import time
import unittest
import zlib

from imap.imap_util import (ALICE, PASSWORD, TIMEOUT_S, close_quietly, lmtp_deliver, make_message, start_server,
                            stop_server)
from imap.test_messages import corpus_sample

imaplib.Commands.setdefault("COMPRESS", ("AUTH", "SELECTED"))


class DeflateMixin:
    """imaplib with COMPRESS DEFLATE: after the tagged OK, everything sent is deflated (sync flush per send) and
    everything read is inflated. Counts bytes on the wire and inflated, to show compression happened."""
    _z_out = None

    def compress_deflate(self):
        typ, data = self._simple_command("COMPRESS", "DEFLATE")
        if typ == "OK":
            self._z_out = zlib.compressobj(6, zlib.DEFLATED, -15)
            self._z_in = zlib.decompressobj(-15)
            self._z_buf = b""
            self.wire_in = 0
            self.inflated_in = 0
        return typ, data

    def send(self, data):
        if self._z_out:
            data = self._z_out.compress(data) + self._z_out.flush(zlib.Z_SYNC_FLUSH)
        super().send(data)

    def _z_fill(self):
        chunk = self.file.read1(65536)  # the buffered reader may hold compressed bytes read with the OK
        if not chunk:
            raise imaplib.IMAP4.abort("EOF on the compressed stream")
        out = self._z_in.decompress(chunk)
        self.wire_in += len(chunk)
        self.inflated_in += len(out)
        self._z_buf += out

    def read(self, size):
        if not self._z_out:
            return super().read(size)
        while len(self._z_buf) < size:
            self._z_fill()
        data, self._z_buf = self._z_buf[:size], self._z_buf[size:]
        return data

    def readline(self):
        if not self._z_out:
            return super().readline()
        while b"\n" not in self._z_buf:
            self._z_fill()
        end = self._z_buf.index(b"\n") + 1
        line, self._z_buf = self._z_buf[:end], self._z_buf[end:]
        return line


class DeflateIMAP4(DeflateMixin, imaplib.IMAP4):
    pass


class DeflateIMAP4_SSL(DeflateMixin, imaplib.IMAP4_SSL):
    pass


class ZRaw:
    """A raw IMAP line client (plain or TLS socket) that can switch to DEFLATE both ways, with bounded reads."""

    def __init__(self, sock):
        self.sock = sock
        self.sock.settimeout(TIMEOUT_S)
        self.buf = b""
        self.z_out = None
        self.z_in = None

    def start_compression(self):
        # RFC 4978 §3: the server compresses from the byte after the OK's CRLF; anything already received after
        # it (none expected, as the client waits) would be compressed too.
        self.z_out = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.z_in = zlib.decompressobj(-15)
        self.buf = self.z_in.decompress(self.buf)

    def send(self, data):
        data = data if isinstance(data, bytes) else data.encode()
        if self.z_out:
            data = self.z_out.compress(data) + self.z_out.flush(zlib.Z_SYNC_FLUSH)
        self.sock.sendall(data)

    def send_compressed_bytes(self, wire):
        self.sock.sendall(wire)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError(self.buf)
        self.buf += self.z_in.decompress(chunk) if self.z_in else chunk

    def line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def exact(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def until_tagged(self, tag):
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


def large_message(size):
    line = b"The quick brown fox jumps over the lazy dog, again and again, to make a large body.\r\n"
    body = line * (size // len(line) + 1)
    return (b"From: a@example.test\r\nTo: alice@example.test\r\nSubject: large\r\n"
            b"Date: Wed, 02 Dec 2026 10:00:00 +0000\r\n\r\n" + body[:size])


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class Compress(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def imap(self):
        c = DeflateIMAP4("127.0.0.1", self.srv.ports["imap"], timeout=TIMEOUT_S)
        self.addCleanup(close_quietly, c)
        return c

    def zraw(self, login=True, tls=False):
        port = self.srv.ports["imaps" if tls else "imap"]
        sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S)
        if tls:
            sock = self.srv.tls_client_context().wrap_socket(sock, server_hostname="localhost")
        r = ZRaw(sock)
        self.addCleanup(r.close)
        self.assertTrue(r.line().startswith(b"* OK"))
        if login:
            self.assertTrue(r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')[-1].startswith(b"l OK"))
            self.assertEqual(r.cmd("z", "COMPRESS DEFLATE")[-1], b"z OK DEFLATE active")
            r.start_compression()
        return r

    def round_trip(self, c, mailbox):
        """APPEND a large literal, SELECT, FETCH it back byte-exact, all compressed; then LOGOUT."""
        typ, data = c.compress_deflate()
        self.assertEqual(typ, "OK", data)
        message = large_message(2 * 1024 * 1024)
        self.assertEqual(c.create(mailbox)[0], "OK")
        typ, data = c.append(mailbox, None, None, message)
        self.assertEqual(typ, "OK", data)
        typ, data = c.select(mailbox)
        self.assertEqual((typ, data), ("OK", [b"1"]))
        wire_before, inflated_before = c.wire_in, c.inflated_in
        typ, data = c.fetch("1", "(BODY.PEEK[])")
        self.assertEqual(typ, "OK")
        self.assertEqual(data[0][1], message)
        # The reply really came compressed: this body compresses far better than 4:1.
        self.assertLess(c.wire_in - wire_before, (c.inflated_in - inflated_before) // 4)
        typ, data = c.logout()
        self.assertEqual(typ, "BYE")

    def test_capability_advertised_only_after_login(self):
        c = self.imap()
        self.assertNotIn("COMPRESS=DEFLATE", c.capabilities)
        typ, data = c.login(ALICE, PASSWORD)
        self.assertIn(b"COMPRESS=DEFLATE", data[0])
        typ, caps = c.capability()
        self.assertIn(b"COMPRESS=DEFLATE", caps[0].split())

    def test_plaintext_loopback_append_select_fetch(self):
        c = self.imap()
        c.login(ALICE, PASSWORD)
        self.round_trip(c, "ZPlain")

    def test_implicit_tls(self):
        c = DeflateIMAP4_SSL("127.0.0.1", self.srv.ports["imaps"], ssl_context=self.srv.tls_client_context(),
                             timeout=TIMEOUT_S)
        self.addCleanup(close_quietly, c)
        c.login(ALICE, PASSWORD)
        self.round_trip(c, "ZImaps")

    def test_after_starttls(self):
        c = self.imap()
        typ, _ = c.starttls(ssl_context=self.srv.tls_client_context())
        self.assertEqual(typ, "OK")
        c.login(ALICE, PASSWORD)
        self.round_trip(c, "ZStarttls")

    def test_before_login_is_bad_and_not_compressed(self):
        r = self.zraw(login=False)
        self.assertTrue(r.cmd("z", "COMPRESS DEFLATE")[-1].startswith(b"z BAD"))
        # Still uncompressed: a plain command gets a plain answer.
        self.assertEqual(r.cmd("n", "NOOP")[-1], b"n OK NOOP completed")

    def test_unknown_mechanism_is_bad_and_second_compress_is_no(self):
        r = self.zraw(login=False)
        self.assertTrue(r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')[-1].startswith(b"l OK"))
        lines = r.cmd("z", "COMPRESS LZW")
        self.assertTrue(lines[-1].startswith(b"z BAD"), lines)
        self.assertEqual(r.cmd("n", "NOOP")[-1], b"n OK NOOP completed")  # BAD did not turn it on
        self.assertEqual(r.cmd("z", "COMPRESS DEFLATE")[-1], b"z OK DEFLATE active")
        r.start_compression()
        lines = r.cmd("y", "COMPRESS DEFLATE")
        self.assertTrue(lines[-1].startswith(b"y NO [COMPRESSIONACTIVE]"), lines)
        self.assertEqual(r.cmd("n", "NOOP")[-1], b"n OK NOOP completed")

    def test_compressed_bytes_sent_with_the_command_are_not_lost(self):
        # Bytes that arrive in the same segment as COMPRESS are read ahead by the server; they are the start of the
        # compressed stream and must be inflated, not dropped (nor taken as plaintext).
        r = self.zraw(login=False)
        self.assertTrue(r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')[-1].startswith(b"l OK"))
        z = zlib.compressobj(6, zlib.DEFLATED, -15)
        r.send(b"z COMPRESS DEFLATE\r\n" + z.compress(b"n NOOP\r\n") + z.flush(zlib.Z_SYNC_FLUSH))
        self.assertEqual(r.line(), b"z OK DEFLATE active")
        r.start_compression()
        r.z_out = z
        self.assertEqual(r.until_tagged("n")[-1], b"n OK NOOP completed")

    def test_corpus_messages_append_fetch_byte_exact_over_tls(self):
        r = self.zraw(tls=True)
        self.assertTrue(r.cmd("c", "CREATE ZCorpus")[-1].startswith(b"c OK"))
        sample = [p for p in corpus_sample(every=12) if os.path.getsize(p) > 0]
        self.assertGreater(len(sample), 20)
        messages = []
        for i, path in enumerate(sample):
            with open(path, "rb") as f:
                data = f.read()
            messages.append(data)
            r.send(f"p{i} APPEND ZCorpus {{{len(data)}}}\r\n")
            self.assertTrue(r.line().startswith(b"+ "), path)
            r.send(data + b"\r\n")
            self.assertTrue(r.until_tagged(f"p{i}")[-1].startswith(f"p{i} OK".encode()), path)
        self.assertTrue(r.cmd("s", "EXAMINE ZCorpus")[-1].startswith(b"s OK"))
        for i, data in enumerate(messages):
            r.send(f"f{i} FETCH {i + 1} (BODY.PEEK[])\r\n")
            head = r.line()
            m = re.match(rb"^\* \d+ FETCH \(BODY\[\] \{(\d+)\}$", head)
            self.assertIsNotNone(m, head)
            self.assertEqual(r.exact(int(m.group(1))), data, sample[i])
            self.assertEqual(r.line(), b")")
            self.assertTrue(r.until_tagged(f"f{i}")[-1].startswith(f"f{i} OK".encode()))
        self.assertTrue(r.cmd("o", "LOGOUT")[-1].startswith(b"o OK"))

    def test_idle_through_compression_sees_a_delivery(self):
        r = self.zraw()
        self.assertTrue(r.cmd("s", "SELECT INBOX")[-1].startswith(b"s OK"))
        r.send("i IDLE\r\n")
        self.assertEqual(r.line(), b"+ idling")
        lmtp_deliver(self.srv, ALICE, make_message("pushed through deflate"))
        self.assertRegex(r.line(), rb"^\* \d+ EXISTS$")
        r.send("DONE\r\n")
        self.assertTrue(r.until_tagged("i")[-1].startswith(b"i OK"))
        self.assertTrue(r.cmd("o", "LOGOUT")[-1].startswith(b"o OK"))

    def test_deflate_bomb_line_is_refused_without_buffering_it(self):
        r = self.zraw()
        hwm_before = vm_hwm_kib(self.srv.proc.pid)
        bomb_size = 100 * 1024 * 1024  # one 100 MiB line, about 100 KB on the wire
        z = r.z_out
        wire = z.compress(b"b NOOP ")
        block = b"A" * (1024 * 1024)
        for _ in range(bomb_size // len(block)):
            wire += z.compress(block)
        wire += z.compress(b"\r\n") + z.flush(zlib.Z_SYNC_FLUSH)
        self.assertLess(len(wire), 1024 * 1024)
        r.send_compressed_bytes(wire)
        self.assertTrue(r.line().startswith(b"* BAD [TOOBIG]"))
        # The stream and the session are still in step.
        self.assertEqual(r.cmd("n", "NOOP")[-1], b"n OK NOOP completed")
        growth_mib = (vm_hwm_kib(self.srv.proc.pid) - hwm_before) / 1024
        self.assertLess(growth_mib, 48, "the server buffered the inflated line")

    def test_corrupt_stream_closes_the_connection(self):
        r = self.zraw()
        r.send_compressed_bytes(b"\xff\xff\xff\xff not deflate at all")
        with self.assertRaises((EOFError, ConnectionResetError, zlib.error)):
            for _ in range(10):
                r.line()


if __name__ == "__main__":
    unittest.main()
