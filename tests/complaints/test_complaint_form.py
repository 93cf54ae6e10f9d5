"""The web form: Thai first, errors beside fields, nothing lost, one case per submission."""

import io
import re

import pytest
import upload_samples
from answers import field_block
from sqlalchemy import func, select

from casework.extensions import db
from casework.models import Case

PNG = upload_samples.PNG  # a real picture: an image that does not decode is refused


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


def receipt_of(r):
    assert r.status_code == 200, r.get_data(as_text=True)[:2000]
    return r.get_data(as_text=True)


def test_an_anonymous_receipt_says_the_code_is_the_only_way_back(client):
    client.get("/lang/en")
    html = receipt_of(client.post("/complaints/", data=form()))
    assert "Write down or print this tracking code now." in html
    assert "your only way to follow the case" in html
    assert "confirmation to your email" not in html


def test_a_receipt_with_an_email_says_a_confirmation_was_sent_without_the_code(client):
    client.get("/lang/en")
    html = receipt_of(
        client.post("/complaints/", data=form(email="somsri@example.com", consent="y"))
    )
    assert "your only way to follow the case" not in html
    assert "does not contain the tracking code" in html


def test_receipt_counts_the_files_names_the_unit_and_gives_the_full_tracking_address(client):
    client.get("/lang/en")
    data = form(attachments=[(io.BytesIO(PNG), "a.png"), (io.BytesIO(b"%PDF-1.4"), "b.pdf")])
    html = receipt_of(client.post("/complaints/", data=data, content_type="multipart/form-data"))
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", html, re.S))
    assert facts["Files received"] == "2"
    assert facts["Responsible unit"] == "Public Works Division"
    assert "Open http://localhost/complaints/track" in html
    assert "(7 days)" in facts["Answer due by"]


def test_receipt_says_working_days_when_the_clock_counts_them(client, app):
    from casework.models import Organization

    with app.app_context():
        db.session.scalar(select(Organization)).sla_mode = "working"
        db.session.commit()
    html = receipt_of(client.post("/complaints/", data=form()))
    assert "7 วันทำการ" in html


def test_a_tampered_form_token_files_but_never_shows_another_receipt(client, app):
    first = receipt_of(client.post("/complaints/", data=form(form_token="x")))
    second = receipt_of(client.post("/complaints/", data=form(form_token="x", subject="อื่น")))
    codes = [
        re.search(r'<span class="code">([0-9A-Z-]{19})</span>', h).group(1) for h in (first, second)
    ]
    assert codes[0] != codes[1]
    assert count(app) == 2


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("subject", 200),
        ("details", 5000),
        ("location", 300),
        ("name", 200),
        ("phone", 32),
        ("email", 254),
        ("address", 500),
    ],
)
def test_every_text_field_of_the_form_has_a_limit_shown_and_enforced(client, app, name, limit):
    page = client.get("/complaints/").get_data(as_text=True)
    assert f'maxlength="{limit}"' in field_block(page, name)
    r = client.post("/complaints/", data=form(**{name: "1" * (limit + 1), "consent": "y"}))
    assert r.status_code == 400
    assert 'class="error"' in field_block(r.get_data(as_text=True), name)
    assert count(app) == 0


def test_the_back_button_and_a_changed_form_files_a_second_complaint_once(client, app):
    """Back from the receipt, change the form, send: a new complaint (not the old receipt),
    and a double click on the changed form still files it once."""
    first = receipt_of(client.post("/complaints/", data=form()))
    changed = form(subject="อีกเรื่องหนึ่ง", details="ไฟดับอีกซอยหนึ่ง")
    second = receipt_of(client.post("/complaints/", data=changed))
    again = receipt_of(client.post("/complaints/", data=changed))
    number = re.compile(r"\d{4}/\d{6}")
    assert number.search(first).group(0) != number.search(second).group(0)
    assert number.search(second).group(0) == number.search(again).group(0)
    assert "receipt-repeated" not in second and "receipt-repeated" in again
    code = re.compile(r'<span class="code">([0-9A-Z-]{19})</span>')
    assert code.search(second).group(1) == code.search(again).group(1)
    assert count(app) == 2


def test_an_oversize_file_is_refused_beside_the_field_and_nothing_is_kept(client, app):
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    from casework.models import Attachment, OutboxMessage, ReporterIdentity

    # encode_multipart builds the body in memory (the test client would spool a body this
    # size to a temporary file it never closes).
    big = FileStorage(io.BytesIO(PNG + b"\0" * (10 * 1024 * 1024)), "huge.png")
    fields = form(name="สมชาย", email="s@example.com", consent="y", attachments=big)
    boundary, body = encode_multipart(fields)
    r = client.post(
        "/complaints/", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert r.status_code == 400
    block = field_block(r.get_data(as_text=True), "attachments")
    assert "huge.png" in block and "10 MB" in block
    with app.app_context():
        for model in (Case, Attachment, ReporterIdentity, OutboxMessage):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_a_failure_late_in_filing_leaves_no_part_of_the_case(client, app, monkeypatch):
    """Everything is written in one transaction: a failure at the last step (queueing the
    receipt email) takes the case, identity, files, timeline and its number back."""
    from casework.models import Attachment, CaseCounter, CaseEvent, ReporterIdentity
    from casework.notify import outbox

    def broken(*args, **kwargs):
        raise RuntimeError("mail queue unavailable")

    monkeypatch.setattr(outbox, "enqueue_citizen_email", broken)
    data = form(email="s@example.com", consent="y", attachments=[(io.BytesIO(PNG), "a.png")])
    with pytest.raises(RuntimeError):
        client.post("/complaints/", data=data, content_type="multipart/form-data")
    with app.app_context():
        for model in (Case, Attachment, ReporterIdentity, CaseEvent):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0
        assert db.session.scalar(select(func.coalesce(func.max(CaseCounter.last), 0))) == 0
    monkeypatch.undo()
    html = receipt_of(client.post("/complaints/", data=form(form_token="g" * 43)))
    assert re.search(r"\d{4}/000001", html)  # the number was given back


def test_the_forms_ask_what_type_once(client):
    """The complaint form asks complaint, grievance or suggestion, then the category (ประเภทเรื่อง):
    "type" (ประเภท) is asked once; the tip form too, under its first heading."""
    import re

    for path in ("/complaints/", "/whistleblow/new"):
        html = client.get(path).get_data(as_text=True)
        questions = re.findall(r"<(?:legend|label)[^>]*>(.*?)</(?:legend|label)>", html, re.S)
        questions += re.findall(r'<span class="label"[^>]*>(.*?)</span>', html, re.S)
        asking_type = [q for q in questions if "ประเภท" in q]
        assert len(asking_type) == 1, (path, asking_type)
