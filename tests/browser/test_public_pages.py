"""Every public page in a real browser (headless Chromium): screenshots at phone and desktop
widths for review, and axe-core's WCAG 2.1 AA rules with no serious or critical violation.

The walk files a complaint and a tip through the forms, as a citizen would, so that the pages
reached by a POST (the receipts, the complaint's tracking page, the tip's status page) are
walked as well as the ones a link reaches.

axe-core is vendored (``tests/browser/vendor/axe-core/axe.min.js``, MPL-2.0, its licence beside
it) and injected into each page, so the check needs no network. Screenshots go to
``tests/artifacts/screenshots/`` (git-ignored), or to $RONGRIAN_SCREENSHOTS when it is set.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from casework.extensions import limiter

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
ARTIFACTS = Path(
    os.environ.get("RONGRIAN_SCREENSHOTS")
    or Path(__file__).parent.parent / "artifacts" / "screenshots"
)
SUBMIT = "main form[data-once] button[type=submit]"

RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
    }));
}"""


def _receipt_then_status(page, channel: str, track: str, field: str) -> Iterator[str]:
    """Send the filled form; then the receipt, the lookup form and, through it, the status."""
    page.locator(SUBMIT).click()
    page.wait_for_selector("article.receipt")
    secret = page.locator("dl.facts .code").inner_text().strip()
    yield f"{channel}-receipt"
    page.goto(track)
    yield f"{channel}-track"
    page.fill(field, secret)
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("dl.facts")
    yield f"{channel}-status"


def public_pages(page) -> Iterator[str]:
    """Walk every public page in Thai, leaving ``page`` on each in turn; yields its name."""
    page.goto("/")
    yield "home"
    page.goto("/complaints/")
    yield "complaint-form"
    page.locator(SUBMIT).click()  # nothing filled in: the errors beside the fields
    page.wait_for_selector(".error-summary")
    yield "complaint-form-errors"
    page.select_option("#category", "roads")
    page.fill("#subject", "ถนนหน้าตลาดเป็นหลุม")
    page.fill("#details", "หลุมกว้างประมาณหนึ่งเมตร รถจักรยานยนต์ล้มแล้วสองคัน")
    page.fill("#lat", "14.9799")  # a place: the public list then draws its map
    page.fill("#lng", "102.0978")
    yield from _receipt_then_status(page, "complaint", "/complaints/track", "#tracking_code")

    page.goto("/whistleblow/")
    yield "tip-home"
    page.goto("/whistleblow/new")
    yield "tip-form"
    page.select_option("#category", "bribery")
    page.fill("#what", "เจ้าหน้าที่เรียกเงินเพื่อให้ผ่านการตรวจรับงาน")
    yield from _receipt_then_status(page, "tip", "/whistleblow/status", "#receipt")
    page.goto("/whistleblow/claim")
    yield "tip-claim"

    for name, path in (
        ("statistics", "/stats"),
        ("manual-complaints", "/manuals/complaints"),
        ("manual-corruption", "/manuals/corruption"),
        ("public-cases", "/cases"),
        ("summary-reports", "/reports"),
        ("open-data", "/opendata/"),
    ):
        page.goto(path)
        yield name


@pytest.fixture
def walk(open_page, live_server):
    """``walk(viewport, visit, init="")``: a fresh page walks every public page, calling
    ``visit(name, page)`` on each; returns the names. Each walk files twice in each channel, so
    it starts with the rate limits' budgets unspent (the other browser tests share the live
    server and its address); ``open_page`` answers the maps' tiles in the browser. ``init``
    runs in each page before its own scripts, through the browser's protocol (the CSP does not
    apply)."""

    def walk_(viewport: dict, visit: Callable[[str, object], None], init="") -> list[str]:
        with live_server.app.app_context():
            limiter.reset()
        page = open_page(viewport=viewport)
        if init:
            page.context.add_init_script(script=init)
        names = []
        for name in public_pages(page):
            assert page.locator("html").get_attribute("lang") == "th", name
            visit(name, page)
            names.append(name)
        return names

    return walk_


def test_screenshots_of_every_public_page_at_phone_and_desktop_widths(walk):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    saved = []
    for width, viewport in (("phone", PHONE), ("desktop", DESKTOP)):

        def shoot(name, page, width=width):
            path = ARTIFACTS / f"{name}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            saved.append(path)

        walk(viewport, shoot)
    assert all(p.stat().st_size > 1000 for p in saved)
    print(f"\n{len(saved)} screenshots of the public pages in {ARTIFACTS}")


def test_no_serious_wcag_violations_on_any_public_page(walk):
    script = AXE.read_text(encoding="utf-8")
    found: dict[str, list] = {}
    for width, viewport in (("phone", PHONE), ("desktop", DESKTOP)):

        def check(name, page, width=width):
            violations = page.evaluate(RUN_AXE, WCAG21_AA)
            blocking = [v for v in violations if v["impact"] in BLOCKING]
            if blocking:
                found[f"{name} ({width})"] = blocking

        names = walk(viewport, check, init=script)
        assert len(names) >= 17
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
