"""One complaint from web intake to a satisfaction rating, with the clock frozen across a
weekend, Songkran 2027 and a declared holiday."""

from __future__ import annotations

import email
from datetime import date, datetime
from email.policy import default as email_policy

from casework import audit
from casework.cases import sla
from casework.extensions import db
from casework.general import sweep
from casework.models import AuditEntry, Case, Organization, OutboxMessage
from casework.notify import outbox

# Thu 8 Apr 2027, 09:00 in Bangkok (02:00 UTC).
FILED = datetime(2027, 4, 8, 2, 0)


def bangkok(y, m, d, hour=10):
    return datetime(y, m, d, hour - 7)


def _org() -> Organization:
    return db.session.scalars(db.select(Organization).order_by(Organization.id)).first()


def _case(case_id) -> Case:
    return db.session.get(Case, case_id, populate_existing=True)


def _ok(response):
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:2000]
    assert "/admin/login" not in response.headers.get("Location", "")
    return response


def test_web_intake_to_rating(app, client, login_as, frozen, smtp_server, web_case):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with app.app_context():
        _org().sla_mode = "working"
        db.session.commit()

    # 1. Web intake on Thu 8 Apr 2027: 15 working days skip two weekends and Songkran.
    frozen(FILED)
    case_id, code = web_case()
    with app.app_context():
        case = _case(case_id)
        assert case.due_date == date(2027, 5, 6)
        assert case.department.code == "works"

    supervisor, officer = app.test_client(), app.test_client()

    def sign_in():  # days pass between steps: a new session each time (idle timeout)
        login_as("supervisor", on=supervisor)
        return login_as("officer", "works", on=officer)

    officer_id = sign_in()

    # 2. Assignment by the supervisor, to the works division and one of its officers.
    with app.app_context():
        works = _case(case_id).department_id
    _ok(
        supervisor.post(
            f"/admin/cases/{case_id}/assign", data={"department": works, "assignee": officer_id}
        )
    )
    _ok(officer.post(f"/admin/cases/{case_id}/accept"))
    with app.app_context():
        case = _case(case_id)
        assert (case.assignee_id, case.status) == (officer_id, "in_progress")
        assert db.session.scalar(
            db.select(OutboxMessage).filter_by(case_id=case_id, template="assigned")
        )

    # 3. A pause over a weekend: asked on Fri 16 Apr, answered on Tue 20 Apr.
    frozen(bangkok(2027, 4, 16))
    sign_in()
    _ok(
        officer.post(
            f"/admin/cases/{case_id}/request-info", data={"info-body": "ขอภาพถ่ายจุดที่เป็นหลุมเพิ่มเติม"}
        )
    )
    with app.app_context():
        assert _case(case_id).status == "awaiting_info"
        assert sla.due_state(_case(case_id), _org(), date(2027, 5, 20)) == sla.PAUSED
    frozen(bangkok(2027, 4, 20))
    sign_in()
    _ok(officer.post(f"/admin/cases/{case_id}/resume"))
    with app.app_context():
        case = _case(case_id)
        cal = sla.work_calendar(_org())
        waited = cal.days_between(date(2027, 4, 16), date(2027, 4, 20))
        assert waited == 2  # Mon 19 and Tue 20; the weekend does not count
        assert case.due_date == cal.add_days(date(2027, 5, 6), 2)
        new_due = case.due_date

    # 4. Overdue: the sweep reminds the officer and escalates, once per day.
    frozen(bangkok(2027, 5, 25))
    sign_in()
    with app.app_context():
        assert sla.due_state(_case(case_id), _org(), date(2027, 5, 25)) == sla.OVERDUE
        first = sweep.run()["demo"]
        second = sweep.run()["demo"]
        assert first.overdue == 1 and first.escalated == 1 and first.queued >= 2
        assert second.queued == 0
        templates = set(
            db.session.scalars(db.select(OutboxMessage.template).filter_by(case_id=case_id))
        )
        assert {"overdue", "escalation"} <= templates

    # 5. The explanation with a new expected date, shown on the tracking page.
    _ok(
        officer.post(
            f"/admin/cases/{case_id}/explain",
            data={"body": "รอผลการสำรวจจากกองช่างและงบประมาณซ่อมแซม", "new_date": "2027-06-15"},
        )
    )
    with app.app_context():
        case = _case(case_id)
        assert case.due_date == date(2027, 6, 15) and case.original_due_date == new_due
        assert sla.due_state(case, _org(), date(2027, 5, 25)) != sla.OVERDUE
    page = client.post("/complaints/track", data={"tracking_code": code})
    html = page.get_data(as_text=True)
    assert "รอผลการสำรวจจากกองช่างและงบประมาณซ่อมแซม" in html
    assert "15 มิถุนายน 2570" in html  # the new expected date, Buddhist Era

    # 6. Forwarding to Damrongdham with their reference and a follow-up date.
    _ok(
        officer.post(
            f"/admin/cases/{case_id}/forward",
            data={
                "agency": "damrongdham",
                "reference": "ดธ 1567/2570",
                "follow_up_on": "2027-06-01",
                "note": "",
            },
        )
    )
    with app.app_context():
        case = _case(case_id)
        assert case.status == "forwarded"
        assert (case.forwarded_reference, case.forwarded_follow_up_on) == (
            "ดธ 1567/2570",
            date(2027, 6, 1),
        )

    # 7. Completion with an outcome and a result text.
    frozen(bangkok(2027, 6, 2))
    sign_in()
    _ok(
        officer.post(
            f"/admin/cases/{case_id}/complete",
            data={
                "outcome": "resolved",
                "result_text": "กองช่างซ่อมผิวถนนเรียบร้อยแล้วเมื่อ 1 มิ.ย. 2570",
                "confirmed": "yes",
            },
        )
    )
    with app.app_context():
        assert _case(case_id).status == "completed"

    # 8. The citizen reads the result and rates the service on the tracking page.
    html = client.post("/complaints/track", data={"tracking_code": code}).get_data(as_text=True)
    assert "กองช่างซ่อมผิวถนนเรียบร้อยแล้ว" in html
    _ok(
        client.post(
            "/complaints/track/rate",
            data={"tracking_code": code, "rating": "5", "comment": "รวดเร็วดี"},
        )
    )
    with app.app_context():
        assert _case(case_id).rating == 5
        actions = list(
            db.session.scalars(
                db.select(AuditEntry.action).filter_by(case_id=case_id).order_by(AuditEntry.seq)
            )
        )
        assert actions[:2] == ["case.assign", "case.accept"]
        assert {
            "case.request_info",
            "case.resume",
            "case.explain_delay",
            "case.forward",
            "case.complete",
        } <= set(actions)
        assert audit.verify(_org().id).ok

        # 9. The worker emails citizen and officers; no email carries the tracking code.
        stats = outbox.run_once()
        assert stats.sent >= 7 and stats.failed == 0
    bodies = [
        email.message_from_bytes(m["data"], policy=email_policy) for m in smtp_server.messages
    ]
    to_citizen = [b for b in bodies if b["To"] == "somchai@example.com"]
    assert len(to_citizen) == 5  # receipt, info request, explanation, forwarded, result
    canonical = code.replace("-", "")
    for message in bodies:
        text = message.get_content()
        assert code not in text and canonical not in text
