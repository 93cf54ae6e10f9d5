"""A clerk registers a phone complaint received earlier, prints the receipt slip, and the
tracking code on the slip opens the case on the public tracking page."""

from __future__ import annotations

import re
from datetime import date, datetime

import upload_samples

from casework.extensions import db
from casework.models import AuditEntry, Case

PNG = upload_samples.PNG  # a real picture: an image that does not decode is refused


def test_phone_complaint_receipt_works_on_tracking_page(app, client, login_as, frozen):
    frozen(datetime(2027, 4, 12, 3, 0))  # Mon 12 Apr 2027, 10:00 in Bangkok
    clerk = app.test_client()
    login_as("clerk", on=clerk)
    assert clerk.get("/admin/intake").status_code == 200
    response = clerk.post(
        "/admin/intake",
        data={
            "received_via": "phone",
            "received_on": "2027-04-08",  # the call came in last Thursday
            "received_time": "14:30",
            "kind": "complaint",
            "category": "lighting",
            "subject": "ไฟถนนดับทั้งซอย",
            "details": "ผู้ร้องโทรแจ้งว่าไฟถนนในซอย 5 ดับมาสามคืน",
            "name": "นางสมศรี",
            "phone": "0812345678",
            "consent": "y",
            "attachments": [(__import__("io").BytesIO(PNG), "scan.png")],
            "form_token": "c" * 40,
        },
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "ใบรับเรื่องร้องเรียน" in html and "8 เมษายน 2570" in html
    code = re.search(r'<span class="code">([0-9A-Z-]+)</span>', html).group(1)
    assert response.headers["Cache-Control"].startswith("no-store")

    with app.app_context():
        case = db.session.scalar(db.select(Case).order_by(Case.id.desc()))
        assert case.received_via == "phone"
        assert case.received_at == datetime(2027, 4, 8, 7, 30)  # 14:30 Bangkok in UTC
        assert case.due_date == date(2027, 4, 15)  # lighting: 7 calendar days from the call
        assert len(case.events) == 1 and case.events[0].actor_id is not None
        assert db.session.scalar(
            db.select(AuditEntry).filter_by(case_id=case.id, action="case.register_offline")
        )

    page = client.post("/complaints/track", data={"tracking_code": code})
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text
    assert case.case_number in text and "ไฟถนนดับทั้งซอย" in text


def test_received_date_in_the_future_is_refused_and_input_kept(app, login_as, frozen):
    frozen(datetime(2027, 4, 12, 3, 0))
    clerk = app.test_client()
    login_as("clerk", on=clerk)
    response = clerk.post(
        "/admin/intake",
        data={
            "received_via": "letter",
            "received_on": "2027-04-20",
            "kind": "complaint",
            "category": "roads",
            "subject": "ถนนพัง",
            "details": "รายละเอียดจดหมาย",
            "form_token": "d" * 40,
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="received_on-error"' in html and "ถนนพัง" in html


def test_officer_cannot_register_offline(app, login_as):
    officer = app.test_client()
    login_as("officer", "works", on=officer)
    assert officer.get("/admin/intake").status_code == 403


def test_a_scanned_document_survives_a_form_error_on_the_clerks_form(app, login_as, frozen):
    from sqlalchemy import func

    from casework.cases import attachments
    from casework.models import Attachment, HeldUpload

    frozen(datetime(2027, 4, 12, 3, 0))
    clerk = app.test_client()
    login_as("clerk", on=clerk)
    data = {
        "received_via": "letter",
        "received_on": "2027-04-08",
        "kind": "complaint",
        "category": "roads",
        "subject": "ถนนพัง",
        "details": "",
        "form_token": "e" * 40,
        "attachments": [(__import__("io").BytesIO(PNG), "letter.png")],
    }
    response = clerk.post("/admin/intake", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'class="held-name">letter.png<' in html
    token = re.search(r'name="held_token"[^>]*value="([^"]+)"', html).group(1)
    shown = re.findall(r'name="held_file" value="([^"]+)"', html)
    data.update(details="จดหมายแจ้งว่าถนนพัง", held_token=token, held_file=shown)
    del data["attachments"]
    response = clerk.post("/admin/intake", data=data, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    with app.app_context():
        case = db.session.scalar(db.select(Case).order_by(Case.id.desc()))
        (att,) = db.session.scalars(db.select(Attachment).filter_by(case_id=case.id)).all()
        assert attachments.filename(att, case) == "letter.png" and att.uploaded_by == "staff"
        assert db.session.scalar(db.select(func.count(HeldUpload.id))) == 0


def test_the_clerks_form_speaks_of_the_complainant_not_to_the_clerk(client, login_as):
    """The clerk is not the complainant: the form never asks the clerk about "เรื่องของท่าน"
    (your matter) or whether "ท่าน" (you) suffer hardship; it speaks of the complainant."""
    login_as("clerk")
    html = client.get("/admin/intake").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1].split("</main>", 1)[0])
    for addressed_as_complainant in ("เรื่องของท่าน", "ท่านได้รับความเดือดร้อน", "ท่านต้องการ"):
        assert addressed_as_complainant not in text
    assert "เป็นเรื่องร้องเรียน ร้องทุกข์ หรือข้อเสนอแนะ" in text
    assert "ร้องทุกข์: ผู้ร้องเรียนได้รับความเดือดร้อนหรือความเสียหาย" in text


def test_switching_language_on_the_clerks_error_page_keeps_text_and_scan(app, login_as, frozen):
    import io

    frozen(datetime(2027, 4, 12, 3, 0))
    clerk = app.test_client()
    login_as("clerk", on=clerk)
    data = {
        "received_via": "letter",
        "received_on": "2027-04-08",
        "kind": "complaint",
        "category": "roads",
        "subject": "ถนนพังหน้าโรงเรียน",
        "details": "",
        "form_token": "e" * 40,
    }
    response = clerk.post(
        "/admin/intake",
        data={**data, "attachments": [(io.BytesIO(PNG), "letter.png")]},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<button type="submit" form="intake-form" formnovalidate' in html
    data["held_token"] = re.search(r'name="held_token"[^>]*value="([^"]+)"', html).group(1)
    data["held_file"] = re.findall(r'name="held_file" value="([^"]+)"', html)
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count(Case.id)))
    response = clerk.post(
        "/admin/intake",
        data={**data, "switch_language": "en"},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="en">' in html
    assert 'value="ถนนพังหน้าโรงเรียน"' in html and 'class="held-name">letter.png<' in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Case.id))) == before  # nothing filed
