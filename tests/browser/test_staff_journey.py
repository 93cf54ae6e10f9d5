"""Staff in a real browser (headless Chromium): first sign-in with the TOTP QR code under the
CSP, a clerk's phone complaint and its slip, the inbox on a phone, and the acknowledgement
letter printed on one A4 page."""

from __future__ import annotations

import base64
import re

import pytest

from casework.extensions import db
from casework.models import Department, Organization
from casework.staff import accounts, totp

pytestmark = pytest.mark.browser

PASSWORD = "เจ้าหน้าที่-ทดสอบ-2570"
PHONE = {"width": 375, "height": 812}


def _account(live_server, email, role, department=None):
    with live_server.app.app_context():
        org = db.session.scalars(db.select(Organization)).first()
        dept = db.session.scalar(db.select(Department.id).filter_by(code=department))
        accounts.create(org.id, email, role, password=PASSWORD, department_id=dept)


def _sign_in(page, email):
    """First sign-in: password, then enrolment with the QR code's key; returns the secret."""
    page.goto("/admin/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/admin/login/enrol")
    qr = page.locator(".qr img")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")  # the CSP let it load
    key = page.locator(".qr .small-code").inner_text().replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    page.fill("#code", totp.code_at(secret, totp.now_seconds()))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    return secret


def test_clerk_registers_a_phone_complaint_and_the_letter_prints_on_one_page(
    live_server, open_page, screenshot
):
    _account(live_server, "clerk.browser@demo.go.th", "clerk")
    _account(live_server, "works.browser@demo.go.th", "officer", "works")

    clerk = open_page()
    _sign_in(clerk, "clerk.browser@demo.go.th")
    clerk.goto("/admin/intake")
    clerk.check("#received_via-0")  # phone
    clerk.select_option("#category", "roads")
    clerk.fill("#subject", "ถนนหน้าโรงเรียนทรุดตัว")
    clerk.fill("#details", "ผู้ร้องโทรแจ้งว่าถนนหน้าโรงเรียนทรุดเป็นแอ่งกว้าง")
    clerk.fill("#name", "นายโทร แจ้งเรื่อง")
    clerk.fill("#address", "9 หมู่ 1 ตำบลในเมือง")
    clerk.check("#consent")
    clerk.locator("form[action$='/intake'] button[type=submit]:not([name=corruption])").click()
    code = clerk.locator(".slip .code").first.inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    screenshot(clerk, "staff-slip")
    case_url = clerk.locator("a", has_text=re.compile("เปิดเรื่อง")).get_attribute("href")

    officer = open_page()
    _sign_in(officer, "works.browser@demo.go.th")
    officer.goto(case_url + "/notices/acknowledgement")
    assert officer.locator(".letter").inner_text().count("ขอแสดงความนับถือ") == 1
    officer.emulate_media(media="print")
    pdf = officer.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 2  # the letter on one page, the address for the envelope on the next
    screenshot(officer, "staff-letter-print")

    phone = open_page(viewport=PHONE)
    phone.context.add_cookies(officer.context.cookies())
    phone.goto("/admin/inbox")
    assert phone.locator("table.stack tbody tr").count() >= 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "staff-inbox-phone")
