"""The rate limit holds across real gunicorn workers when REDIS_URL is set.

With ``memory://`` each worker keeps its own count, so two workers double every limit; with
Redis they share one. This starts ``gunicorn -w 2`` with the project's gunicorn.conf.py and a
limit of three lookups a minute, sends requests until both workers have answered, and checks
that exactly three got through, that both workers said 429 after that, and that the count sits
in Redis under a keyed hash (never the address). Skipped when Redis is unreachable, unless
CI=true, where it fails instead.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from casework import demo

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
LIMIT = 3

# Each worker names itself in a header, so the test can see which one answered.
PIDAPP = """
import os
from wsgi import app as flask_app

def app(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, headers + [("X-Worker", str(os.getpid()))], exc_info)
    return flask_app(environ, start)
"""


@pytest.fixture
def redis_db():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but Redis at {REDIS_URL} is unreachable: {error}")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable")
    yield client
    client.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(port: int, method: str, path: str, body: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data else {}
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("X-Worker")
    finally:
        conn.close()


def _wait_for_both_workers(server: subprocess.Popen, port: int) -> None:
    """Until both workers have answered /healthz (or one has, for two seconds)."""
    workers: set[str] = set()
    booted = time.monotonic() + 20  # a busy machine boots workers slowly
    first = None
    while len(workers) < 2 and time.monotonic() < booted:
        if first and time.monotonic() > first + 2:
            return
        try:
            workers.add(_request(port, "GET", "/healthz")[1])
            first = first or time.monotonic()
        except OSError:
            assert server.poll() is None, server.stderr.read().decode()
            time.sleep(0.1)
    assert workers, "gunicorn did not answer"


@pytest.mark.real_commits
@pytest.mark.redis
def test_the_limit_holds_across_two_gunicorn_workers(make_app, tmp_path, redis_db):
    app = make_app()
    with app.app_context():
        demo.load()
    (tmp_path / "pidapp.py").write_text(PIDAPP)
    secret = secrets.token_hex(16)  # a fresh key, so this run's Redis keys are its own
    port = _free_port()
    env = {
        **os.environ,
        "SECRET_KEY": secret,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "RONGRIAN_INSTANCE": app.config["INSTANCE_PATH"],
        "RONGRIAN_KEYRING_FILE": app.config["RONGRIAN_KEYRING_FILE"],
        "REDIS_URL": REDIS_URL,
        "TRACK_RATE_LIMIT": f"{LIMIT} per minute",
        "OUTBOX_AUTODRAIN": "0",
    }
    env.pop("RATELIMIT_STORAGE_URI", None)
    env.pop("TRUSTED_PROXIES", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py"), "-w", "2"]
    command += ["-b", f"127.0.0.1:{port}", "--pythonpath", f"{tmp_path},{ROOT}", "pidapp:app"]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    key = hmac.new(secret.encode(), b"127.0.0.1", hashlib.sha256).hexdigest()[:32]
    try:
        _wait_for_both_workers(server, port)
        deadline = time.monotonic() + 8
        answers: list[tuple[int, str]] = []
        lookup = ("POST", "/api/v1/track", {"tracking_code": "7KQ4M2XD9HBT0RZP"})
        with ThreadPoolExecutor(4) as pool:
            while time.monotonic() < deadline:
                answers += pool.map(lambda _: _request(port, *lookup), range(4))
                refused_by = {w for s, w in answers if s == 429}
                if len(refused_by) == 2:
                    break
        statuses = [s for s, _ in answers]
        assert statuses.count(404) == LIMIT, statuses
        assert set(statuses) == {404, 429}
        assert len({w for s, w in answers if s == 429}) == 2, "only one worker answered"
        stored = [k.decode() for k in redis_db.scan_iter(match=f"*{key}*")]
        assert stored and not any("127.0.0.1" in k for k in stored)
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stderr.close()
        for k in redis_db.scan_iter(match=f"*{key}*"):
            redis_db.delete(k)
