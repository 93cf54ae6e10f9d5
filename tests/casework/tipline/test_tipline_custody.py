"""Custodians' keys: identities sealed to them, passphrase changes, decoys, approving a new
key."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tip_helpers import PASS, custodian_with_key, file, staff

from casework.dates import clock
from casework.extensions import db
from casework.models import ReporterIdentity, TipIdentity
from casework.staff.roles import INTEGRITY
from casework.tipline import access, custody, reveal
from casework.tipline.custody import CustodyError


def test_identity_sealed_to_custodians_and_opened_with_passphrase(org):
    keeper = custodian_with_key(org)
    filed = file(org, confidential=True, identity={"name": "นางสาวผู้แจ้ง ลับมาก"}, consent=True)
    boxes = db.session.scalars(select(TipIdentity).filter_by(case_id=filed.case.id)).all()
    assert len(boxes) == 1
    assert custody.open_identity(filed.case, keeper, PASS) == {"name": "นางสาวผู้แจ้ง ลับมาก"}
    with pytest.raises(CustodyError):
        custody.open_identity(filed.case, keeper, "not the passphrase")
    assert db.session.scalar(select(ReporterIdentity)) is None


def test_passphrase_change_keeps_identities_readable(org):
    keeper = custodian_with_key(org)
    filed = file(org, confidential=True, identity={"phone": "081 234 5678"}, consent=True)
    custody.change_passphrase(keeper, PASS, "another long passphrase", "another long passphrase")
    db.session.commit()
    assert custody.open_identity(filed.case, keeper, "another long passphrase")["phone"]
    with pytest.raises(CustodyError):
        custody.open_identity(filed.case, keeper, PASS)


def test_identity_boxes_are_padded_and_excluded_custodians_get_a_decoy(org):
    keeper = custodian_with_key(org)
    accused = custodian_with_key(org, name="สมชาย ใจร้าย", email="c2@demo.go.th")
    short = file(org, confidential=True, identity={"name": "ก ข"}, consent=True).case
    long_name = {"name": "นางสาวผู้แจ้ง นามสกุลยาวมากเป็นพิเศษ", "address": "บ้านเลขที่ 99"}
    long = file(org, confidential=True, identity=long_name, consent=True).case
    sizes = {len(b.box) for b in db.session.scalars(select(TipIdentity))}
    assert len(sizes) == 1  # neither the name's length nor who is excluded shows
    for case in (short, long):
        assert db.session.scalar(select(func.count(TipIdentity.id)).filter_by(case_id=case.id)) == 2
    assert custody.open_identity(long, keeper, PASS) == long_name
    with pytest.raises(CustodyError):  # the accused custodian holds only a decoy
        custody.open_identity(long, accused, PASS)


def test_a_later_custodian_waits_for_approval_then_receives_the_identities(org):
    first = custodian_with_key(org)
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    case = file(org, confidential=True, identity={"phone": "0812345678"}, consent=True).case
    later = custodian_with_key(org, name="ผู้เก็บ ใหม่", email="new@demo.go.th", approve=False)
    key = custody.key_of(later)
    assert not key.active and custody.pending_keys(org.id) == [key]
    # A pending key receives nothing, not even identities filed after it was created.
    second = file(org, confidential=True, identity={"name": "ข ค"}, consent=True).case
    assert db.session.scalar(select(TipIdentity.id).filter_by(custodian_key_id=key.id)) is None
    assert custody.not_sealed_to(later) == 0 and custody.awaiting_reseal(later) == []
    with pytest.raises(CustodyError):
        custody.open_identity(case, later, PASS)
    asked = reveal.request(case, officer, "เชิญมาให้ถ้อยคำ")
    with pytest.raises(CustodyError):  # a pending custodian decides nothing
        reveal.refuse(asked, case, later, "ไม่อนุมัติ")
    with pytest.raises(CustodyError):  # nobody approves their own key
        custody.approve_key(later, PASS, key)
    with pytest.raises(CustodyError):
        custody.approve_key(first, "not the passphrase", key)
    assert not key.active
    assert custody.approve_key(first, PASS, key) == {case.id: 1, second.id: 1}
    db.session.commit()
    assert key.approved_by == first.id and key.approved_on == clock.today()
    assert custody.open_identity(case, later, PASS) == {"phone": "0812345678"}
    assert custody.open_identity(second, later, PASS) == {"name": "ข ค"}
    # An approver shares only what they hold: not a tip that names them. Another custodian
    # re-seals that one.
    accused = custodian_with_key(org, name="สมชาย ใจร้าย", email="c3@demo.go.th")
    third = file(org, confidential=True, identity={"name": "ค ง"}, consent=True).case
    assert access.is_excluded(accused.id, third)
    newest = custodian_with_key(org, name="ผู้เก็บ ล่าสุด", email="c4@demo.go.th", approve=False)
    added = custody.approve_key(accused, PASS, custody.key_of(newest))
    db.session.commit()
    assert set(added) == {case.id, second.id}
    with pytest.raises(CustodyError):
        custody.open_identity(third, newest, PASS)
    assert custody.awaiting_reseal(first) == [third] and custody.not_sealed_to(newest) == 1
    with pytest.raises(CustodyError):
        custody.reseal(first, "not my passphrase", [third])
    assert custody.reseal(first, PASS, custody.awaiting_reseal(first)) == {third.id: 1}
    db.session.commit()
    assert custody.open_identity(third, newest, PASS) == {"name": "ค ง"}
    with pytest.raises(CustodyError):
        custody.open_identity(third, accused, PASS)  # a decoy, never the identity
    # The newcomer can now take part in a reveal: with the first custodian, two of the three
    # who may decide it (the accused one may not).
    row = reveal.request(third, officer, "ต้องสอบปากคำ")
    assert row.approvals_needed == 2
    assert reveal.approve(row, third, first, PASS) is None
    assert reveal.approve(row, third, newest, PASS) == {"name": "ค ง"}
