"""The map pin on a phone-sized screen (the tile server stubbed in the browser), the refusal of
the browser's location said beside the button, and a complainant reopening a completed case as
"not fixed" on the tracking page."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from casework.cases import casefile
from casework.extensions import db
from casework.general import intake
from casework.models import Case, Organization

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}

OSM = "https://tile.openstreetmap.org"  # the default tile host (stubbed by open_page)
PIN_IN_MAP = """() => {
    const pin = document.querySelector('.leaflet-marker-icon');
    const box = document.querySelector('[data-map-picker]').getBoundingClientRect();
    if (!pin || !pin.complete || !pin.naturalWidth) { return false; }
    const r = pin.getBoundingClientRect();
    return r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
}"""


def _tile() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (220, 230, 210)).save(out, "PNG")
    return out.getvalue()


def test_placing_the_pin_on_a_phone(open_page, screenshot):
    page = open_page(**PHONE)
    asked = page.tiles_asked
    page.goto("/complaints/")
    box = page.locator("[data-map-picker]")
    box.wait_for(state="visible")
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    assert asked and all(url.startswith(OSM + "/") for url in asked)
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    bounds = box.bounding_box()
    assert bounds["width"] <= PHONE["viewport"]["width"]
    box.scroll_into_view_if_needed()
    box.tap(position={"x": bounds["width"] / 2, "y": bounds["height"] / 2})
    page.wait_for_function(PIN_IN_MAP)
    lat, lng = float(page.input_value("#lat")), float(page.input_value("#lng"))
    assert 5 < lat < 21 and 97 < lng < 106  # the map opened on the configured centre
    page.fill("#lat", "13.800000")
    page.fill("#lng", "100.600000")
    page.locator("#lng").dispatch_event("change")
    # The pin follows the boxes and stays inside the map, in view.
    page.wait_for_function(PIN_IN_MAP)
    screenshot(page, "complaint-map-phone")


def test_a_refused_location_is_said_beside_the_button(open_page):
    page = open_page(**PHONE)  # no geolocation permission: the browser refuses
    page.goto("/complaints/")
    page.locator("[data-locate]").click()
    status = page.locator("#locate-status")
    status.wait_for(state="visible")
    expect(page.locator("#locate-status")).to_have_class("error")
    assert "ไม่อนุญาต" in status.inner_text()
    assert page.input_value("#lat") == ""


def test_a_granted_location_moves_the_pin(open_page):
    page = open_page(
        **PHONE,
        permissions=["geolocation"],
        geolocation={"latitude": 13.7563, "longitude": 100.5018},
    )
    page.goto("/complaints/")
    page.locator("[data-locate]").click()
    expect(page.locator("#lat")).not_to_have_value("")
    assert page.input_value("#lat") == "13.756300"
    page.locator(".leaflet-marker-icon").wait_for(state="visible")


def _completed_case(live_server) -> tuple[str, int]:
    app = live_server.app
    with app.app_context(), app.test_request_context():
        org = db.session.scalars(db.select(Organization).order_by(Organization.id)).first()
        filed = intake.file_complaint(
            org,
            intake.ComplaintSubmission(
                category="roads", subject="ถนนเป็นหลุม", details="หน้าบ้านเลขที่ 9"
            ),
        )
        case = db.session.get(Case, filed.case.id)
        casefile.change_status(case, "completed", outcome="resolved", note="ซ่อมแล้ว")
        db.session.commit()
        return filed.tracking_code, case.id


def test_reopening_as_not_fixed(open_page, live_server, screenshot):
    code, case_id = _completed_case(live_server)
    page = open_page(**PHONE)
    page.goto("/complaints/track")
    page.fill("#tracking_code", code)
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("#fixed")
    assert page.locator("#fixed-label").inner_text() == "แก้ไขแล้วหรือยัง"
    page.get_by_label("ยังไม่ได้แก้ไข").check()
    page.fill("#comment", "ยังเป็นหลุมอยู่ รถตกทุกวัน")
    screenshot(page, "tracking-not-fixed-phone")
    page.locator("form[action$='/track/rate'] button[type=submit]").click()
    page.wait_for_selector(".notice-success")
    assert "เปิดเรื่องของท่านอีกครั้งแล้ว" in page.locator(".notice-success").inner_text()
    assert "ยังเป็นหลุมอยู่" in page.locator("ol.timeline").inner_text()
    assert page.locator("#add-information").is_visible()  # open again: information can follow
    with live_server.app.app_context():
        case = db.session.get(Case, case_id)
        assert (case.status, case.reopen_count) == ("in_progress", 1)
    assert code not in page.url


def test_the_officer_sees_the_pin_and_adds_photos_the_citizen_then_sees(
    live_server, open_page, tmp_path, screenshot
):
    from tests.browser.test_staff_journey import _account, _sign_in

    app = live_server.app
    with app.app_context(), app.test_request_context():
        org = db.session.scalars(db.select(Organization).order_by(Organization.id)).first()
        filed = intake.file_complaint(
            org,
            intake.ComplaintSubmission(
                category="roads",
                subject="ถนนเป็นหลุม",
                details="หน้าตลาด",
                lat="13.756331",
                lng="100.501765",
                uploads=[intake.Upload("mine.png", _tile())],
            ),
        )
        code, case_id = filed.tracking_code, filed.case.id
    _account(live_server, "works.photos@demo.go.th", "officer", "works")
    officer = open_page()
    _sign_in(officer, "works.photos@demo.go.th")
    officer.goto(f"/admin/cases/{case_id}")
    officer.locator("[data-map-pin] .leaflet-marker-icon").wait_for(state="visible")
    assert officer.locator('a[href="geo:13.756331,100.501765"]').count() == 1
    photo = tmp_path / "after.png"
    Image.new("RGB", (80, 60), (30, 160, 60)).save(photo)
    panel = officer.locator("#after-photos")
    panel.locator("summary").click()  # closed until opened, as the case page's actions are
    panel.locator("#photos-body").fill("ซ่อมหลุมเรียบร้อยแล้ว ตามภาพ")
    panel.locator("#photos").set_input_files(str(photo))
    panel.locator("button[type=submit]").click()
    officer.wait_for_selector(".notice-success")
    screenshot(officer, "case-page-pin-and-photos")

    citizen = open_page(**PHONE)
    citizen.goto("/complaints/track")
    citizen.fill("#tracking_code", code)
    citizen.locator("form button[type=submit]").click()
    citizen.wait_for_selector("#officer-photos")
    for grid in ("#officer-photos + .photo-grid img", "#own-photos + .photo-grid img"):
        image = citizen.locator(grid)
        assert image.count() == 1
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "ซ่อมหลุมเรียบร้อยแล้ว ตามภาพ" in citizen.locator("ol.timeline").inner_text()
    assert all(code.replace("-", "") not in u.replace("-", "") for u in citizen.journal.requests)
    screenshot(citizen, "tracking-photos-phone")
