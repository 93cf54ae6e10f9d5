"""A tip form's files survive a form error without a cookie: kept scrubbed under the form's
hidden token, listed as attached, filed with the corrected form, and covered by the proof as
the tipster chose them."""

from __future__ import annotations

import hashlib
import io
import re

from sqlalchemy import func, select

from casework.cases import attachments
from casework.extensions import db
from casework.models import Attachment, Case, HeldUpload
from casework.tipline import filing

TIP_TEXT = "ปลัดเทศบาลเรียกรับเงินสามแสนบาทจากผู้รับเหมาโครงการถนนสายบ้านดอน"


def _hidden(html, name):
    return re.findall(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.findall(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )


def test_a_photo_survives_a_tip_form_error_scrubbed_and_is_filed(app, client, gps_jpeg):
    r = client.post(
        "/whistleblow/new",
        data={
            "category": "bribery",
            "form_token": "w" * 43,
            "attachments": [(io.BytesIO(gps_jpeg), "หลักฐาน.jpg")],
        },
        content_type="multipart/form-data",
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "what-error" in html
    assert "Set-Cookie" not in r.headers
    assert 'class="held-name">หลักฐาน.jpg<' in html
    (token,) = _hidden(html, "held_token")
    shown = _hidden(html, "held_file")
    with app.app_context():
        row = db.session.scalar(select(HeldUpload))
        assert row.channel == "tip" and row.id < 0
        assert row.expires_at.minute == 0 and row.expires_at.second == 0

    r = client.post(
        "/whistleblow/new",
        data={
            "category": "bribery",
            "what": TIP_TEXT,
            "form_token": "w" * 43,
            "held_token": token,
            "held_file": shown,
        },
        content_type="multipart/form-data",
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html
    receipt = re.search(r'class="code">([0-9A-Z-]{24})<', html).group(1)
    with app.app_context():
        case = db.session.scalar(select(Case).filter_by(channel="tip"))
        (att,) = db.session.scalars(select(Attachment).filter_by(case_id=case.id)).all()
        data = attachments.content(att, case)
        assert data.startswith(b"\xff\xd8") and b"SERIAL-123456" not in data
        assert db.session.scalar(select(func.count(HeldUpload.id))) == 0
        content = filing.content_of(case)
        assert content["attachments"] == [hashlib.sha256(gps_jpeg).hexdigest()]
    assert client.post("/whistleblow/status", data={"receipt": receipt}).status_code == 200


def test_switching_language_on_the_tip_error_page_keeps_text_and_files(app, client, gps_jpeg):
    typed = {"category": "bribery", "accused_name": "นายสมมติ ไม่มีจริง", "form_token": "w" * 43}
    r = client.post(
        "/whistleblow/new",
        data={**typed, "attachments": [(io.BytesIO(gps_jpeg), "หลักฐาน.jpg")]},
        content_type="multipart/form-data",
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert '<button type="submit" form="tip-form" formnovalidate' in html
    (token,) = _hidden(html, "held_token")
    typed.update(held_token=token, held_file=_hidden(html, "held_file"))
    r = client.post(
        "/whistleblow/new",
        data={**typed, "switch_language": "en"},
        content_type="multipart/form-data",
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and '<html lang="en">' in html
    assert "Set-Cookie" not in r.headers
    assert 'action="/whistleblow/new?lang=en"' in html  # the language travels with the form
    assert "นายสมมติ ไม่มีจริง" in html and 'class="held-name">หลักฐาน.jpg<' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0
        assert db.session.scalar(select(func.count(HeldUpload.id))) == 1
    r = client.post(
        "/whistleblow/new?lang=en",
        data={**typed, "what": TIP_TEXT, "held_file": _hidden(html, "held_file")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 200 and '<html lang="en">' in r.get_data(as_text=True)
    with app.app_context():
        case = db.session.scalar(select(Case).filter_by(channel="tip"))
        assert len(db.session.scalars(select(Attachment).filter_by(case_id=case.id)).all()) == 1
