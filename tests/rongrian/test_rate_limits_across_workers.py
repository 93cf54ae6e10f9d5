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
import os
import secrets
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from casework import demo
from tests.gunicorn_helpers import app_environment, gunicorn, request, wait_for_workers, write_app

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
LIMIT = 3


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


@pytest.mark.real_commits
@pytest.mark.redis
def test_the_limit_holds_across_two_gunicorn_workers(make_app, tmp_path, redis_db):
    app = make_app()
    with app.app_context():
        demo.load()
    target = write_app(tmp_path)
    secret = secrets.token_hex(16)  # a fresh key, so this run's Redis keys are its own
    env = app_environment(
        app,
        SECRET_KEY=secret,
        REDIS_URL=REDIS_URL,
        TRACK_RATE_LIMIT=f"{LIMIT} per minute",
    )
    key = hmac.new(secret.encode(), b"127.0.0.1", hashlib.sha256).hexdigest()[:32]
    try:
        with gunicorn(tmp_path, target, env) as (server, port):
            wait_for_workers(server, port)
            deadline = time.monotonic() + 8
            answers: list[tuple[int, str]] = []
            lookup = ("POST", "/api/v1/track", {"tracking_code": "7KQ4M2XD9HBT0RZP"})
            with ThreadPoolExecutor(4) as pool:
                while time.monotonic() < deadline:
                    answers += pool.map(lambda _: request(port, *lookup)[:2], range(4))
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
        for k in redis_db.scan_iter(match=f"*{key}*"):
            redis_db.delete(k)
