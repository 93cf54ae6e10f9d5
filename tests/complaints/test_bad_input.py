"""Bad input on the complaint form and API: each answered with a 4xx that names the field (and on
the form, the page again with everything typed kept), never a 500 and never silently filed."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from answers import api_error, field_block
from sqlalchemy import func, select
from upload_samples import bomb_png, fake_jpeg, truncated_jpeg

from casework.extensions import db
from casework.models import Case

VALID = {"category": "roads", "subject": "ไฟดับ", "details": "ไฟถนนดับทั้งซอย"}
HUGE = int("9" * 400)


def count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id)))


# Everything a citizen typed, which a refused form must still show.
TYPED = dict(
    kind="complaint",
    category="lighting",
    subject="ไฟถนนดับ",
    details="ไฟถนนหน้าวัดดับมาสามคืนแล้ว",
    location="หน้าวัดป่า",
    name="สมหญิง รักดี",
    phone="0812345678",
    consent="y",
    form_token="f" * 43,
)


def form(**extra):
    return {**TYPED, **extra}


def assert_form_kept(response, app, field):
    """400, the error beside ``field``, and every typed field still filled in."""
    assert response.status_code == 400, response.get_data(as_text=True)[:3000]
    html = response.get_data(as_text=True)
    assert 'class="error"' in field_block(html, field), field_block(html, field)
    for typed in ("ไฟถนนดับ", "ไฟถนนหน้าวัดดับมาสามคืนแล้ว", "หน้าวัดป่า", "สมหญิง รักดี"):
        assert typed in html, typed
    assert 'value="0812345678"' in html
    assert count(app) == 0


# --- 13: no input gives a 500 ---------------------------------------------------------------


@pytest.mark.parametrize("field", ["lat", "lng"])
def test_a_400_digit_coordinate_is_a_field_error(client, app, field):
    body = {**VALID, "lat": 13.7, "lng": 100.5, field: HUGE}
    raw = json.dumps(body)
    assert str(HUGE) in raw
    r = client.post("/api/v1/complaints", data=raw, content_type="application/json")
    api_error(r, 400, field)
    coords = {"lat": "13.7", "lng": "100.5", field: str(HUGE)}
    assert_form_kept(client.post("/complaints/", data=form(**coords)), app, field)


def test_the_be_date_that_does_not_exist_is_a_field_error(client, app):
    api_error(
        client.post("/api/v1/complaints", json={**VALID, "occurred_on": "2568-02-29"}),
        400,
        "occurred_on",
    )
    assert_form_kept(
        client.post("/complaints/", data=form(occurred_on="2568-02-29")), app, "occurred_on"
    )


def test_the_real_be_leap_day_is_accepted(client, app):
    r = client.post("/api/v1/complaints", json={**VALID, "occurred_on": "2567-02-29"})
    assert r.status_code == 201, r.get_json()
    r = client.post("/complaints/", data=form(occurred_on="2567-02-29"))
    assert r.status_code == 200, r.get_data(as_text=True)[:2000]
    with app.app_context():
        assert set(db.session.scalars(select(Case.occurred_on))) == {date(2024, 2, 29)}


# --- 15: refuse, naming the field -----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "raw", "field"),
    [
        (
            "/api/v1/complaints",
            '{"category":"roads","subject":"a","subject":"b","details":"c"}',
            "subject",
        ),
        ("/api/v1/complaints", '{"reporter":{"name":"a","name":"b"},"category":"roads"}', "name"),
        ("/api/v1/track", '{"tracking_code":"A","tracking_code":"B"}', "tracking_code"),
        ("/api/v1/tips/status", '{"receipt":"A","receipt":"B"}', "receipt"),
    ],
)
def test_duplicate_json_keys_are_refused(client, app, path, raw, field):
    api_error(client.post(path, data=raw, content_type="application/json"), 400, field)
    assert count(app) == 0


def test_duplicate_keys_in_a_multipart_payload_are_refused(client, app):
    raw = '{"category":"roads","subject":"a","details":"c","details":"d"}'
    r = client.post("/api/v1/complaints", data={"payload": raw}, content_type="multipart/form-data")
    api_error(r, 400, "details")
    assert count(app) == 0


def _multipart(payload: bytes, *, as_file: bool) -> tuple[bytes, str]:
    boundary = "b0undary"
    disposition = 'form-data; name="payload"' + ('; filename="p.json"' if as_file else "")
    body = (
        f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        + (b"Content-Type: application/json\r\n" if as_file else b"")
        + b"\r\n"
        + payload
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("as_file", [False, True], ids=["field", "file-part"])
def test_invalid_utf8_in_a_multipart_payload_is_refused(client, app, as_file):
    payload = json.dumps(VALID, ensure_ascii=False).encode().replace("ไฟดับ".encode(), b"\xff\xfe")
    body, content_type = _multipart(payload, as_file=as_file)
    r = client.post("/api/v1/complaints", data=body, content_type=content_type)
    api_error(r, 400, "payload")
    assert count(app) == 0


@pytest.mark.parametrize(
    "invisible",
    ["\u200c", "\u2060", "\u00ad", "\u200c\u2060\u00ad", "\u0e48\u0e49", "\u200b\u0e34"],
    ids=["zwnj", "word-joiner", "soft-hyphen", "mixed", "thai-marks", "zwsp-vowel"],
)
@pytest.mark.parametrize("field", ["subject", "details"])
def test_a_subject_or_details_of_only_invisible_characters_is_refused(
    client, app, field, invisible
):
    api_error(client.post("/api/v1/complaints", json={**VALID, field: invisible}), 400, field)
    r = client.post("/complaints/", data=form(**{field: invisible}))
    assert r.status_code == 400 and 'class="error"' in field_block(r.get_data(as_text=True), field)
    assert count(app) == 0


@pytest.mark.parametrize("raw", ["20240101", "2024-W01-1", "2024-01-01T10:00"])
def test_only_iso_dates_are_read(client, app, raw):
    api_error(
        client.post("/api/v1/complaints", json={**VALID, "occurred_on": raw}), 400, "occurred_on"
    )
    assert_form_kept(client.post("/complaints/", data=form(occurred_on=raw)), app, "occurred_on")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**VALID, "subject": 12345}, "subject"),
        ({**VALID, "details": 1.5}, "details"),
        ({**VALID, "category": 7}, "category"),
        ({**VALID, "occurred_on": 20240101}, "occurred_on"),
        ({**VALID, "reporter": {"phone": 812345678}, "consent": True}, "reporter.phone"),
        ({**VALID, "lat": "13.7", "lng": 100.5}, "lat"),
        ({**VALID, "lat": 13.7, "lng": "east"}, "lng"),
        ({**VALID, "lat": True, "lng": 100.5}, "lat"),
        ({**VALID, "reporter": {"name": "สมชาย"}, "consent": "yes"}, "consent"),
    ],
)
def test_json_types_are_checked_with_field_errors(client, app, body, field):
    api_error(client.post("/api/v1/complaints", json=body), 400, field)
    assert count(app) == 0


def test_numbers_still_go_where_numbers_belong(client, app):
    r = client.post("/api/v1/complaints", json={**VALID, "lat": 13, "lng": 100.5})
    assert r.status_code == 201, r.get_json()


# --- 10: uploads ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make"),
    [("cut.jpg", truncated_jpeg), ("fake.jpg", fake_jpeg), ("huge.png", bomb_png)],
)
def test_an_image_that_cannot_be_decoded_or_is_too_large_is_refused(client, app, name, make):
    data = {"payload": json.dumps(VALID), "attachments": [(io.BytesIO(make()), name)]}
    r = client.post("/api/v1/complaints", data=data, content_type="multipart/form-data")
    body = api_error(r, 400, "attachments")
    assert name in body["fields"]["attachments"]
    r = client.post(
        "/complaints/",
        data=form(attachments=[(io.BytesIO(make()), name)]),
        content_type="multipart/form-data",
    )
    assert_form_kept(r, app, "attachments")
    assert name in field_block(r.get_data(as_text=True), "attachments")


# --- 16: Thai typing order ------------------------------------------------------------------


def test_thai_typed_in_another_order_is_stored_in_one_order(client, app):
    standard = "น้ำท่วมที่ซอย"
    typed = "น\u0e33\u0e49ท\u0e48วมท\u0e48\u0e35ซอย"  # tone after SARA AM, tone before SARA II
    assert typed != standard
    r = client.post("/api/v1/complaints", json={**VALID, "subject": typed})
    assert r.status_code == 201
    with app.app_context():
        assert db.session.scalar(select(Case.subject)) == standard
