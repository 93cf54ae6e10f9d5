"""Correcting a stage's record afterwards (casework.tipline.corrections): only an integrity
officer assigned to the tip, for the current stage or an earlier one; the change goes to the
tip's trail with who and when, and the values replaced are kept sealed."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from tip_helpers import file

from casework.extensions import db
from casework.models import TipRecordCorrection
from casework.staff.roles import INTEGRITY
from casework.tipline import access, corrections, figures, stages, workflow
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
