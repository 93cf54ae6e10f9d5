"""The officer's case page in a real browser: only the actions the case's state and the
officer's role allow, each closed until opened, and an action that cannot be undone asks for
confirmation first (a server-rendered step, so it works without JavaScript too)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from casework.extensions import db
from casework.general import intake
from casework.models import Case, Organization
from tests.browser.test_staff_journey import _account, _sign_in

pytestmark = pytest.mark.browser


def _file(live_server, subject: str) -> tuple[int, str]:
    with live_server.app.test_request_context():
        org = db.session.scalars(db.select(Organization)).first()
        filed = intake.file_complaint(
            org,
            intake.ComplaintSubmission(category="roads", subject=subject, details="หลุมลึกมาก"),
        )
        return filed.case.id, filed.case.case_number


def _status(live_server, case_id: int) -> str:
    with live_server.app.app_context():
        return db.session.get(Case, case_id).status


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_only_allowed_actions_show_and_merging_asks_for_confirmation(
    live_server, open_page, screenshot, javascript
):
    email = f"works.case{'js' if javascript else 'nojs'}@demo.go.th"
    _account(live_server, email, "officer", "works")
    case_id, _ = _file(live_server, "ถนนทรุดหน้าวัด")
    _, target = _file(live_server, "ถนนทรุดหน้าวัด (ซ้ำ)")
    signed_in = open_page()
    _sign_in(signed_in, email)
    page = open_page(java_script_enabled=javascript)
    page.context.add_cookies(signed_in.context.cookies())
    page.goto(f"/admin/cases/{case_id}")

    summaries = page.locator("details.action > summary")
    expect(summaries.first).to_be_visible()
    shown = [re.sub(r"\s+", " ", t).strip() for t in summaries.all_inner_texts()]
    assert any(t.startswith("รับเรื่อง") for t in shown)  # accept: the case was only received
    assert page.locator("#action-resume").count() == 0  # nothing to resume from
    assert page.locator("#action-accept").count() == 1
    expect(page.locator("#note-body")).to_be_hidden()  # every form closed until opened
    expect(page.locator("#action-merge .tag-warning")).to_be_visible()
    screenshot(page, "staff-case-page")

    page.locator("#action-merge > summary").click()
    page.fill("#target", target)
    page.locator("#action-merge button[type=submit]").click()
    confirm = page.locator("button.danger")
    expect(confirm).to_be_visible()
    expect(page.locator(".confirm")).to_contain_text(target)
    assert _status(live_server, case_id) == "received"  # nothing happened yet
    screenshot(page, "staff-case-confirm")
    confirm.click()
    page.wait_for_url(f"**/admin/cases/{case_id}")
    assert _status(live_server, case_id) == "completed"
    expect(page.locator("details.action")).to_have_count(0)  # a merged case offers nothing


def test_the_printed_report_names_the_organization_and_keeps_headings_with_tables(
    live_server, open_page, screenshot
):
    _account(live_server, "super.print@demo.go.th", "supervisor")
    _file(live_server, "ถนนทรุดหน้าตลาด")
    page = open_page()
    _sign_in(page, "super.print@demo.go.th")
    page.goto("/admin/reports")
    page.emulate_media(media="print")
    expect(page.locator(".report-org")).to_be_visible()
    expect(page.locator(".report-org")).to_contain_text("เทศบาลเมืองตัวอย่าง")
    style = "(e, p) => getComputedStyle(e)[p]"
    assert page.locator("table.figures tfoot").first.evaluate(style, "display") == "table-row-group"
    assert page.locator("main h2").first.evaluate(style, "breakAfter") == "avoid"
    assert page.locator(".table-wrap").first.evaluate(style, "overflowX") == "visible"
    screenshot(page, "staff-report-print")
