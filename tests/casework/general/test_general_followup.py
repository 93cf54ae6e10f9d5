"""casework.general.followup called directly: what the citizen sees, adding information (which
restarts a paused clock) and rating a completed case."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.cases.attachments import Upload
from casework.dates import clock
from casework.extensions import db
from casework.general import followup, workflow
from casework.models import AuditEntry, CaseMessage


def test_the_public_view_shows_public_events_and_the_question_asked(staff, complaint, fresh):
    officer = staff("officer", "works")
    case = complaint()
    workflow.add_note(case, officer, "ภายในเท่านั้น")
    workflow.request_info(case, officer, "ขอรูปถ่ายเพิ่มเติม")
    view = followup.public_view(fresh(case))
    assert view.paused and view.is_open and not view.can_rate
    assert view.question == "ขอรูปถ่ายเพิ่มเติม"
    assert all(e.public for e in view.events)
    assert "ภายในเท่านั้น" not in [e.body for e in view.events]
    assert view.extended_from is None and view.explanation is None


def test_the_public_view_tells_of_a_moved_deadline(staff, complaint, fresh):
    officer = staff("officer", "works")
    case = complaint()
    first = case.due_date
    later = first + timedelta(days=5)
    workflow.explain_delay(case, officer, "รอผู้รับจ้าง", later)
    view = followup.public_view(fresh(case))
    assert view.extended_from == first
    assert view.explanation.body == "รอผู้รับจ้าง"
    assert followup.explained_date(view.explanation) == later
    assert followup.explained_date(view.events[0]) is None


def test_adding_information_answers_a_question_and_restarts_the_clock(
    staff, complaint, gps_jpeg, fresh
):
    officer = staff("officer", "works")
    case = complaint()
    workflow.request_info(case, officer, "ขอรูปถ่าย")
    message = followup.add_information(case, "รูปถ่ายตามที่ขอ", [Upload("a.jpg", gps_jpeg)])
    case = fresh(case)
    assert case.status == "in_progress"
    assert message.direction == "from_citizen"
    assert [a.message_id for a in followup.case_attachments(case)] == [message.id]
    resumed = db.session.scalar(
        db.select(AuditEntry).filter_by(case_id=case.id, action="case.resume")
    )
    assert resumed.data["by"] == "citizen"


def test_the_same_message_sent_twice_is_kept_once(complaint, frozen):
    frozen(clock.utcnow())
    case = complaint()
    first = followup.add_information(case, "ข้อมูลเพิ่มเติม", [])
    assert followup.add_information(case, "ข้อมูลเพิ่มเติม", []).id == first.id
    frozen(clock.utcnow() + followup.REPEAT_WINDOW + timedelta(minutes=1))
    assert followup.add_information(case, "ข้อมูลเพิ่มเติม", []).id != first.id
    assert db.session.scalar(db.select(db.func.count()).select_from(CaseMessage)) == 2


def test_adding_information_needs_content_and_an_open_case(staff, complaint):
    case = complaint()
    with pytest.raises(followup.FollowUpError) as bad:
        followup.add_information(case, "  ", [])
    assert set(bad.value.fields) == {"message"}
    workflow.complete(case, staff("officer", "works"), "resolved", "ซ่อมแล้ว")
    with pytest.raises(followup.FollowUpError) as bad:
        followup.add_information(case, "อีกเรื่อง", [])
    assert "closed" in bad.value.fields["message"]


def test_rating_once_a_case_is_completed(staff, complaint, fresh):
    case = complaint()
    with pytest.raises(followup.FollowUpError) as bad:
        followup.rate(case, 5, "")
    assert set(bad.value.fields) == {"rating"}
    workflow.complete(case, staff("officer", "works"), "resolved", "ซ่อมแล้ว")
    for score in ("7", "x", 0):
        with pytest.raises(followup.FollowUpError):
            followup.rate(case, score, "")
    with pytest.raises(followup.FollowUpError) as bad:
        followup.rate(case, 4, "ย" * 5000)
    assert set(bad.value.fields) == {"comment"}
    followup.rate(case, "4", "  ดีมาก  ")
    case = fresh(case)
    assert (case.rating, case.rating_comment) == (4, "ดีมาก")
    assert case.events[-1].kind == "rated"
    assert followup.public_view(case).can_rate is False
    with pytest.raises(followup.FollowUpError):
        followup.rate(case, 5, "")
