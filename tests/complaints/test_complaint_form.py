"""The web form: Thai first, errors beside fields, nothing lost, one case per submission."""

import io
import re

from sqlalchemy import func, select

from casework.extensions import db
from casework.models import Case

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form(**extra):
    data = {
        "kind": "complaint",
        "category": "lighting",
        "subject": "ไฟถนนดับ",
        "details": "ไฟถนนหน้าวัดดับมาสามคืนแล้ว",
        "form_token": "f" * 43,
    }
    data.update(extra)
    return data


def count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id)))


def field_block(html, name):
    """The <div class="field"> that holds input ``name``."""
    match = re.search(
        r'<div class="field[^"]*">(?:(?!<div class="field).)*?(?:id|for)="'
        + re.escape(name)
        + r'".*?</div>',
        html,
        re.S,
    )
    assert match, f"no field block for {name}"
    return match.group(0)


def test_form_is_thai_by_default(client):
    html = client.get("/complaints/").get_data(as_text=True)
    assert '<html lang="th">' in html
    assert 'name="form_token"' in html
    for name in (
        "category",
        "subject",
        "details",
        "location",
        "lat",
        "lng",
        "occurred_on",
        "attachments",
        "name",
        "phone",
        "email",
        "address",
        "consent",
    ):
        assert f'name="{name}"' in html, name
    assert "ถนน ทางเท้า ท่อระบายน้ำ" in html


def test_missing_fields_show_errors_beside_them_and_keep_what_was_typed(client, app):
    r = client.post(
        "/complaints/", data=form(details="", name="สมหญิง รักดี", phone="0812345678", consent="y")
    )
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    block = field_block(html, "details")
    assert 'class="error"' in block and 'aria-invalid="true"' in block
    assert 'value="ไฟถนนดับ"' in html  # subject kept
    assert 'value="สมหญิง รักดี"' in html  # contact kept
    assert 'value="0812345678"' in html
    assert 'id="error-summary"' in html
    assert count(app) == 0


def test_errors_are_in_the_users_language(client):
    client.get("/lang/en")
    html = client.post("/complaints/", data=form(subject="")).get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Give the complaint a short subject." in field_block(html, "subject")


def test_contact_without_consent_is_refused(client, app):
    r = client.post("/complaints/", data=form(email="a@example.com"))
    assert r.status_code == 400
    assert 'class="error"' in r.get_data(as_text=True)
    assert count(app) == 0


def test_receipt_shows_number_code_dates_and_is_not_cached(client, app):
    r = client.post("/complaints/", data=form())
    assert r.status_code == 200
    assert r.headers["Cache-Control"].startswith("no-store")
    assert "Location" not in r.headers
    html = r.get_data(as_text=True)
    assert re.search(r"\d{4}/\d{6}", html)
    code = re.search(r'<span class="code">([0-9A-Z-]{19})</span>', html).group(1)
    assert re.search(r"\d{1,2} [ก-๙.]+ 25\d\d", html)  # Buddhist Era date
    assert "ใบรับเรื่อง" in html
    assert code not in "".join(re.findall(r'(?:href|action|src)="([^"]*)"', html))


def test_double_submit_files_one_case_and_shows_the_same_receipt(client, app):
    first = client.post("/complaints/", data=form()).get_data(as_text=True)
    second = client.post("/complaints/", data=form()).get_data(as_text=True)
    code = re.search(r'<span class="code">([0-9A-Z-]{19})</span>', first).group(1)
    assert code in second
    assert re.search(r"\d{4}/\d{6}", first).group(0) in second
    assert count(app) == 1


def test_attachments_are_checked_by_content(client, app):
    data = form(attachments=[(io.BytesIO(b"GIF89a..."), "photo.png")])
    r = client.post("/complaints/", data=data, content_type="multipart/form-data")
    assert r.status_code == 400
    assert "photo.png" in field_block(r.get_data(as_text=True), "attachments")
    assert count(app) == 0
    data = form(attachments=[(io.BytesIO(PNG), "photo.png")])
    assert (
        client.post("/complaints/", data=data, content_type="multipart/form-data").status_code
        == 200
    )


def test_thai_text_is_stored_nfc(client, app):
    typed = "\u0e1b\u0e48\u0e39"  # ปู่ typed with the tone mark before the vowel
    client.post("/complaints/", data=form(subject=typed))
    with app.app_context():
        subject = db.session.scalar(select(Case.subject))
    assert subject == "\u0e1b\u0e39\u0e48"


def test_user_text_is_escaped(client):
    html = client.post("/complaints/", data=form(subject="<script>alert(1)</script>")).get_data(
        as_text=True
    )
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_length_limits_are_enforced_and_advertised(client, app):
    html = client.get("/complaints/").get_data(as_text=True)
    assert 'maxlength="200"' in field_block(html, "subject")
    r = client.post("/complaints/", data=form(subject="ก" * 201))
    assert r.status_code == 400
    assert count(app) == 0
