"""Round trips to PostgreSQL per request, counted from libpq's own protocol trace.

    python bench/roundtrips.py   (DATABASE_URL and RONGRIAN_INSTANCE as for the app)

Every request is made twice in one process and the second is counted (the first warms the
caches). A round trip is a message the client waits on: a simple ``Query`` (BEGIN, COMMIT,
ROLLBACK, the pool's pre-ping) or an extended-protocol ``Sync`` (every SQL statement). Prints
one JSON object: endpoint -> {"round_trips": n, "statements": [first words of each]}.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from sqlalchemy import event

BODY = {
    "category": "roads",
    "subject": "ถนนชำรุดเป็นหลุมบ่อ",
    "details": "ถนนหน้าบ้านเลขที่ 12 ซอยเทศบาล 3 เป็นหลุมลึก รถจักรยานยนต์ล้มไปแล้วสองคัน",
}
REPORTER = {"name": "นายสมชาย ใจดี", "phone": "081 234 5678"}


class Trace:
    def __init__(self):
        self.path = Path(tempfile.mkdtemp(prefix="rongrian-trace-")) / "libpq.trace"
        self.file = self.path.open("w+")

    def attach(self, engine) -> None:
        @event.listens_for(engine, "connect")
        def _trace(dbapi_connection, record):
            dbapi_connection.pgconn.trace(self.file.fileno())

        engine.dispose()

    def count(self, call) -> dict:
        self.file.flush()
        start = self.path.stat().st_size
        status = call()
        self.file.flush()
        with self.path.open() as fh:
            fh.seek(start)
            sent = [line.split("\t") for line in fh.read().splitlines() if "\tF\t" in line]
        kinds = [parts[3].strip() for parts in sent if len(parts) > 3]
        statements = []
        for parts in sent:
            kind = parts[3].strip() if len(parts) > 3 else ""
            text = parts[4].strip() if len(parts) > 4 else ""
            if kind in ("Query", "Parse"):
                statements.append(text.strip('"').lstrip('" ')[:40])
            elif kind == "Bind" and not text.startswith('"" ""'):  # psycopg prepared it before
                statements.append("(prepared) " + text.split('"')[3])
        statements = [s for s in statements if s]
        return {
            "status": status,
            "round_trips": sum(1 for kind in kinds if kind in ("Query", "Sync")),
            "statements": statements,
        }


def _twice(trace: Trace, call) -> dict:
    call()
    return trace.count(call)


def app_round_trips() -> dict:
    from casework.extensions import db
    from rongrian import create_app

    app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}, surface="public")
    trace = Trace()
    with app.app_context():
        trace.attach(db.engine)
    client = app.test_client()
    code = client.post("/api/v1/complaints", json=BODY).get_json()["tracking_code"]
    form = {**BODY, "kind": "complaint"}

    def web_filing():
        token = os.urandom(16).hex()
        return client.post("/complaints/", data={**form, "form_token": token}).status_code

    return {
        "API filing": _twice(
            trace, lambda: client.post("/api/v1/complaints", json=BODY).status_code
        ),
        "API filing with contact details": _twice(
            trace,
            lambda: (
                client.post(
                    "/api/v1/complaints", json={**BODY, "reporter": REPORTER, "consent": True}
                ).status_code
            ),
        ),
        "web filing": _twice(trace, web_filing),
        "API tracking": _twice(
            trace,
            lambda: client.post("/api/v1/track", json={"tracking_code": code}).status_code,
        ),
        "web tracking": _twice(
            trace,
            lambda: client.post("/complaints/track", data={"tracking_code": code}).status_code,
        ),
        # The published figures, with the per-process cache off (STATS_CACHE_SECONDS=0).
        "/stats": _twice(trace, lambda: client.get(os.environ["BENCH_STATS_PATH"]).status_code),
        "/api/v1/stats": _twice(
            trace, lambda: client.get(os.environ["BENCH_API_STATS_PATH"]).status_code
        ),
    }


def bare_round_trips(url: str) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench import bare

    app = bare.create_app(url)
    trace = Trace()
    with app.app_context():
        trace.attach(bare.db.engine)
    client = app.test_client()
    created = client.post("/bare/insert", json=BODY).get_json()["id"]
    return {
        "bare insert": _twice(trace, lambda: client.post("/bare/insert", json=BODY).status_code),
        "bare select": _twice(
            trace, lambda: client.post("/bare/select", json={"id": created}).status_code
        ),
    }


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "app"
    if which == "bare":
        print(json.dumps(bare_round_trips(os.environ["BENCH_DATABASE_URL"])))
    else:
        print(json.dumps(app_round_trips(), ensure_ascii=False))
