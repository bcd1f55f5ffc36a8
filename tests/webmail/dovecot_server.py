"""webmail.ui_dovecot: the browser tests of tests/webmail (real-server mode) with `claret webmail` standalone in
front of the classic stack — a private Dovecot (IMAP over TLS) and a private Postfix (submission, STARTTLS,
SASL through Dovecot, sender must belong to the login) from Debian, started by peers.py on ephemeral loopback
ports. The webmail verifies both servers' certificate (its CA file is the peers' self-signed certificate).

    CLARET_BIN=build/ci/src/app/claret python3 tests/webmail/dovecot_server.py [run.sh / node --test arguments]

Exit status: that of run.sh; 77 (ctest: skipped) with a message when the Debian packages are missing or this
does not run as root; 1 if something could not be started. WEBMAIL_REAL_KEEP=1 keeps the temp directory.
"""
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from peers import Peers, missing_packages  # noqa: E402
from real_server import run_tests  # noqa: E402

CLARET = os.environ.get("CLARET_BIN", "claret")
USER1 = ("alice@example.test", "alice-dovecot-pass-1")
USER2 = ("bob@example.test", "bob-dovecot-pass-2")
# Postfix lets alice send as this address (smtpd_sender_login_maps); the webmail cannot know it: the test adds
# it as a sender identity by hand, as a user of a standalone webmail would.
MANUAL_ALIAS = "desk@sales.example"
# Special-use folders under other names than claret's (Outlook-style and localised, as many installations have
# them): the tests must find them through the API's special_use, never by name.
SPECIAL_FOLDERS = (("Entwürfe", "Drafts"), ("Sent Items", "Sent"), ("Deleted Items", "Trash"),
                   ("Archives", "Archive"), ("Junk Email", "Junk"))
SKIP = 77
READY_S = 30


def start_webmail(peers, tmp):
    log = open(os.path.join(tmp, "webmail.log"), "wb")
    cmd = [CLARET, "webmail", "--listen", "127.0.0.1:0", "--cert", peers.cert, "--key", peers.key,
           "--imap", f"imaps://127.0.0.1:{peers.imaps_port}",
           "--submission", f"submission://127.0.0.1:{peers.submission_port}",
           "--ca-file", peers.cert, "--hostname", "localhost", "--state-dir", os.path.join(tmp, "state")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, start_new_session=True)
    deadline = time.monotonic() + READY_S
    buf = b""
    while time.monotonic() < deadline:
        r, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not r:
            break
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            break
        buf += chunk
        if b"\n" in buf and buf.startswith(b"READY "):
            ports = json.loads(buf.split(b"\n", 1)[0][6:].decode())["ports"]
            return proc, log, ports["https"]
    stop_process(proc)
    raise RuntimeError("claret webmail did not print READY within %ds" % READY_S)


def stop_process(proc, timeout=15):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=timeout)
    if proc.stdout:
        proc.stdout.close()


def main(args):
    missing = missing_packages()
    if missing:
        print(f"webmail.ui_dovecot: SKIPPED: Debian packages missing: {' '.join(missing)} "
              "(install them, see /work/shared/reference/peers.md or bench/run)", file=sys.stderr)
        return SKIP
    if os.geteuid() != 0:
        print("webmail.ui_dovecot: SKIPPED: private Dovecot/Postfix instances need root", file=sys.stderr)
        return SKIP
    os.environ.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    tmp = tempfile.mkdtemp(prefix="claret-webmail-dovecot-")
    peers = Peers(dict([USER1, USER2]), sender_aliases={MANUAL_ALIAS: USER1[0]}, special_folders=SPECIAL_FOLDERS)
    web = log = None
    code = 1
    try:
        peers.start()
        web, log, port = start_webmail(peers, tmp)
        env = dict(os.environ)
        env.update({
            "WEBMAIL_URL": f"https://localhost:{port}",
            "WEBMAIL_USER": USER1[0], "WEBMAIL_PASS": USER1[1],
            "WEBMAIL_USER2": USER2[0], "WEBMAIL_PASS2": USER2[1], "WEBMAIL_ADDRESS2": USER2[0],
            "WEBMAIL_USER_ADDRESS": USER1[0], "WEBMAIL_ALIAS_MANUAL": MANUAL_ALIAS,
        })
        env.setdefault("WEBMAIL_SCREENSHOTS", os.path.join(tmp, "screenshots"))
        print(f"webmail.ui_dovecot: Dovecot imaps :{peers.imaps_port}, Postfix submission :{peers.submission_port}, "
              f"claret webmail at {env['WEBMAIL_URL']}", flush=True)
        started = time.monotonic()
        code = run_tests(env, args)
        print(f"webmail.ui_dovecot: run.sh exited {code} after {time.monotonic() - started:.0f}s", flush=True)
        return code
    except Exception as e:  # noqa: BLE001 — report any start-up failure with the logs
        print(f"webmail.ui_dovecot: {e}", file=sys.stderr)
        code = 1
        return 1
    finally:
        if web is not None:
            stop_process(web)
        if log is not None:
            log.close()
        peers.stop()
        if code != 0:
            try:
                with open(os.path.join(tmp, "webmail.log"), errors="replace") as f:
                    print("---- claret webmail log (tail) ----\n" + f.read()[-6000:], file=sys.stderr)
            except OSError:
                pass
            print(peers.logs(), file=sys.stderr)
        if os.environ.get("WEBMAIL_REAL_KEEP"):
            print(f"webmail.ui_dovecot: kept {tmp} and {peers.tmp}", file=sys.stderr)
        else:
            peers.cleanup()
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
