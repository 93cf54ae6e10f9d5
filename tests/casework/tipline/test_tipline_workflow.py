"""The tip workflow: committee orders, closing reasons, each stage's days and explained delays."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from tip_helpers import file, staff

from casework.extensions import db
from casework.models import Category
from casework.staff.roles import INTEGRITY
from casework.tipline import access, closure, filing, messages, workflow


def test_workflow_asks_for_committee_order_and_reason(org):
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    case = file(org).case
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.change(case, "preliminary_review", actor_id=officer.id)
    assert set(error.value.fields) == {"fact_finder"}
    workflow.change(case, "preliminary_review", actor_id=officer.id, fact_finder="นายสืบ ข้อเท็จจริง")
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.change(case, "investigation", actor_id=officer.id)
    assert {"order_number", "committee", "charges", "preliminary_result"} <= set(error.value.fields)
    workflow.change(
        case,
        "investigation",
        actor_id=officer.id,
        preliminary_result="มีมูล ควรตั้งกรรมการสอบสวน",
        order_number="คำสั่งที่ 12/2570",
        committee="ก, ข, ค",
        charges="เรียกรับเงิน",
    )
    assert filing.details_of(case).order_number == "คำสั่งที่ 12/2570"
    with pytest.raises(workflow.WorkflowError):
        workflow.change(case, "closed", actor_id=officer.id, outcome="unfounded")
    second = file(org).case
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.change(second, "closed", actor_id=officer.id, outcome="insufficient")
    assert "public_note" in error.value.fields
    asked = workflow.change(
        second,
        "closed",
        actor_id=officer.id,
        outcome="insufficient",
        public_note="ไม่ระบุชื่อผู้ถูกกล่าวหาและเวลา",
    )
    assert second.status == "received"  # closing without action waits for a second person
    colleague = staff(org, INTEGRITY, "วิภา ดีงาม", "wipa@demo.go.th")
    access.assign(second, colleague)
    closure.approve(asked, second, colleague)
    assert second.status == "closed" and second.result_text == ""


def test_each_stage_gets_the_categorys_days_and_delays_are_explained(org, frozen):
    frozen(datetime(2026, 5, 4, 3, 0))  # Monday 4 May 2026
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    category = db.session.scalar(
        select(Category).filter_by(organization_id=org.id, channel="tip", code="bribery")
    )
    category.sla_days = 10
    db.session.commit()
    case = file(org).case
    first = case.due_date
    assert first == org_calendar(org).add_days(date(2026, 5, 4), 10)
    frozen(datetime(2026, 5, 11, 3, 0))
    workflow.change(case, "preliminary_review", actor_id=officer.id, fact_finder="นิติกร")
    assert case.due_date == org_calendar(org).add_days(date(2026, 5, 11), 10) > first
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.explain_delay(case, actor_id=officer.id, text="", new_date=case.due_date)
    assert {"explanation", "new_date"} <= set(error.value.fields)
    workflow.explain_delay(
        case, actor_id=officer.id, text="รอเอกสารจากธนาคาร", new_date=date(2026, 7, 1)
    )
    assert case.due_date == date(2026, 7, 1) and case.original_due_date
    (step,) = [s for s in messages.progress(case) if s.event.kind == "explanation"]
    assert step.text == "รอเอกสารจากธนาคาร" and step.new_date == date(2026, 7, 1)
    assert step.event.body == "" and step.event.at.hour == 0


def org_calendar(org):
    from casework.cases import sla

    return sla.work_calendar(org)
