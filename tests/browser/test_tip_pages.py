"""The tip channel as a tipster meets it in a real browser: identity fields only once they choose
to give their identity (scripts or not), a receipt they can show while typing, a readable proof
to download and print, and a button that leaves at once without a way Back."""

from __future__ import annotations

import re

import pytest
from proof_pdf import check_proof_pdf, need_thai_font

pytestmark = pytest.mark.browser

SUBMIT = "form[data-once] button[type=submit]"
WHAT = "เจ้าหน้าที่เรียกรับเงินเพื่อเร่งออกใบอนุญาตก่อสร้าง"


def _file_tip(page) -> str:
    page.goto("/whistleblow/new")
    page.select_option("#category", "bribery")
    page.fill("#what", WHAT)
    page.locator(SUBMIT).click()
    page.wait_for_selector("article.receipt")
    return page.locator("dl.facts .code").inner_text().strip()


@pytest.mark.parametrize("scripts", [True, False])
def test_identity_fields_appear_only_when_the_tipster_chooses_to_give_them(open_page, scripts):
    page = open_page(java_script_enabled=scripts)
    page.goto("/whistleblow/new")
    assert page.locator("#confidential-0").is_checked()  # anonymous by default
    assert not page.locator("#name").is_visible()
    assert not page.locator("#consent").is_visible()
    page.check("#confidential-1")
    assert page.locator("#name").is_visible() and page.locator("#consent").is_visible()
    page.check("#confidential-0")
    assert not page.locator("#name").is_visible()


def test_the_proof_of_submission_downloads_as_a_readable_pdf(page, tmp_path, screenshot):
    need_thai_font()
    receipt = _file_tip(page)
    screenshot(page, "desktop-th-tip-receipt")
    body = page.locator("main").inner_text()
    for word in ("Ed25519", "SHA-256", "กุญแจสาธารณะ", "ลายมือชื่ออิเล็กทรอนิกส์", "เข้ารหัส"):
        assert word not in body, word
    with page.expect_download() as download:
        page.locator("form[action$='/whistleblow/proof'] button[type=submit]").click()
    path = tmp_path / "proof.pdf"
    download.value.save_as(path)
    assert download.value.suggested_filename.endswith(".pdf")
    check_proof_pdf(path.read_bytes(), receipt)


def test_the_receipt_field_shows_and_hides_what_is_typed(page):
    page.goto("/whistleblow/status")
    field = page.locator("#receipt")
    assert field.get_attribute("type") == "password"
    page.fill("#receipt", "7KQ4-M2XD-9HBT-0RZP-A1B2")
    toggle = page.locator("[data-reveal=receipt]")
    toggle.click()
    assert field.get_attribute("type") == "text" and toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    assert field.get_attribute("type") == "password"


def test_leaving_quickly_replaces_the_page(page, live_server):
    live_server.app.config["QUICK_EXIT_URL"] = live_server.url + "/"  # no other site in tests
    page.goto("/")
    page.goto("/whistleblow/")
    assert "1205" in page.locator("main").inner_text()  # the national hotlines are listed
    assert "1206" in page.locator("main").inner_text()
    assert "1567" in page.locator("main").inner_text()
    page.locator("[data-quick-exit]").click()
    page.wait_for_url(re.compile(re.escape(live_server.url) + r"/$"))
    page.go_back()  # Back goes to the page before the tip pages, not to them
    assert "/whistleblow" not in page.url


def test_without_scripts_no_button_that_needs_one_is_shown(open_page):
    page = open_page(java_script_enabled=False)
    page.goto("/whistleblow/status")
    assert page.locator("#receipt").is_visible()
    assert not page.locator("[data-reveal=receipt]").is_visible()  # it needs the script
    page.goto("/complaints/")
    assert not page.locator("[data-locate]").is_visible()  # "use my current location" too


def test_leaving_quickly_blanks_the_page_at_once(page, live_server):
    page.goto("/whistleblow/")
    page.evaluate("document.body.hidden = true")  # what the quick exit does before it leaves
    assert not page.locator("main").is_visible()
