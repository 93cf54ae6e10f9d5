"""The back office and LINE: clerks record complaints that came in the LINE chat by hand, and
the settings page says whether the LINE channel is on."""

from __future__ import annotations

from casework.extensions import db
from casework.models import Case


def test_a_clerk_can_record_a_complaint_that_came_by_line(client, login_as):
    login_as("clerk")
    form = client.get("/admin/intake").get_data(as_text=True)
    assert 'value="line"' in form and 'value="web"' not in form
    response = client.post(
        "/admin/intake",
        data={
            "received_via": "line",
            "received_on": "",
            "kind": "complaint",
            "category": "waste",
            "subject": "ขยะไม่เก็บ",
            "details": "ผู้ร้องส่งข้อความทางแชท LINE OA ว่าไม่มีรถเก็บขยะมาสองสัปดาห์",
            "form_token": "l" * 40,
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    with client.application.app_context():
        case = db.session.scalar(db.select(Case))
        assert case.received_via == "line"


def test_the_settings_page_says_when_line_is_on_or_off(app, make_app, line_settings, login_as):
    admin = app.test_client()
    login_as("sysadmin", on=admin)
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert "/line/webhook" in page and "LINE_CHANNEL_SECRET" not in page
    off = make_app(line_settings(LINE_CHANNEL_ACCESS_TOKEN="")).test_client()
    login_as("sysadmin", on=off)
    page = off.get("/admin/settings").get_data(as_text=True)
    assert "LINE_CHANNEL_SECRET" in page and "ปิดอยู่" in page
