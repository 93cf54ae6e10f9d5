"""Following a case with the tracking code: status, timeline, adding information, rating."""

import io

import pytest
import upload_samples
from sqlalchemy import select

from casework.cases import casefile
from casework.extensions import db
from casework.models import Attachment, Case, CaseMessage

PNG = upload_samples.PNG  # a real picture: an image that does not decode is refused


@pytest.fixture
def filed(file_complaint):
    return file_complaint()


def lookup(client, code):
    return client.post("/complaints/track", data={"tracking_code": code})


def test_status_page_shows_status_timeline_due_date(client, filed):
    html = lookup(client, filed.tracking_code.lower().replace("-", "")).get_data(as_text=True)
    assert filed.case.case_number in html
    assert "รับเรื่อง" in html or "Received" in html
    assert 'class="timeline"' in html


def test_internal_events_stay_internal(client, filed, app):
    from casework.cases import timeline

    with app.app_context():
        case = db.session.get(Case, filed.case.id)
        timeline.record(case, "note", public=False, body="บันทึกภายใน ห้ามเผยแพร่")
        timeline.record(case, "public_update", public=True, body="ช่างจะเข้าซ่อมวันจันทร์")
        db.session.commit()
    html = lookup(client, filed.tracking_code).get_data(as_text=True)
    assert "ช่างจะเข้าซ่อมวันจันทร์" in html
    assert "บันทึกภายใน" not in html


def test_wrong_code_gets_the_same_page_as_an_unknown_one(client, filed):
    code = filed.tracking_code
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    unknown = "ABCD-EFGH-JKMN-PQRS"
    a, b = lookup(client, typo), lookup(client, unknown)
    assert a.status_code == b.status_code == 404
    # the page echoes what was typed (so it can be corrected) and is otherwise identical
    assert a.get_data(as_text=True).replace(typo, unknown) == b.get_data(as_text=True)


def test_citizen_adds_information_while_open(client, filed, app):
    r = client.post(
        "/complaints/track/info",
        data={
            "tracking_code": filed.tracking_code,
            "message": "เพิ่มเติม: หลุมลึกประมาณ 30 ซม.",
            "attachments": [(io.BytesIO(PNG), "hole.png")],
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(CaseMessage.body)) == "เพิ่มเติม: หลุมลึกประมาณ 30 ซม."
        assert db.session.scalar(select(Attachment.message_id)) is not None


def test_empty_information_is_refused_beside_the_field(client, filed):
    r = client.post(
        "/complaints/track/info", data={"tracking_code": filed.tracking_code, "message": " "}
    )
    assert r.status_code == 400
    assert 'class="error"' in r.get_data(as_text=True)


def complete(app, case_id):
    with app.app_context():
        case = db.session.get(Case, case_id)
        casefile.change_status(case, "completed", outcome="resolved", note="ซ่อมถนนเรียบร้อยแล้ว")
        db.session.commit()


def test_rating_only_after_completion_and_only_once(client, filed, app):
    code = filed.tracking_code
    r = client.post("/complaints/track/rate", data={"tracking_code": code, "rating": "5"})
    assert r.status_code == 400
    complete(app, filed.case.id)
    html = lookup(client, code).get_data(as_text=True)
    assert "ซ่อมถนนเรียบร้อยแล้ว" in html
    assert 'name="rating"' in html and 'name="message"' not in html
    r = client.post("/complaints/track/rate", data={"tracking_code": code, "rating": "9"})
    assert r.status_code == 400
    r = client.post(
        "/complaints/track/rate", data={"tracking_code": code, "rating": "4", "comment": "รวดเร็วดี"}
    )
    assert r.status_code == 200
    with app.app_context():
        case = db.session.get(Case, filed.case.id)
        assert (case.rating, case.rating_comment) == (4, "รวดเร็วดี")
    r = client.post("/complaints/track/rate", data={"tracking_code": code, "rating": "1"})
    assert r.status_code == 400


def test_information_is_refused_once_closed(client, filed, app):
    complete(app, filed.case.id)
    r = client.post(
        "/complaints/track/info", data={"tracking_code": filed.tracking_code, "message": "อีกเรื่อง"}
    )
    assert r.status_code == 400


def test_lookups_are_rate_limited_per_client(make_app):
    app = make_app({"TRACK_RATE_LIMIT": "3 per minute"})
    with app.app_context():
        from casework import demo

        demo.load()
    client = app.test_client()
    answers = [
        client.post("/complaints/track", data={"tracking_code": "x"}).status_code for _ in range(4)
    ]
    assert answers == [404, 404, 404, 429]
    api = client.post("/api/v1/track", json={"tracking_code": "x"})
    assert api.status_code == 429 and set(api.get_json()) == {"error", "fields"}
    other = app.test_client()
    r = other.post(
        "/complaints/track", data={"tracking_code": "x"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert r.status_code == 404


def test_information_from_the_citizen_restarts_a_paused_clock(client, filed, app, frozen):
    from datetime import datetime

    frozen(datetime(2026, 11, 23, 3, 0))
    with app.app_context():
        case = db.session.get(Case, filed.case.id)
        due = case.due_date
        casefile.change_status(case, "awaiting_info", note="ขอภาพถ่ายจุดเกิดเหตุ")
        db.session.commit()
    frozen(datetime(2026, 11, 26, 3, 0))  # three days later the photo arrives
    r = client.post(
        "/complaints/track/info",
        data={"tracking_code": filed.tracking_code, "message": "ส่งภาพถ่ายแล้ว"},
    )
    assert r.status_code == 200
    with app.app_context():
        case = db.session.get(Case, filed.case.id)
        assert case.status == "in_progress"
        assert case.paused_at is None
        assert (case.due_date - due).days == 3


def test_an_extended_deadline_shows_the_new_date_the_old_one_and_why(client, filed, app, frozen):
    from datetime import datetime, timedelta

    from casework.cases import timeline
    from casework.dates.thaidate import format_date

    frozen(datetime(2026, 11, 23, 3, 0))
    with app.app_context():
        case = db.session.get(Case, filed.case.id)
        old = case.due_date
        new = old + timedelta(days=14)
        case.original_due_date, case.due_date = old, new
        timeline.record(
            case,
            "explanation",
            public=True,
            body="ต้องรอผลการสำรวจจากกรมทางหลวงชนบท",
            data={"new_date": new.isoformat(), "old_date": old.isoformat()},
        )
        db.session.commit()
    html = lookup(client, filed.tracking_code).get_data(as_text=True)
    assert html.count("ต้องรอผลการสำรวจจากกรมทางหลวงชนบท") == 2  # the notice and the timeline
    assert format_date(new, "th") in html and format_date(old, "th") in html
    notice = html.split('<div class="notice" role="status">')[1].split("</div>\n</div>")[0]
    assert format_date(new, "th") in notice
    assert 'class="event-explanation"' in html
    client.get("/lang/en")
    html = lookup(client, filed.tracking_code).get_data(as_text=True)
    assert "Explanation of delay" in html
    assert f"new expected date: {format_date(new, 'en')}" in html
    assert f"Extended from {format_date(old, 'en')}" in html


def test_a_request_for_information_is_shown_at_the_top_with_the_question(client, filed, app):
    with app.app_context():
        case = db.session.get(Case, filed.case.id)
        casefile.change_status(case, "awaiting_info", note="กรุณาส่งภาพถ่ายจุดที่ชำรุด")
        db.session.commit()
    client.get("/lang/en")
    html = lookup(client, filed.tracking_code).get_data(as_text=True)
    top = html.split("<h2>")[0]
    assert "The municipality needs more information from you." in top
    assert "กรุณาส่งภาพถ่ายจุดที่ชำรุด" in top
    assert 'href="#message"' in top and 'id="message"' in html


def test_sending_information_is_confirmed(client, filed):
    client.get("/lang/en")
    r = client.post(
        "/complaints/track/info",
        data={"tracking_code": filed.tracking_code, "message": "หลุมใหญ่ขึ้น"},
    )
    html = r.get_data(as_text=True)
    assert 'class="notice notice-success" role="status"' in html
    assert "Your information was added to the case" in html
    assert "You added information" in html


def test_information_has_a_length_limit_and_is_stored_nfc(client, filed, app):
    r = client.post(
        "/complaints/track/info",
        data={"tracking_code": filed.tracking_code, "message": "ก" * 5001},
    )
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert 'id="message-error"' in html and "5000" in html
    assert "ก" * 5001 in html  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(CaseMessage.id)) is None
    client.post(
        "/complaints/track/info",
        data={"tracking_code": filed.tracking_code, "message": "\u0e1b\u0e48\u0e39"},
    )
    with app.app_context():
        assert db.session.scalar(select(CaseMessage.body)) == "\u0e1b\u0e39\u0e48"


def test_rating_comment_has_a_length_limit_and_is_stored_nfc(client, filed, app):
    complete(app, filed.case.id)
    code = filed.tracking_code
    r = client.post(
        "/complaints/track/rate", data={"tracking_code": code, "rating": "5", "comment": "ข" * 1001}
    )
    assert r.status_code == 400
    assert 'id="comment-error"' in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, filed.case.id).rating is None
    r = client.post(
        "/complaints/track/rate",
        data={"tracking_code": code, "rating": "5", "comment": "\u0e1b\u0e48\u0e39"},
    )
    assert r.status_code == 200
    with app.app_context():
        assert db.session.get(Case, filed.case.id).rating_comment == "\u0e1b\u0e39\u0e48"


def test_a_missing_score_is_reported_beside_the_choices(client, filed, app):
    complete(app, filed.case.id)
    r = client.post("/complaints/track/rate", data={"tracking_code": filed.tracking_code})
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert 'aria-describedby="rating-error"' in html and 'id="rating-error"' in html


@pytest.mark.parametrize(
    "typed",
    ["", "x", "ABCD-EFGH-JKMN-PQRS", "ก" * 20, "A" * 65, None],
    ids=["empty", "short", "bad-check", "thai", "too-long", "none"],
)
def test_every_lookup_does_the_same_work(ctx, org, filed, monkeypatch, typed):
    """Malformed, mistyped and unknown codes alike are hashed and looked up, so the time an
    answer takes does not say which kind of wrong the code was."""
    from casework.cases import lookup
    from casework.crypto import tracking

    calls = []
    real = tracking.hash_code
    monkeypatch.setattr(tracking, "hash_code", lambda k, c: calls.append(c) or real(k, c))
    with ctx.test_request_context():
        assert lookup.find_by_code(org, typed) is None
        assert lookup.find_by_code(org, filed.tracking_code).id == filed.case.id
    assert len(calls) == 2


def test_refreshing_after_adding_information_adds_it_once(client, filed, app, frozen):
    from datetime import datetime

    frozen(datetime(2026, 11, 23, 3, 0))

    def data():  # a fresh file object for each request
        return {
            "tracking_code": filed.tracking_code,
            "message": "หลุมลึกขึ้นหลังฝนตก",
            "attachments": [(io.BytesIO(PNG), "hole.png")],
        }

    for _ in range(2):  # the second is the browser re-sending the form
        r = client.post("/complaints/track/info", data=data(), content_type="multipart/form-data")
        assert r.status_code == 200
    with app.app_context():
        assert len(db.session.scalars(select(CaseMessage)).all()) == 1
        assert len(db.session.scalars(select(Attachment)).all()) == 1
    frozen(datetime(2026, 11, 23, 5, 0))  # the same words two hours later are a new message
    client.post("/complaints/track/info", data=data(), content_type="multipart/form-data")
    client.post(
        "/complaints/track/info",
        data={"tracking_code": filed.tracking_code, "message": "หลุมลึกขึ้นหลังฝนตก"},
    )  # the same words without the photo are new too
    with app.app_context():
        assert len(db.session.scalars(select(CaseMessage)).all()) == 3
