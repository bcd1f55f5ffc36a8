"""Wire-test harness: runs the real `claret` binary on ephemeral loopback ports in a temp directory.

Standard library only. Every wait is bounded; every process started is stopped at teardown.

    with ClaretServer() as srv:            # claret init + claret serve, READY line parsed
        srv.ports["imaps"]                 # the real port of a listener
        srv.cli("user", "add", ...)        # admin CLI against the same config
"""
import json
import re
import os
import select
import shutil
import signal
import ssl
import subprocess
import tempfile
import time

CLARET = os.environ.get("CLARET_BIN", "claret")
DOMAIN = "example.test"
READY_TIMEOUT_S = 30
CLI_TIMEOUT_S = 60


class CliError(AssertionError):
    pass


def run_cli(config, *args, input=None, check=True, timeout=CLI_TIMEOUT_S):
    """Runs `claret ARGS --config CONFIG` and returns the CompletedProcess (text mode)."""
    cmd = [CLARET, *args]
    if config is not None:
        cmd += ["--config", str(config)]
    proc = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise CliError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()}")
    return proc


class ClaretDir:
    """A temp data directory initialised by `claret init` with every listener on port 0."""

    def __init__(self, extra_init_args=()):
        self.tmp = tempfile.mkdtemp(prefix="claret-wire-")
        self.data = os.path.join(self.tmp, "data")
        self.config = os.path.join(self.data, "claret.toml")
        run_cli(None, "init", "--domain", DOMAIN, "--hostname", "localhost", "--data", self.data,
                "--listen", "127.0.0.1", "--ephemeral-ports", "--allow-plaintext-on-loopback",
                *extra_init_args)

    def cli(self, *args, **kw):
        return run_cli(self.config, *args, **kw)

    def add_user(self, address, password, quota=None):
        args = ["user", "add", address, "--password-stdin"]
        if quota is not None:
            args += ["--quota", str(quota)]
        return self.cli(*args, input=password + "\n")

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


class ClaretServer(ClaretDir):
    """`claret serve` on ephemeral ports. Use as a context manager."""

    def __init__(self, extra_init_args=(), start=True):
        super().__init__(extra_init_args)
        self.proc = None
        self.ports = {}
        self.log_path = os.path.join(self.tmp, "serve.log")
        if start:
            self.start()

    def start(self):
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([CLARET, "serve", "--config", self.config], stdout=subprocess.PIPE,
                                     stderr=self.log, start_new_session=True)
        self.ports = self._wait_ready()

    def _wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT_S
        buf = b""
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not r:
                break
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.startswith(b"READY "):
                    return json.loads(line[6:].decode())["ports"]
        self.stop()
        raise AssertionError(f"claret serve did not print READY within {READY_TIMEOUT_S}s; log:\n{self.server_log()}")

    def server_log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")[-8000:]
        except OSError:
            return ""

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Stops the server; returns its exit code (or None if it had to be killed)."""
        if self.proc is None:
            return None
        code = None
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
                code = self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=timeout)
        else:
            code = self.proc.returncode
        self.proc.stdout.close()
        self.log.close()
        self.proc = None
        return code

    def tls_client_context(self):
        """A client context that trusts this server's self-signed certificate."""
        ctx = ssl.create_default_context(cafile=os.path.join(self.data, "tls", "cert.pem"))
        ctx.check_hostname = True
        return ctx

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        self.cleanup()


def edit_config(config_path, settings):
    """Sets `key = value` inside `[section]` of the TOML file for each ((section, key), value) in `settings`;
    every key must already be in the file (the `claret init` template has them all)."""
    with open(config_path) as f:
        text = f.read()
    for (section, key), value in settings.items():
        pattern = re.compile(r"(\[" + re.escape(section) + r"\][^\[]*?^" + re.escape(key) + r"\s*=\s*)[^\n#]*",
                             re.S | re.M)
        text, n = pattern.subn(lambda m: m.group(1) + value + " ", text, count=1)
        assert n == 1, f"{section}.{key} not found in the config"
    with open(config_path, "w") as f:
        f.write(text)


def start_server(settings=None):
    """A started ClaretServer whose TOML got `settings` ({("limits.imap", "max_errors"): "5"}) first."""
    srv = ClaretServer(start=False)
    try:
        if settings:
            edit_config(srv.config, settings)
        srv.start()
    except BaseException:
        srv.cleanup()
        raise
    return srv


def stored_blobs(data_dir):
    """Every stored message blob as {sha256 hex: bytes}: small blobs live in the database (table blob_data),
    large ones are content-addressed files under <data>/blobs (src/store/README.md)."""
    import sqlite3
    out = {}
    top = os.path.join(data_dir, "blobs")
    for root, _, files in os.walk(top):
        if os.path.relpath(root, top).split(os.sep)[0] == "tmp":  # blobs being written
            continue
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                out[name] = f.read()
    db_path = os.path.join(data_dir, "claret.db")
    if os.path.exists(db_path):
        db = sqlite3.connect(db_path, timeout=10)
        try:
            for blob_id, data in db.execute("SELECT id, data FROM blob_data"):
                out[blob_id] = bytes(data)
        except sqlite3.OperationalError:
            pass  # a store from before migration 3
        finally:
            db.close()
    return out


def stored_blob(data_dir, data: bytes):
    """The stored blob whose content is exactly `data` (looked up by its SHA-256), or None."""
    import hashlib
    return stored_blobs(data_dir).get(hashlib.sha256(data).hexdigest())
