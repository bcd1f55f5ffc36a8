"""50 clients delivering at once to overlapping recipients: every accepted message is in every INBOX exactly once,
and UIDs stay dense (uidnext = messages + 1)."""
import smtplib
import threading
import unittest

from smtp.smtp_util import PASSWORD, inbox_count, mailboxes, start_server, stop_server

CLIENTS = 50
MESSAGES_PER_CLIENT = 4
USERS = ["u0", "u1", "u2", "u3", "u4"]


def recipients_for(client, n):
    # Overlapping sets: every message goes to u0, plus one or two others depending on the client and message.
    rcpts = {"u0", USERS[1 + (client + n) % 4], USERS[1 + (client * 3 + n) % 4]}
    return sorted(f"{u}@example.test" for u in rcpts)


class Concurrency(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server({("limits.connections", "per_ip"): "200"})
        for u in USERS:
            cls.srv.add_user(f"{u}@example.test", PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def test_fifty_concurrent_clients(self):
        barrier = threading.Barrier(CLIENTS, timeout=60)
        errors = []
        accepted = {u: 0 for u in USERS}
        lock = threading.Lock()

        def client(i):
            try:
                barrier.wait()
                with smtplib.SMTP("127.0.0.1", self.srv.ports["smtp"], timeout=60) as s:
                    for n in range(MESSAGES_PER_CLIENT):
                        rcpts = recipients_for(i, n)
                        msg = (f"From: c{i}@remote.test\r\nSubject: concurrent {i}/{n}\r\n\r\n" + "z" * 6000 + "\r\n")
                        refused = s.sendmail(f"c{i}@remote.test", rcpts, msg.encode())
                        if refused:
                            raise AssertionError(refused)
                        with lock:
                            for r in rcpts:
                                accepted[r.split("@")[0]] += 1
            except Exception as e:  # collected and reported by the main thread
                with lock:
                    errors.append(f"client {i}: {e!r}")

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        self.assertFalse(any(t.is_alive() for t in threads), "clients still running after 120 s")
        self.assertEqual(errors, [])
        for u in USERS:
            inbox = mailboxes(self.srv, f"{u}@example.test")["INBOX"]
            self.assertEqual(inbox["messages"], accepted[u], u)
            self.assertEqual(inbox["uidnext"], accepted[u] + 1, u)
        self.assertEqual(accepted["u0"], CLIENTS * MESSAGES_PER_CLIENT)


if __name__ == "__main__":
    unittest.main()
