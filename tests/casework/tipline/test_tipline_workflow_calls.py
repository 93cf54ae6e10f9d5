"""casework.tipline.workflow's read functions for the officers' pages: the tip register,
most urgent first, and a tip's standing against its deadline."""

from __future__ import annotations

from datetime import datetime, timedelta

from casework.cases import sla
from casework.dates import clock
from casework.extensions import db
from casework.staff.roles import INTEGRITY, SUPERVISOR
from casework.tipline import access, referral, workflow


def test_register_orders_by_urgency_and_marks_mine_and_referrals(staff, file_tip, frozen):
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = staff(INTEGRITY, "มานะ อดทน")
    named = staff(INTEGRITY, "ปลัด ผู้ถูกกล่าวหา")
    late = file_tip()
    late.due_date = clock.today() - timedelta(days=1)
    db.session.commit()
    clerk_tip = file_tip(accused_name="นายปลัด ผู้ถูกกล่าวหา", accused_role="clerk")
    mine = file_tip()
    access.assign(mine, officer)
    rows = workflow.register(officer)
    assert [r.case for r in rows] == [late, mine, clerk_tip]  # overdue, then the newest first
    assert [r.due for r in rows] == [sla.OVERDUE, sla.ON_TIME, sla.ON_TIME]
    assert [r.mine for r in rows] == [False, True, False]
    assert [r.refer for r in rows] == [False, False, True]
    assert [r.case for r in workflow.register(named)] == [late, mine]  # not the tip naming them
    assert workflow.register(staff(SUPERVISOR, "หัวหน้า")) == []
    referral.record(
        clerk_tip, actor_id=officer.id, body="nacc", reference_number="1/1", referred_on=None
    )
    assert not workflow.register(officer)[-1].refer  # referred: nothing left to do


def test_due_state_follows_the_stage_deadline(file_tip, frozen):
    frozen(datetime(2027, 3, 1, 3, 0))
    tip = file_tip()
    assert workflow.due_state(tip) == sla.ON_TIME
    frozen(datetime.combine(tip.due_date + timedelta(days=1), datetime.min.time()))
    assert workflow.due_state(tip) == sla.OVERDUE
