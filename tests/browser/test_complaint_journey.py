"""A citizen files a complaint in a real browser (headless Chromium) against the real app.

Covers the Thai and English journeys from the home page to the receipt and the status page,
errors beside the fields, double submission, offsite requests and the CSP, a phone-sized screen,
printing the receipt on A4, and labels and the page language for assistive technology.
"""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from casework.dates import clock
from casework.dates.thaidate import be_year, fiscal_year, local_date
from casework.models import Attachment, Case

pytestmark = pytest.mark.browser

TRACKING_CODE = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
THAI = re.compile(r"[\u0e00-\u0e7f]")
SUBMIT = "form[data-once] button[type=submit]"
CODE_FITS_ITS_CARD = """() => {
    const code = document.querySelector('.code'), card = code.closest('.card');
    const padding = parseFloat(getComputedStyle(card).paddingRight);
    return code.getBoundingClientRect().right <= card.getBoundingClientRect().right - padding + 0.5;
}"""


def _today():
    return local_date(clock.utcnow())


def _png(tmp_path):
    path = tmp_path / "pothole.png"
    Image.new("RGB", (64, 48), (120, 90, 60)).save(path)
    return path


def _start_complaint(page):
    """From the home page, follow the complaint channel's button to the form."""
    page.goto("/")
    page.locator(".channel.complaint a.button").click()
    page.wait_for_url("**/complaints/")
    return page


def _fill(page, *, category="roads", subject="", details="", name=""):
    page.select_option("#category", category)
    page.fill("#subject", subject)
    page.fill("#details", details)
    if name:
        page.fill("#name", name)


def _facts(page) -> dict[str, str]:
    """The receipt's or status page's facts list as {term: value}."""
    terms = page.locator("dl.facts dt").all_inner_texts()
    values = page.locator("dl.facts dd").all_inner_texts()
    return {t.strip(): v.strip() for t, v in zip(terms, values, strict=True)}


def _receipt(page) -> tuple[str, str]:
    """The case number and tracking code shown on the receipt page."""
    page.wait_for_selector("article.receipt")
    number = page.locator("dl.facts dd strong").first.inner_text().strip()
    code = page.locator("dl.facts .code").inner_text().strip()
    return number, code


def _no_code_in_urls(page, code: str) -> None:
    compact = code.replace("-", "")
    for url in [page.url, *page.journal.requests]:
        assert code not in url.upper()
        assert compact not in url.upper().replace("-", "")


def test_filing_in_thai_then_tracking_by_code(page, live_server, tmp_path, screenshot):
    cases, files = live_server.count(Case), live_server.count(Attachment)
    page.goto("/")
    assert page.get_attribute("html", "lang") == "th"
    screenshot(page, "desktop-th-home")
    _start_complaint(page)
    # Thai UI by default: the category list is in Thai.
    assert "ถนน ทางเท้า ท่อระบายน้ำ" in page.locator("#category").inner_text()
    page.select_option("#category", label="ถนน ทางเท้า ท่อระบายน้ำ")
    page.fill("#subject", "ถนนหน้าตลาดสดเป็นหลุมลึก")
    page.fill("#details", "ถนนหน้าตลาดสดเทศบาลมีหลุมลึกประมาณ 30 เซนติเมตร\nรถจักรยานยนต์ล้มแล้ว 2 คัน")
    page.set_input_files("#attachments", str(_png(tmp_path)))
    page.locator(SUBMIT).click()

    number, code = _receipt(page)
    screenshot(page, "desktop-th-receipt")
    assert "ใบรับเรื่อง" in page.locator("h1").inner_text()
    assert re.fullmatch(rf"{fiscal_year(_today())}/\d{{6}}", number)
    assert TRACKING_CODE.match(code)
    facts = _facts(page)
    received = next(v for v in facts.values() if "เวลา" in v)
    assert re.fullmatch(rf"\d{{1,2}} \S+ {be_year(_today())} เวลา \d\d:\d\d น\.", received)
    assert "ถนนหน้าตลาดสดเป็นหลุมลึก" in facts.values()
    assert (live_server.count(Case), live_server.count(Attachment)) == (cases + 1, files + 1)
    assert "/complaints/" in page.url

    # Track it: the header link, then the code typed in lowercase without dashes.
    page.locator(".main-nav a[href$='/complaints/track']").click()
    page.fill("#tracking_code", code.replace("-", "").lower())
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("ol.timeline li")
    screenshot(page, "desktop-th-status")
    assert number in page.locator("h1").inner_text()
    assert page.locator("ol.timeline li").count() >= 1
    assert THAI.search(page.locator("ol.timeline time").first.inner_text())

    # Add information from the status page: a CSRF-protected POST from a real browser.
    events = page.locator("ol.timeline li").count()
    page.fill("#message", "เพิ่มเติม: หลุมอยู่ฝั่งขาออก ใกล้ป้ายรถประจำทาง")
    page.locator("form[action$='/track/info'] button[type=submit]").click()
    expect(page.locator("ol.timeline li")).to_have_count(events + 1)
    assert number in page.locator("h1").inner_text()
    _no_code_in_urls(page, code)


def test_filing_in_english(page, live_server):
    page.goto("/")
    page.locator(".lang a[hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _start_complaint(page)
    assert page.get_attribute("html", "lang") == "en"
    page.select_option("#category", label="Street lighting")
    page.fill("#subject", "Street light out on Soi 3")
    page.fill("#details", "The light in front of house 12 has been out for a week.")
    page.locator(SUBMIT).click()

    number, code = _receipt(page)
    assert page.locator("h1").inner_text().startswith("Receipt of your complaint")
    assert TRACKING_CODE.match(code)
    facts = _facts(page)
    assert facts["Case number"] == number
    assert facts["Category"] == "Street lighting"
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d", facts["Date received"])
    _no_code_in_urls(page, code)


def test_missing_details_error_beside_field_keeps_what_was_typed(page, live_server, screenshot):
    before = live_server.count(Case)
    _start_complaint(page)
    screenshot(page, "desktop-th-form")
    _fill(page, subject="ไฟฟ้าดับทั้งซอย", details="", name="สมชาย ใจดี")
    page.locator(SUBMIT).click()
    page.wait_for_selector("#details-error")
    screenshot(page, "desktop-th-form-errors")

    field = page.locator(".field", has=page.locator("#details"))
    assert "has-error" in field.get_attribute("class")
    error = field.locator(".error")
    assert error.get_attribute("id") == "details-error"
    assert THAI.search(error.inner_text()), f"error not in Thai: {error.inner_text()!r}"
    assert "details-error" in page.get_attribute("#details", "aria-describedby")
    assert page.get_attribute("#details", "aria-invalid") == "true"
    # The summary links to the field, and everything typed is still there.
    assert page.locator("#error-summary a[href='#details']").count() == 1
    assert page.input_value("#subject") == "ไฟฟ้าดับทั้งซอย"
    assert page.input_value("#name") == "สมชาย ใจดี"
    assert page.input_value("#category") == "roads"
    assert live_server.count(Case) == before

    # Giving a name needs consent to use it: that error sits beside the checkbox.
    consent = page.locator(".field", has=page.locator("#consent"))
    assert THAI.search(consent.locator(".error").inner_text())
    page.fill("#details", "เสาไฟฟ้าต้นที่ 4 ถึง 9 ดับมาสามคืนแล้ว")
    page.check("#consent")
    page.locator(SUBMIT).click()
    _receipt(page)
    assert live_server.count(Case) == before + 1


def test_session_cookie_is_secure_and_accepted_on_loopback(page):
    """SESSION_COOKIE_SECURE stays on: Chromium keeps Secure cookies for http://127.0.0.1."""
    page.goto("/complaints/")
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies["rongrian_session"]
    assert session["secure"] and session["httpOnly"] and session["sameSite"] == "Lax"


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_second_click_while_the_answer_is_slow_files_one_case(open_page, live_server, javascript):
    """An impatient second click on a slow connection. With forms.js the button is disabled
    and only one request leaves; without it the browser really sends the form twice and the
    form's one-time token makes the second the receipt of the first case."""
    page = open_page(java_script_enabled=javascript)
    before = live_server.count(Case)
    _start_complaint(page)
    _fill(page, subject="ขยะไม่ได้เก็บสองสัปดาห์", details="ถังขยะหน้าชุมชนล้น", category="waste")
    page.locator(SUBMIT).scroll_into_view_if_needed()
    box = page.locator(SUBMIT).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    with live_server.slow_posts(1.0) as posts:
        page.mouse.click(x, y)
        page.wait_for_timeout(300)
        page.mouse.click(x, y)
        _, code = _receipt(page)
    assert posts == ["/complaints/"] * (1 if javascript else 2)
    assert TRACKING_CODE.match(code), "the receipt of a repeated form still shows the code"
    assert live_server.count(Case) == before + 1
    if not javascript:
        assert page.locator("article.receipt .receipt-repeated").count() == 1  # "already sent"


def test_double_click_files_one_case(page, live_server):
    before = live_server.count(Case)
    _start_complaint(page)
    _fill(page, subject="น้ำประปาไม่ไหล", details="ไม่มีน้ำประปาตั้งแต่เช้า", category="water")
    page.locator(SUBMIT).dblclick()
    _receipt(page)
    page.wait_for_timeout(300)  # a second request still in flight would land by now
    assert live_server.count(Case) == before + 1


def test_reloading_the_receipt_files_nothing_twice(page, live_server):
    """Reload re-sends the form; the form's one-time token makes it the same case."""
    _start_complaint(page)
    _fill(page, subject="ต้นไม้ล้มขวางถนน", details="ต้นไม้ใหญ่ล้มขวางถนนซอย 5")
    page.locator(SUBMIT).click()
    number, code = _receipt(page)
    count = live_server.count(Case)
    page.reload()
    assert _receipt(page) == (number, code)
    assert page.locator("article.receipt .receipt-repeated").count() == 1  # "already sent"
    assert live_server.count(Case) == count


def test_expired_form_keeps_what_was_typed_and_sends_on_the_second_try(page, live_server):
    """With the session cookie gone (CSRF token no longer valid) nothing typed is lost."""
    before = live_server.count(Case)
    _start_complaint(page)
    _fill(page, subject="ไฟจราจรเสีย", details="สัญญาณไฟแยกตลาดไม่ทำงาน", name="มานี มีนา")
    page.check("#consent")
    page.context.clear_cookies()
    page.locator(SUBMIT).click()
    page.wait_for_selector(".notice-warning[role=alert]")
    assert THAI.search(page.locator(".notice-warning[role=alert]").inner_text())
    assert page.input_value("#subject") == "ไฟจราจรเสีย"
    assert page.input_value("#details") == "สัญญาณไฟแยกตลาดไม่ทำงาน"
    assert page.input_value("#name") == "มานี มีนา"
    assert live_server.count(Case) == before
    page.locator(SUBMIT).click()
    _receipt(page)
    assert live_server.count(Case) == before + 1


def test_pages_load_nothing_from_other_sites_and_keep_the_csp(open_page, live_server, tmp_path):
    page = open_page()
    _start_complaint(page)
    response = page.goto("/complaints/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    # The stylesheet and the script really apply under the CSP.
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    ) == ("rgb(11, 83, 148)")
    _fill(page, subject="เสียงดังจากโรงงาน", details="โรงงานเปิดเครื่องจักรทั้งคืน")
    page.set_input_files("#attachments", str(_png(tmp_path)))
    page.locator(SUBMIT).click()
    _, code = _receipt(page)
    page.locator("[data-print]").wait_for(state="visible", timeout=10_000)  # forms.js ran
    page.goto("/complaints/track")
    page.fill("#tracking_code", code)
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("ol.timeline")
    page.locator(".lang button[lang=en]").click()  # a page reached by a POST: posted again
    expect(page.locator("html")).to_have_attribute("lang", "en")

    journal = page.journal
    assert any(u.endswith("/static/css/site.css") for u in journal.requests)
    assert any(u.endswith("/static/js/forms.js") for u in journal.requests)
    assert journal.offsite() == []
    assert journal.csp_violations() == []
    assert [m for m in journal.console if m.startswith("error")] == []


def test_phone_screen_has_no_horizontal_scrolling(open_page, screenshot):
    page = open_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    wide = "() => document.scrollingElement.scrollWidth - window.innerWidth"
    page.goto("/")
    screenshot(page, "mobile-th-home")
    assert page.evaluate(wide) <= 0
    _start_complaint(page)
    screenshot(page, "mobile-th-form")
    assert page.evaluate(wide) <= 0
    _fill(page, subject="ทางเท้าแตก", details="")
    page.locator(SUBMIT).click()
    page.wait_for_selector("#details-error")
    screenshot(page, "mobile-th-form-errors")
    assert page.evaluate(wide) <= 0
    page.fill("#details", "ทางเท้าหน้าโรงเรียนแตกเป็นแนวยาว")
    page.locator(SUBMIT).click()
    _, code = _receipt(page)
    screenshot(page, "mobile-th-receipt")
    assert page.evaluate(wide) <= 0
    assert page.evaluate(CODE_FITS_ITS_CARD)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate(wide) <= 0
    assert page.evaluate(CODE_FITS_ITS_CARD)
    page.goto("/complaints/track")
    page.fill("#tracking_code", code)
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("ol.timeline")
    screenshot(page, "mobile-th-status")
    assert page.evaluate(wide) <= 0


def test_receipt_prints_on_one_a4_page_without_the_site_chrome(page):
    _start_complaint(page)
    _fill(page, subject="ท่อระบายน้ำอุดตัน", details="น้ำท่วมขังหน้าบ้านทุกครั้งที่ฝนตก")
    page.locator(SUBMIT).click()
    _, code = _receipt(page)
    page.wait_for_load_state("load")  # forms.js and the favicon have arrived
    page.emulate_media(media="print")
    for hidden in (".site-header", ".main-nav", ".site-footer", ".skip-link", "button"):
        for element in page.locator(hidden).all():
            expect(element, f"{hidden} shows in print").to_be_hidden()
    expect(page.locator(".print-only")).to_be_visible()
    expect(page.locator(".code")).to_have_text(code)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) == 1


def test_every_form_control_has_a_label_and_the_page_language_follows_the_switch(page):
    unlabelled = """() => [...document.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && e.getClientRects().length)
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                     && !e.getAttribute('aria-labelledby'))
        .map(e => e.name || e.id)"""
    _start_complaint(page)
    assert page.get_attribute("html", "lang") == "th"
    assert page.evaluate(unlabelled) == []
    page.locator(SUBMIT).click()  # errors: the labels must survive re-rendering
    page.wait_for_selector("#error-summary")
    assert page.evaluate(unlabelled) == []
    page.goto("/complaints/track")
    assert page.evaluate(unlabelled) == []

    page.locator(".lang a[hreflang=en]").click()
    page.wait_for_url("**/complaints/track")
    assert page.get_attribute("html", "lang") == "en"
    page.locator(".lang a[hreflang=th]").click()
    page.wait_for_url("**/complaints/track")
    assert page.get_attribute("html", "lang") == "th"


def test_the_longest_anonymous_receipt_still_prints_on_one_a4_page(page):
    """Worst case on paper: English, the 200-character subject, the anonymous warning."""
    page.goto("/lang/en")
    _start_complaint(page)
    _fill(page, subject=("Broken street light " * 10)[:200], details="x")
    page.locator(SUBMIT).click()
    _, code = _receipt(page)
    assert page.locator(".receipt-keep").is_visible()  # the code is their only way back
    page.emulate_media(media="print")
    assert page.locator(".receipt-keep").is_visible()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) == 1


def test_a_file_too_large_is_caught_before_anything_is_uploaded(page, live_server, tmp_path):
    before = live_server.count(Case)
    big = tmp_path / "video.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (10 * 1024 * 1024 + 1))
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    _start_complaint(page)
    _fill(page, subject="ไฟดับ", details="ไฟถนนดับ")
    page.set_input_files("#attachments", str(big))
    check = page.locator("#attachments-check")
    assert "video.png" in check.inner_text() and THAI.search(check.inner_text())
    assert "attachments-check" in page.get_attribute("#attachments", "aria-describedby")
    page.locator(SUBMIT).click()
    page.wait_for_timeout(300)
    assert posts == [] and live_server.count(Case) == before
    assert page.evaluate("document.activeElement.id") == "attachments"
    assert not page.locator(SUBMIT).is_disabled()  # they can fix it and send
    page.set_input_files("#attachments", str(_png(tmp_path)))
    assert page.locator("#attachments-check").count() == 0
    page.locator(SUBMIT).click()
    _receipt(page)
    assert live_server.count(Case) == before + 1


def test_switching_language_after_a_tracking_lookup_keeps_the_page(page):
    """A page reached by a POST: the switch posts it again, so no 405 and no code in a URL."""
    _start_complaint(page)
    _fill(page, subject="ป้ายจราจรล้ม", details="ป้ายจราจรหน้าโรงเรียนล้มขวางทาง")
    page.locator(SUBMIT).click()
    _, code = _receipt(page)
    page.locator(".lang button[lang=en]").click()  # the receipt keeps its language switch
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("dl.facts .code")).to_have_text(code)
    page.goto("/complaints/track")
    page.fill("#tracking_code", code)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h2", has_text="Progress")).to_be_visible()
    page.locator(".lang button[lang=th]").click()
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("h2", has_text="ความคืบหน้า")).to_be_visible()
    _no_code_in_urls(page, code)
