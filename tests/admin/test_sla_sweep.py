"""The daily sweep: due-soon reminders once per deadline, overdue reminders daily, escalation to
the supervisors once per deadline (timeline and audit), follow-up reminders for forwarded cases;
running it twice sends nothing twice; officers' emails name no complainant."""

from __future__ import annotations

import email
from datetime import date, datetime, timedelta
from email.policy import default as email_policy

from casework.extensions import db
from casework.general import sweep, workflow
from casework.models import AuditEntry, Case, OutboxMessage, User
from casework.notify import outbox

FILED = datetime(2027, 3, 1, 3, 0)  # Mon 1 Mar 2027, 10:00 in Bangkok


def _templates(case_id: int) -> list[str]:
    return sorted(
        db.session.scalars(
            db.select(OutboxMessage.template).filter_by(case_id=case_id).order_by(OutboxMessage.id)
        )
    )


def _user(email_address: str) -> User:
    return db.session.scalar(db.select(User).filter_by(email=email_address))


def test_reminders_escalation_and_idempotence(app, login_as, frozen, file_complaint):
    frozen(FILED)
    login_as("supervisor")
    officer_id = login_as("officer", "works")
    case_id = file_complaint(
        subject="ท่อระบายน้ำอุดตัน", reporter={"name": "นายหนึ่ง"}, consent=True
    ).case.id
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.assignee_id = officer_id
        db.session.commit()
        assert case.due_date == date(2027, 3, 16)  # roads: 15 calendar days

    # Two days before the deadline: one due-soon reminder, however often the sweep runs.
    frozen(datetime(2027, 3, 14, 1, 0))
    with app.app_context():
        first, again = sweep.run()["demo"], sweep.run()["demo"]
        assert (first.due_soon, first.queued, again.queued) == (1, 1, 0)
    frozen(datetime(2027, 3, 15, 1, 0))
    with app.app_context():
        assert sweep.run()["demo"].queued == 0  # still the same deadline: no second reminder
        assert _templates(case_id) == ["due_soon"]

    # Overdue: the officer is reminded and the supervisors get one escalation.
    frozen(datetime(2027, 3, 17, 1, 0))
    with app.app_context():
        stats = sweep.run()["demo"]
        assert (stats.overdue, stats.escalated, stats.queued) == (1, 1, 2)
        assert sweep.run()["demo"].queued == 0
        case = db.session.get(Case, case_id)
        assert [e.kind for e in case.events].count("escalated") == 1
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="case.escalate"))
        assert entry.case_id == case_id and entry.data["due_date"] == "2027-03-16"

    # The next day: the officer is reminded again, the supervisors are not.
    frozen(datetime(2027, 3, 18, 1, 0))
    with app.app_context():
        stats = sweep.run()["demo"]
        assert (stats.escalated, stats.queued) == (0, 1)
        assert _templates(case_id) == ["due_soon", "escalation", "overdue", "overdue"]
        # The explanation with a new date ends the overdue state: nothing more is sent.
        case = db.session.get(Case, case_id)
        workflow.explain_delay(
            case, db.session.get(User, officer_id), "รอผลสำรวจ", date(2027, 4, 30)
        )
    frozen(datetime(2027, 3, 19, 1, 0))
    with app.app_context():
        assert sweep.run()["demo"].queued == 0


def test_forwarded_case_is_followed_up_on_its_date(app, login_as, frozen, file_complaint):
    frozen(FILED)
    officer_id = login_as("officer", "works")
    case_id = file_complaint().case.id
    with app.app_context():
        case = db.session.get(Case, case_id)
        workflow.forward(
            case,
            db.session.get(User, officer_id),
            "damrongdham",
            "",
            "ดธ 55/2570",
            date(2027, 3, 8),
            "",
        )
    frozen(datetime(2027, 3, 7, 1, 0))
    with app.app_context():
        assert sweep.run()["demo"].follow_up == 0
    frozen(datetime(2027, 3, 8, 1, 0))
    with app.app_context():
        stats = sweep.run()["demo"]
        assert stats.follow_up == 1 and stats.queued == 1
        assert sweep.run()["demo"].queued == 0
        row = db.session.scalar(db.select(OutboxMessage).filter_by(template="follow_up"))
        assert row.payload["reference"] == "ดธ 55/2570"
        assert outbox.recipient(row) == "officer-works@staff.test"


def test_officer_emails_name_no_complainant_and_no_contents(
    app, login_as, frozen, file_complaint, smtp_server
):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    frozen(FILED)
    login_as("supervisor")
    login_as("officer", "works")
    filed = file_complaint(
        subject="เสียงดังจากโรงงาน",
        details="โรงงานข้างบ้านเลขที่ 99 เปิดเครื่องจักรทั้งคืน",
        reporter={"name": "นางสาวลับเฉพาะ", "phone": "0891234567", "email": "secret@example.com"},
        consent=True,
    )
    frozen(datetime(2027, 3, 20, 1, 0))
    with app.app_context():
        sweep.run()
        outbox.run_once()
    staff_mail = [
        email.message_from_bytes(m["data"], policy=email_policy)
        for m in smtp_server.messages
        if m["to"][0].endswith("@staff.test")
    ]
    assert {m["Subject"] for m in staff_mail} >= {
        f"เรื่องเลขที่ {filed.case.case_number} เกินกำหนดแล้ว",
    }
    for message in staff_mail:
        text = message["Subject"] + message.get_content()
        for secret in ("ลับเฉพาะ", "0891234567", "secret@example.com", "โรงงาน", "เครื่องจักร"):
            assert secret not in text
        assert filed.tracking_code not in text
        assert f"/admin/cases/{filed.case.id}" in text


def test_sweep_skips_completed_and_paused_cases(app, login_as, frozen, file_complaint):
    frozen(FILED)
    officer_id = login_as("officer", "works")
    done = file_complaint(subject="หนึ่ง").case.id
    waiting = file_complaint(subject="สอง").case.id
    with app.app_context():
        officer = db.session.get(User, officer_id)
        workflow.complete(db.session.get(Case, done), officer, "resolved", "ซ่อมแล้ว")
        workflow.request_info(db.session.get(Case, waiting), officer, "ขอรูปถ่าย")
    frozen(FILED + timedelta(days=40))
    with app.app_context():
        stats = sweep.run()["demo"]
        assert (stats.overdue, stats.due_soon, stats.queued) == (0, 0, 0)
