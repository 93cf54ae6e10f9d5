"""Every officer action is one transaction with one audit entry: when any part fails, nothing of
it is left (no status, no timeline line, no notification, no number used)."""

from __future__ import annotations

from datetime import datetime

import pytest

from casework import audit
from casework.extensions import db
from casework.general import followup, offline, workflow
from casework.general.intake import ComplaintSubmission
from casework.models import AuditEntry, Case, CaseCounter, CaseEvent, OutboxMessage, User
from rongrian.tenancy import current_org

NOW = datetime(2027, 3, 1, 3, 0)


def _count(model, **where) -> int:
    query = db.select(db.func.count()).select_from(model)
    if where:
        query = query.filter_by(**where)
    return db.session.scalar(query)


def test_each_action_over_http_adds_exactly_one_audit_entry(app, login_as, frozen, web_case):
    frozen(NOW)
    case_id, _ = web_case()
    officer = app.test_client()
    officer_id = login_as("officer", "works", on=officer)
    with app.app_context():
        works = db.session.get(Case, case_id).department_id
    steps = [
        ("assign", {"department": works, "assignee": officer_id}, "case.assign"),
        ("accept", {}, "case.accept"),
        ("note", {"note-body": "โทรหาผู้ร้องแล้ว"}, "case.note"),
        ("update", {"update-body": "เจ้าหน้าที่ลงพื้นที่แล้ว"}, "case.public_update"),
        ("request-info", {"info-body": "ขอรูปถ่าย"}, "case.request_info"),
        ("resume", {}, "case.resume"),
        ("explain", {"body": "รองบประมาณ", "new_date": "2027-04-30"}, "case.explain_delay"),
        (
            "forward",
            {"agency": "pm1111", "reference": "1111/55", "follow_up_on": "2027-03-20"},
            "case.forward",
        ),
        (
            "complete",
            {"outcome": "resolved", "result_text": "ซ่อมแล้ว", "confirmed": "yes"},
            "case.complete",
        ),
    ]
    for path, data, action in steps:
        with app.app_context():
            before = _count(AuditEntry)
        response = officer.post(f"/admin/cases/{case_id}/{path}", data=data)
        assert response.status_code == 302, (path, response.get_data(as_text=True)[:500])
        with app.app_context():
            entries = db.session.scalars(
                db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(2)
            ).all()
            assert _count(AuditEntry) == before + 1, path
            assert entries[0].action == action and entries[0].case_id == case_id
            assert entries[0].actor_id == officer_id
    with app.app_context():
        assert audit.verify(db.session.get(Case, case_id).organization_id).ok


@pytest.mark.parametrize(
    "action",
    [
        lambda case, user: workflow.accept(case, user),
        lambda case, user: workflow.request_info(case, user, "ขอข้อมูล"),
        lambda case, user: workflow.public_update(case, user, "ความคืบหน้า"),
        lambda case, user: workflow.complete(case, user, "resolved", "เสร็จ"),
    ],
    ids=["accept", "request_info", "public_update", "complete"],
)
def test_a_failing_audit_entry_undoes_the_action(app, login_as, web_case, monkeypatch, action):
    case_id, _ = web_case()  # with an email: updates queue a notification
    officer_id = login_as("officer", "works")
    with app.app_context():
        events, mails = _count(CaseEvent), _count(OutboxMessage)

        def broken(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(audit, "record", broken)
        with pytest.raises(RuntimeError):
            action(db.session.get(Case, case_id), db.session.get(User, officer_id))
        db.session.expire_all()
        case = db.session.get(Case, case_id)
        assert case.status == "received" and case.completed_at is None
        assert case.paused_at is None and case.accepted_at is None
        assert (_count(CaseEvent), _count(OutboxMessage)) == (events, mails)


def test_offline_registration_and_its_audit_entry_commit_together(app, login_as, monkeypatch):
    clerk_id = login_as("clerk")
    with app.test_request_context():
        org = current_org()
        clerk = db.session.get(User, clerk_id)

        def broken(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(audit, "record", broken)
        sub = ComplaintSubmission(
            category="roads", subject="ถนนพัง", details="โทรแจ้ง", received_via="phone"
        )
        with pytest.raises(RuntimeError):
            offline.register(org, sub, clerk)
        assert _count(Case) == 0
        assert sum(db.session.scalars(db.select(CaseCounter.last))) == 0  # no number used
        monkeypatch.undo()
        sub = ComplaintSubmission(
            category="roads", subject="ถนนพัง", details="โทรแจ้ง", received_via="phone"
        )
        filed = offline.register(org, sub, clerk)
        assert filed.case.case_number.endswith("/000001")
        assert _count(AuditEntry, action="case.register_offline", case_id=filed.case.id) == 1


def test_citizen_information_restarting_the_clock_is_audited(app, login_as, file_complaint):
    officer_id = login_as("officer", "works")
    case_id = file_complaint().case.id
    with app.app_context():
        case = db.session.get(Case, case_id)
        workflow.request_info(case, db.session.get(User, officer_id), "ขอรูปถ่าย")
        followup.add_information(case, "ส่งรูปถ่ายมาแล้ว", [])
        assert case.status == "in_progress"
        entry = db.session.scalar(
            db.select(AuditEntry).filter_by(case_id=case_id).order_by(AuditEntry.id.desc())
        )
        assert entry.action == "case.resume" and entry.actor_id is None
        assert entry.data["by"] == "citizen"
