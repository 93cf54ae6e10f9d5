"""Filing and tracking cost, as multiples of a trivial request (GET /healthz) in the same run.

    .venv/bin/python -m bench [--n 200]

Machines here are shared and noisy, so only ratios are reported, never absolute times.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from casework import demo
from casework.extensions import db
from rongrian import create_app


def _time(fn, n: int) -> float:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    app = create_app(
        {
            "INSTANCE_PATH": tmp,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        },
        surface="public",
    )
    with app.app_context():
        db.create_all()
        demo.load()
    client = app.test_client()
    body = {"category": "roads", "subject": "ถนนชำรุด", "details": "หลุมลึก" * 20}
    code = client.post("/api/v1/complaints", json=body).get_json()["tracking_code"]

    baseline = _time(lambda: client.get("/healthz"), args.n)
    results = {
        "GET /healthz (baseline)": baseline,
        "POST /api/v1/complaints": _time(
            lambda: client.post("/api/v1/complaints", json=body), args.n
        ),
        "POST /api/v1/track": _time(
            lambda: client.post("/api/v1/track", json={"tracking_code": code}), args.n
        ),
        "GET /complaints/ (form)": _time(lambda: client.get("/complaints/"), args.n),
    }
    print(f"median of {args.n} runs each, as a multiple of the baseline")
    for name, value in results.items():
        print(f"  {name:32s} {value / baseline:6.1f}x")


if __name__ == "__main__":
    main()
