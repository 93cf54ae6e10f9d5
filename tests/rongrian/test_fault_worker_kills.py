"""Gunicorn workers killed with SIGKILL while people file: nothing is lost, nothing is orphaned.

1,000 submissions (complaints and tips, half each) go through the JSON API to a real gunicorn
with 2 sync workers on PostgreSQL, while a thread kills a serving worker after every 40 to 90
answers (the arbiter starts a new one). Each submission carries a nonce in its text and an
Idempotency-Key; a client whose connection breaks sends the same request again with the same
key, as the OpenAPI document tells clients to, until it gets an answer.

Then, reading the database directly:
- every receipt and tracking code the clients got opens its case, whose text is intact and
  decryptable (the complaint's sealed identity, the tip's sealed questionnaire and signed
  proof) and carries the right nonce;
- the cases are exactly the submissions: one per nonce, none without a receipt its client holds
  (a worker killed between the commit and the answer left a case; the retry got its receipt);
- each register (complaints, tips) runs 1, 2, 3… with no number skipped or taken twice, and its
  counter stands at the last number.
"""

from __future__ import annotations

import http.client
import os
import random
import secrets
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from casework import demo
from casework.cases import identity, lookup
from casework.extensions import db
from casework.models import Case, CaseCounter
from casework.tipline import filing
from rongrian.tenancy import current_org
from tests.gunicorn_helpers import (
    FAST_KDF,
    app_environment,
    gunicorn,
    request,
    wait_for_workers,
    worker_pids,
    write_app,
)

SUBMISSIONS = 1000
CLIENTS = 4
BROKEN = (ConnectionError, http.client.HTTPException, TimeoutError)


def _complaint(nonce: str) -> tuple[str, dict]:
    return "/api/v1/complaints", {
        "category": "roads",
        "subject": f"ถนนชำรุด {nonce}",
        "details": f"ถนนหน้าบ้านเป็นหลุมลึก {nonce}",
        "reporter": {"name": f"สมชาย {nonce}", "phone": "0812345678"},
        "consent": True,
    }


def _tip(nonce: str) -> tuple[str, dict]:
    return "/api/v1/tips", {
        "category": "procurement",
        "what": f"มีการฮั้วประมูลงานก่อสร้าง {nonce}",
        "accused": {"role": "staff"},
    }


class Clients:
    """Sends every submission until it is answered; keeps what each client was given."""

    def __init__(self, port: int):
        self.port = port
        self.answers: dict[str, tuple[str, dict]] = {}  # nonce -> (channel, body)
        self.broken = 0
        self.statuses: list[int] = []
        self.serving: set[int] = set()  # workers that have answered
        self.lock = threading.Lock()

    def submit(self, n: int) -> None:
        channel = "complaint" if n % 2 else "tip"
        nonce = f"N{n:04d}-{secrets.token_hex(4)}"
        path, body = (_complaint if channel == "complaint" else _tip)(nonce)
        key = secrets.token_urlsafe(24)
        for _ in range(200):
            try:
                status, worker, answer = request(
                    self.port, "POST", path, body, {"Idempotency-Key": key}
                )
            except BROKEN:  # the worker died with the request: send it again, same key
                with self.lock:
                    self.broken += 1
                time.sleep(0.05)
                continue
            with self.lock:
                self.statuses.append(status)
                self.serving.add(int(worker))
            assert status in (200, 201), (status, answer)
            with self.lock:
                self.answers[nonce] = (channel, answer)
            return
        raise AssertionError(f"submission {n} never got an answer")


def _kill_workers(server, clients: Clients, stop: threading.Event, kills: list[int]) -> None:
    """After every 40 to 90 answered submissions, SIGKILL a worker that is serving (one that
    has answered: a worker still booting has nothing to lose). Counted in submissions rather
    than seconds, so a slow machine sees as many kills as a fast one."""
    rng = random.Random(12)  # noqa: S311 - the timing of faults, not a secret
    due = rng.randint(40, 90)
    while not stop.wait(0.02):
        with clients.lock:
            if len(clients.answers) < due:
                continue
            serving = sorted(clients.serving & set(worker_pids(server)))
        if not serving:
            continue
        pid = rng.choice(serving)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue
        kills.append(pid)
        due += rng.randint(40, 90)


@pytest.mark.real_commits
@pytest.mark.postgresql_only
def test_killed_workers_lose_no_submission_and_leave_no_orphan(make_app, tmp_path):
    app = make_app()
    with app.app_context():
        demo.load()
    target = write_app(tmp_path, config=FAST_KDF)
    env = app_environment(
        app,
        SECRET_KEY=secrets.token_hex(16),
        SUBMIT_RATE_LIMIT="100000 per hour",
        RATELIMIT_STORAGE_URI="memory://",
    )
    kills: list[int] = []
    with gunicorn(tmp_path, target, env) as (server, port):
        wait_for_workers(server, port)
        clients, stop = Clients(port), threading.Event()
        killer = threading.Thread(target=_kill_workers, args=(server, clients, stop, kills))
        killer.start()
        try:
            with ThreadPoolExecutor(CLIENTS) as pool:
                list(pool.map(clients.submit, range(SUBMISSIONS)))
        finally:
            stop.set()
            killer.join()

    print(f"\n{len(kills)} workers killed, {clients.broken} requests cut off and sent again")
    assert len(kills) >= 8, "too few workers were killed to prove anything"
    assert clients.broken >= 1, "no request was cut off by a kill"
    assert 500 not in clients.statuses
    assert len(clients.answers) == SUBMISSIONS

    with app.app_context(), app.test_request_context():
        org = current_org()
        found: dict[str, str] = {}  # nonce -> case number, read from the database
        for case in db.session.scalars(select(Case).where(Case.organization_id == org.id)):
            if case.channel == "complaint":
                text = case.details
                assert identity.reveal(case)["name"].endswith(text.rsplit(" ", 1)[1])
            else:
                text = filing.answers_of(case)["what"]
            nonce = text.rsplit(" ", 1)[1]
            assert nonce not in found, f"two cases for {nonce}"
            found[nonce] = case.case_number
        # No case that no client holds a receipt for; none missing.
        assert found.keys() == clients.answers.keys()

        for nonce, (channel, answer) in clients.answers.items():
            if channel == "complaint":
                case = lookup.find_by_code(org, answer["tracking_code"])
                assert case is not None and nonce in case.details
            else:
                case = filing.find_by_receipt(org, answer["receipt"])
                assert case is not None and nonce in filing.answers_of(case)["what"]
                assert filing.proof_for(case, answer["receipt"]) == answer["proof"]
            assert case.case_number == answer["case_number"] == found[nonce]

        for channel in ("complaint", "tip"):
            numbers = sorted(
                db.session.scalars(
                    select(Case.sequence).filter_by(organization_id=org.id, channel=channel)
                )
            )
            assert numbers == list(range(1, SUBMISSIONS // 2 + 1)), channel
            last = db.session.scalars(
                select(CaseCounter.last).filter_by(organization_id=org.id, channel=channel)
            ).all()
            assert last == [SUBMISSIONS // 2]
