"""Who may see a tip: conflicts of interest exclude the named officer and their unit."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tip_helpers import PASS, custodian_with_key, file, staff, submission

from casework.extensions import db
from casework.models import ConflictExclusion
from casework.staff.roles import INTEGRITY
from casework.tipline import access, custody
from casework.tipline.custody import CustodyError


def test_conflict_of_interest_excludes_named_officer_and_unit(org):
    named = staff(org, INTEGRITY, "สมชาย ใจร้าย", "somchai@demo.go.th")
    same_unit = staff(org, INTEGRITY, "วิภา ดีงาม", "wipa@demo.go.th", dept_code="finance")
    other = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th", dept_code="audit")
    keeper_named = custodian_with_key(org, name="สมชาย ใจร้าย", email="c2@demo.go.th")
    keeper = custodian_with_key(org, name="ผู้เก็บ สอง", email="c3@demo.go.th")
    reasons = access.conflicts(org.id, submission().answers()["accused"])
    assert reasons[named.id] == "named" and reasons[same_unit.id] == "unit"
    assert reasons[keeper_named.id] == "named"
    assert other.id not in reasons and keeper.id not in reasons
    case = file(org, confidential=True, identity={"name": "ผู้แจ้ง"}, consent=True).case
    assert access.excluded_ids(case) == {named.id, same_unit.id, keeper_named.id}
    assert access.is_excluded(named.id, case) and not access.is_excluded(other.id, case)
    # The rows name nobody: keyed tags, padded with decoys to a multiple of eight.
    rows = db.session.scalars(select(ConflictExclusion).filter_by(case_id=case.id)).all()
    assert len(rows) == 8 and all(len(r.user_key) == 64 for r in rows)
    assert not {str(named.id), str(same_unit.id)} & {r.user_key for r in rows}
    assert case not in access.visible_tips(named) and case in access.visible_tips(other)
    with pytest.raises(PermissionError):
        access.assign(case, named)
    access.assign(case, other)
    db.session.commit()
    assert access.can_read(other, case) and not access.can_read(same_unit, case)
    assert not access.can_decide_reveal(keeper_named, case)
    assert access.can_decide_reveal(keeper, case)
    # The identity was not even sealed to the excluded custodian's key.
    with pytest.raises(CustodyError):
        custody.open_identity(case, keeper_named, PASS)


def test_names_match_ignores_titles_and_spacing():
    assert access.names_match("นายสมชาย ใจร้าย", "สมชาย  ใจร้าย (หัวหน้างาน)")
    assert access.names_match("Somchai Jairai", "mr. somchai jairai")
    assert not access.names_match("สมชาย ใจดี", "สมชาย ใจร้าย")
    assert not access.names_match("", "anyone")
