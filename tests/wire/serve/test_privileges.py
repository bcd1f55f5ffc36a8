"""Started as root with `user` set, `claret serve` binds, then runs as that user; the admin CLI switches
to the same user so the files it creates stay writable by the server."""
import os
import pwd
import socket
import unittest

from claret_harness import ClaretServer

USER = "nobody"


def process_uids(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Uid:"):
                return [int(x) for x in line.split()[1:]]
    raise AssertionError("no Uid line")


@unittest.skipUnless(os.geteuid() == 0, "needs root to test dropping privileges")
class DropPrivileges(unittest.TestCase):
    def test_serve_runs_as_the_configured_user(self):
        srv = ClaretServer(start=False)
        try:
            os.chmod(srv.tmp, 0o755)  # the service user must be able to reach the data directory
            with open(srv.config) as f:
                text = f.read()
            with open(srv.config, "w") as f:
                f.write(text.replace('user = ""', f'user = "{USER}"'))
            srv.start()
            uid = pwd.getpwnam(USER).pw_uid
            self.assertEqual(process_uids(srv.proc.pid), [uid] * 4)
            st = os.stat(os.path.join(srv.data, "claret.db"))
            self.assertEqual(st.st_uid, uid)
            self.assertEqual(os.stat(os.path.join(srv.data, "tls", "key.pem")).st_uid, uid)
            # The admin CLI (run as root here) writes as the service user too.
            srv.add_user("alice@example.test", "pw-alice-123")
            srv.cli("deliver", "--to", "alice@example.test", input="Subject: x\n\nbody\n")
            for root, dirs, files in os.walk(srv.data):
                for name in dirs + files:
                    path = os.path.join(root, name)
                    self.assertEqual(os.lstat(path).st_uid, uid, path)
            with socket.create_connection(("127.0.0.1", srv.ports["imaps"]), timeout=10):
                pass
            self.assertIsNone(srv.proc.poll())
        finally:
            srv.stop()
            srv.cleanup()


if __name__ == "__main__":
    unittest.main()
