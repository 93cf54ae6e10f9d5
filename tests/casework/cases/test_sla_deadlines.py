"""Deadlines with a frozen clock: weekends, Songkran 2027, a declared holiday, and a pause."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from casework.cases import sla
from casework.extensions import db
from casework.general import intake, workflow
from casework.models import Case, DeclaredHoliday, Organization, User

THU_8_APR_2027 = datetime(2027, 4, 8, 2, 0)  # 09:00 in Bangkok


@pytest.fixture
def working_org(ctx):
    org = db.session.scalars(db.select(Organization)).first()
    org.sla_mode = "working"
    db.session.commit()
    return org


def _file(ctx, **extra) -> Case:
    with ctx.test_request_context():
        org = db.session.scalars(db.select(Organization)).first()
        sub = intake.ComplaintSubmission(
            category="roads", subject="ถนนพัง", details="หลุมลึก", **extra
        )
        return intake.file_complaint(org, sub).case


def test_fifteen_working_days_skip_weekends_and_songkran(working_org, ctx, frozen):
    frozen(THU_8_APR_2027)
    case = _file(ctx)
    assert case.due_date == date(2027, 5, 6)
    # The same day in calendar mode: just 15 days later.
    working_org.sla_mode = "calendar"
    db.session.commit()
    assert _file(ctx).due_date == date(2027, 4, 23)


def test_a_declared_holiday_moves_the_deadline(working_org, ctx, frozen):
    frozen(THU_8_APR_2027)
    db.session.add(
        DeclaredHoliday(organization_id=working_org.id, day=date(2027, 4, 16), name_th="พิเศษ")
    )
    db.session.commit()
    assert _file(ctx).due_date == date(2027, 5, 7)


def test_received_in_the_past_counts_from_that_day(working_org, ctx, frozen):
    frozen(datetime(2027, 4, 20, 3, 0))
    case = _file(ctx, received_via="letter", received_at=THU_8_APR_2027)
    assert case.due_date == date(2027, 5, 6)


def test_pausing_moves_the_deadline_by_the_waited_days(working_org, ctx, frozen):
    frozen(THU_8_APR_2027)
    case = _file(ctx)
    officer = User(
        organization_id=working_org.id,
        email="o@x.test",
        role="officer",
        department_id=case.department_id,
    )
    db.session.add(officer)
    db.session.commit()
    frozen(datetime(2027, 4, 9, 3, 0))  # Fri 9 Apr
    workflow.request_info(case, officer, "ขอรูปถ่ายเพิ่มเติม")
    assert sla.due_state(case, working_org, date(2027, 6, 1)) == sla.PAUSED
    frozen(datetime(2027, 4, 19, 3, 0))  # Mon 19 Apr: Sat, Sun, Songkran did not count
    workflow.resume(case, officer)
    # Waited working days: Mon 12 and Fri 16 and Mon 19 (13–15 Apr are Songkran).
    cal = sla.work_calendar(working_org)
    assert cal.days_between(date(2027, 4, 9), date(2027, 4, 19)) == 3
    assert case.due_date == cal.add_days(date(2027, 5, 6), 3)
    assert case.status == "in_progress" and case.paused_at is None
    status_event = [e for e in case.events if e.kind == "status"][-1]
    assert status_event.data == {"paused_days": 3}


def test_due_soon_then_overdue(working_org, ctx, frozen):
    frozen(THU_8_APR_2027)
    case = _file(ctx)
    cal = sla.work_calendar(working_org)
    assert sla.due_state(case, working_org, date(2027, 4, 20), cal) == sla.ON_TIME
    assert sla.due_state(case, working_org, date(2027, 5, 3), cal) == sla.DUE_SOON
    assert sla.due_state(case, working_org, date(2027, 5, 6), cal) == sla.DUE_SOON
    assert sla.due_state(case, working_org, date(2027, 5, 7), cal) == sla.OVERDUE
    working_org.due_soon_days = 1
    assert sla.due_state(case, working_org, date(2027, 5, 3), cal) == sla.ON_TIME
