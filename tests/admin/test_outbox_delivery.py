"""The outbox under two concurrent workers (PostgreSQL), and what admins see of a failure."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from casework.extensions import db
from casework.models import Organization, OutboxMessage
from casework.notify import outbox


def _queue(app, n: int, transport: str = "email") -> list[int]:
    with app.app_context(), app.test_request_context():
        org = db.session.scalars(db.select(Organization)).first()
        rows = [
            outbox.enqueue(
                org.id,
                transport,
                f"citizen{i}@example.com",
                "receipt",
                payload={"case_number": f"2570/{i:06d}"},
            )
            for i in range(n)
        ]
        db.session.commit()
        return [row.id for row in rows]


@pytest.mark.real_commits
@pytest.mark.postgresql_only
def test_two_workers_never_send_a_message_twice(app, smtp_server):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    ids = _queue(app, 40)
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    results: list = []

    def worker():
        try:
            with app.app_context():
                start.wait()
                for _ in range(5):
                    results.append(outbox.run_once(limit=40))
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    sent_to = Counter(m["to"][0] for m in smtp_server.messages)
    assert len(sent_to) == 40 and set(sent_to.values()) == {1}
    assert sum(r.sent for r in results) == 40
    with app.app_context():
        statuses = set(
            db.session.scalars(db.select(OutboxMessage.status).where(OutboxMessage.id.in_(ids)))
        )
        assert statuses == {"sent"}


@pytest.mark.real_commits
@pytest.mark.postgresql_only
def test_two_workers_claiming_the_same_rows_get_each_once(app):
    ids = _queue(app, 60)
    start = threading.Barrier(2)
    claimed: list[list[int]] = [[], []]

    def worker(n):
        with app.app_context():
            start.wait()
            claimed[n] = [row_id for row_id in ids if outbox.claim(row_id)]
            db.session.remove()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(claimed[0] + claimed[1]) == sorted(ids)
    assert not set(claimed[0]) & set(claimed[1])


def test_a_failure_shown_to_admins_never_names_the_recipient(app, client, login_as):
    def refuse(row, to):
        raise RuntimeError(f"550 5.1.1 <{to}>: Recipient address rejected; cc Other@Example.org")

    outbox.register_transport("refusing", refuse)
    try:
        (row_id,) = _queue(app, 1, transport="refusing")
        with app.app_context():
            assert outbox.run_once().retried == 1
            row = db.session.get(OutboxMessage, row_id)
            assert "citizen0@example.com" not in row.last_error
            assert "Other@Example.org" not in row.last_error
            assert "550 5.1.1 <<recipient>>" in row.last_error
            row.attempts, row.status = 6, "failed"
            db.session.commit()
    finally:
        outbox.TRANSPORTS.pop("refusing", None)
    login_as("sysadmin")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "Recipient address rejected" in page and "example.com" not in page.lower()


def test_describe_error_masks_line_ids():
    line_id = "U" + "0123456789abcdef" * 2
    text = outbox.describe_error(ValueError(f"push to {line_id} failed"), line_id)
    assert line_id not in text and "<recipient>" in text


def test_mail_gets_through_a_server_that_refuses_for_a_while_and_arrives_once(app, smtp_server):
    """The mail server first cannot be reached at all, then answers 451 ("try again later")
    to every message for a while: the worker keeps retrying until each is delivered, and no
    recipient gets a message twice."""
    from tests.gunicorn_helpers import free_port

    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=free_port(),  # nothing listens there: connection refused
        OUTBOX_BACKOFF_SECONDS=0,
        OUTBOX_MAX_ATTEMPTS=12,
    )
    ids = _queue(app, 8)
    with app.app_context():
        for _ in range(2):
            assert outbox.run_once().retried == 8
        app.config["MAIL_PORT"] = smtp_server.port
        smtp_server.fail_next = 20  # then 451 for the next 20 attempts
        for _ in range(12):
            if not outbox.run_once().retried:
                break
        rows = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.id.in_(ids))).all()
        assert {row.status for row in rows} == {"sent"}
        assert max(row.attempts for row in rows) > 3
    assert smtp_server.fail_next == 0
    sent_to = Counter(m["to"][0] for m in smtp_server.messages)
    assert len(sent_to) == 8 and set(sent_to.values()) == {1}


@pytest.mark.real_commits
@pytest.mark.postgresql_only
def test_a_worker_skips_the_row_another_is_claiming_instead_of_waiting(app):
    """claim_next takes the oldest due row that no other transaction has locked: with the oldest
    row locked by another worker, it takes the next one at once (SKIP LOCKED), and leaves the
    locked one to whoever holds it."""
    app.config.update(MAIL_SERVER="127.0.0.1")  # email is a transport ready to send
    first, second, third = _queue(app, 3)
    with app.app_context():
        other = db.engine.connect()  # another worker, in the middle of claiming the oldest row
        try:
            other.begin()
            other.execute(
                db.select(OutboxMessage.id).where(OutboxMessage.id == first).with_for_update()
            )
            assert outbox.claim_next() == second
            assert outbox.claim_next([second]) == third
        finally:
            other.close()
        assert outbox.claim_next([second, third]) == first  # released: now it is taken
        assert outbox.claim_next([first, second, third]) is None
