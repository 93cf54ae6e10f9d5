"""One integrity officer cannot bury a tip (issue 8, item 2), played through the staff pages:
nobody excludes anyone else by hand, custodians and the last officer able to act are never
excluded, supervisors and custodians see and reverse every exclusion, and closing a tip without
action needs a second person."""

from __future__ import annotations

from sqlalchemy import select

from casework import models
from casework.extensions import db
from casework.models import AuditEntry, Case, User
from casework.staff.roles import CUSTODIAN, INTEGRITY, SUPERVISOR
from casework.tipline import access

WHAT = "หัวหน้าฝ่ายพัสดุแบ่งซื้อแบ่งจ้างเพื่อเลี่ยงการประกวดราคา"


def _tip(app, client, **accused) -> tuple[int, str, str]:
    body = {"category": "procurement", "what": WHAT, "accused": accused}
    r = client.post("/api/v1/tips", json=body)
    assert r.status_code == 201, r.get_json()
    with app.app_context():
        case = db.session.scalars(select(Case).filter_by(channel="tip").order_by(Case.id)).all()[-1]
        return case.id, case.case_number, r.get_json()["receipt"]


def _excluded(app, tip_id: int) -> set[int]:
    with app.app_context():
        return access.excluded_ids(db.session.get(Case, tip_id))


def _status(client, receipt) -> str:
    return client.post("/api/v1/tips/status", json={"receipt": receipt}).get_json()["status"]


def test_one_officer_cannot_exclude_the_others_and_close_the_tip_as_unfounded(
    app, client, signed_in
):
    """The issue's play: an officer assigns himself, excludes every colleague and custodian,
    and closes the tip as unfounded. Each step is refused; the tip stays open and visible."""
    burier, burier_id = signed_in(INTEGRITY, "ผู้ฝัง เรื่อง")
    colleague, colleague_id = signed_in(INTEGRITY, "วิภา ดีงาม")
    keeper, keeper_id = signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    tip_id, number, receipt = _tip(app, client)
    burier.post(f"/admin/tips/{tip_id}/assign", data={})
    for victim in (colleague_id, keeper_id):
        r = burier.post(
            f"/admin/tips/{tip_id}/exclude",
            data={"user_id": victim, "statement": "มีส่วนได้เสีย"},
        )
        # Refused at the top of the form (it names nobody else), the statement kept.
        page = r.get_data(as_text=True)
        assert r.status_code == 400 and 'id="exclude-form-error"' in page
        assert "มีส่วนได้เสีย</textarea>" in page
    burier.post(
        f"/admin/tips/{tip_id}/status",
        data={"target": "closed", "outcome": "unfounded", "internal_note": "ไม่มีมูล"},
    )
    assert _excluded(app, tip_id) == set()  # nobody, the officer himself neither
    assert _status(client, receipt) == "received"
    assert number in colleague.get("/admin/tips/").get_data(as_text=True)
    # The closure waits for a second person, whom the page names.
    page = colleague.get(f"/admin/tips/{tip_id}").get_data(as_text=True)
    assert "ผู้ฝัง เรื่อง" in page
    with app.app_context():
        [closure] = db.session.scalars(select(models.TipClosure)).all()
        assert closure.status == "pending" and closure.requested_by == burier_id
        trail = [e.action for e in db.session.scalars(select(AuditEntry).filter_by(case_id=tip_id))]
        assert "tip.closure_requested" in trail and "tip.status" not in trail
    # Not the officer who asked; the custodian refuses, and the tip stays open.
    assert burier.post(f"/admin/tips/{tip_id}/closure/approve").status_code == 404
    page = keeper.get("/admin/tips/custody").get_data(as_text=True)
    assert number in page and WHAT not in page
    keeper.post(f"/admin/tips/{tip_id}/closure/refuse")
    assert _status(client, receipt) == "received"
    # Asked again, a second officer who reads the tip approves, and only then is it closed.
    burier.post(
        f"/admin/tips/{tip_id}/status",
        data={"target": "closed", "outcome": "unfounded", "public_note": "ตรวจสอบแล้วไม่พบมูล"},
    )
    assert colleague.post(f"/admin/tips/{tip_id}/closure/approve").status_code == 404  # unread
    colleague.post(f"/admin/tips/{tip_id}/assign", data={})
    colleague.post(f"/admin/tips/{tip_id}/closure/approve")
    status = client.post("/api/v1/tips/status", json={"receipt": receipt}).get_json()
    assert status["status"] == "closed" and status["outcome"] == "unfounded"
    assert any(step.get("text") == "ตรวจสอบแล้วไม่พบมูล" for step in status["progress"])


def test_a_declared_conflict_is_seen_and_reversed_by_supervisors_and_custodians(
    app, client, signed_in
):
    officer, _officer_id = signed_in(INTEGRITY, "มานะ อดทน")
    stepping, stepping_id = signed_in(INTEGRITY, "วิภา ดีงาม")
    supervisor, _supervisor_id = signed_in(SUPERVISOR, "หัวหน้า ทั่วไป")
    keeper, _keeper_id = signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    tip_id, number, _receipt = _tip(app, client)
    stepping.post(f"/admin/tips/{tip_id}/assign", data={})
    stepping.post(f"/admin/tips/{tip_id}/exclude", data={"statement": ""})
    assert stepping_id not in _excluded(app, tip_id)  # a conflict is stated, or nothing
    stepping.post(f"/admin/tips/{tip_id}/exclude", data={"statement": "ผู้ถูกกล่าวหาเป็นพี่เขยของข้าพเจ้า"})
    assert _excluded(app, tip_id) == {stepping_id}
    assert stepping.get(f"/admin/tips/{tip_id}").status_code == 404
    for watcher in (supervisor, keeper):
        page = watcher.get("/admin/tips/exclusions").get_data(as_text=True)
        assert number in page and "วิภา ดีงาม" in page
        assert "ผู้ถูกกล่าวหาเป็นพี่เขยของข้าพเจ้า" in page and WHAT not in page
    assert officer.get("/admin/tips/exclusions").status_code == 403
    supervisor.post(f"/admin/tips/{tip_id}/exclusions/{stepping_id}/reverse")
    assert _excluded(app, tip_id) == set()
    assert stepping.get(f"/admin/tips/{tip_id}").status_code == 200
    with app.app_context():
        actions = [
            e.action for e in db.session.scalars(select(AuditEntry).filter_by(case_id=tip_id))
        ]
        assert "tip.excluded" in actions and "tip.exclusion_reversed" in actions


def test_the_last_officer_able_to_act_cannot_step_aside(app, client, signed_in):
    officer, officer_id = signed_in(INTEGRITY, "มานะ อดทน")
    _named, named_id = signed_in(INTEGRITY, "สมชาย ใจร้าย")
    tip_id, number, _receipt = _tip(app, client, name="นายสมชาย ใจร้าย")
    assert _excluded(app, tip_id) == {named_id}  # the tip names him
    officer.post(f"/admin/tips/{tip_id}/assign", data={})
    r = officer.post(f"/admin/tips/{tip_id}/exclude", data={"statement": "ขอถอนตัว"})
    assert officer_id not in _excluded(app, tip_id)
    assert number in officer.get("/admin/tips/").get_data(as_text=True)
    # Refused on the tip's page, the reason beside the statement, which is kept.
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    assert 'id="statement-error"' in page and "ขอถอนตัว</textarea>" in page
    # Supervisors see the tip's own conflict, and that one officer is left to act on it.
    supervisor, _supervisor_id = signed_in(SUPERVISOR, "หัวหน้า ทั่วไป")
    page = supervisor.get("/admin/tips/exclusions").get_data(as_text=True)
    assert number in page and "สมชาย ใจร้าย" in page and WHAT not in page
    with app.app_context():
        [shown] = access.exclusions_for(db.session.get(User, _supervisor_id))
        assert shown.case.id == tip_id and shown.able == 1
        assert [(x.user.id, x.declared) for x in shown.excluded] == [(named_id, False)]


def test_custodians_are_never_excluded_by_hand(app, client, signed_in):
    """Not by an officer's hand, and not by their own: a custodian with a conflict refuses
    the reveal and says why."""
    _officer, _officer_id = signed_in(INTEGRITY, "มานะ อดทน")
    _keeper, keeper_id = signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    tip_id, _number, _receipt = _tip(app, client)
    with app.app_context(), app.test_request_context():
        case = db.session.get(Case, tip_id)
        try:
            access.declare_conflict(case, db.session.get(User, keeper_id), "เป็นญาติ")
        except access.ExclusionError as error:
            assert "statement" in error.fields
        else:
            raise AssertionError("a custodian was excluded")
    assert keeper_id not in _excluded(app, tip_id)
