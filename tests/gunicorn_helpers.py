"""A real gunicorn serving the app, for the tests that need real worker processes (the rate
limit across workers, worker kills): started with the project's gunicorn.conf.py on a free port,
with the test app's database, instance folder and keyring, and stopped afterwards."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port: int, method: str, path: str, body: dict | None = None, headers=None):
    """(status, X-Worker header, parsed JSON body or None)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        data = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json"} if data else {}
        conn.request(method, path, body=data, headers={**sent, **(headers or {})})
        response = conn.getresponse()
        raw = response.read()
        parsed = None
        if response.getheader("Content-Type", "").startswith("application/json"):
            parsed = json.loads(raw)
        return response.status, response.getheader("X-Worker"), parsed
    finally:
        conn.close()


# Each worker names itself in a header, so a test can see which one answered. ``config`` is
# Python source for the dict create_app gets on top of the environment's settings.
APP_MODULE = """
import os
from casework.crypto import custodian_keys, receipts
from rongrian import create_app

flask_app = create_app({config})

def app(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, headers + [("X-Worker", str(os.getpid()))], exc_info)
    return flask_app(environ, start)
"""

# Tip receipts' and custodian keys' key derivation at the tests' cost, not production's.
FAST_KDF = (
    '{"RECEIPT_KDF_COST": receipts.FAST_TEST_COST, '
    '"CUSTODIAN_KDF_COST": custodian_keys.FAST_TEST_COST}'
)


def write_app(directory: Path, name: str = "testedapp", config: str = "None") -> str:
    """Write the app module gunicorn loads; returns its ``module:app`` target."""
    (directory / f"{name}.py").write_text(APP_MODULE.format(config=config))
    return f"{name}:app"


def app_environment(app, **extra: str) -> dict:
    """The environment that points gunicorn's app at the test app's database and files."""
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "RONGRIAN_INSTANCE": app.config["INSTANCE_PATH"],
        "RONGRIAN_KEYRING_FILE": app.config["RONGRIAN_KEYRING_FILE"],
        "OUTBOX_AUTODRAIN": "0",
        **extra,
    }
    for name in ("RATELIMIT_STORAGE_URI", "TRUSTED_PROXIES", "REDIS_URL"):
        if name not in extra:
            env.pop(name, None)
    return env


@contextmanager
def gunicorn(module_dir: Path, target: str, env: dict, workers: int = 2):
    """``gunicorn -w workers target`` (``module:app`` found in ``module_dir``); yields
    (process, port)."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "-c",
        str(ROOT / "gunicorn.conf.py"),
    ]
    command += ["-w", str(workers), "-b", f"127.0.0.1:{port}"]
    command += ["--pythonpath", f"{module_dir},{ROOT}", target]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        yield server, port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stderr.close()


def wait_for_workers(server: subprocess.Popen, port: int, count: int = 2) -> None:
    """Until ``count`` workers have answered /healthz (or one has, for two seconds)."""
    workers: set[str] = set()
    booted = time.monotonic() + 30  # a busy machine boots workers slowly
    first = None
    while len(workers) < count and time.monotonic() < booted:
        if first and time.monotonic() > first + 2:
            return
        try:
            workers.add(request(port, "GET", "/healthz")[1])
            first = first or time.monotonic()
        except OSError:
            assert server.poll() is None, server.stderr.read().decode()
            time.sleep(0.1)
    assert workers, "gunicorn did not answer"


def worker_pids(server: subprocess.Popen) -> list[int]:
    """The arbiter's live worker processes (Linux /proc)."""
    path = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    try:
        return [int(pid) for pid in path.read_text().split()]
    except FileNotFoundError:
        return []
