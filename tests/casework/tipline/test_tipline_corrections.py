"""Correcting a stage's record afterwards (casework.tipline.corrections): only an integrity
officer assigned to the tip, for the current stage or an earlier one; the change goes to the
tip's trail with who and when, and the values replaced are kept sealed."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from tip_helpers import file

from casework.extensions import db
from casework.models import TipFollowUpCheck, TipRecordCorrection
from casework.staff.roles import INTEGRITY
from casework.tipline import access, corrections, figures, followups, referral, stages, workflow
from casework.tipline.filing import details_of

FACTS = "รับเงินจากผู้รับเหมาสองหมื่นบาท"
CORRECTED = "รับเงินจากผู้รับเหมาสามหมื่นบาท ตามใบเสร็จสองฉบับ"


@pytest.fixture
def officer(staff):
    return staff(INTEGRITY, "มานะ อดทน")


def _to_findings(org, officer, frozen):
    frozen(datetime(2027, 3, 1, 3, 0))
    case = file(org).case
    access.assign(case, officer)
    frozen(datetime(2027, 3, 8, 3, 0))
    workflow.change(case, "preliminary_review", actor_id=officer.id, fact_finder="นิติกร หนึ่ง")
    workflow.change(
        case,
        "investigation",
        actor_id=officer.id,
        order_number="คำสั่งที่ 12/2570",
        committee="นายกรรมการ หนึ่ง",
        charges="เรียกรับเงิน",
        preliminary_result="มีมูล",
    )
    workflow.change(
        case,
        "findings",
        actor_id=officer.id,
        facts=FACTS,
        conclusion="partly_founded",
        evidence_relied="ใบเสร็จ",
    )
    return case


def _findings(**changes) -> dict:
    return {"facts": FACTS, "conclusion": "partly_founded", "evidence_relied": "ใบเสร็จ"} | changes


def test_an_assigned_officer_corrects_a_stage_and_the_old_values_stay_sealed(
    org, officer, frozen, trail_of
):
    case = _to_findings(org, officer, frozen)
    frozen(datetime(2027, 3, 20, 3, 0))
    row = corrections.correct(
        case, officer, "findings", _findings(facts=CORRECTED, conclusion="founded")
    )
    details = details_of(case)
    assert stages.opened(case, details)["facts"] == CORRECTED
    assert details.conclusion == "founded"
    assert (row.stage, row.fields, row.corrected_by) == ("findings", "conclusion,facts", officer.id)
    assert row.corrected_on == date(2027, 3, 20)
    assert FACTS.encode() not in row.old_sealed and b"partly_founded" not in row.old_sealed

    db.session.rollback()
    (entry,) = trail_of("tip.record_corrected")
    assert entry.actor_id == officer.id and entry.chain == "tips"
    assert entry.data == {
        "stage": "findings",
        "fields": ["conclusion", "facts"],
        "correction": row.id,
    }
    assert FACTS not in str(entry.data) and CORRECTED not in str(entry.data)
    (past,) = corrections.history(case)
    assert past.by.id == officer.id
    assert past.old == {"facts": FACTS, "conclusion": "partly_founded"}

    # An earlier stage too: the fact-finding, while the tip is at its findings.
    corrections.correct(
        case,
        officer,
        "preliminary_review",
        {"fact_finder": "นิติกร สอง", "preliminary_result": "มีมูล"},
    )
    assert stages.opened(case, details_of(case))["fact_finder"] == "นิติกร สอง"
    assert [p.row.stage for p in corrections.history(case)] == ["preliminary_review", "findings"]
    # The figures count the corrected conclusion.
    assert figures.fiscal_year_figures(org.id, 2570, k=1)[0].founded.value == 1


def test_who_may_correct_what(org, officer, staff, frozen):
    case = _to_findings(org, officer, frozen)
    colleague = staff(INTEGRITY, "วิภา ดีงาม")  # an integrity officer not assigned to it
    with pytest.raises(corrections.CorrectionError) as error:
        corrections.correct(case, colleague, "findings", _findings(facts=CORRECTED))
    assert set(error.value.fields) == {"stage"}
    # Only stages the tip has reached.
    assert corrections.reached(case) == ["preliminary_review", "investigation", "findings"]
    with pytest.raises(corrections.CorrectionError) as error:
        corrections.correct(case, officer, "disciplinary", {"penalty_kind": "dismissal"})
    assert set(error.value.fields) == {"stage"}
    # Nothing changed, a required field emptied, a choice not on the list: refused, untouched.
    for given, field in (
        (_findings(), "stage"),
        (_findings(facts="  "), "facts"),
        (_findings(conclusion="maybe"), "conclusion"),
    ):
        with pytest.raises(corrections.CorrectionError) as error:
            corrections.correct(case, officer, "findings", given)
        assert field in error.value.fields
    with pytest.raises(corrections.CorrectionError) as error:
        corrections.correct(
            case, officer, "investigation", {"order_number": "", "committee": "x", "charges": "y"}
        )
    assert "order_number" in error.value.fields
    assert db.session.scalar(select(TipRecordCorrection.id)) is None
    assert stages.opened(case, details_of(case))["facts"] == FACTS


def test_a_penalised_tip_keeps_a_punishable_conclusion_and_its_penalty_is_corrected(
    org, officer, frozen
):
    case = _to_findings(org, officer, frozen)
    frozen(datetime(2027, 3, 22, 3, 0))
    workflow.change(
        case,
        "disciplinary",
        actor_id=officer.id,
        penalty_kind="salary_cut",
        penalty_order_number="คำสั่งที่ 20/2570",
        penalty_order_on="2027-03-21",
        follow_up_until="2027-09-30",
        next_check_on="2027-04-30",
    )
    with pytest.raises(corrections.CorrectionError) as error:
        corrections.correct(case, officer, "findings", _findings(conclusion="unfounded"))
    assert "conclusion" in error.value.fields
    given = stages.recorded(case, details_of(case), "disciplinary") | {
        "penalty_kind": "step_down",
        "money_to_recover": "12500.50",
    }
    row = corrections.correct(case, officer, "disciplinary", given)
    assert row.fields == "money_to_recover,penalty_kind"
    details = details_of(case)
    assert stages.recorded(case, details, "disciplinary")["penalty_kind"] == "step_down"
    assert details.money_to_recover == 1250050
    assert corrections.history(case)[0].old == {
        "money_to_recover": "",
        "penalty_kind": "salary_cut",
    }


def _to_follow_up(org, officer, frozen):
    case = _to_findings(org, officer, frozen)
    frozen(datetime(2027, 3, 22, 3, 0))
    workflow.change(
        case,
        "disciplinary",
        actor_id=officer.id,
        penalty_kind="salary_cut",
        penalty_order_number="คำสั่งที่ 20/2570",
        penalty_order_on="2027-03-21",
        follow_up_until="2027-09-30",
        next_check_on="2027-04-30",
    )
    return case


NOTE = "ผู้กระทำผิดยังปฏิบัติงานตามปกติ"


def test_an_assigned_officer_corrects_a_check_on_the_offender_and_the_old_values_stay_sealed(
    org, officer, staff, frozen, trail_of
):
    case = _to_follow_up(org, officer, frozen)
    frozen(datetime(2027, 5, 2, 3, 0))
    check = followups.record_check(
        case, actor_id=officer.id, checked_on="2027-04-30", note=NOTE, next_on="2027-06-30"
    )
    check_id = check.id
    assert corrections.targets(case)[-1].values == {
        "checked_on": "2027-04-30",
        "note": NOTE,
        "next_on": "2027-06-30",
        "repeat_case": "",
    }
    later = file(org).case
    row = corrections.correct(
        case,
        officer,
        corrections.CHECK,
        {
            "checked_on": "2027-05-01",
            "note": NOTE + " และย้ายไปกองคลัง",
            "next_on": "2027-07-15",
            "repeat_case": later.case_number,
        },
        check_id=str(check_id),  # as the form sends it
    )
    assert (row.stage, row.check_id) == (corrections.CHECK, check_id)
    assert row.fields == "checked_on,next_on,note,repeat_case"
    assert NOTE.encode() not in row.old_sealed
    check = db.session.get(TipFollowUpCheck, check_id)
    assert check.checked_on == date(2027, 5, 1) and check.repeat_case_id == later.id
    assert followups.note_of(case, check).endswith("ย้ายไปกองคลัง")
    assert details_of(case).next_check_on == date(2027, 7, 15)  # the reminder's date moves too

    db.session.rollback()
    (entry,) = trail_of("tip.record_corrected")
    assert entry.actor_id == officer.id and entry.chain == "tips"
    assert entry.data == {
        "stage": "follow_up_check",
        "fields": ["checked_on", "next_on", "note", "repeat_case"],
        "correction": row.id,
        "check": check_id,
    }
    assert NOTE not in str(entry.data)
    (past,) = corrections.history(case)
    assert past.by.id == officer.id and past.check.id == check_id
    assert past.old == {
        "checked_on": "2027-04-30",
        "next_on": "2027-06-30",
        "note": NOTE,
        "repeat_case": "",
    }

    # Only the latest check carries the next check's day.
    followups.record_check(
        case, actor_id=officer.id, checked_on="2027-05-02", note="ตรวจซ้ำ", next_on="2027-08-01"
    )
    first = corrections.targets(case)
    assert [set(t.values) for t in first if t.stage == corrections.CHECK] == [
        {"checked_on", "note", "repeat_case"},
        {"checked_on", "note", "next_on", "repeat_case"},
    ]


def test_a_check_correction_is_refused_as_a_check_would_be(org, officer, staff, frozen):
    case = _to_follow_up(org, officer, frozen)
    frozen(datetime(2027, 5, 2, 3, 0))
    check = followups.record_check(
        case, actor_id=officer.id, checked_on="2027-04-30", note=NOTE, next_on="2027-06-30"
    )
    good = {"checked_on": "2027-04-30", "note": NOTE, "next_on": "2027-06-30", "repeat_case": ""}
    for change, field in (
        ({}, "stage"),  # nothing changed
        ({"note": "  "}, "note"),
        ({"checked_on": ""}, "checked_on"),
        ({"checked_on": "2027-05-03"}, "checked_on"),  # the future
        ({"next_on": "2027-04-29"}, "next_on"),  # before the check
        ({"next_on": "2027-10-01"}, "next_on"),  # after the follow-up
        ({"repeat_case": "T2570/99999"}, "repeat_case"),
        ({"repeat_case": case.case_number}, "repeat_case"),  # itself
    ):
        with pytest.raises(corrections.CorrectionError) as error:
            corrections.correct(case, officer, corrections.CHECK, good | change, check.id)
        assert field in error.value.fields, change
    # Another tip's check, a number no row has, an officer not assigned: refused.
    other = _to_follow_up(org, officer, frozen)
    frozen(datetime(2027, 5, 2, 3, 0))
    theirs = followups.record_check(other, actor_id=officer.id, checked_on="2027-05-01", note="x")
    for wrong in (theirs.id, "9" * 30, "๑", None):
        with pytest.raises(corrections.CorrectionError) as error:
            corrections.correct(case, officer, corrections.CHECK, good | {"note": "y"}, wrong)
        assert set(error.value.fields) == {"stage"}
    colleague = staff(INTEGRITY, "วิภา ดีงาม")
    with pytest.raises(corrections.CorrectionError):
        corrections.correct(case, colleague, corrections.CHECK, good | {"note": "y"}, check.id)
    assert db.session.scalar(select(TipRecordCorrection.id)) is None
    assert followups.note_of(case, db.session.get(TipFollowUpCheck, check.id)) == NOTE


DECISION = "ป.ป.ช. มีมติชี้มูลความผิดวินัยร้ายแรง"


def test_an_assigned_officer_corrects_the_outside_bodys_decision(org, officer, frozen, trail_of):
    frozen(datetime(2027, 3, 1, 3, 0))
    case = file(org).case
    access.assign(case, officer)
    assert corrections.targets(case) == []  # nothing recorded yet
    referral.record(
        case,
        actor_id=officer.id,
        body="nacc",
        reference_number="ปช 12/2570",
        referred_on=date(2027, 3, 1),
        follow_up_on=date(2027, 4, 1),
    )
    workflow.change(case, "referred_out", actor_id=officer.id)
    with pytest.raises(corrections.CorrectionError) as error:  # no decision yet
        corrections.correct(
            case, officer, corrections.DECISION, {"decision": "x", "decided_on": "2027-03-01"}
        )
    assert set(error.value.fields) == {"stage"}
    frozen(datetime(2027, 6, 1, 3, 0))
    followups.record_decision(case, actor_id=officer.id, decision=DECISION, decided_on="2027-05-20")
    (target,) = [t for t in corrections.targets(case) if t.stage == corrections.DECISION]
    assert target.values == {"decision": DECISION, "decided_on": "2027-05-20"}
    for given, field in (
        ({"decision": "", "decided_on": "2027-05-20"}, "decision"),
        ({"decision": DECISION, "decided_on": "2027-06-02"}, "decided_on"),
        ({"decision": DECISION, "decided_on": "2027-05-20"}, "stage"),
    ):
        with pytest.raises(corrections.CorrectionError) as error:
            corrections.correct(case, officer, corrections.DECISION, given)
        assert field in error.value.fields

    row = corrections.correct(
        case, officer, corrections.DECISION, {"decision": DECISION, "decided_on": "2027-05-21"}
    )
    assert row.fields == "decided_on" and row.check_id is None
    assert referral.referral_of(case).decided_on == date(2027, 5, 21)
    assert followups.decision_of(case, referral.referral_of(case)) == DECISION
    db.session.rollback()
    (entry,) = trail_of("tip.record_corrected")
    assert entry.data == {
        "stage": "referral_decision",
        "fields": ["decided_on"],
        "correction": row.id,
    }
    (past,) = corrections.history(case)
    assert past.old == {"decided_on": "2027-05-20"} and past.by.id == officer.id
