"""A `claret serve` confined by its Landlock sandbox ([security] sandbox = true, the default) still does all its
work: receives mail over SMTP, serves it over IMAP and POP3, relays through its queue to a remote MX (a local sink
found through a local dnsmasq), runs `claret fsck` beside it, and reloads a certificate kept outside its data
directory on SIGHUP. Its log says the sandbox is on; `sandbox = false` turns it off. The refusals themselves
(writes outside the data directory fail with EACCES) are checked by the unit test `Sandbox.*` (claret_io_tests)."""
import imaplib
import os
import poplib
import shutil
import signal
import smtplib
import unittest

from claret_harness import ClaretServer, edit_config
from outbound.queue_util import (PASSWORD, TIMEOUT_S, Dnsmasq, Sink, blobs_containing, queue_ids, start_claret,
                                 wait_for)

ALICE = "alice@example.test"


def proc_status(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return line.split(":", 1)[1].strip()
    return None


def core_limit(pid):
    with open(f"/proc/{pid}/limits") as f:
        for line in f:
            if line.startswith("Max core file size"):
                return line.split()[4:6]
    return None


def wait_serving(srv):
    """Until a client is served: the server's signal handlers are installed only once it runs (after READY)."""
    with imaplib.IMAP4("127.0.0.1", srv.ports["imap"], timeout=TIMEOUT_S) as imap:
        imap.noop()


def require_sandbox(test, srv):
    log = srv.server_log()
    if "security.sandbox.unavailable" in log:
        test.skipTest("Landlock is not available on this kernel: " + log)
    test.assertIn("security.sandbox.on", log)


class SandboxedServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.dns = None
        cls.srv = None
        try:
            cls.dns = Dnsmasq()
            cls.srv = start_claret(cls.dns.port, cls.sink.port)
            cls.srv.add_user(ALICE, PASSWORD)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        code, log = None, ""
        if cls.srv:
            code = cls.srv.stop()
            log = cls.srv.server_log()
            cls.srv.cleanup()
        if cls.dns:
            cls.dns.stop()
        cls.sink.stop()
        if cls.srv:
            assert "Sanitizer" not in log and "runtime error" not in log, log
            assert code == 0, f"claret serve exited {code}: {log}"

    def test_log_says_the_sandbox_is_on_and_the_process_is_locked(self):
        require_sandbox(self, self.srv)
        pid = self.srv.proc.pid
        self.assertEqual(proc_status(pid, "NoNewPrivs"), "1")
        self.assertEqual(core_limit(pid), ["0", "0"])

    def test_receives_over_smtp_and_serves_over_imap_and_pop3(self):
        require_sandbox(self, self.srv)
        body = "From: bob@remote.test\r\nTo: alice@example.test\r\nSubject: sandboxed\r\n\r\nMARKER-sandbox-in\r\n"
        with smtplib.SMTP("127.0.0.1", self.srv.ports["smtp"], local_hostname="client.test", timeout=TIMEOUT_S) as s:
            self.assertEqual(s.sendmail("bob@remote.test", [ALICE], body.encode()), {})
        imap = imaplib.IMAP4("127.0.0.1", self.srv.ports["imap"], timeout=TIMEOUT_S)
        try:
            imap.login(ALICE, PASSWORD)
            imap.select("INBOX")
            typ, data = imap.uid("SEARCH", None, "BODY", "MARKER-sandbox-in")
            self.assertEqual(typ, "OK")
            uids = data[0].split()
            self.assertEqual(len(uids), 1, data)
            typ, data = imap.uid("FETCH", uids[0], "(BODY.PEEK[])")
            self.assertIn(b"MARKER-sandbox-in", data[0][1])
            # Flags and a new mailbox: writes to the database (WAL) beneath the data directory.
            self.assertEqual(imap.uid("STORE", uids[0], "+FLAGS", r"(\Flagged)")[0], "OK")
            self.assertEqual(imap.create("Sandboxed")[0], "OK")
            self.assertEqual(imap.uid("COPY", uids[0], "Sandboxed")[0], "OK")
            imap.logout()
        except BaseException:
            imap.shutdown()
            raise
        pop = poplib.POP3("127.0.0.1", self.srv.ports["pop3"], timeout=TIMEOUT_S)
        try:
            pop.user(ALICE)
            pop.pass_(PASSWORD)
            count, _ = pop.stat()
            found = [n for n in range(1, count + 1) if b"MARKER-sandbox-in" in b"\n".join(pop.retr(n)[1])]
            self.assertEqual(len(found), 1)
        finally:
            pop.quit()

    def test_large_message_goes_to_a_blob_file(self):
        require_sandbox(self, self.srv)
        # Large messages are written to blobs/tmp and renamed into blobs/xx/: a rename between directories.
        big = ("x" * 76 + "\r\n") * 20000
        body = f"From: bob@remote.test\r\nTo: {ALICE}\r\nSubject: big\r\n\r\nMARKER-sandbox-big\r\n{big}"
        with smtplib.SMTP("127.0.0.1", self.srv.ports["smtp"], local_hostname="client.test", timeout=TIMEOUT_S) as s:
            self.assertEqual(s.sendmail("bob@remote.test", [ALICE], body.encode()), {})
        imap = imaplib.IMAP4("127.0.0.1", self.srv.ports["imap"], timeout=TIMEOUT_S)
        try:
            imap.login(ALICE, PASSWORD)
            imap.select("INBOX", readonly=True)
            typ, data = imap.uid("SEARCH", None, "SUBJECT", "big")
            uids = data[0].split()
            self.assertEqual(len(uids), 1, data)
            typ, data = imap.uid("FETCH", uids[0], "(BODY.PEEK[])")
            self.assertIn(b"MARKER-sandbox-big", data[0][1])
            self.assertGreater(len(data[0][1]), len(big))
            imap.logout()
        except BaseException:
            imap.shutdown()
            raise
        # Above 128 KiB a blob is a file under blobs/ (src/store/README.md), not a row.
        self.assertTrue(any(b"MARKER-sandbox-big" in data for data in blobs_containing(self.srv, b"MARKER-sandbox-big")))
        blob_files = [n for root, _, names in os.walk(os.path.join(self.srv.data, "blobs"))
                      if not os.path.relpath(root, os.path.join(self.srv.data, "blobs")).startswith("tmp") for n in names]
        self.assertTrue(blob_files)

    def test_queue_relays_to_the_remote_mx(self):
        require_sandbox(self, self.srv)
        body = f"From: {ALICE}\r\nTo: carol@remote.test\r\nSubject: out\r\n\r\nMARKER-sandbox-out\r\n"
        with smtplib.SMTP("127.0.0.1", self.srv.ports["submission"], local_hostname="client.test",
                          timeout=TIMEOUT_S) as s:
            s.login(ALICE, PASSWORD)
            self.assertEqual(s.sendmail(ALICE, ["carol@remote.test"], body.encode()), {})
        self.assertTrue(wait_for(lambda: self.sink.containing(b"MARKER-sandbox-out")), self.srv.server_log())
        self.assertTrue(wait_for(lambda: not queue_ids(self.srv)))

    def test_fsck_runs_beside_it(self):
        require_sandbox(self, self.srv)
        proc = self.srv.cli("fsck", check=False)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)


class SandboxAndCertificates(unittest.TestCase):
    def test_certificate_outside_the_data_directory_reloads_after_renewal(self):
        srv = ClaretServer(start=False)
        try:
            # The certificate in its own directory, as certbot keeps it: renewal writes a new file beside it and
            # moves it over the old one, so the sandbox must allow the directory, not only the file's inode.
            certs = os.path.join(srv.tmp, "certs")
            os.mkdir(certs)
            for name in ("cert.pem", "key.pem"):
                shutil.copy(os.path.join(srv.data, "tls", name), os.path.join(certs, name))
            edit_config(srv.config, {("tls", "cert"): f'"{certs}/cert.pem"', ("tls", "key"): f'"{certs}/key.pem"'})
            srv.start()
            require_sandbox(self, srv)
            wait_serving(srv)
            shutil.copy(os.path.join(certs, "cert.pem"), os.path.join(certs, "cert.pem.new"))
            os.replace(os.path.join(certs, "cert.pem.new"), os.path.join(certs, "cert.pem"))
            os.kill(srv.proc.pid, signal.SIGHUP)
            self.assertTrue(wait_for(lambda: "io.tls.reloaded" in srv.server_log() or
                                     "io.tls.reload_failed" in srv.server_log()), srv.server_log())
            self.assertNotIn("io.tls.reload_failed", srv.server_log())
            with imaplib.IMAP4_SSL("127.0.0.1", srv.ports["imaps"], ssl_context=srv.tls_client_context(),
                                   timeout=TIMEOUT_S) as imap:
                self.assertEqual(imap.noop()[0], "OK")
            self.assertEqual(srv.stop(), 0, srv.server_log())
        finally:
            srv.stop()
            srv.cleanup()

    def test_sandbox_false_turns_it_off(self):
        srv = ClaretServer(start=False)
        try:
            edit_config(srv.config, {("security", "sandbox"): "false"})
            srv.start()
            wait_serving(srv)
            self.assertIn("security.sandbox.off", srv.server_log())
            self.assertNotIn("security.sandbox.on", srv.server_log())
            self.assertEqual(core_limit(srv.proc.pid), ["0", "0"])  # core dumps stay off either way
            self.assertEqual(srv.stop(), 0, srv.server_log())
        finally:
            srv.stop()
            srv.cleanup()


if __name__ == "__main__":
    unittest.main()
