"""The two handling manuals and the statistics page in a real browser (headless Chromium):
rendered from the configuration, changed when a category's deadline changes, printed on A4
without the site's navigation, and the statistics' SVG charts drawn without JavaScript or
inline styles (the page journal fails the test on any CSP violation)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import Category

pytestmark = pytest.mark.browser

PAGES = re.compile(rb"/Type\s*/Page(?![s\w])")


def _category_days(live_server, channel: str, code: str, days: int) -> int:
    with live_server.app.app_context():
        category = db.session.scalar(select(Category).filter_by(channel=channel, code=code))
        before, category.sla_days = category.sla_days, days
        db.session.commit()
    return before


def _row(page, name: str) -> list[str]:
    row = page.locator("table.manual-terms tr", has=page.locator(f"th:text-is('{name}')"))
    return row.locator("td").all_inner_texts()


def test_manuals_render_from_the_configuration_and_print_on_a4(page, live_server):
    page.goto("/manuals/complaints")
    assert page.locator("h1").inner_text() == "คู่มือการจัดการเรื่องร้องเรียน/ร้องทุกข์ทั่วไป"
    assert _row(page, "ไฟฟ้าสาธารณะ") == ["7 วัน", "กองช่าง"]
    before = _category_days(live_server, "complaint", "lighting", 5)
    try:
        page.reload()
        assert _row(page, "ไฟฟ้าสาธารณะ") == ["5 วัน", "กองช่าง"]
        page.goto("/")
        assert "ภายใน 5 ถึง 15 วัน ตามประเภทเรื่อง" in page.locator(".channel.complaint").inner_text()
    finally:
        _category_days(live_server, "complaint", "lighting", before)

    page.goto("/manuals/corruption")
    assert _row(page, "การเรียกรับสินบน") == ["15 วัน"] * 4
    before = _category_days(live_server, "tip", "bribery", 20)
    try:
        page.reload()
        assert _row(page, "การเรียกรับสินบน") == ["20 วัน"] * 4
    finally:
        _category_days(live_server, "tip", "bribery", before)

    for path in ("/manuals/complaints", "/manuals/corruption"):
        page.goto(path)
        page.emulate_media(media="print")
        assert not page.locator(".site-header").is_visible()
        assert not page.locator(".main-nav").is_visible()
        assert page.locator("table.manual-terms").is_visible()
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF-") and 1 <= len(PAGES.findall(pdf)) <= 4
        page.emulate_media(media="screen")


def test_statistics_charts_render_without_scripts(page, live_server):
    from casework.general import intake
    from rongrian.tenancy import current_org

    app = live_server.app
    with app.app_context(), app.test_request_context():
        intake.file_complaint(
            current_org(),
            intake.ComplaintSubmission(category="roads", subject="หลุม", details="ถนนเป็นหลุม"),
        )
    live_server.app.config["STATS_CACHE_SECONDS"] = 0
    page.goto("/stats")
    assert page.locator("h1").inner_text() == "สถิติเรื่องร้องเรียน"
    chart = page.locator("#complaint figure.chart svg[role=img]").first
    assert chart.is_visible()
    bar = chart.locator("rect").first
    assert bar.bounding_box()["width"] > 0
    fill = bar.evaluate("e => getComputedStyle(e).fill")
    assert fill in ("rgb(26, 127, 55)", "rgb(212, 167, 44)", "rgb(11, 83, 148)")
    assert page.locator("#complaint table").first.is_visible()  # the numbers beside it
