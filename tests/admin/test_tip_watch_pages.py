"""The back-office pages that watch over tips: stage deadlines (integrity officers), the
executives' figures on tips, and the daily sweep command reporting the tip channel's part."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from casework.extensions import db
from casework.models import TipStageDays
from casework.staff.roles import EXECUTIVE, INTEGRITY


def test_stage_deadlines_page_keeps_bad_input_beside_its_field(app, client, login_as):
    login_as(INTEGRITY)
    page = client.get("/admin/tips/deadlines").get_data(as_text=True)
    assert 'name="investigation"' in page and 'name="retaliation"' in page
    r = client.post("/admin/tips/deadlines", data={"investigation": "900", "findings": "30"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and 'value="900"' in html and 'value="30"' in html
    assert "ระบุจำนวนวันเป็นจำนวนเต็ม" in html
    r = client.post("/admin/tips/deadlines", data={"investigation": "60", "retaliation": "2"})
    assert r.status_code == 302
    with app.app_context():
        saved = dict(db.session.execute(select(TipStageDays.stage, TipStageDays.days)).all())
    assert saved == {"investigation": 60, "retaliation": 2}
    assert 'value="60"' in client.get("/admin/tips/deadlines").get_data(as_text=True)


def test_executives_see_the_figures_with_small_counts_suppressed(app, client, login_as, frozen):
    frozen(datetime(2026, 11, 10, 3))
    for _ in range(4):
        assert client.post("/api/v1/tips", json={"category": "bribery", "what": "โกง"}).status_code
    frozen(datetime(2027, 5, 10, 3))
    client.post("/api/v1/tips", json={"category": "bribery", "what": "โกงอีก"})
    login_as(EXECUTIVE)
    r = client.get("/admin/tips/figures?fiscal_year=2570")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "ครึ่งปีที่ 1" in html and "&lt; 3" in html
    assert client.get("/admin/tips/figures?fiscal_year=25x0").status_code == 400
    login_as(INTEGRITY, on=(other := app.test_client()))
    assert other.get("/admin/tips/figures").status_code == 403


def test_the_sweep_command_reports_the_tip_channel(app, frozen):
    frozen(datetime(2027, 3, 1, 3))
    result = app.test_cli_runner().invoke(args=["sla", "sweep"])
    assert result.exit_code == 0, result.output
    assert "demo tips: 0 due soon, 0 overdue, 0 escalated; retaliation:" in result.output
