"""webmail.ui_real: the browser tests of tests/webmail (real-server mode) against a real `claret serve`.

Starts `claret serve` with [webmail] enabled on ephemeral loopback ports (tests/wire/claret_harness.py), creates
two users, points WEBMAIL_URL at the https listener and runs `bash tests/webmail/run.sh` (only the tests marked
`real` run then). Bounded in time; the server is always stopped and its temp directory removed.

    CLARET_BIN=build/ci/src/app/claret CLARET_SHARED_DIR=../shared PYTHONPATH=tests/wire \
        python3 tests/webmail/real_server.py [extra run.sh / node --test arguments]

WEBMAIL_REAL_KEEP=1 keeps the server's temp directory (data, serve.log) for a look afterwards.

Exit status: that of run.sh (0 = all passed); 1 if the server could not be started.
"""
import os
import signal
import subprocess
import sys
import time

from claret_harness import ClaretServer, DOMAIN, edit_config

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_TIMEOUT_S = 560  # run.sh bounds node itself at 580 s; ctest's TIMEOUT is 600 s
USER1 = (f"alice@{DOMAIN}", "alice-real-pass-1")
USER2 = (f"bob@{DOMAIN}", "bob-real-pass-2")
ALIAS_DOMAIN = "sales.example"
ALIAS = f"desk@{ALIAS_DOMAIN}"


def run_tests(env, args):
    """Runs run.sh in its own process group; kills the whole group on timeout or interruption."""
    proc = subprocess.Popen(["bash", os.path.join(HERE, "run.sh"), *args], env=env, start_new_session=True)
    try:
        return proc.wait(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        print(f"webmail.ui_real: run.sh did not finish within {RUN_TIMEOUT_S}s; killed", file=sys.stderr)
        return 124
    finally:
        if proc.poll() is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=10)
                    break
                except subprocess.TimeoutExpired:
                    pass


def main(args):
    # A Debug+ASan build reports leaks at exit as a failure; the server's exit code is not what is tested here.
    os.environ.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    srv = ClaretServer(start=False)
    code = 1
    try:
        edit_config(srv.config, {("webmail", "enabled"): "true"})
        for user, password in (USER1, USER2):
            srv.add_user(user, password)
        # An alias of USER1 in another hosted domain: the webmail offers it as an identity and submission
        # accepts it as sender.
        srv.cli("domain", "add", ALIAS_DOMAIN)
        srv.cli("alias", "add", ALIAS, USER1[0])
        srv.start()
        port = srv.ports.get("https")
        if not port:
            print(f"webmail.ui_real: no https listener in READY ports {srv.ports}", file=sys.stderr)
            return 1
        env = dict(os.environ)
        env.update({
            "WEBMAIL_URL": f"https://localhost:{port}",
            "WEBMAIL_USER": USER1[0], "WEBMAIL_PASS": USER1[1],
            "WEBMAIL_USER2": USER2[0], "WEBMAIL_PASS2": USER2[1], "WEBMAIL_ADDRESS2": USER2[0],
            "WEBMAIL_USER_ADDRESS": USER1[0], "WEBMAIL_ALIAS": ALIAS,
        })
        env.setdefault("WEBMAIL_SCREENSHOTS", os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                                           "claret-webmail-real-screenshots"))
        print(f"webmail.ui_real: claret serve ready, webmail at {env['WEBMAIL_URL']}", flush=True)
        started = time.monotonic()
        code = run_tests(env, args)
        print(f"webmail.ui_real: run.sh exited {code} after {time.monotonic() - started:.0f}s", flush=True)
        return code
    finally:
        alive = srv.proc is not None and srv.proc.poll() is None
        srv.stop()
        if code != 0 or not alive:
            if not alive:
                print("webmail.ui_real: claret serve was not running at the end", file=sys.stderr)
            print("---- claret serve log (tail) ----\n" + srv.server_log(), file=sys.stderr)
        if os.environ.get("WEBMAIL_REAL_KEEP"):
            print(f"webmail.ui_real: kept {srv.tmp} (server log: {srv.log_path})", file=sys.stderr)
        else:
            srv.cleanup()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
