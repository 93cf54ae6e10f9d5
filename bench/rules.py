"""Which rule costs what: a filing and a tracking lookup with one rule switched off at a time.

    python bench/rules.py   (DATABASE_URL, RONGRIAN_INSTANCE and BENCH_DATABASE_URL as for
                             bench/roundtrips.py; ``make bench`` runs it on the last stage's
                             database and keeps the figures under "rules" in its results)

Flask's test client sends the requests through the whole app in this process: the rate limiter,
the checks of the input, the domain, the ORM and the local PostgreSQL. Each *variant* switches
one rule off by patching, for this process only, the function that applies it; none of this is
a setting of the product, and the cases these variants write (no timeline entry, no sealed
identity, numbers outside the register) live only in the benchmark's database, which
``make bench`` drops. The variants run in turns (``BENCH_RULES_ROUNDS`` rounds of
``BENCH_RULES_REQUESTS`` requests each) and the median of each figure is kept: the CPU of this
process (``time.process_time``: the app plus the test client's small share), the CPU of its
PostgreSQL backend (``/proc``), the wall time, and the round trips of one request (libpq's trace,
as bench/roundtrips.py counts them). What a rule costs is the figure with every rule on minus the
figure without that one. The bare app (bench/bare.py) is measured the same way, in the same run.

Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from itertools import count
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.roundtrips import BODY, Trace  # noqa: E402
from bench.run import backends, cpu_seconds, csrf_token  # noqa: E402

REPORTER = {"name": "นายสมชาย ใจดี", "phone": "081 234 5678", "email": "somchai@example.org"}
ROUNDS = int(os.environ.get("BENCH_RULES_ROUNDS") or 5)
REQUESTS = int(os.environ.get("BENCH_RULES_REQUESTS") or 200)
APPLICATION = "rules"  # the backends of this process, told apart by application_name


def _off(*patches) -> Callable[[], ExitStack]:
    def switch() -> ExitStack:
        stack = ExitStack()
        for target, attribute, value in patches:
            stack.enter_context(mock.patch.object(target, attribute, value))
        return stack

    return switch


def filing_rules(app) -> dict[str, Callable[[], ExitStack]]:
    """Each rule a complaint's filing keeps, and how to switch it off for one variant."""
    from casework.cases import identity, numbering, timeline
    from casework.extensions import db, limiter
    from casework.general import intake
    from casework.models import rollup
    from casework.notify import outbox

    with app.app_context():
        pool = db.engine.pool
    numbers = count(10**8 + os.getpid() % 10**6 * 100)
    return {
        "rate limit (a shared count per address)": _off((limiter, "enabled", False)),
        "pre-ping (no request fails on a dead connection)": _off((pool, "_pre_ping", False)),
        "checks and cleaning of the input": _off((intake, "normalize", lambda sub: {})),
        "gap-free register number (row lock)": _off(
            (numbering, "next_sequence", lambda *args: next(numbers))
        ),
        "sealed contact details (AES-GCM, blind indexes)": _off(
            (identity, "seal", lambda case, data: None)
        ),
        'first timeline entry ("received")': _off((timeline, "record", lambda *a, **k: None)),
        "receipt email queued in the outbox": _off(
            (outbox, "enqueue_citizen_email", lambda *a, **k: None)
        ),
        "published figures' rollup": _off((rollup, "add", lambda connection, delta: None)),
    }


def tracking_rules(app) -> dict[str, Callable[[], ExitStack]]:
    from casework.extensions import db, limiter

    with app.app_context():
        pool = db.engine.pool
    return {
        "rate limit (a shared count per address)": _off((limiter, "enabled", False)),
        "pre-ping (no request fails on a dead connection)": _off((pool, "_pre_ping", False)),
    }


def page_parts() -> dict[str, Callable[[], ExitStack]]:
    """The web tracking page without its HTML: the lookup and the route alone."""
    import complaints.views

    return {
        "the page itself (template, forms, Thai labels)": _off(
            (complaints.views, "_status_page", lambda case, **kw: ("", 200))
        ),
    }


@contextmanager
def _all(switches: dict) -> Iterator[None]:
    with ExitStack() as stack:
        for switch in switches.values():
            stack.enter_context(switch())
        yield


def measure(call: Callable, variants: dict[str, Callable], trace: Trace, url: str) -> dict:
    """Every variant's median CPU, backend CPU and wall time per request, and round trips."""
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in variants}
    trips = {}
    for name, switch in variants.items():  # warm each variant up, and count its round trips
        with switch():
            for _ in range(20):
                call()
            trips[name] = trace.count(call)["round_trips"]
    for _ in range(ROUNDS):
        for name, switch in variants.items():
            with switch():
                pids = backends(url, APPLICATION)
                db_before = sum(cpu_seconds(pids).values())
                cpu, wall = time.process_time(), time.perf_counter()
                for _ in range(REQUESTS):
                    call()
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                db_cpu = sum(cpu_seconds(pids).values()) - db_before
            samples[name].append((cpu, db_cpu, wall))
    out = {}
    for name, runs in samples.items():
        cpu, db_cpu, wall = (statistics.median(run[i] for run in runs) for i in range(3))
        out[name] = {
            "cpu_ms": round(cpu / REQUESTS * 1000, 3),
            "db_cpu_ms": round(db_cpu / REQUESTS * 1000, 3),
            "wall_ms": round(wall / REQUESTS * 1000, 3),
            "round_trips": trips[name],
        }
    return out


def costs(figures: dict, full: str = "all rules on") -> dict:
    """What each rule adds: the full figures minus the figures without it."""
    whole = figures[full]
    return {
        name: {key: round(whole[key] - value[key], 3) for key in whole}
        for name, value in figures.items()
        if name != full
    }


def _variants(rules: dict, none_label: str) -> dict:
    return {"all rules on": ExitStack, **rules, none_label: lambda: _all(rules)}


def app_rules(url: str) -> dict:
    from casework.extensions import db
    from rongrian import create_app

    app = create_app(surface="public")
    trace = Trace()
    with app.app_context():
        trace.attach(db.engine)
    client = app.test_client()
    body = {**BODY, "reporter": REPORTER, "consent": True}

    def file() -> None:
        assert client.post("/api/v1/complaints", json=body).status_code == 201

    code = client.post("/api/v1/complaints", json=BODY).get_json()["tracking_code"]
    page = client.get("/complaints/track").get_data(as_text=True)
    form = {"tracking_code": code, "csrf_token": csrf_token(page)}

    def track_api() -> None:
        assert client.post("/api/v1/track", json={"tracking_code": code}).status_code == 200

    def track_web() -> None:
        assert client.post("/complaints/track", data=form).status_code == 200

    filing = measure(file, _variants(filing_rules(app), "every rule above off"), trace, url)
    api = measure(track_api, _variants(tracking_rules(app), "both rules above off"), trace, url)
    web_rules = {**tracking_rules(app), **page_parts()}
    web = measure(track_web, _variants(web_rules, "all three above off"), trace, url)
    return {
        "API filing with contact details and email": {"figures": filing, "costs": costs(filing)},
        "API tracking": {"figures": api, "costs": costs(api)},
        "web tracking": {"figures": web, "costs": costs(web)},
    }


def bare_figures(url: str) -> dict:
    from bench import bare

    app = bare.create_app(os.environ["BENCH_DATABASE_URL"])
    trace = Trace()
    with app.app_context():
        bare.db.create_all()
        trace.attach(bare.db.engine)
    client = app.test_client()
    created = client.post("/bare/insert", json=BODY).get_json()["id"]
    insert = measure(
        lambda: client.post("/bare/insert", json=BODY), {"bare insert": ExitStack}, trace, url
    )
    select = measure(
        lambda: client.post("/bare/select", json={"id": created}),
        {"bare select": ExitStack},
        trace,
        url,
    )
    return insert | select


def main() -> None:
    url = os.environ["BENCH_BACKENDS_URL"]  # a libpq URL to read pg_stat_activity with
    results = {
        "rounds": ROUNDS,
        "requests": REQUESTS,
        "bare": bare_figures(url),
        **app_rules(url),
    }
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
