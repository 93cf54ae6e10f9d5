"""The public list of general complaints (/cases) on a phone: each case a card, nothing wider
than the screen, the table still a table to a screen reader and on paper."""

from __future__ import annotations

import pytest

from casework.cases import casefile
from casework.extensions import db
from casework.general import intake
from casework.models import Case, Organization

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# The page, or the box around the table, wider than what it shows.
SCROLLS_SIDEWAYS = """() => [document.documentElement, ...document.querySelectorAll('.table-wrap')]
    .some(el => el.scrollWidth > el.clientWidth)"""


def _cases(live_server) -> None:
    """One case with a place, completed (every column filled), and one without."""
    app = live_server.app
    with app.app_context(), app.test_request_context():
        org = db.session.scalars(db.select(Organization).order_by(Organization.id)).first()
        placed = intake.file_complaint(
            org,
            intake.ComplaintSubmission(
                category="roads",
                subject="ถนนหน้าตลาดเป็นหลุม",
                details="หลุมกว้างประมาณหนึ่งเมตร",
                lat="14.9799",
                lng="102.0978",
            ),
        )
        case = db.session.get(Case, placed.case.id)
        casefile.change_status(case, "completed", outcome="resolved", note="ซ่อมแล้ว")
        intake.file_complaint(
            org,
            intake.ComplaintSubmission(category="roads", subject="ไฟดับ", details="ไฟดับทั้งซอย"),
        )
        db.session.commit()


def test_the_public_case_list_fits_a_phone(live_server, open_page, screenshot):
    _cases(live_server)
    page = open_page(**PHONE)
    page.goto("/cases")
    table = page.get_by_role("table")
    table.wait_for()
    screenshot(page, "public-cases-phone")
    assert not page.evaluate(SCROLLS_SIDEWAYS)
    rows = page.locator("table.case-list tbody tr")
    assert rows.count() >= 2
    for i in range(rows.count()):  # each case a card within the screen
        box = rows.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["viewport"]["width"]
    # Each value is named by its column on the card.
    label = page.evaluate(
        "() => getComputedStyle(document.querySelector('table.case-list td[data-label]'),"
        " '::before').content"
    )
    assert label not in ("none", "normal", "")
    # Still a table to a screen reader: its column headers and row headers are there.
    assert table.get_by_role("columnheader").count() == 6
    assert table.get_by_role("rowheader").count() == rows.count()

    # On paper (A4), the table is a table again.
    page.emulate_media(media="print")
    shown = page.evaluate(
        "() => getComputedStyle(document.querySelector('table.case-list tbody tr')).display"
    )
    assert shown == "table-row"
