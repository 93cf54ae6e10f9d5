"""A tip from start to finish through casework.tipline's functions (no HTTP): registered by an
integrity officer from the way it arrived, each stage with what it records, the penalty and the
follow-up of the offender, a referral out waiting for the body's decision, and the reminders
of follow-ups due."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import upload_samples
from sqlalchemy import func, select

from casework.cases import attachments
from casework.cases.attachments import Upload
from casework.crypto import receipts
from casework.dates import clock
from casework.extensions import db
from casework.models import Attachment, Case, OutboxMessage, TipIdentity
from casework.notify import outbox
from casework.staff.roles import INTEGRITY
from casework.tipline import (
    access,
    custody,
    filing,
    followups,
    penalties,
    referral,
    stages,
    sweep,
    workflow,
)
from casework.tipline.filing import IntakeError, Origin, TipSubmission

ACCUSED = "นายสมชาย ใจร้าย"
WHAT = "เรียกเงินสองหมื่นบาทเพื่อให้ผ่านการตรวจรับงานก่อสร้างถนน"


def _letter(**overrides) -> TipSubmission:
    values = {
        "category": "bribery",
        "accused_name": ACCUSED,
        "accused_position": "นายช่างโยธา",
        "accused_unit": "กองช่าง",
        "what": WHAT,
    }
    values.update(overrides)
    return TipSubmission(**values)


def _complaints() -> int:
    return db.session.scalar(select(func.count(Case.id)).filter_by(channel="complaint"))


def test_anonymous_letter_to_penalty_follow_up_and_closing(org, staff, frozen):
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = staff(INTEGRITY, "มานะ อดทน")
    before = _complaints()
    scan = upload_samples.pdf_with_everything()
    filed = filing.register(
        org,
        _letter(uploads=[Upload("scan.pdf", scan)]),
        Origin(code="anonymous_letter", received_on="2570-02-20"),  # B.E., as typed
        officer,
        receipt=True,  # nobody to hand it to: no receipt is made
    )
    case = filed.case
    assert filed.receipt is None and filing.details_of(case).receipt_lookup is None
    assert case.channel == "tip" and case.received_via == "letter" and _complaints() == before
    details = filing.details_of(case)
    assert details.origin == "anonymous_letter" and case.anonymous
    # The date it arrived starts the clock.
    assert case.received_at == datetime(2027, 2, 20) and case.due_date < date(2027, 3, 20)
    assert access.assigned_ids(case) == {officer.id}
    # The scan went through the tip channel's evidence path: scrubbed and encrypted.
    (stored,) = db.session.scalars(select(Attachment).filter_by(case_id=case.id))
    assert stored.uploaded_by == "staff" and b"%PDF" not in stored.data_sealed
    clean = attachments.content(stored, case)
    assert clean.startswith(b"%PDF") and b"/Author" not in clean and b"/Author" in scan

    workflow.change(case, "preliminary_review", actor_id=officer.id, fact_finder="นางสาวนิติ กร")
    workflow.change(
        case,
        "investigation",
        actor_id=officer.id,
        preliminary_result="ข้อเท็จจริงเบื้องต้นมีมูล",
        order_number="คำสั่งเทศบาลที่ 101/2570",
        committee="นายหนึ่ง ประธาน\nนางสอง กรรมการ",
        charges=f"{ACCUSED} เรียกรับเงินจากผู้รับจ้าง",
    )
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.change(case, "findings", actor_id=officer.id, conclusion="maybe")
    assert set(error.value.fields) == {"facts", "conclusion", "evidence_relied"}
    workflow.change(
        case,
        "findings",
        actor_id=officer.id,
        facts=f"{ACCUSED} รับเงินสองหมื่นบาทจริง",
        conclusion="founded",
        evidence_relied="คำให้การผู้รับจ้าง ภาพถ่ายใบเสร็จ",
    )
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.change(
            case,
            "disciplinary",
            actor_id=officer.id,
            penalty_kind="no-such-kind",
            money_to_recover="สองหมื่น",
            follow_up_until="2570-01-01",
        )
    assert {"penalty_kind", "penalty_order_number", "penalty_order_on", "money_to_recover"} <= set(
        error.value.fields
    )
    assert {"follow_up_until", "next_check_on"} <= set(error.value.fields)
    workflow.change(
        case,
        "disciplinary",
        actor_id=officer.id,
        penalty_kind="salary_cut",
        penalty_order_number="คำสั่งเทศบาลที่ 150/2570",
        penalty_order_on="2570-02-28",
        criminal_referral=True,
        money_to_recover="20,000.50",
        follow_up_until=date(2027, 9, 30),
        next_check_on=date(2027, 6, 1),
    )
    details = filing.details_of(case)
    assert details.conclusion == "founded" and details.money_to_recover == 2_000_050
    assert penalties.kind_for(officer, details.penalty_kind_id).name_th == "ตัดเงินเดือน"
    assert details.penalty_order_on == date(2027, 2, 28) and details.criminal_referral
    assert not details.civil_referral
    opened = stages.opened(case, details)
    assert opened["charges"].startswith(ACCUSED) and opened["fact_finder"] == "นางสาวนิติ กร"

    # Closing with action taken needs a check on the offender first.
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.change(case, "closed", actor_id=officer.id, outcome="substantiated")
    assert "target" in error.value.fields
    frozen(datetime(2027, 6, 2, 3, 0))
    assert [(d.case, d.kind) for d in followups.due_reminders(org, clock.today())] == [
        (case, followups.OFFENDER_CHECK)
    ]
    later = filing.register(
        org, _letter(what="เรียกเงินอีกครั้ง"), Origin("letter", "2570-06-01"), officer, receipt=False
    ).case
    followups.record_check(
        case,
        actor_id=officer.id,
        checked_on="2570-06-02",
        note="พบว่ากระทำซ้ำ ตามเรื่องที่รับใหม่",
        next_on="2570-09-01",
        repeat_case=later.case_number,
    )
    assert filing.details_of(case).next_check_on == date(2027, 9, 1)
    assert followups.due_reminders(org, clock.today()) == []
    assert followups.repeats_of(later) == [case]
    (check,) = stages.checks_of(case)
    assert followups.note_of(case, check).startswith("พบว่า")
    assert "พบว่า".encode() not in check.note_sealed
    workflow.change(
        case, "closed", actor_id=officer.id, outcome="substantiated", public_note="ลงโทษแล้ว"
    )
    assert case.status == "closed" and case.outcome == "substantiated" and case.completed_at
    assert _complaints() == before


def test_referral_in_from_nacc_out_to_a_body_and_closed_on_its_decision(org, staff, frozen):
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = staff(INTEGRITY, "มานะ อดทน")
    with pytest.raises(IntakeError) as error:
        filing.register(org, _letter(), Origin("referral_in", "2570-02-25"), officer, receipt=False)
    assert set(error.value.fields) == {"origin_body", "origin_reference"}
    case = filing.register(
        org,
        _letter(accused_role="mayor", accused_position="นายกเทศมนตรี"),
        Origin("referral_in", "2570-02-25", body="nacc", reference="ปช 0012/2570"),
        officer,
        receipt=False,
    ).case
    details = filing.details_of(case)
    assert (details.origin, details.origin_body, details.origin_reference) == (
        "referral_in",
        "nacc",
        "ปช 0012/2570",
    )
    assert referral.flag_of(case) == "mayor"
    referral.record(
        case,
        actor_id=officer.id,
        body="other",
        body_name="สำนักงานตรวจเงินแผ่นดินภูมิภาคที่ 5",
        reference_number="สตง 77/2570",
        referred_on=date(2027, 3, 1),
        follow_up_on=date(2027, 4, 1),
    )
    workflow.change(case, "referred_out", actor_id=officer.id)
    assert not referral.referral_of(case).decided_on and case.completed_at is None
    # Not closed without the decision, unless an officer gives a reason.
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.change(case, "closed", actor_id=officer.id, outcome="referred")
    assert "internal_note" in error.value.fields
    frozen(datetime(2027, 4, 2, 3, 0))
    assert [(d.kind, d.on) for d in followups.due_reminders(org, clock.today())] == [
        (followups.REFERRAL, date(2027, 4, 1))
    ]
    with pytest.raises(followups.FollowUpError) as error:
        followups.record_decision(case, actor_id=officer.id, decision="", decided_on="")
    assert set(error.value.fields) == {"decision", "decided_on"}
    followups.record_decision(
        case,
        actor_id=officer.id,
        decision=f"สตง. ชี้มูล {ACCUSED} และส่งเรื่องต่อ ป.ป.ช.",
        decided_on="2570-04-01",
        public_note="หน่วยงานภายนอกแจ้งผลการพิจารณาแล้ว",
    )
    row = referral.referral_of(case)
    assert row.status == "decided" and row.decided_on == date(2027, 4, 1)
    assert ACCUSED.encode() not in row.decision_sealed
    assert followups.decision_of(case, row).startswith("สตง.")
    assert case.status == "closed" and case.outcome == "referred"
    assert followups.due_reminders(org, clock.today()) == []


def test_an_officer_may_close_a_referred_tip_with_a_reason(org, staff, file_tip):
    officer = staff(INTEGRITY, "มานะ อดทน")
    case = file_tip()
    access.assign(case, officer)
    referral.record(
        case, actor_id=officer.id, body="pacc", reference_number="ปท 5/2570", referred_on=None
    )
    workflow.change(case, "referred_out", actor_id=officer.id)
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.change(case, "closed", actor_id=officer.id, outcome="unfounded")
    assert "outcome" in error.value.fields
    workflow.change(
        case,
        "closed",
        actor_id=officer.id,
        outcome="referred",
        internal_note="ป.ป.ท. แจ้งว่าไม่ตอบผลเป็นหนังสือ",
    )
    assert case.status == "closed" and case.outcome == "referred"


def test_registration_checks_and_seals_like_the_web(org, staff, custodian, frozen):
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = staff(INTEGRITY, "มานะ อดทน")
    with pytest.raises(IntakeError) as error:
        filing.register(
            org, _letter(what=""), Origin("pigeon", "2570-03-09"), officer, receipt=False
        )
    assert {"origin", "what", "received_on"} <= set(error.value.fields)  # a date to come
    with pytest.raises(IntakeError) as error:
        filing.register(
            org,
            _letter(confidential=True, identity={"name": "นางผู้แจ้ง"}, consent=True),
            Origin("anonymous_letter", "2570-03-01"),
            officer,
            receipt=False,
        )
    assert "confidential" in error.value.fields
    custodian()
    filed = filing.register(
        org,
        _letter(confidential=True, identity={"name": "นางผู้แจ้ง ลับมาก"}, consent=True),
        Origin("visit", "2570-03-01"),
        officer,
        receipt=True,
    )
    case = filed.case
    assert case.received_via == "walk_in" and not case.anonymous
    # The identity is sealed to the custodians exactly as on the web, and nowhere readable.
    assert db.session.scalar(select(func.count(TipIdentity.id)).filter_by(case_id=case.id)) == 1
    assert custody.has_identity(case)
    assert "ลับมาก" not in str(filing.answers_of(case))
    # The receipt opens the tip, as the public status page does.
    assert receipts.normalize_receipt(filed.receipt)
    assert filing.find_by_receipt(org, filed.receipt) == case
    # The registering officer is not assigned to a tip that names them.
    named = staff(INTEGRITY, "สมศรี ถูกกล่าวหา")
    mine = filing.register(
        org,
        _letter(accused_name="นางสมศรี ถูกกล่าวหา"),
        Origin("media", "2570-03-01"),
        named,
        receipt=False,
    ).case
    assert access.assigned_ids(mine) == set() and access.is_excluded(named.id, mine)


def test_penalty_kinds_are_configurable_per_organization(org, staff, elsewhere):
    officer = staff(INTEGRITY, "มานะ อดทน")
    assert [k.name_th for k in penalties.listing(org.id)] == [
        "ภาคทัณฑ์",
        "ตัดเงินเดือน",
        "ลดขั้นเงินเดือน",
        "ปลดออก",
        "ไล่ออก",
    ]
    assert len(penalties.listing(elsewhere.id)) == 5  # another organization has its own list
    with pytest.raises(penalties.PenaltyError):
        penalties.create(org.id, officer.id, penalties.Settings(name_th=" "))
    added = penalties.create(org.id, officer.id, penalties.Settings(name_th="ให้ออก", sort_order=9))
    assert penalties.by_code(org.id, added.code) == added
    kind = penalties.by_code(org.id, "probation")
    penalties.update(kind, officer.id, penalties.Settings(name_th="ภาคทัณฑ์", active=False))
    assert penalties.by_code(org.id, "probation") is None
    assert kind not in penalties.listing(org.id, active_only=True)
    assert penalties.by_code(elsewhere.id, added.code) is None


def test_reminders_go_to_the_assigned_officers_without_the_tips_content(org, staff, frozen):
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = staff(INTEGRITY, "มานะ อดทน")
    bystander = staff(INTEGRITY, "วิภา ดีงาม")
    case = filing.register(
        org, _letter(), Origin("phone", "2570-03-01"), officer, receipt=False
    ).case
    referral.record(
        case,
        actor_id=officer.id,
        body="acoc",
        reference_number="ศอตช 9/2570",
        referred_on=None,
        follow_up_on=date(2027, 3, 15),
    )
    workflow.change(case, "referred_out", actor_id=officer.id)
    assert sweep.sweep_org(org).queued == 0  # not due yet
    frozen(datetime(2027, 3, 16, 3, 0))
    first = sweep.run()[org.slug]
    assert (first.follow_up, first.queued) == (1, 1)
    assert sweep.sweep_org(org).queued == 0  # nothing is sent twice
    (row,) = db.session.scalars(select(OutboxMessage).filter_by(template="tip_follow_up"))
    assert outbox.recipient(row) == officer.email != bystander.email
    assert row.payload["kind"] == followups.REFERRAL and ACCUSED not in str(row.payload)
    from casework.notify import mailer

    message = mailer.compose(row, officer.email)
    text = message["Subject"] + message.get_content()
    assert case.case_number in text and f"/admin/tips/{case.id}" in text
    for secret in (ACCUSED, "สมชาย", "นายช่างโยธา", "กองช่าง", "สองหมื่น", "ศอตช 9/2570"):
        assert secret not in text
