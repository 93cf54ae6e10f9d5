"""The tracking page after completion: "แก้ไขแล้วหรือยัง" with the rating, "not fixed" reopening
the case or filing a linked one, and the photos the complainant may see (in the page itself)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
import upload_samples
from sqlalchemy import select

from casework.cases.attachments import Upload
from casework.dates import clock
from casework.extensions import db
from casework.general import workflow
from casework.models import Attachment, Case, User

FILED = datetime(2026, 3, 2, 3, 0)


@pytest.fixture
def completed(app, file_complaint, frozen):
    """A complaint with the citizen's photo, an officer's public and private photos, completed."""
    frozen(FILED)
    filed = file_complaint(uploads=[Upload("mine.png", upload_samples.PNG)])
    with app.app_context(), app.test_request_context():
        case = db.session.get(Case, filed.case.id)
        officer = User(organization_id=case.organization_id, email="o@staff.test", role="officer")
        db.session.add(officer)
        db.session.commit()
        workflow.after_photos(case, officer, [Upload("a.png", upload_samples.PNG)], "ซ่อม", True)
        workflow.complete(case, officer, "resolved", "ซ่อมถนนเรียบร้อยแล้ว")
        workflow.after_photos(case, officer, [Upload("b.png", upload_samples.PNG)], "", False)
    return filed


def _post(client, code, **data):
    return client.post("/complaints/track/rate", data={"tracking_code": code, **data})


def test_the_page_asks_whether_it_was_fixed_with_the_rating(client, completed):
    response = client.post("/complaints/track", data={"tracking_code": completed.tracking_code})
    html = response.get_data(as_text=True)
    assert "แก้ไขแล้วหรือยัง" in html and "ยังไม่ได้แก้ไข" in html
    assert 'name="fixed"' in html and 'name="rating"' in html and 'name="form_token"' in html


def test_photos_are_in_the_page_and_never_behind_a_url(client, completed, app):
    response = client.post("/complaints/track", data={"tracking_code": completed.tracking_code})
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"].startswith("no-store")
    assert html.count('src="data:image/jpeg;base64,') == 2  # the citizen's and the public one
    assert 'id="officer-photos"' in html and 'id="own-photos"' in html
    assert "/attachments/" not in html
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Attachment.id))) == 3


def test_not_fixed_reopens_the_case_with_a_reason(client, completed, app, frozen):
    frozen(FILED + timedelta(days=3))
    code = completed.tracking_code
    refused = _post(client, code, fixed="no", comment="")
    assert refused.status_code == 400 and 'id="comment-error"' in refused.get_data(as_text=True)
    response = _post(client, code, fixed="no", comment="ยังเป็นหลุมอยู่", rating="2")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "เปิดเรื่องของท่านอีกครั้งแล้ว" in html
    assert "ยังเป็นหลุมอยู่" in html  # the reason, on the public timeline
    with app.app_context():
        case = db.session.get(Case, completed.case.id)
        assert (case.status, case.reopen_count) == ("in_progress", 1)
        assert case.due_date > clock.today()


def test_fixed_records_the_rating(client, completed, app):
    response = _post(client, completed.tracking_code, fixed="yes", rating="5")
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(Case, completed.case.id).rating == 5
    page = client.post("/complaints/track", data={"tracking_code": completed.tracking_code})
    html = page.get_data(as_text=True)
    assert 'name="fixed"' in html and 'name="rating"' not in html  # not fixed after all?
    again = _post(client, completed.tracking_code, fixed="yes")
    assert again.status_code == 200 and "ขอบคุณที่แจ้งให้ทราบ" in again.get_data(as_text=True)


def test_not_fixed_after_the_window_gives_the_receipt_of_a_linked_case(
    client, completed, app, frozen
):
    frozen(FILED + timedelta(days=60))
    response = _post(client, completed.tracking_code, fixed="no", comment="กลับมาเป็นหลุมอีก")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="notice receipt-follows"' in html
    with app.app_context():
        new = db.session.scalar(select(Case).filter_by(follows_id=completed.case.id))
        assert new is not None and new.case_number in html
        assert new.case_number != completed.case.case_number


def test_officers_add_after_photos_from_the_case_page(app, client, login_as, file_complaint):
    filed = file_complaint()
    login_as("supervisor")
    page = client.get(f"/admin/cases/{filed.case.id}").get_data(as_text=True)
    assert 'id="after-photos"' in page and 'name="photos"' in page
    response = client.post(
        f"/admin/cases/{filed.case.id}/photos",
        data={
            "photos-body": "ซ่อมแล้ว",
            "photos-public": "y",
            "photos": [(io.BytesIO(upload_samples.PNG), "after.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        photo = db.session.scalar(select(Attachment).filter_by(case_id=filed.case.id))
        assert photo.public and photo.uploaded_by == "staff" and photo.event_id
    refused = client.post(f"/admin/cases/{filed.case.id}/photos", data={"photos-body": "x"})
    assert refused.status_code == 302
    assert "กรุณาแนบภาพถ่ายอย่างน้อย 1 ภาพ" in client.get(refused.location).get_data(as_text=True)


def test_the_case_pages_link_a_case_and_its_follow_up(client, completed, app, frozen, login_as):
    frozen(FILED + timedelta(days=60))
    _post(client, completed.tracking_code, fixed="no", comment="กลับมาเป็นหลุมอีก")
    with app.app_context():
        new = db.session.scalar(select(Case).filter_by(follows_id=completed.case.id))
        new_id, new_number = new.id, new.case_number
    login_as("supervisor")
    old_page = client.get(f"/admin/cases/{completed.case.id}").get_data(as_text=True)
    assert "ผู้ร้องเรียนแจ้งว่ายังไม่ได้แก้ไข 1 ครั้ง" in old_page and new_number in old_page
    new_page = client.get(f"/admin/cases/{new_id}").get_data(as_text=True)
    assert f'href="/admin/cases/{completed.case.id}"' in new_page
