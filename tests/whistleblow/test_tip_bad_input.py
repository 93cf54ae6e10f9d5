"""Bad input on the tip channel: an image that cannot be decoded, a decompression bomb, invisible
text, a basic-format date, duplicate keys. Each is a 4xx naming the field that keeps what the
tipster typed; nothing is filed. A PDF the tipster sends is stored without its author."""

from __future__ import annotations

import io
import json

import pikepdf
import pytest
from answers import api_error, field_block
from sqlalchemy import func, select
from upload_samples import SECRET, bomb_png, fake_jpeg, jpeg, pdf_with_escaped_key, truncated_jpeg

from casework.cases import attachments
from casework.extensions import db
from casework.models import Attachment, Case, CaseEvent, CaseMessage

TIP_TEXT = "ปลัดเทศบาลเรียกรับเงินสามแสนบาทจากผู้รับเหมา"
WHERE = "ห้องประชุมเทศบาล"
BAD_IMAGES = [("cut.jpg", truncated_jpeg), ("fake.jpg", fake_jpeg), ("huge.png", bomb_png)]


def tips(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id)).filter_by(channel="tip"))


def web_tip(**extra):
    data = {
        "category": "bribery",
        "what": TIP_TEXT,
        "where": WHERE,
        "accused_name": "นายเจ้าเล่ห์ ฉ้อฉล",
        "accused_role": "staff",
        "reported_elsewhere": "no",
        "confidential": "no",
        "form_token": "t" * 40,
    }
    data.update(extra)
    return data


def api_tip(client, name, data):
    """A tip filed through the API as multipart, with one attachment."""
    return client.post(
        "/api/v1/tips",
        data={
            "payload": json.dumps({"category": "bribery", "what": TIP_TEXT}),
            "attachments": [(io.BytesIO(data), name)],
        },
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(("name", "make"), BAD_IMAGES)
def test_the_tip_api_refuses_an_image_it_cannot_decode(client, app, name, make):
    r = api_tip(client, name, make())
    assert name in api_error(r, 400, "attachments")["fields"]["attachments"]
    assert tips(app) == 0


@pytest.mark.parametrize(("name", "make"), BAD_IMAGES)
def test_the_tip_form_refuses_it_and_keeps_the_tip(client, app, name, make):
    r = client.post(
        "/whistleblow/new",
        data=web_tip(attachments=[(io.BytesIO(make()), name)]),
        content_type="multipart/form-data",
    )
    assert r.status_code == 400, r.get_data(as_text=True)[:2000]
    html = r.get_data(as_text=True)
    assert name in field_block(html, "attachments") and 'class="error"' in field_block(
        html, "attachments"
    )
    for typed in (TIP_TEXT, WHERE, "นายเจ้าเล่ห์ ฉ้อฉล"):
        assert typed in html
    assert tips(app) == 0


def _receipt(client):
    r = client.post("/api/v1/tips", json={"category": "bribery", "what": TIP_TEXT})
    assert r.status_code == 201
    return r.get_json()["receipt"]


@pytest.mark.parametrize(("name", "make"), BAD_IMAGES)
def test_messages_refuse_it_too_and_keep_the_message(client, app, name, make):
    receipt = _receipt(client)
    payload = json.dumps({"receipt": receipt, "text": "เพิ่มหลักฐาน"})
    r = client.post(
        "/api/v1/tips/messages",
        data={"payload": payload, "attachments": [(io.BytesIO(make()), name)]},
        content_type="multipart/form-data",
    )
    api_error(r, 400, "attachments")
    r = client.post(
        "/whistleblow/reply",
        data={
            "receipt": receipt,
            "message": "เพิ่มหลักฐานชิ้นที่สอง",
            "attachments": [(io.BytesIO(make()), name)],
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "เพิ่มหลักฐานชิ้นที่สอง" in html and name in field_block(html, "attachments")
    with app.app_context():
        assert db.session.scalar(select(func.count(CaseMessage.id))) == 0
        assert db.session.scalar(select(func.count(Attachment.id))) == 0


def test_a_real_photo_is_still_accepted_and_re_encoded(client, app):
    r = api_tip(client, "photo.jpg", jpeg())
    assert r.status_code == 201, r.get_json()


def test_a_pdf_is_stored_without_its_author_and_reported_clean(client, app):
    r = api_tip(client, "ledger.pdf", pdf_with_escaped_key())
    assert r.status_code == 201, r.get_json()
    with app.app_context():
        case = db.session.scalar(select(Case).filter_by(channel="tip"))
        (att,) = db.session.scalars(select(Attachment)).all()
        stored = attachments.content(att, case)
        received = db.session.scalar(select(CaseEvent).filter_by(case_id=case.id, kind="received"))
        assert received.data["unscrubbed"] == 0
    assert SECRET.encode() not in stored
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert "/Info" not in pdf.trailer


@pytest.mark.parametrize("invisible", ["\u200c\u2060", "\u00ad", "\u0e48\u0e48"])
def test_a_tip_of_only_invisible_characters_is_refused(client, app, invisible):
    api_error(
        client.post("/api/v1/tips", json={"category": "bribery", "what": invisible}), 400, "what"
    )
    r = client.post("/whistleblow/new", data=web_tip(what=invisible))
    assert r.status_code == 400 and 'class="error"' in field_block(r.get_data(as_text=True), "what")
    assert tips(app) == 0


@pytest.mark.parametrize("raw", ["20240101", "2568-02-29"])
def test_a_tip_date_must_be_iso_and_real(client, app, raw):
    body = {"category": "bribery", "what": TIP_TEXT, "occurred_on": raw}
    api_error(client.post("/api/v1/tips", json=body), 400, "occurred_on")
    r = client.post("/whistleblow/new", data=web_tip(occurred_on=raw))
    assert r.status_code == 400 and TIP_TEXT in r.get_data(as_text=True)
    assert tips(app) == 0


def test_the_be_leap_day_is_a_real_tip_date(client, app):
    body = {"category": "bribery", "what": TIP_TEXT, "occurred_on": "2567-02-29"}
    assert client.post("/api/v1/tips", json=body).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "bribery", "what": 42}, "what"),
        ({"category": "bribery", "what": TIP_TEXT, "confidential": "yes"}, "confidential"),
        ({"category": "bribery", "what": TIP_TEXT, "accused": {"name": 7}}, "accused.name"),
        ({"category": "bribery", "what": TIP_TEXT, "identity": {"phone": 8}}, "identity.phone"),
        ({"category": "bribery", "what": TIP_TEXT, "accused": []}, "accused"),
    ],
)
def test_tip_json_types_are_checked(client, app, body, field):
    api_error(client.post("/api/v1/tips", json=body), 400, field)
    assert tips(app) == 0


def test_duplicate_keys_in_a_tip_are_refused(client, app):
    raw = '{"category":"bribery","what":"' + TIP_TEXT + '","what":"อื่น"}'
    api_error(client.post("/api/v1/tips", data=raw, content_type="application/json"), 400, "what")
    assert tips(app) == 0
