"""After completion: "not fixed" reopens a complaint within the window (its clock starts again)
or files a linked case after it; ratings go into the survey table; officers' "after" photos;
reopened cases count in the figures."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
import upload_samples
from PIL import Image
from sqlalchemy import select

from casework.cases import attachments, casefile, figures, identity, lifecycle, sla
from casework.cases.attachments import Upload
from casework.cases.errors import FollowUpError
from casework.dates import clock
from casework.dates.thaidate import local_date
from casework.extensions import db
from casework.general import followup, reports, workflow
from casework.models import Attachment, AuditEntry, Case, OutboxMessage, SurveyAnswer
from casework.notify import mailer

FILED = datetime(2026, 3, 2, 3, 0)  # fiscal year 2569


@pytest.fixture
def done(staff, complaint, frozen):
    """A complaint with contact details and a place, completed a day after it was filed."""
    frozen(FILED)
    officer = staff("officer", "works")
    case = complaint(
        location="หน้าวัด",
        lat=13.75,
        lng=100.5,
        reporter={"name": "สมหญิง ใจดี", "phone": "0812345678"},
        consent=True,
    )
    frozen(FILED + timedelta(days=1))
    workflow.complete(case, officer, "resolved", "ซ่อมแล้ว")
    return case, officer


def test_not_fixed_within_the_window_reopens_and_restarts_the_clock(done, frozen, org):
    case, _officer = done
    later = FILED + timedelta(days=10)
    frozen(later)
    result = followup.not_fixed(case, "ยังเป็นหลุมอยู่", "2")
    assert result.reopened and result.case is case and result.filed is None
    assert (case.status, case.outcome, case.completed_at, case.result_text) == (
        "in_progress",
        None,
        None,
        "",
    )
    assert case.due_date == sla.initial_due_date(org, case.category, later)
    assert (case.reopen_count, case.reopened_at) == (1, later)
    assert case.rating is None  # the next completion is rated anew
    event = case.events[-1]
    assert (event.kind, event.public, event.body) == ("reopened", True, "ยังเป็นหลุมอยู่")
    assert event.data["outcome"] == "resolved" and event.data["rating"] == 2
    answers = db.session.scalars(select(SurveyAnswer).filter_by(case_id=case.id)).all()
    assert [(a.question, a.score, a.source) for a in answers] == [("overall", 2, "web")]
    assert db.session.scalar(select(AuditEntry).filter_by(action="case.reopen", case_id=case.id))
    told = db.session.scalars(select(OutboxMessage).filter_by(template="reopened")).all()
    assert [m.case_id for m in told] == [case.id]  # the unit's officer, by email
    email = mailer.compose(told[0], "officer@staff.test")
    assert case.case_number in email["Subject"] and "ยังไม่ได้รับการแก้ไข" in email["Subject"]
    assert "กำหนดแล้วเสร็จใหม่" in email.get_content() and "ยังเป็นหลุมอยู่" not in email.get_content()


def test_the_window_is_the_organizations(done, frozen, org):
    case, _officer = done
    org.reopen_window_days = 3
    db.session.commit()
    assert followup.reopen_until(case) == local_date(case.completed_at) + timedelta(days=3)
    frozen(FILED + timedelta(days=4, hours=12))  # the 3rd day after completion, Bangkok
    assert followup.not_fixed(case, "ยังไม่ซ่อม").reopened


def test_not_fixed_needs_a_reason_and_a_completed_case(done, complaint):
    case, _officer = done
    with pytest.raises(FollowUpError) as refused:
        followup.not_fixed(case, "  ")
    assert set(refused.value.fields) == {"comment"}
    with pytest.raises(FollowUpError) as refused:
        followup.not_fixed(complaint(), "ยังไม่ซ่อม")
    assert "fixed" in refused.value.fields
    with pytest.raises(FollowUpError) as refused:
        followup.not_fixed(case, "ยังไม่ซ่อม", "9")
    assert set(refused.value.fields) == {"rating"}
    assert case.status == "completed" and case.reopen_count == 0


def test_only_casefile_reopens(done):
    case, _officer = done
    with pytest.raises(lifecycle.IllegalTransition):
        casefile.change_status(case, "in_progress")


def test_after_the_window_a_new_linked_case_is_filed_once(done, frozen, org):
    case, _officer = done
    frozen(FILED + timedelta(days=1 + org.reopen_window_days + 1))
    token = "t" * 40
    result = followup.not_fixed(case, "กลับมาเป็นหลุมอีก", token=token)
    new = result.case
    assert not result.reopened and result.filed.tracking_code
    assert new.id != case.id and new.follows_id == case.id and new.status == "received"
    assert (new.category_id, new.location, new.lat, new.lng) == (
        case.category_id,
        case.location,
        case.lat,
        case.lng,
    )
    assert new.details == "กลับมาเป็นหลุมอีก"
    assert identity.reveal(new) == {"name": "สมหญิง ใจดี", "phone": "0812345678"}
    assert case.status == "completed" and case.reopen_count == 1
    assert case.events[-1].kind == "followed_up"
    assert case.events[-1].data == {"case_number": new.case_number}
    told = db.session.scalar(select(OutboxMessage).filter_by(template="reopened"))
    assert told.case_id == case.id and told.payload["new_number"] == new.case_number
    assert followup.public_view(case).followed_by == new.case_number
    assert not followup.public_view(case).can_reopen  # the new case is the one to follow
    assert followup.public_view(new).follows.id == case.id
    again = followup.not_fixed(case, "กลับมาเป็นหลุมอีก", token=token)  # a second click
    assert again.case.id == new.id and again.filed.repeated


def test_ratings_go_into_the_survey_table(done):
    case, _officer = done
    followup.rate(case, "5", "เร็วมาก", source="line")
    rows = db.session.scalars(
        select(SurveyAnswer).filter_by(case_id=case.id).order_by(SurveyAnswer.id)
    ).all()
    assert [(r.question, r.score, r.text, r.source) for r in rows] == [
        ("overall", 5, "", "line"),
        ("comment", None, "เร็วมาก", "line"),
    ]
    assert case.rating == 5


def test_reopened_cases_count_in_the_figures(done, frozen, org, complaint):
    case, _officer = done
    complaint()  # another case of the period, never reopened
    frozen(FILED + timedelta(days=2))
    followup.not_fixed(case, "ยังไม่ซ่อม")
    start, end = reports.utc_bounds(2569)
    found = figures.period_figures(org.id, start, end, clock.today())["complaint"]
    direct = db.session.scalar(
        select(db.func.count()).select_from(Case).where(Case.reopen_count > 0)
    )
    assert found.reopened == direct == 1
    staff_figures = reports.Figures()
    for c in db.session.scalars(select(Case).filter_by(channel="complaint")):
        staff_figures.add(c, workflow.due_state(c))
    assert staff_figures.reopened == 1


def test_after_photos_with_a_public_update_then_with_the_result(staff, complaint, frozen, gps_jpeg):
    frozen(FILED)
    officer = staff("officer", "works")
    case = complaint()
    workflow.after_photos(case, officer, [Upload("after.jpg", gps_jpeg)], "ซ่อมแล้วตามภาพ", True)
    update = case.events[-1]
    assert (update.kind, update.public, update.body) == ("public_update", True, "ซ่อมแล้วตามภาพ")
    photo = db.session.scalar(select(Attachment).filter_by(case_id=case.id))
    assert (photo.event_id, photo.public, photo.uploaded_by) == (update.id, True, "staff")
    data = attachments.content(photo, case)
    assert b"SERIAL-123456" not in data and not Image.open(io.BytesIO(data)).getexif()
    workflow.complete(case, officer, "resolved", "เรียบร้อย")
    result = case.events[-1]
    workflow.after_photos(case, officer, [Upload("done.png", upload_samples.PNG)], "", False)
    last = db.session.scalars(
        select(Attachment).filter_by(case_id=case.id).order_by(Attachment.id.desc())
    ).first()
    assert (last.event_id, last.public) == (result.id, False)
    shown = followup.photos(case)
    assert [p.by_officer for p in shown] == [True]  # the private one is not shown
    assert shown[0].data_uri.startswith("data:image/jpeg;base64,")


def test_after_photos_refuse_documents_and_nothing(staff, complaint):
    officer = staff("officer", "works")
    case = complaint()
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.after_photos(case, officer, [], "ข้อความ", True)
    assert set(refused.value.fields) == {"photos"}
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.after_photos(case, officer, [Upload("a.pdf", b"%PDF-1.4\n")], "", True)
    assert set(refused.value.fields) == {"photos", "body"}


def test_an_explanation_of_delay_before_reopening_is_not_shown_after(staff, complaint, frozen):
    frozen(FILED)
    officer = staff("officer", "works")
    case = complaint()
    frozen(FILED + timedelta(days=20))  # past the deadline
    workflow.explain_delay(case, officer, "รองบประมาณ", (FILED + timedelta(days=40)).date())
    workflow.complete(case, officer, "resolved", "ซ่อมแล้ว")
    frozen(FILED + timedelta(days=21))
    followup.not_fixed(case, "ยังไม่ซ่อม")
    view = followup.public_view(case)
    assert view.explanation is None and view.extended_from is None
    assert case.original_due_date is None and case.explained_at is None


def test_a_reopened_case_is_completed_and_rated_again(done, frozen):
    case, officer = done
    followup.rate(case, "4", "")
    frozen(FILED + timedelta(days=3))
    followup.not_fixed(case, "ยังไม่ซ่อม")
    assert followup.public_view(case).is_open
    workflow.complete(case, officer, "resolved", "ซ่อมใหม่แล้ว")
    view = followup.public_view(case)
    assert view.can_rate and view.can_reopen and case.result_text == "ซ่อมใหม่แล้ว"
    followup.rate(case, "5", "")
    assert case.rating == 5
    scores = db.session.scalars(
        select(SurveyAnswer.score).filter_by(case_id=case.id, question="overall")
    ).all()
    assert sorted(scores) == [4, 5]  # the survey table keeps both answers
