"""A photo survives a form error in a real browser, on both channels: the page that reports the
error lists it as attached, and the corrected form files it without choosing it again."""

from __future__ import annotations

import pytest
from PIL import Image

from casework.extensions import limiter
from casework.models import Attachment, Case, HeldUpload

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def fresh_budget(live_server):
    """Each test sends a form twice: start, and leave, the session's server with a full
    submission budget (the other journeys share it)."""
    with live_server.app.app_context():
        limiter.reset()
    yield
    with live_server.app.app_context():
        limiter.reset()


SUBMIT = "form[data-once] button[type=submit]"


def _photo(tmp_path, name="photo.jpg"):
    path = tmp_path / name
    Image.new("RGB", (64, 48), (30, 120, 200)).save(path, "JPEG")
    return path


def test_a_complaint_form_error_keeps_the_photo(page, live_server, tmp_path, screenshot):
    cases, files = live_server.count(Case), live_server.count(Attachment)
    held = live_server.count(HeldUpload)
    page.goto("/complaints/")
    page.select_option("#category", "lighting")
    page.fill("#subject", "ไฟถนนดับ")
    page.fill("#details", "ไฟถนนหน้าวัดดับมาสามคืนแล้ว")
    page.fill("#email", "somying@example.com")  # contact details, but no consent
    page.set_input_files("#attachments", str(_photo(tmp_path, "เสาไฟ.jpg")))
    page.locator(SUBMIT).click()
    page.wait_for_selector("#error-summary")
    assert page.locator("#consent-error").is_visible()
    assert page.locator(".held-files .held-name").all_inner_texts() == ["เสาไฟ.jpg"]
    assert page.locator("#attachments").evaluate("e => e.files.length") == 0
    screenshot(page, "desktop-th-complaint-kept-photo")
    assert live_server.count(Case) == cases

    page.check("#consent")
    page.locator(SUBMIT).click()
    page.wait_for_selector("article.receipt")
    assert live_server.count(Case) == cases + 1
    assert live_server.count(Attachment) == files + 1
    assert live_server.count(HeldUpload) == held  # used, so deleted


def test_a_tip_form_error_keeps_the_photo(page, live_server, tmp_path, screenshot):
    cases, files = live_server.count(Case), live_server.count(Attachment)
    held = live_server.count(HeldUpload)
    page.goto("/whistleblow/new")
    page.select_option("#category", "bribery")
    page.set_input_files("#attachments", str(_photo(tmp_path, "หลักฐาน.jpg")))
    page.locator(SUBMIT).click()  # "what happened" is missing
    page.wait_for_selector("#error-summary")
    assert page.locator(".held-files .held-name").all_inner_texts() == ["หลักฐาน.jpg"]
    assert page.context.cookies() == []  # the tip channel kept the photo without a cookie
    screenshot(page, "desktop-th-tip-kept-photo")

    page.fill("#what", "เจ้าหน้าที่เรียกรับเงินเพื่อเร่งออกใบอนุญาตก่อสร้าง")
    page.locator(SUBMIT).click()
    page.wait_for_selector("article.receipt")
    assert live_server.count(Case) == cases + 1
    assert live_server.count(Attachment) == files + 1
    assert live_server.count(HeldUpload) == held  # used, so deleted
    assert page.context.cookies() == []


def test_switching_language_on_the_complaint_error_page_keeps_the_photo(
    page, live_server, tmp_path, screenshot
):
    cases = live_server.count(Case)
    page.goto("/complaints/")
    page.select_option("#category", "lighting")
    page.fill("#subject", "ไฟถนนดับ")
    page.fill("#details", "ไฟถนนหน้าวัดดับมาสามคืนแล้ว")
    page.fill("#email", "somying@example.com")  # contact details, but no consent
    page.set_input_files("#attachments", str(_photo(tmp_path, "เสาไฟ.jpg")))
    page.locator(SUBMIT).click()
    page.wait_for_selector("#error-summary")
    page.locator("nav.lang button[name=switch_language]").click()
    page.wait_for_selector('html[lang="en"]')
    assert page.input_value("#details") == "ไฟถนนหน้าวัดดับมาสามคืนแล้ว"
    assert page.input_value("#email") == "somying@example.com"
    assert page.locator(".held-files .held-name").all_inner_texts() == ["เสาไฟ.jpg"]
    assert "lang=" not in page.url and page.url.endswith("/complaints/")
    screenshot(page, "desktop-en-complaint-switched-kept-photo")
    assert live_server.count(Case) == cases  # switching filed nothing

    page.check("#consent")
    page.locator(SUBMIT).click()
    page.wait_for_selector("article.receipt")
    assert live_server.count(Case) == cases + 1
    assert page.locator("html").get_attribute("lang") == "en"


def test_switching_language_on_the_blank_complaint_form_keeps_what_was_typed(
    page, live_server, tmp_path, screenshot
):
    cases = live_server.count(Case)
    page.goto("/complaints/")
    page.select_option("#category", "lighting")
    page.fill("#subject", "ไฟถนนดับ")
    page.fill("#details", "ไฟถนนหน้าวัดดับมาสามคืนแล้ว")
    page.fill("#email", "somying@example.com")
    page.set_input_files("#attachments", str(_photo(tmp_path, "เสาไฟ.jpg")))
    # The switch is a button named like the link it replaces, looks like it, and shows focus.
    switch = page.get_by_role("button", name="English", exact=True)
    assert switch.get_attribute("lang") == "en"
    looks = switch.evaluate(
        "e => { const s = getComputedStyle(e), a = getComputedStyle(e.closest('nav'));"
        " return [s.backgroundColor, s.textDecorationLine, s.color === a.color]; }"
    )
    assert looks == ["rgba(0, 0, 0, 0)", "underline", True]
    page.locator("a.brand").focus()
    page.keyboard.press("Tab")  # from the site's name, the next stop is the language switch
    assert switch.evaluate("e => e === document.activeElement")
    assert switch.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    screenshot(page, "desktop-th-complaint-blank-switch-focused")
    page.keyboard.press("Enter")
    page.wait_for_selector('html[lang="en"]')
    assert page.input_value("#subject") == "ไฟถนนดับ"
    assert page.input_value("#details") == "ไฟถนนหน้าวัดดับมาสามคืนแล้ว"
    assert page.input_value("#email") == "somying@example.com"
    assert page.locator(".held-files .held-name").all_inner_texts() == ["เสาไฟ.jpg"]
    assert page.locator("#error-summary").count() == 0  # shown again, not judged
    assert "lang=" not in page.url and page.url.endswith("/complaints/")
    assert live_server.count(Case) == cases  # switching filed nothing

    # Enter in a field sends the form (its default button), not the language switch.
    page.press("#subject", "Enter")
    page.wait_for_selector("#error-summary")  # contact details, but no consent
    assert page.locator("html").get_attribute("lang") == "en"
    assert live_server.count(Case) == cases

    page.check("#consent")
    page.locator(SUBMIT).click()
    page.wait_for_selector("article.receipt")
    assert live_server.count(Case) == cases + 1
    assert page.locator("html").get_attribute("lang") == "en"
