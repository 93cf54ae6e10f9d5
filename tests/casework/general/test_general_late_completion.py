"""The 15-day rule: a case completed after its deadline needs an explanation of the delay that
reached the complainant, sent before or written with the result. One rule, in
casework.general.workflow, so the back office and any API meet the same refusal."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from casework.cases import figures
from casework.dates import clock
from casework.extensions import db
from casework.general import notices, workflow
from casework.models import OutboxMessage

CONTACT = {"name": "สมชาย ใจดี", "email": "somchai@example.com", "phone": "0812345678"}


def _past(case, frozen, days=1):
    frozen(clock.utcnow() + timedelta(days=(case.due_date - clock.today()).days + days))


def test_completing_an_overdue_case_without_an_explanation_is_refused(
    staff, complaint, frozen, fresh
):
    officer = staff("officer", "works")
    case = complaint(reporter=CONTACT, consent=True)
    _past(case, frozen)
    assert workflow.needs_delay_explanation(case)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.complete(case, officer, "resolved", "ซ่อมถนนแล้ว")
    assert set(refused.value.fields) == {"delay_explanation"}
    case = fresh(case)
    assert case.status == "received"
    assert case.explained_at is None


def test_an_explanation_written_at_completion_goes_out_with_the_result(
    staff, complaint, frozen, fresh
):
    officer = staff("officer", "works")
    case = complaint(reporter=CONTACT, consent=True)
    _past(case, frozen, days=3)
    workflow.complete(case, officer, "resolved", "ซ่อมถนนแล้ว", "รอผู้รับจ้างนำวัสดุมา")
    case = fresh(case)
    assert case.status == "completed"
    assert case.explained_at is not None
    explanation = [e for e in case.events if e.kind == "explanation"][-1]
    assert explanation.public and explanation.body == "รอผู้รับจ้างนำวัสดุมา"
    assert notices.delay_with_result(case) == "รอผู้รับจ้างนำวัสดุมา"
    result = db.session.scalars(
        db.select(OutboxMessage).filter_by(case_id=case.id, template="result")
    ).one()
    assert result.payload["late"] is True
    letter = notices.build(case, "result", {})
    assert letter.delay_reason == "รอผู้รับจ้างนำวัสดุมา"
    # The figures (staff report, published statistics) count it late, and explained.
    counted = figures.period_figures(
        case.organization_id, datetime(2000, 1, 1), datetime(2100, 1, 1), clock.today()
    )["complaint"]
    assert (counted.late, counted.late_explained) == (1, 1)


def test_an_explanation_sent_before_the_deadline_lets_the_case_complete_late(
    staff, complaint, frozen, fresh
):
    officer = staff("officer", "works")
    case = complaint()
    first = case.due_date
    workflow.explain_delay(case, officer, "รองบประมาณ", (first + timedelta(days=10)).isoformat())
    case = fresh(case)
    _past(case, frozen, days=-2)  # after the first deadline, before the new date
    assert not workflow.needs_delay_explanation(case)
    workflow.complete(case, officer, "resolved", "ซ่อมแล้ว")
    assert fresh(case).status == "completed"


def test_missing_the_promised_date_as_well_needs_a_new_explanation(staff, complaint, frozen):
    officer = staff("officer", "works")
    case = complaint()
    workflow.explain_delay(
        case, officer, "รองบประมาณ", (case.due_date + timedelta(days=5)).isoformat()
    )
    _past(case, frozen, days=9)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.complete(case, officer, "resolved", "ซ่อมแล้ว")
    assert "delay_explanation" in refused.value.fields


def test_completing_on_time_needs_no_explanation(staff, complaint, fresh):
    officer = staff("officer", "works")
    case = complaint()
    assert not workflow.needs_delay_explanation(case)
    workflow.complete(case, officer, "resolved", "ซ่อมแล้ว")
    case = fresh(case)
    assert case.status == "completed" and case.explained_at is None
