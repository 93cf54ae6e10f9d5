"""casework.general.workflow called directly: each action checks its input, changes the case,
writes its timeline line, audit entry and notifications, and commits all of it or nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework import audit
from casework.cases import sla
from casework.cases.attachments import Upload
from casework.cases.lifecycle import IllegalTransition
from casework.dates import clock
from casework.extensions import db
from casework.general import workflow
from casework.models import Attachment, AuditEntry, Case, CaseEvent, OutboxMessage

CONTACT = {"name": "สมชาย ใจดี", "email": "somchai@example.com", "phone": "0812345678"}


def _actions(case: Case) -> list[str]:
    return list(
        db.session.scalars(
            db.select(AuditEntry.action).filter_by(case_id=case.id).order_by(AuditEntry.seq)
        )
    )


def _kinds(case: Case) -> list[str]:
    return list(
        db.session.scalars(
            db.select(CaseEvent.kind).filter_by(case_id=case.id).order_by(CaseEvent.id)
        )
    )


def _mail(case: Case) -> list[str]:
    return list(
        db.session.scalars(
            db.select(OutboxMessage.template).filter_by(case_id=case.id).order_by(OutboxMessage.id)
        )
    )


def test_accepting_starts_work_and_an_officer_takes_the_case(staff, complaint, fresh):
    officer = staff("officer", "works")
    case = complaint()
    workflow.accept(case, officer)
    case = fresh(case)
    assert case.status == "in_progress"
    assert case.accepted_at is not None
    assert case.assignee_id == officer.id
    assert _actions(case)[-1] == "case.accept"
    with pytest.raises(IllegalTransition):
        workflow.accept(case, officer)


def test_a_supervisor_accepting_leaves_the_case_unassigned(staff, complaint, fresh):
    case = complaint()
    workflow.accept(case, staff("supervisor"))
    assert fresh(case).assignee_id is None


def test_assign_checks_department_and_officer(staff, complaint, fresh):
    officer = staff("officer", "works")
    other = staff("officer", "health")
    case = complaint()
    with pytest.raises(workflow.WorkflowError) as bad:
        workflow.assign(case, officer, "nope", "")
    assert set(bad.value.fields) == {"department"}
    with pytest.raises(workflow.WorkflowError) as bad:
        workflow.assign(case, officer, case.department_id, other.id)
    assert set(bad.value.fields) == {"assignee"}
    with pytest.raises(workflow.WorkflowError) as bad:
        workflow.assign(case, officer, other.department_id, "")
    assert "supervisor" in bad.value.fields["department"]
    assert fresh(case).assignee_id is None


def test_assign_to_an_officer_queues_their_email(staff, complaint, fresh):
    supervisor = staff("supervisor")
    officer = staff("officer", "health")
    case = complaint()
    workflow.assign(case, supervisor, officer.department_id, str(officer.id))
    case = fresh(case)
    assert (case.department_id, case.assignee_id) == (officer.department_id, officer.id)
    assert _kinds(case)[-1] == "assigned"
    assert _actions(case)[-1] == "case.assign"
    assert _mail(case) == ["assigned"]


def test_a_note_is_internal_and_needs_text(staff, complaint, fresh):
    officer = staff("officer", "works")
    case = complaint()
    with pytest.raises(workflow.WorkflowError) as bad:
        workflow.add_note(case, officer, "   ")
    assert set(bad.value.fields) == {"body"}
    workflow.add_note(case, officer, "โทรหาผู้ร้องแล้ว")
    event = fresh(case).events[-1]
    assert (event.kind, event.public, event.body) == ("note", False, "โทรหาผู้ร้องแล้ว")


def test_a_public_update_emails_a_consenting_complainant_only(staff, complaint, fresh):
    officer = staff("officer", "works")
    silent = complaint()
    told = complaint(reporter=CONTACT, consent=True)
    workflow.public_update(silent, officer, "กำลังซ่อม")
    workflow.public_update(told, officer, "กำลังซ่อม")
    assert _mail(silent) == []
    assert _mail(told) == ["receipt", "update"]
    assert fresh(told).events[-1].public is True


def test_asking_for_information_pauses_the_clock_and_resuming_moves_the_deadline(
    staff, complaint, frozen, fresh
):
    officer = staff("officer", "works")
    frozen(clock.utcnow())
    case = complaint(reporter=CONTACT, consent=True)
    due = case.due_date
    workflow.request_info(case, officer, "ขอรูปถ่ายเพิ่มเติม")
    assert fresh(case).status == "awaiting_info"
    assert _mail(case)[-1] == "info_request"
    frozen(clock.utcnow() + timedelta(days=3))
    workflow.resume(case, officer)
    case = fresh(case)
    assert case.status == "in_progress"
    assert case.due_date > due
    entry = db.session.scalar(
        db.select(AuditEntry).filter_by(case_id=case.id, action="case.resume")
    )
    assert entry.data["paused_days"] >= 1


def test_forward_checks_the_agency_and_the_follow_up_date(staff, complaint, fresh):
    officer = staff("officer", "works")
    case = complaint()
    with pytest.raises(workflow.WorkflowError) as bad:
        workflow.forward(case, officer, "mars", "", "x" * 101, clock.today().isoformat(), "")
    assert set(bad.value.fields) == {"agency", "reference", "follow_up_on"}
    with pytest.raises(workflow.WorkflowError) as bad:
        workflow.forward(case, officer, "other", "", "", "2999-01-01", "")
    assert set(bad.value.fields) == {"agency_name"}
    assert fresh(case).status == "received"


def test_forward_records_the_agency(staff, complaint, fresh):
    officer = staff("officer", "works")
    case = complaint(reporter=CONTACT, consent=True)
    follow_up = clock.today() + timedelta(days=7)
    workflow.forward(case, officer, "damrongdham", "", "DD-1", follow_up, "ส่งต่อแล้ว")
    case = fresh(case)
    assert case.status == "forwarded"
    assert case.forwarded_name == workflow.AGENCY_TH["damrongdham"]
    assert (case.forwarded_reference, case.forwarded_follow_up_on) == ("DD-1", follow_up)
    assert _mail(case)[-1] == "forwarded"


def test_complete_needs_an_outcome_and_a_result(staff, complaint, fresh):
    officer = staff("officer", "works")
    case = complaint(reporter=CONTACT, consent=True)
    with pytest.raises(workflow.WorkflowError) as bad:
        workflow.complete(case, officer, "duplicate", "")
    assert set(bad.value.fields) == {"outcome", "result_text"}
    outcome = next(k for k in workflow.lifecycle.OUTCOMES["complaint"] if k != "duplicate")
    workflow.complete(case, officer, outcome, "ซ่อมถนนเรียบร้อยแล้ว")
    case = fresh(case)
    assert (case.status, case.outcome) == ("completed", outcome)
    assert case.result_text == "ซ่อมถนนเรียบร้อยแล้ว"
    assert _mail(case)[-1] == "result"
    with pytest.raises(workflow.WorkflowError):
        workflow.public_update(case, officer, "อีกเรื่อง")


def test_explaining_a_delay_keeps_the_first_deadline(staff, complaint, fresh):
    officer = staff("officer", "works")
    case = complaint()
    first = case.due_date
    with pytest.raises(workflow.WorkflowError) as bad:
        workflow.explain_delay(case, officer, "รองบประมาณ", first)
    assert set(bad.value.fields) == {"new_date"}
    later = first + timedelta(days=10)
    workflow.explain_delay(case, officer, "รองบประมาณ", later.isoformat())
    case = fresh(case)
    assert (case.original_due_date, case.due_date) == (first, later)
    assert case.explained_at is not None
    assert case.events[-1].data == {"new_date": later.isoformat(), "old_date": first.isoformat()}


def test_merge_closes_a_duplicate_into_a_case_in_reach(staff, complaint, fresh):
    officer = staff("officer", "works")
    case, target = complaint(), complaint(subject="ถนนหน้าตลาด")
    for number in ("", "9999/999999", case.case_number):
        with pytest.raises(workflow.WorkflowError):
            workflow.merge(case, officer, number)
    assert workflow.merge(case, officer, target.case_number).id == target.id
    case = fresh(case)
    assert (case.status, case.outcome) == ("completed", "duplicate")
    assert workflow.merged_into(case).id == target.id
    assert workflow.merged_into(target) is None
    assert _kinds(target)[-1] == "merged_in"
    with pytest.raises(workflow.WorkflowError) as bad:
        workflow.merge(complaint(), officer, case.case_number)
    assert "merged" in bad.value.fields["target"]


def test_revealing_the_contact_is_audited(staff, complaint):
    officer = staff("officer", "works")
    case = complaint(reporter=CONTACT, consent=True)
    shown = workflow.reveal_contact(case, officer)
    assert shown["email"] == CONTACT["email"]
    entry = db.session.scalar(
        db.select(AuditEntry).filter_by(case_id=case.id, action="identity.view")
    )
    assert entry.actor_id == officer.id
    assert "email" in entry.data["fields"]


def test_opening_an_attachment_is_audited(staff, complaint, gps_jpeg):
    officer = staff("officer", "works")
    case = complaint(uploads=[Upload("photo.jpg", gps_jpeg)])
    other = complaint()
    att_id = _attachment_id(case)
    assert workflow.open_attachment(other, officer, att_id) is None
    assert workflow.open_attachment(case, officer, 0) is None
    opened, data = workflow.open_attachment(case, officer, att_id)
    assert opened.id == att_id
    assert data[:2] == b"\xff\xd8"  # still a JPEG (its metadata was removed on upload)
    assert _actions(case)[-1] == "attachment.view"
    assert "attachment.view" not in _actions(other)


def _attachment_id(case: Case) -> int:
    return db.session.scalar(db.select(Attachment.id).filter_by(case_id=case.id))


def test_officers_of_a_department_and_the_due_state(staff, complaint):
    works = staff("officer", "works")
    staff("officer", "health")
    staff("supervisor")
    assert workflow.officers_of(works.organization_id, works.department_id) == [works]
    assert len(workflow.officers_of(works.organization_id, None)) == 2
    assert workflow.due_state(complaint()) == sla.ON_TIME


def test_a_failing_action_leaves_nothing_behind(staff, complaint, monkeypatch, fresh):
    officer = staff("officer", "works")
    case = complaint(reporter=CONTACT, consent=True)
    events, mails = len(_kinds(case)), len(_mail(case))

    def broken(*args, **kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        workflow.request_info(case, officer, "ขอข้อมูลเพิ่ม")
    case = fresh(case)
    assert case.status == "received"
    assert (len(_kinds(case)), len(_mail(case))) == (events, mails)
