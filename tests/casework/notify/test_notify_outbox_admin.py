"""What the administrator's outbox page reads and does, called directly: counts by status, the
problem rows, sending a failed message again (audited), and the worker's pass."""

from __future__ import annotations

from datetime import timedelta

from casework.dates import clock
from casework.extensions import db
from casework.models import AuditEntry, Organization, OutboxMessage
from casework.notify import outbox


def _queue(org_id: int, status: str, attempts: int = 0) -> OutboxMessage:
    row = outbox.enqueue(org_id, "email", "someone@example.com", "receipt")
    row.status, row.attempts = status, attempts
    db.session.commit()
    return row


def test_counts_and_problems_of_one_organization(rc, org):
    other = Organization(slug="other", name_th="อื่น", name_en="Other")
    db.session.add(other)
    db.session.commit()
    fresh = _queue(org.id, outbox.PENDING)
    retrying = _queue(org.id, outbox.PENDING, attempts=2)
    failed = _queue(org.id, outbox.FAILED, attempts=6)
    sending = _queue(org.id, outbox.SENDING, attempts=1)
    _queue(org.id, outbox.SENT, attempts=1)
    _queue(other.id, outbox.FAILED, attempts=6)
    assert outbox.status_counts(org.id) == {"pending": 2, "failed": 1, "sending": 1, "sent": 1}
    problems = outbox.problems(org.id)
    assert [r.id for r in problems] == [sending.id, failed.id, retrying.id]
    assert fresh not in problems
    assert [r.id for r in outbox.problems(org.id, limit=1)] == [sending.id]


def test_a_failed_message_is_sent_again_and_the_retry_audited(rc, org, frozen):
    frozen(clock.utcnow())
    failed = _queue(org.id, outbox.FAILED, attempts=6)
    sent = _queue(org.id, outbox.SENT, attempts=1)
    assert outbox.retry(org.id, sent.id, actor_id=None) is False
    assert outbox.retry(org.id + 1, failed.id, actor_id=None) is False
    assert outbox.retry(org.id, 0, actor_id=None) is False
    assert outbox.retry(org.id, failed.id, actor_id=None) is True
    db.session.expire_all()
    row = db.session.get(OutboxMessage, failed.id)
    assert (row.status, row.attempts, row.next_attempt_at) == (outbox.PENDING, 0, clock.utcnow())
    entries = db.session.scalars(db.select(AuditEntry).filter_by(action="outbox.retry")).all()
    assert [e.target for e in entries] == [str(failed.id)]


def test_a_message_sending_for_long_looks_stuck(frozen):
    now = clock.utcnow()
    frozen(now)
    assert outbox.stuck_before() == now - outbox.STUCK_AFTER
    assert timedelta(minutes=15) == outbox.STUCK_AFTER


def test_the_workers_pass_lets_the_session_go(rc, org):
    row = _queue(org.id, outbox.PENDING)
    stats = outbox.run_pass()
    assert stats.sent == 0  # no mail server in the tests: email waits
    assert row not in db.session  # a fresh session for the next pass
