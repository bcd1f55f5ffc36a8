"""SORT/THREAD timing on a 20,000-message mailbox (opt-in: CLARET_IMAP_PERF=1; it takes minutes under ASan).
Prints the times; asserts only that the answers are complete."""
import os
import time
import unittest

from imap.imap_util import ALICE, PASSWORD, Raw, start_server, stop_server

COUNT = int(os.environ.get("CLARET_IMAP_PERF_COUNT", "20000"))


@unittest.skipUnless(os.environ.get("CLARET_IMAP_PERF"), "set CLARET_IMAP_PERF=1 to time SORT on 20k messages")
class SortPerf(unittest.TestCase):
    def test_sort_20k(self):
        srv = start_server()
        self.addCleanup(stop_server, srv)
        srv.add_user(ALICE, PASSWORD)
        r = Raw(srv.ports["imap"], timeout=600)
        self.addCleanup(r.close)
        r.line()
        r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')
        r.cmd("c", "CREATE Big")
        start = time.monotonic()
        batch = 500
        for base in range(0, COUNT, batch):
            out = []
            for i in range(base, min(COUNT, base + batch)):
                m = (f"From: User{i % 97} <u{i % 97}@example.test>\r\nTo: t{i % 13}@example.test\r\n"
                     f"Subject: {'Re: ' if i % 3 else ''}topic {i % 251}\r\n"
                     f"Date: Wed, 02 Dec 2026 {i % 24:02d}:{i % 60:02d}:00 +0000\r\n"
                     f"Message-ID: <m{i}@example.test>\r\n"
                     + (f"References: <m{i - 251}@example.test>\r\n" if i >= 251 else "")
                     + f"\r\nbody {i}\r\n").encode()
                out.append(f"a{i} APPEND Big {{{len(m)}+}}\r\n".encode() + m + b"\r\n")
            r.send(b"".join(out))
            for i in range(base, min(COUNT, base + batch)):
                self.assertTrue(r.until_tagged(f"a{i}")[-1].startswith(f"a{i} OK".encode()))
        print(f"\nappend {COUNT}: {time.monotonic() - start:.1f}s")
        r.cmd("s", "SELECT Big")
        for tag, command in [("t1", "SORT (DATE) UTF-8 ALL"), ("t2", "SORT (SUBJECT) UTF-8 ALL"),
                             ("t3", "SORT (ARRIVAL) UTF-8 ALL"), ("t4", "SORT (REVERSE FROM) UTF-8 ALL"),
                             ("t5", "THREAD REFERENCES UTF-8 ALL"), ("t6", "SORT (DATE) UTF-8 SUBJECT \"topic 7\"")]:
            t0 = time.monotonic()
            lines = r.cmd(tag, command)
            elapsed = time.monotonic() - t0
            self.assertTrue(lines[-1].startswith(f"{tag} OK".encode()), lines[-1])
            print(f"{command}: {elapsed * 1000:.0f} ms")
            if command.endswith("ALL") and command.startswith("SORT"):
                self.assertEqual(len(lines[0].split()) - 2, COUNT)


if __name__ == "__main__":
    unittest.main()
