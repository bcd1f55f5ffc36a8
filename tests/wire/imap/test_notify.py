"""NOTIFY (RFC 5465): a session that asked for events learns of other sessions' changes to other mailboxes as
untagged STATUS, of mailbox creation/rename/deletion and subscriptions as untagged LIST, and of new messages in
the selected mailbox with the FETCH attributes it asked for — between commands, in IDLE and at NOOP; NOTIFY NONE
stops them; bad arguments get BAD and unsupported events NO [BADEVENT]."""
import re
import smtplib
import time
import unittest

from imap.imap_util import (ALICE, PASSWORD, TIMEOUT_S, Raw, client, close_quietly, lmtp_deliver, make_message,
                            start_server, stop_server)

WATCH_ALL = ("NOTIFY SET (selected (MessageNew (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)]) MessageExpunge FlagChange)) "
             "(inboxes (MessageNew MessageExpunge)) "
             "(personal (MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange))")


def status_values(line):
    """b'* STATUS name (MESSAGES 1 UIDNEXT 2)' -> {'MESSAGES': 1, ...}"""
    inner = line[line.rindex(b"(") + 1:line.rindex(b")")].split()
    return {inner[i].decode(): int(inner[i + 1]) for i in range(0, len(inner), 2)}


class Notify(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.srv.add_user(ALICE, PASSWORD)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.srv)

    def raw(self, select="INBOX", notify=WATCH_ALL):
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        r.cmd("l", f'LOGIN {ALICE} "{PASSWORD}"')
        if select:
            r.cmd("s", f"SELECT {select}")
        if notify:
            lines = r.cmd("n0", notify)
            self.assertTrue(lines[-1].startswith(b"n0 OK"), lines)
        return r

    def other(self):
        c = client(self.srv)
        self.addCleanup(close_quietly, c)
        return c

    def wait_line(self, r, pattern, seen=None):
        """Reads lines until one matches `pattern` (bounded); returns it. Lines read on the way go to `seen`."""
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            line = r.line()
            if seen is not None:
                seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r}")

    def test_capability(self):
        r = self.raw(select=None, notify=None)
        self.assertIn(b" NOTIFY", r.cmd("c", "CAPABILITY")[0])

    def test_other_mailbox_changes_arrive_between_commands(self):
        a = self.raw()
        b = self.other()
        b.create("Work")
        self.assertEqual(self.wait_line(a, rb'^\* LIST'), b'* LIST () "/" Work')
        b.append("Work", None, None, make_message("w1").encode())
        st = status_values(self.wait_line(a, rb"^\* STATUS Work "))
        self.assertEqual((st["MESSAGES"], st["UIDNEXT"]), (1, 2))
        self.assertIn("UIDVALIDITY", st)
        b.select("Work")
        b.store("1", "+FLAGS", "\\Flagged")
        self.assertEqual(status_values(self.wait_line(a, rb"^\* STATUS Work "))["MESSAGES"], 1)
        b.store("1", "+FLAGS", "\\Deleted")
        self.wait_line(a, rb"^\* STATUS Work ")
        b.expunge()
        self.assertEqual(status_values(self.wait_line(a, rb"^\* STATUS Work "))["MESSAGES"], 0)
        b.close()
        # Mailbox names: rename and delete by another session.
        b.rename("Work", "Play")
        self.assertEqual(self.wait_line(a, rb"^\* LIST"), b'* LIST () "/" Play ("OLDNAME" (Work))')
        b.subscribe("Play")
        self.assertEqual(self.wait_line(a, rb"^\* LIST"), b'* LIST (\\Subscribed) "/" Play')
        b.delete("Play")
        self.assertEqual(self.wait_line(a, rb"^\* LIST"), b'* LIST (\\NonExistent) "/" Play')
        self.assertEqual(a.cmd("z", "NOOP")[-1], b"z OK NOOP completed")

    def test_status_in_idle_and_at_noop(self):
        b = self.other()
        b.create("IdleWatch")
        a = self.raw()
        a.send("i IDLE\r\n")
        self.assertEqual(a.line(), b"+ idling")
        b.append("IdleWatch", None, None, make_message("i1").encode())
        self.assertEqual(status_values(self.wait_line(a, rb"^\* STATUS IdleWatch "))["MESSAGES"], 1)
        a.send("DONE\r\n")
        self.assertTrue(a.until_tagged("i")[-1].startswith(b"i OK"))
        # NOOP: the STATUS arrives before NOOP's OK at the latest.
        b.append("IdleWatch", None, None, make_message("i2").encode())
        seen = []
        self.wait_line(a, rb"^\* STATUS IdleWatch .*MESSAGES 2", seen)
        seen += a.cmd("n", "NOOP")
        self.assertEqual(seen[-1], b"n OK NOOP completed")

    def test_selected_message_new_with_fetch_attributes(self):
        a = self.raw()
        count = int(a.cmd("c", "STATUS INBOX (MESSAGES)")[0].split(b"MESSAGES ")[1].rstrip(b")"))
        with smtplib.SMTP("127.0.0.1", self.srv.ports["smtp"], timeout=TIMEOUT_S) as smtp:
            smtp.sendmail("sender@example.test", [ALICE], make_message("smtp-notify").encode())
        self.assertEqual(self.wait_line(a, rb"EXISTS$"), f"* {count + 1} EXISTS".encode())
        fetch = self.wait_line(a, rb"FETCH")
        self.assertRegex(fetch, rb"^\* %d FETCH \(UID \d+ BODY\[HEADER\.FIELDS \(SUBJECT\)\] \{\d+\}$" % (count + 1))
        self.assertEqual([a.line(), a.line(), a.line()], [b"Subject: smtp-notify", b"", b")"])
        # The message is not \Seen: MessageNew's attributes never set it.
        flags = a.cmd("f", f"FETCH {count + 1} (FLAGS)")[0]
        self.assertIn(b"FLAGS (", flags)
        self.assertNotIn(b"\\Seen", flags)
        # An expunge elsewhere reaches a SELECTED watcher without any command.
        b = self.other()
        b.select("INBOX")
        b.store(str(count + 1), "+FLAGS", "\\Deleted")
        self.wait_line(a, rb"FETCH .*\\Deleted")
        b.expunge()
        self.assertEqual(self.wait_line(a, rb"EXPUNGE$"), f"* {count + 1} EXPUNGE".encode())

    def test_smtp_delivery_to_inbox_gives_status_with_highestmodseq(self):
        b = self.other()
        b.create("Elsewhere")
        a = self.raw(select=None, notify=None)
        a.cmd("e", "ENABLE CONDSTORE")
        a.cmd("s", "SELECT Elsewhere")
        self.assertTrue(a.cmd("n", "NOTIFY SET (inboxes (MessageNew MessageExpunge))")[-1].startswith(b"n OK"))
        with smtplib.SMTP("127.0.0.1", self.srv.ports["smtp"], timeout=TIMEOUT_S) as smtp:
            smtp.sendmail("sender@example.test", [ALICE], make_message("smtp-status").encode())
        st = status_values(self.wait_line(a, rb"^\* STATUS INBOX "))
        self.assertEqual(set(st), {"MESSAGES", "UIDNEXT", "UIDVALIDITY", "HIGHESTMODSEQ"})

    def test_selected_delayed_keeps_expunges_for_noop(self):
        b = self.other()
        b.create("Delayed")
        for i in range(2):
            b.append("Delayed", None, None, make_message(f"d{i}").encode())
        a = self.raw(select="Delayed", notify="NOTIFY SET (selected-delayed (MessageNew MessageExpunge FlagChange))")
        witness = self.raw(select="Delayed", notify="NOTIFY SET (selected (MessageNew MessageExpunge FlagChange))")
        b.select("Delayed")
        b.store("1", "+FLAGS", "\\Deleted")
        self.wait_line(a, rb"^\* 1 FETCH .*\\Deleted")  # flag changes are pushed
        b.expunge()
        self.assertEqual(self.wait_line(witness, rb"EXPUNGE$"), b"* 1 EXPUNGE")
        lines = a.cmd("f", "FETCH 1:* (FLAGS)")  # no EXPUNGE during FETCH anyway: nothing came before it
        self.assertFalse(any(l.endswith(b"EXPUNGE") for l in lines), lines)
        self.assertIn(b"* 1 EXPUNGE", a.cmd("n", "NOOP"))

    def test_notify_none_stops_and_own_changes_are_not_echoed(self):
        a = self.raw()
        witness = self.raw()
        a.cmd("m", "CREATE Mine/")
        self.assertEqual(self.wait_line(witness, rb"^\* LIST"), b'* LIST () "/" Mine')
        self.assertEqual(a.cmd("z", "NOOP"), [b"z OK NOOP completed"])
        self.assertEqual(a.cmd("x", "NOTIFY NONE"), [b"x OK NOTIFY NONE completed"])
        b = self.other()
        b.append("Mine", None, None, make_message("m1").encode())
        # The witness hears of it, so the change went out to every session of the account; A is not told.
        self.wait_line(witness, rb"^\* STATUS Mine ")
        self.assertEqual(a.cmd("z2", "NOOP"), [b"z2 OK NOOP completed"])

    def test_set_status_reports_every_watched_mailbox(self):
        b = self.other()
        b.create("StatusA")
        b.append("StatusA", None, None, make_message("s1").encode())
        a = self.raw(notify=None)
        lines = a.cmd("n", "NOTIFY SET STATUS (mailboxes (StatusA INBOX) (MessageNew MessageExpunge))")
        self.assertTrue(lines[-1].startswith(b"n OK"), lines)
        statuses = [l for l in lines if l.startswith(b"* STATUS")]
        # The selected mailbox (INBOX) has its own responses: no STATUS for it.
        self.assertEqual(len(statuses), 1, lines)
        self.assertTrue(statuses[0].startswith(b"* STATUS StatusA ("))
        self.assertEqual(status_values(statuses[0])["MESSAGES"], 1)

    def test_errors(self):
        a = self.raw(notify=None)
        self.assertTrue(a.cmd("b1", "NOTIFY SET (personal (MessageNew MessageExpunge)")[-1].startswith(b"b1 BAD"))
        self.assertTrue(a.cmd("b2", "NOTIFY SET (selected (MessageNew))")[-1].startswith(b"b2 BAD"))
        self.assertTrue(a.cmd("b3", "NOTIFY SET (selected (MailboxName))")[-1].startswith(b"b3 BAD"))
        self.assertTrue(a.cmd("b4", "NOTIFY SET (personal (MessageNew (UID) MessageExpunge))")[-1].startswith(b"b4 BAD"))
        self.assertTrue(a.cmd("b5", "NOTIFY").pop().startswith(b"b5 BAD"))
        for tag, events in (("e1", "AnnotationChange"), ("e2", "QuotaChange"), ("e3", "SomeFutureEvent")):
            no = a.cmd(tag, f"NOTIFY SET (personal ({events}))")[-1]
            self.assertTrue(no.startswith(tag.encode() + b" NO [BADEVENT (MessageNew MessageExpunge FlagChange "
                                          b"MailboxName SubscriptionChange)]"), no)
        r = Raw(self.srv.ports["imap"])
        self.addCleanup(r.close)
        r.line()
        self.assertTrue(r.cmd("p", "NOTIFY NONE")[-1].startswith(b"p BAD"))  # not logged in


if __name__ == "__main__":
    unittest.main()
