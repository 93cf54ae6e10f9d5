"""The outbox worker: SMTP delivery, retries with backoff, never twice, failures for admins."""

from __future__ import annotations

from datetime import datetime, timedelta

from casework.extensions import db
from casework.models import Organization, OutboxMessage
from casework.notify import outbox

NOW = datetime(2027, 3, 1, 2, 0)


def _queue(app, n=1):
    with app.app_context(), app.test_request_context():
        org = db.session.scalars(db.select(Organization)).first()
        ids = []
        for i in range(n):
            row = outbox.enqueue(
                org.id,
                "email",
                f"c{i}@example.com",
                "receipt",
                payload={"case_number": f"2570/00000{i}"},
            )
            db.session.flush()
            ids.append(row.id)
        db.session.commit()
        return ids


def test_sends_once_and_retries_with_backoff(app, smtp_server, frozen):
    frozen(NOW)
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.port,
        OUTBOX_BACKOFF_SECONDS=60,
        OUTBOX_MAX_ATTEMPTS=3,
    )
    (row_id,) = _queue(app)
    smtp_server.fail_next = 1
    with app.app_context():
        stats = outbox.run_once()
        assert (stats.sent, stats.retried) == (0, 1)
        row = db.session.get(OutboxMessage, row_id)
        assert row.status == "pending" and row.attempts == 1 and "451" in row.last_error
        assert row.next_attempt_at == NOW + timedelta(seconds=60)
        assert outbox.run_once().sent == 0  # not yet due
    frozen(NOW + timedelta(seconds=61))
    with app.app_context():
        assert outbox.run_once().sent == 1
        assert outbox.run_once().sent == 0  # sent rows are never sent again
        assert not outbox.claim(row_id)
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["to"] == ["c0@example.com"]


def test_gives_up_after_max_attempts_and_admin_sees_it(app, client, login_as, frozen):
    frozen(NOW)
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=1,
        OUTBOX_MAX_ATTEMPTS=2,
        OUTBOX_BACKOFF_SECONDS=1,
        MAIL_TIMEOUT=2,
    )
    (row_id,) = _queue(app)
    with app.app_context():
        outbox.run_once()
    frozen(NOW + timedelta(seconds=5))
    with app.app_context():
        assert outbox.run_once().failed == 1
        assert db.session.get(OutboxMessage, row_id).status == "failed"
    login_as("sysadmin")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "แจ้งการรับเรื่องร้องเรียน" in page and "c0@example.com" not in page
    assert client.post(f"/admin/outbox/{row_id}/retry").status_code == 302
    with app.app_context():
        assert db.session.get(OutboxMessage, row_id).status == "pending"


def test_a_claimed_row_cannot_be_claimed_again(app):
    (row_id,) = _queue(app)
    with app.app_context():
        assert outbox.claim(row_id)
        assert not outbox.claim(row_id)


def test_without_mail_server_email_stays_queued(app):
    _queue(app, 2)
    with app.app_context():
        stats = outbox.run_once()
        assert stats.sent == stats.failed == 0
        assert (
            db.session.scalar(
                db.select(db.func.count()).select_from(OutboxMessage).filter_by(status="pending")
            )
            == 2
        )


def test_development_autodrain_sends_after_the_request(make_app, smtp_server):
    from casework import demo

    app = make_app(
        {"OUTBOX_AUTODRAIN": True, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}
    )
    with app.app_context():
        demo.load()
    response = app.test_client().post(
        "/api/v1/complaints",
        json={
            "category": "roads",
            "subject": "ถนน",
            "details": "หลุม",
            "reporter": {"email": "p@example.com"},
            "consent": True,
        },
    )
    assert response.status_code == 201
    response.close()
    assert [m["to"] for m in smtp_server.messages] == [["p@example.com"]]
