"""Files survive a form error: the page that reports it lists them as attached, the corrected
form files them, and a file that cannot be kept is named beside the field."""

import io
import re
from datetime import datetime, timedelta

import upload_samples
from answers import field_block
from sqlalchemy import func, select

from casework.cases import attachments
from casework.dates import clock
from casework.extensions import db
from casework.models import Attachment, Case, HeldUpload

PHOTO = upload_samples.png((30, 20))


def form(**extra):
    data = {
        "kind": "complaint",
        "category": "lighting",
        "subject": "ไฟถนนดับ",
        "details": "ไฟถนนหน้าวัดดับมาสามคืนแล้ว",
        "form_token": "k" * 43,
    }
    data.update(extra)
    return data


def _hidden(html, name):
    return re.findall(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.findall(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _error_page(client):
    """Contact details without consent, and a photo: the form comes back with the photo kept."""
    r = client.post(
        "/complaints/",
        data=form(email="s@example.com", attachments=[(io.BytesIO(PHOTO), "เสาไฟ.png")]),
        content_type="multipart/form-data",
    )
    assert r.status_code == 400
    return r.get_data(as_text=True)


def test_a_photo_survives_a_form_error_and_is_filed_with_the_corrected_form(app, client):
    html = _error_page(client)
    assert "consent-error" in html
    assert 'class="held-name">เสาไฟ.png<' in html
    (token,) = _hidden(html, "held_token")
    shown = _hidden(html, "held_file")
    assert len(shown) == 1 and _count(app, HeldUpload) == 1
    r = client.post(
        "/complaints/",
        data=form(email="s@example.com", consent="y", held_token=token, held_file=shown),
        content_type="multipart/form-data",
    )
    assert r.status_code == 200, r.get_data(as_text=True)
    with app.app_context():
        case = db.session.scalar(select(Case))
        (att,) = db.session.scalars(select(Attachment).filter_by(case_id=case.id)).all()
        assert attachments.filename(att, case) == "เสาไฟ.png"
        assert attachments.content(att, case) == PHOTO
    assert _count(app, HeldUpload) == 0  # used: gone with the filing


def test_new_files_join_the_kept_ones_and_removed_ones_are_not_filed(app, client):
    html = _error_page(client)
    (token,) = _hidden(html, "held_token")
    (first,) = _hidden(html, "held_file")
    r = client.post(
        "/complaints/",
        data=form(
            subject="",
            held_token=token,
            held_file=[first],
            attachments=[(io.BytesIO(PHOTO), "second.png")],
        ),
        content_type="multipart/form-data",
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "เสาไฟ.png" in html and "second.png" in html
    shown = _hidden(html, "held_file")
    r = client.post(
        "/complaints/",
        data=form(held_token=token, held_file=shown, held_remove=[first]),
        content_type="multipart/form-data",
    )
    assert r.status_code == 200
    with app.app_context():
        case = db.session.scalar(select(Case))
        rows = db.session.scalars(select(Attachment).filter_by(case_id=case.id)).all()
        assert [attachments.filename(a, case) for a in rows] == ["second.png"]


def test_a_file_that_cannot_be_kept_is_named_beside_the_field(app, client):
    r = client.post(
        "/complaints/",
        data=form(
            subject="",
            attachments=[
                (io.BytesIO(b"GIF89a not kept"), "anim.gif"),
                (io.BytesIO(PHOTO), "ok.png"),
            ],
        ),
        content_type="multipart/form-data",
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "anim.gif" in field_block(html, "attachments")
    assert (
        'class="held-name">ok.png<' in html and "anim.gif" not in html.split("held-files")[1][:600]
    )
    assert _count(app, HeldUpload) == 1


def test_files_kept_too_long_are_asked_for_again_rather_than_lost(app, client, frozen):
    frozen(datetime(2026, 12, 1, 3, 0))
    html = _error_page(client)
    (token,) = _hidden(html, "held_token")
    frozen(clock.utcnow() + timedelta(hours=3))
    r = client.post(
        "/complaints/",
        data=form(held_token=token, held_file=_hidden(html, "held_file")),
        content_type="multipart/form-data",
    )
    assert r.status_code == 400
    assert "attachments-error" in r.get_data(as_text=True)
    assert _count(app, Case) == 0


def test_switching_language_on_the_error_page_keeps_the_typed_text_and_the_photo(app, client):
    html = _error_page(client)
    assert '<button type="submit" form="complaint-form" formnovalidate' in html
    assert 'name="switch_language" value="en"' in html and "/lang/en" not in html
    (token,) = _hidden(html, "held_token")
    shown = _hidden(html, "held_file")
    typed = form(email="s@example.com", held_token=token, held_file=shown)
    r = client.post(
        "/complaints/", data={**typed, "switch_language": "en"}, content_type="multipart/form-data"
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and '<html lang="en">' in html
    assert "ไฟถนนหน้าวัดดับมาสามคืนแล้ว" in html and 'value="s@example.com"' in html
    assert 'class="held-name">เสาไฟ.png<' in html and _hidden(html, "held_token") == [token]
    assert _count(app, Case) == 0 and _count(app, HeldUpload) == 1  # nothing filed
    assert "lang=en" in r.headers["Set-Cookie"]
    # Sent again in English, with consent: filed with the photo kept across both pages.
    r = client.post(
        "/complaints/",
        data={**typed, "consent": "y", "held_file": _hidden(html, "held_file")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 200 and _count(app, Case) == 1 and _count(app, Attachment) == 1


def test_the_error_pages_switch_still_needs_the_forms_csrf_token(make_app):
    from casework import demo

    app = make_app({"WTF_CSRF_ENABLED": True})
    with app.app_context():
        demo.load()
    client = app.test_client()
    r = client.post("/complaints/", data={**form(), "switch_language": "en"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "This form had expired" in html
    assert "ไฟถนนหน้าวัดดับมาสามคืนแล้ว" in html and _count(app, Case) == 0
