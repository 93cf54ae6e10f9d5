"""The officer's case page: only the actions the case's state and the officer's role allow,
each in its own form; errors summarised at the top; a confirmation step before what cannot
be undone; the 15-day rule refused in the web back office; previews never cached."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from casework.dates import clock
from casework.extensions import db
from casework.general import actions
from casework.models import Attachment, Case, User
from tests.upload_samples import PNG


def _actions(html: str) -> list[str]:
    return re.findall(r'<details class="action card" id="action-([a-z_]+)"', html)


def test_only_the_actions_the_state_and_role_allow_are_offered(app, login_as, web_case):
    case_id, _ = web_case()
    officer, supervisor, clerk = app.test_client(), app.test_client(), app.test_client()
    login_as("officer", "works", on=officer)
    login_as("supervisor", on=supervisor)
    login_as("clerk", on=clerk)
    received = _actions(officer.get(f"/admin/cases/{case_id}").get_data(as_text=True))
    assert "accept" in received and "resume" not in received
    assert "complete" in received and "request_info" in received
    assert _actions(clerk.get(f"/admin/cases/{case_id}").get_data(as_text=True)) == []
    assert officer.post(f"/admin/cases/{case_id}/accept").status_code == 302
    working = _actions(officer.get(f"/admin/cases/{case_id}").get_data(as_text=True))
    assert "accept" not in working and "resume" not in working
    officer.post(f"/admin/cases/{case_id}/request-info", data={"info-body": "ขอรูปถ่าย"})
    waiting = _actions(officer.get(f"/admin/cases/{case_id}").get_data(as_text=True))
    assert "resume" in waiting and "request_info" not in waiting
    with app.app_context():
        case = db.session.get(Case, case_id)
        user = db.session.scalar(db.select(User).filter_by(role="supervisor"))
        assert [a.code for a in actions.allowed(user, case)] == _actions(
            supervisor.get(f"/admin/cases/{case_id}").get_data(as_text=True)
        )


def test_a_completed_case_offers_no_actions_and_one_status_badge(app, login_as, web_case):
    case_id, _ = web_case()
    officer = app.test_client()
    login_as("officer", "works", on=officer)
    data = {"outcome": "resolved", "result_text": "ซ่อมแล้ว", "confirmed": "yes"}
    assert officer.post(f"/admin/cases/{case_id}/complete", data=data).status_code == 302
    html = officer.get(f"/admin/cases/{case_id}").get_data(as_text=True)
    assert _actions(html) == []
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert heading.count('class="status') == 1 and 'class="due' not in heading


def test_errors_are_summarised_at_the_top_and_open_their_form(app, login_as, web_case):
    case_id, _ = web_case()
    officer = app.test_client()
    login_as("officer", "works", on=officer)
    response = officer.post(f"/admin/cases/{case_id}/note", data={"note-body": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    summary = html.index('id="error-summary"')
    assert summary < html.index("<h1>")
    assert 'href="#note-body"' in html and 'id="note-body-error"' in html
    assert '<details class="action card" id="action-note" open>' in html


def test_irreversible_actions_ask_for_confirmation_first(app, login_as, web_case):
    case_id, _ = web_case()
    target_id, _ = web_case(subject="ถนนหน้าโรงเรียน")
    officer = app.test_client()
    login_as("officer", "works", on=officer)
    with app.app_context():
        target = db.session.get(Case, target_id).case_number
    asked = officer.post(f"/admin/cases/{case_id}/merge", data={"target": target})
    assert asked.status_code == 200
    html = asked.get_data(as_text=True)
    assert 'name="confirmed" value="yes"' in html and target in html
    with app.app_context():
        assert db.session.get(Case, case_id).status == "received"
    data = {"outcome": "resolved", "result_text": "ซ่อมแล้ว"}
    asked = officer.post(f"/admin/cases/{case_id}/complete", data=data)
    assert 'name="result_text" value="ซ่อมแล้ว"' in asked.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, case_id).status == "received"
    done = officer.post(
        f"/admin/cases/{case_id}/merge", data={"target": target, "confirmed": "yes"}
    )
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Case, case_id).outcome == "duplicate"


def test_the_back_office_refuses_to_complete_an_overdue_case_without_explanation(
    app, login_as, web_case, frozen
):
    case_id, _ = web_case()
    with app.app_context():
        due = db.session.get(Case, case_id).due_date
    frozen(clock.utcnow() + timedelta(days=(due - clock.today()).days + 2))
    officer = app.test_client()
    login_as("officer", "works", on=officer)
    page = officer.get(f"/admin/cases/{case_id}").get_data(as_text=True)
    assert 'id="delay_explanation"' in page
    data = {"outcome": "resolved", "result_text": "ซ่อมแล้ว"}
    for confirmed in ("", "yes"):
        refused = officer.post(
            f"/admin/cases/{case_id}/complete", data={**data, "confirmed": confirmed}
        )
        assert refused.status_code == 400
        assert 'href="#delay_explanation"' in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, case_id).status == "received"
    data |= {"delay_explanation": "รอผู้รับจ้าง", "confirmed": "yes"}
    assert officer.post(f"/admin/cases/{case_id}/complete", data=data).status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == "completed" and case.explained_at is not None


def test_attachments_preview_inline_and_are_never_cached(app, login_as, web_case):
    case_id, _ = web_case(attachments=[(io.BytesIO(PNG), "หลุม.png")])
    officer = app.test_client()
    login_as("officer", "works", on=officer)
    with app.app_context():
        att = db.session.scalar(db.select(Attachment).filter_by(case_id=case_id))
    url = f"/admin/cases/{case_id}/attachments/{att.id}"
    page = officer.get(f"/admin/cases/{case_id}").get_data(as_text=True)
    assert f'<img src="{url}?view=1"' in page
    preview = officer.get(f"{url}?view=1")
    assert preview.get_data() == PNG
    assert preview.headers["Content-Disposition"].startswith("inline;")
    assert "no-store" in preview.headers["Cache-Control"]
    assert "no-store" in officer.get(url).headers["Cache-Control"]


def test_the_inbox_marks_cases_the_complainant_added_to(app, client, login_as, web_case):
    case_id, code = web_case()
    quiet_id, _ = web_case(subject="ไฟฟ้าดับ")
    officer = app.test_client()
    login_as("officer", "works", on=officer)
    assert "tag-news" not in officer.get("/admin/inbox").get_data(as_text=True)
    client.post("/complaints/track/info", data={"tracking_code": code, "message": "มีรูปเพิ่ม"})
    html = officer.get("/admin/inbox").get_data(as_text=True)
    row = re.search(rf'case_id={case_id}|/admin/cases/{case_id}".*?</td>', html, re.S).group(0)
    assert "tag-news" in row
    assert html.count("tag-news") == 1
    officer.post(f"/admin/cases/{case_id}/note", data={"note-body": "อ่านแล้ว"})
    assert "tag-news" not in officer.get("/admin/inbox").get_data(as_text=True)
    assert quiet_id


def test_the_accept_action_is_not_named_like_the_received_status(app, login_as, web_case):
    """A new case shows the status "รับเรื่อง" (received); its action to take the case on was
    named "รับเรื่อง" too, so a new officer could think it done already."""
    case_id, _ = web_case()
    officer = app.test_client()
    login_as("officer", "works", on=officer)
    html = officer.get(f"/admin/cases/{case_id}").get_data(as_text=True)
    summary = re.search(r'id="action-accept">\s*<summary>([^<]+)', html).group(1).strip()
    assert summary == "รับเรื่องไว้ดำเนินการ"
