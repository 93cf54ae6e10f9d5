"""A gunicorn worker's memory right after boot and after 200 mixed requests, in a few seconds
(README "Performance", worker memory): ``.venv/bin/python -m bench.memory [APP_DIR]``.

Serves APP_DIR (default: this checkout; another checkout for a before/after comparison) as
``make bench`` does (gunicorn.conf.py, 2 sync workers, the public surface) on a PostgreSQL
database created afresh and dropped afterwards (BENCH_DATABASE, default ``bench_memory``), and
prints each worker's resident memory (VmRSS) as JSON. The requests: API and web filing, API and
web tracking, the home page, the complaint form and ``/stats``, in turn.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from bench.run import (
    ROOT,
    UNLIMITED,
    Server,
    Settings,
    _complaint,
    drop_database,
    flask,
    form_session,
    post_json,
    recreate_database,
    stats_path,
)

REQUESTS = 200


def post_form(url: str, body: dict, cookie: str) -> None:
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(body).encode(),
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()


def get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()


def mixed_requests(app: Server) -> None:
    codes = [post_json(app.url("/api/v1/complaints"), _complaint())["tracking_code"]]
    cookie, csrf = form_session(app.url("/complaints/"))

    def file() -> None:
        codes.append(post_json(app.url("/api/v1/complaints"), _complaint())["tracking_code"])

    steps = [
        file,
        lambda: post_json(app.url("/api/v1/track"), {"tracking_code": codes[-1]}),
        lambda: post_form(
            app.url("/complaints/track"), {"csrf_token": csrf, "tracking_code": codes[-1]}, cookie
        ),
        lambda: get(app.url("/")),
        lambda: get(app.url("/complaints/")),
        lambda: get(app.url(stats_path())),
        lambda: get(app.url(stats_path(api=True))),
    ]
    for n in range(REQUESTS - 2):
        steps[n % len(steps)]()


def main() -> None:
    app_dir = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT
    os.environ.setdefault("BENCH_DATABASE", "bench_memory")
    s = Settings()
    work = Path(tempfile.mkdtemp(prefix="rongrian-memory-"))
    environ = {
        **os.environ,
        "DATABASE_URL": s.app_url("rongrian"),
        "RONGRIAN_INSTANCE": str(work / "instance"),
        "RONGRIAN_SURFACE": "public",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "SUBMIT_RATE_LIMIT": UNLIMITED,
        "TRACK_RATE_LIMIT": UNLIMITED,
    }
    recreate_database(s)
    flask(environ, "db", "upgrade")
    flask(environ, "demo", "load")
    app = Server("memory", "wsgi:app", 5613, app_dir, environ, work)
    try:
        app.wait("/healthz")  # one worker answers it; the other has booted and served nothing
        booted = app.worker_rss_mb()
        mixed_requests(app)
        after = app.worker_rss_mb()
    finally:
        app.process.terminate()
        app.process.wait()
        if os.environ.get("BENCH_KEEP") != "1":
            drop_database(s)
    print(json.dumps({"app_dir": str(app_dir), "booted_mb": booted, "after_mb": after}))


if __name__ == "__main__":
    main()
