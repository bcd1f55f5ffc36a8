"""Private Dovecot (IMAP over implicit TLS) + Postfix (submission with STARTTLS and SASL from Dovecot) on
ephemeral loopback ports, for running the webmail against the classic stack (webmail.ui_dovecot) and for
bench/webmail. Standard library only; every wait is bounded; stop() stops everything that start() started.

    peers = Peers(users={"alice@example.test": "pw", ...})
    peers.start()            # peers.imaps_port, peers.submission_port, peers.cert (PEM; also the CA to trust)
    ...
    peers.stop(); peers.cleanup()

Configuration borrowed from bench/run (start_dovecot, start_postfix), plus TLS, special-use folders and a
Dovecot auth listener that Postfix uses for SASL. Needs root (Dovecot drops to the `mail` user for mail
access; Postfix runs its daemons as `postfix`) and the Debian packages postfix, dovecot-imapd, dovecot-lmtpd.
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

DOMAIN = "example.test"
# (name, special use) of the folders Dovecot creates for every user.
SPECIAL_FOLDERS = (("Drafts", "Drafts"), ("Sent", "Sent"), ("Trash", "Trash"), ("Archive", "Archive"), ("Junk", "Junk"))
WAIT_S = 30


def missing_packages():
    """Debian packages this needs that are not installed (empty when everything is there)."""
    need = {"postfix": "/usr/sbin/postfix", "dovecot-core": "/usr/sbin/dovecot",
            "dovecot-imapd": "/usr/lib/dovecot/imap", "dovecot-lmtpd": "/usr/lib/dovecot/lmtp",
            "openssl": "/usr/bin/openssl"}
    return [pkg for pkg, path in need.items() if not os.path.exists(path)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, what, timeout=WAIT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} is not listening on 127.0.0.1:{port} after {timeout}s")


def read_pid(path, what, timeout=WAIT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path) as f:
                text = "".join(c for c in f.read() if c.isdigit())
            if text:
                return int(text)
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} wrote no pid file {path} within {timeout}s")


class Peers:
    def __init__(self, users, domain=DOMAIN, sender_aliases=None, special_folders=SPECIAL_FOLDERS):
        self.users = dict(users)
        self.special_folders = tuple(special_folders)
        # Extra envelope senders Postfix accepts from a user: {"desk@other.example": "alice@example.test"}.
        self.sender_aliases = dict(sender_aliases or {})
        self.domain = domain
        self.tmp = tempfile.mkdtemp(prefix="claret-peers-")
        os.chmod(self.tmp, 0o755)  # dovecot (mail) and postfix walk into it
        self.cert = os.path.join(self.tmp, "cert.pem")
        self.key = os.path.join(self.tmp, "key.pem")
        self.dovecot_pid = None
        self.postfix_started = False
        self.imaps_port = self.submission_port = self.lmtp_port = self.auth_port = None

    # ------------------------------------------------------------------ setup
    def make_certificate(self):
        """Self-signed for 127.0.0.1 and localhost: clients verify it with this file as their CA."""
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout", self.key, "-out", self.cert], check=True, capture_output=True, timeout=60)
        os.chmod(self.key, 0o600)

    def start_dovecot(self):
        d = os.path.join(self.tmp, "dovecot")
        vmail = os.path.join(self.tmp, "vmail")
        for sub in ("run", "state"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        os.makedirs(vmail, exist_ok=True)
        self.imaps_port, self.lmtp_port, self.auth_port = free_port(), free_port(), free_port()
        with open(os.path.join(d, "users"), "w") as f:
            for user, password in self.users.items():
                local = user.split("@")[0]
                f.write(f"{user}:{{PLAIN}}{password}:8:8::{vmail}/{local}::\n")
        shutil.chown(vmail, "mail", "mail")
        special = "".join(
            f"  mailbox \"{name}\" {{\n    special_use = \\{use}\n    auto = subscribe\n  }}\n"
            for name, use in self.special_folders)
        conf = f"""# Private Dovecot for the webmail tests: loopback only, IMAP over TLS, Maildir, passwd-file users.
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
info_log_path = {d}/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = required
ssl_cert = <{self.cert}
ssl_key = <{self.key}
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 8
last_valid_uid = 8
first_valid_gid = 8
mail_max_userip_connections = 1000
namespace inbox {{
  inbox = yes
  separator = /
{special}}}
passdb {{
  driver = passwd-file
  args = username_format=%u {d}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {d}/users
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.imaps_port}
    ssl = yes
  }}
  service_count = 0
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {self.lmtp_port}
  }}
  unix_listener lmtp {{
    mode = 0
  }}
}}
service auth {{
  inet_listener {{
    address = 127.0.0.1
    port = {self.auth_port}
  }}
}}
"""
        self.dovecot_conf = os.path.join(d, "dovecot.conf")
        with open(self.dovecot_conf, "w", encoding="utf-8") as f:
            f.write(conf)
        self.dovecot_log = os.path.join(d, "dovecot.log")
        # Started before the wait so stop() finds it even if it never gets ready. Daemons keep inherited
        # pipes open: their output goes to files, never to a pipe we would wait on.
        self.dovecot_pid_file = os.path.join(d, "run", "master.pid")
        self.daemon(["dovecot", "-c", self.dovecot_conf], os.path.join(d, "start.out"))
        self.dovecot_pid = read_pid(self.dovecot_pid_file, "dovecot")
        wait_port(self.imaps_port, "dovecot imaps")
        wait_port(self.auth_port, "dovecot auth")

    def start_postfix(self):
        p = os.path.join(self.tmp, "postfix")
        etc, spool, data = (os.path.join(p, x) for x in ("etc", "spool", "data"))
        for x in (etc, spool, data):
            os.makedirs(x, exist_ok=True)
        self.submission_port = free_port()
        with open(os.path.join(etc, "vmailbox"), "w") as f:
            for user in self.users:
                f.write(f"{user} OK\n")
        self.postfix_log = os.path.join(p, "maillog")
        with open(os.path.join(etc, "main.cf"), "w") as f:
            f.write(f"""# Private Postfix for the webmail tests: submission with STARTTLS + SASL (Dovecot), virtual
# domain {self.domain} delivered over LMTP into the private Dovecot.
compatibility_level = 3.6
config_directory = {etc}
queue_directory = {spool}
data_directory = {data}
maillog_file = {self.postfix_log}
maillog_file_prefixes = {self.tmp}
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = peer.{self.domain}
mydomain = {self.domain}
myorigin = {self.domain}
mydestination =
mynetworks = 127.0.0.0/8
relay_domains =
alias_maps =
alias_database =
biff = no
smtputf8_enable = no
virtual_mailbox_domains = {self.domain}
virtual_mailbox_maps = texthash:{etc}/vmailbox
virtual_transport = lmtp:inet:127.0.0.1:{self.lmtp_port}
smtpd_tls_cert_file = {self.cert}
smtpd_tls_key_file = {self.key}
smtpd_tls_security_level = may
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:127.0.0.1:{self.auth_port}
# The sender must be the authenticated user (as claret's submission checks).
smtpd_sender_login_maps = texthash:{etc}/senders
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
""")
        with open(os.path.join(etc, "senders"), "w") as f:
            for user in self.users:
                f.write(f"{user} {user}\n")
            for alias, user in self.sender_aliases.items():
                f.write(f"{alias} {user}\n")
        with open(os.path.join(etc, "master.cf"), "w") as f:
            f.write(f"""# service   type  private unpriv chroot wakeup maxproc command
127.0.0.1:{self.submission_port} inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_sender_restrictions=reject_sender_login_mismatch
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
pickup      unix  n       -      n      60     1       pickup
cleanup     unix  n       -      n      -      0       cleanup
qmgr        unix  n       -      n      300    1       qmgr
rewrite     unix  -       -      n      -      -       trivial-rewrite
bounce      unix  -       -      n      -      0       bounce
defer       unix  -       -      n      -      0       bounce
trace       unix  -       -      n      -      0       bounce
verify      unix  -       -      n      -      1       verify
flush       unix  n       -      n      1000?  0       flush
proxymap    unix  -       -      n      -      -       proxymap
proxywrite  unix  -       -      n      -      1       proxymap
smtp        unix  -       -      n      -      -       smtp
relay       unix  -       -      n      -      -       smtp
tlsmgr      unix  -       -      n      1000?  1       tlsmgr
showq       unix  n       -      n      -      -       showq
error       unix  -       -      n      -      -       error
retry       unix  -       -      n      -      -       error
discard     unix  -       -      n      -      -       discard
lmtp        unix  -       -      n      -      -       lmtp
anvil       unix  -       -      n      -      1       anvil
scache      unix  -       -      n      -      1       scache
postlog     unix-dgram n  -      n      -      1       postlogd
""")
        shutil.chown(data, "postfix", "postfix")
        self.postfix_etc = etc
        self.daemon(["postfix", "-c", etc, "check"], os.path.join(p, "check.out"))
        self.postfix_started = True
        self.daemon(["postfix", "-c", etc, "start"], os.path.join(p, "start.out"))
        read_pid(os.path.join(spool, "pid", "master.pid"), "postfix")
        wait_port(self.submission_port, "postfix submission")

    def daemon(self, cmd, out_path):
        with open(out_path, "wb") as out:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, timeout=WAIT_S)
        if proc.returncode != 0:
            with open(out_path, errors="replace") as f:
                raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {f.read()[-2000:]}")

    def start(self):
        self.make_certificate()
        self.start_dovecot()
        self.start_postfix()

    # --------------------------------------------------------------- teardown
    def logs(self, limit=4000):
        out = []
        for name, path in (("dovecot", getattr(self, "dovecot_log", "")), ("postfix", getattr(self, "postfix_log", ""))):
            try:
                with open(path, errors="replace") as f:
                    out.append(f"---- {name} log (tail) ----\n" + f.read()[-limit:])
            except OSError:
                pass
        return "\n".join(out)

    def stop(self):
        if self.postfix_started:
            subprocess.run(["postfix", "-c", self.postfix_etc, "stop"], capture_output=True, timeout=WAIT_S)
            self.postfix_started = False
        if not self.dovecot_pid and getattr(self, "dovecot_pid_file", None):
            try:
                self.dovecot_pid = read_pid(self.dovecot_pid_file, "dovecot", timeout=2)
            except RuntimeError:
                pass
        if self.dovecot_pid:
            try:
                os.kill(self.dovecot_pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + WAIT_S
            while time.monotonic() < deadline:
                try:
                    os.kill(self.dovecot_pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                try:
                    os.kill(self.dovecot_pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self.dovecot_pid = None

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)
