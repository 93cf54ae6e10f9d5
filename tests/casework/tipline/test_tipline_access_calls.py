"""casework.tipline.access as the staff pages call it: loading a tip or an account by id within
the organization and the channel's rules, and the operations that commit with their trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import ConflictExclusion, TipAssignment
from casework.staff.roles import CUSTODIAN, INTEGRITY, SUPERVISOR
from casework.tipline import access


def test_tip_for_answers_only_what_the_user_may_manage(staff, file_tip, file_complaint, elsewhere):
    officer = staff(INTEGRITY, "มานะ อดทน")
    named = staff(INTEGRITY, "สมชาย ใจร้าย")
    tip = file_tip(accused_name="นายสมชาย ใจร้าย")
    assert access.tip_for(officer, tip.id) == tip
    assert access.tip_for(named, tip.id) is None  # the tip names them
    assert access.tip_for(staff(SUPERVISOR, "หัวหน้า"), tip.id) is None
    assert access.tip_for(staff(CUSTODIAN, "ผู้เก็บ"), tip.id) is None
    assert access.tip_for(staff(INTEGRITY, "คนนอก", organization=elsewhere), tip.id) is None
    assert access.tip_for(officer, file_complaint().case.id) is None  # a general complaint
    assert access.tip_for(officer, tip.id + 1000) is None


def test_colleague_is_an_account_of_the_tips_organization(staff, file_tip, elsewhere):
    tip = file_tip()
    officer = staff(INTEGRITY, "มานะ อดทน")
    assert access.colleague(tip, officer.id) == officer
    assert access.colleague(tip, staff(INTEGRITY, "คนนอก", organization=elsewhere).id) is None
    assert access.colleague(tip, None) is None and access.colleague(tip, 0) is None
    assert access.colleague(tip, officer.id + 1000) is None


def test_assign_commits_with_its_trail_entry(staff, file_tip, trail_of):
    officer = staff(INTEGRITY, "มานะ อดทน")
    lead = staff(INTEGRITY, "วิภา ดีงาม")
    tip = file_tip()
    assert access.assign(tip, officer, actor_id=lead.id) is not None
    db.session.rollback()  # nothing left uncommitted
    assert access.assigned_ids(tip) == {officer.id}
    [entry] = trail_of("tip.assigned", case_id=tip.id)
    assert entry.actor_id == lead.id and entry.data == {"officer": officer.id}
    assert access.assign(tip, officer, actor_id=lead.id) is None  # already assigned
    assert access.assign(tip, lead) is not None  # taking a tip oneself
    assert trail_of("tip.assigned", case_id=tip.id)[-1].actor_id == lead.id
    assert [u.id for u in access.assigned_officers(tip)] == sorted([officer.id, lead.id])


def test_assign_refuses_and_leaves_nothing(staff, file_tip, trail_of, elsewhere):
    named = staff(INTEGRITY, "สมชาย ใจร้าย")
    tip = file_tip(accused_name="นายสมชาย ใจร้าย")
    for officer in (named, staff(SUPERVISOR, "หัวหน้า"), staff(INTEGRITY, "x", None, elsewhere)):
        with pytest.raises(PermissionError):
            access.assign(tip, officer)
    db.session.rollback()
    assert access.assigned_officers(tip) == [] and trail_of("tip.assigned") == []


def test_declare_conflict_commits_and_the_trail_names_nobody(staff, file_tip, trail_of):
    officer = staff(INTEGRITY, "มานะ อดทน")
    colleague = staff(INTEGRITY, "วิภา ดีงาม")
    tip = file_tip()
    access.assign(tip, colleague)
    access.declare_conflict(tip, colleague, "ผู้ถูกกล่าวหาเป็นญาติของข้าพเจ้า")
    db.session.rollback()
    assert access.is_excluded(colleague.id, tip) and not access.is_excluded(officer.id, tip)
    assert db.session.scalar(select(TipAssignment).filter_by(case_id=tip.id)) is None
    rows = db.session.scalars(select(ConflictExclusion).filter_by(case_id=tip.id)).all()
    assert len(rows) % access.DECOY_BLOCK == 0
    [entry] = trail_of("tip.excluded", case_id=tip.id)
    assert entry.actor_id == colleague.id and entry.data == {"declared": True}
    [declared] = access.exclusions_of(tip)
    assert declared.user == colleague and declared.declared
    assert declared.statement == "ผู้ถูกกล่าวหาเป็นญาติของข้าพเจ้า"
    access.declare_conflict(tip, colleague, "อีกครั้ง")  # once is enough
    assert len(trail_of("tip.excluded", case_id=tip.id)) == 1
