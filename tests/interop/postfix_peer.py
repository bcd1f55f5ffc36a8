"""A private Postfix instance on a loopback port for interop tests: its own config, queue and log under a
temp directory, relaying the test domain to claret over SMTP or LMTP. Never touches /etc/postfix's
running configuration (it reads only the packaged master.cf as a template)."""
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time

POSTFIX = "/usr/sbin/postfix"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def available():
    return os.path.exists(POSTFIX) and os.geteuid() == 0


class PrivatePostfix:
    def __init__(self, domain, transport=None, mailboxes=None, tls=None):
        """Either a relay for `domain` — transport: e.g. "smtp:[127.0.0.1]:2525" or "lmtp:inet:127.0.0.1:2424" —
        or, with `mailboxes` (local parts), the final destination for `domain`: Postfix's virtual(8) delivery agent
        writes each recipient's mail to a Maildir under `maildir(local_part)`; other recipients are refused at RCPT.
        tls: (cert_file, key_file) to offer STARTTLS to SMTP clients."""
        self.dir = tempfile.mkdtemp(prefix="claret-postfix-")
        os.chmod(self.dir, 0o755)
        self.conf = os.path.join(self.dir, "conf")
        self.queue = os.path.join(self.dir, "queue")
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "maillog")
        for d in (self.conf, self.queue, self.data):
            os.makedirs(d)
        shutil.chown(self.data, "postfix", "postfix")
        self.port = free_port()
        main_cf = f"""compatibility_level = 3.6
config_directory = {self.conf}
queue_directory = {self.queue}
data_directory = {self.data}
meta_directory = /etc/postfix
maillog_file_prefixes = {self.dir}
maillog_file = {self.log}
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = relay.test
mydomain = relay.test
myorigin = relay.test
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtp_dns_support_level = disabled
smtp_tls_security_level = may
smtp_tls_loglevel = 1
lmtp_tls_security_level = none
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
biff = no
"""
        if mailboxes is None:
            main_cf += f"relay_domains = {domain}\ntransport_maps = texthash:{self.conf}/transport\n"
            with open(os.path.join(self.conf, "transport"), "w") as f:
                f.write(f"{domain} {transport}\n")
        else:
            self.vmail = os.path.join(self.dir, "vmail")
            os.makedirs(self.vmail)
            shutil.chown(self.vmail, "postfix", "postfix")
            pw = pwd.getpwnam("postfix")
            main_cf += (f"relay_domains =\nvirtual_mailbox_domains = {domain}\n"
                        f"virtual_mailbox_base = {self.vmail}\n"
                        f"virtual_mailbox_maps = texthash:{self.conf}/vmailbox\n"
                        f"virtual_uid_maps = static:{pw.pw_uid}\nvirtual_gid_maps = static:{pw.pw_gid}\n"
                        f"virtual_minimum_uid = 1\n")
            with open(os.path.join(self.conf, "vmailbox"), "w") as f:
                for local in mailboxes:
                    f.write(f"{local}@{domain} {local}/\n")  # trailing slash: Maildir format
        if tls:
            main_cf += (f"smtpd_tls_cert_file = {tls[0]}\nsmtpd_tls_key_file = {tls[1]}\n"
                        "smtpd_tls_security_level = may\nsmtpd_tls_loglevel = 1\n")
        with open(os.path.join(self.conf, "main.cf"), "w") as f:
            f.write(main_cf)
        with open("/etc/postfix/master.cf") as f:
            master = f.read()
        lines = []
        for line in master.splitlines():
            fields = line.split()
            if fields and not line[0].isspace() and not line.startswith("#") and len(fields) >= 8:
                if fields[0] == "smtp" and fields[1] == "inet":
                    fields[0] = f"127.0.0.1:{self.port}"
                elif fields[1] == "inet":
                    continue  # no other network listeners (submission, smtps …)
                fields[4] = "n"  # no chroot: the private queue has no chroot setup
                line = " ".join(fields[:8]) + (" " + " ".join(fields[8:]) if len(fields) > 8 else "")
            lines.append(line)
        with open(os.path.join(self.conf, "master.cf"), "w") as f:
            f.write("\n".join(lines) + "\n")
        self._run("start")
        self._wait_listening()

    def _run(self, action):
        proc = subprocess.run([POSTFIX, "-c", self.conf, action], capture_output=True, text=True, timeout=60)
        if proc.returncode != 0 and action == "start":
            raise AssertionError(f"postfix {action} failed: {proc.stderr}\n{self.maillog()}")

    def _wait_listening(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                    if s.recv(512).startswith(b"220"):
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"postfix did not listen on {self.port}\n{self.maillog()}")

    def maillog(self):
        try:
            with open(self.log) as f:
                return f.read()[-6000:]
        except OSError:
            return ""

    def maildir(self, local_part):
        """The messages delivered to local_part's Maildir (new/), as bytes, oldest first."""
        new = os.path.join(self.vmail, local_part, "new")
        if not os.path.isdir(new):
            return []
        names = sorted(os.listdir(new), key=lambda n: os.stat(os.path.join(new, n)).st_mtime_ns)
        out = []
        for name in names:
            with open(os.path.join(new, name), "rb") as f:
                out.append(f.read())
        return out

    def delivered_count(self):
        return len(re.findall(r" status=sent ", self.maillog()))

    def stop(self):
        self._run("stop")
        # postfix stop returns before every daemon has exited; wait for the master pid to go away.
        pid_file = os.path.join(self.queue, "pid", "master.pid")
        deadline = time.monotonic() + 15
        while os.path.exists(pid_file) and time.monotonic() < deadline:
            try:
                with open(pid_file) as f:
                    pid = int(f.read().strip())
                os.kill(pid, 0)
            except (OSError, ValueError):
                break
            time.sleep(0.1)
        shutil.rmtree(self.dir, ignore_errors=True)
