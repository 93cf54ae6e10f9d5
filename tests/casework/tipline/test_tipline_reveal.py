"""Revealing a tipster: a reasoned request, a custodian's approval or refusal, and the audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tip_helpers import PASS, custodian_with_key, file, staff

from casework import audit
from casework.extensions import db
from casework.models import AuditEntry
from casework.staff.roles import INTEGRITY
from casework.tipline import access, reveal
from casework.tipline.custody import CustodyError


def test_reveal_flow_with_approval_and_audit(org):
    keeper = custodian_with_key(org)
    officer = staff(org, INTEGRITY, "เจ้าหน้าที่ ตรวจสอบ", "integ@demo.go.th")
    filed = file(org, confidential=True, identity={"name": "ผู้แจ้ง ลับ"}, consent=True)
    case = filed.case
    access.assign(case, officer)
    db.session.commit()
    with pytest.raises(CustodyError):
        reveal.request(case, officer, "")
    row = reveal.request(case, officer, "ต้องสอบปากคำเป็นพยาน")
    assert reveal.reason_of(row, case) == "ต้องสอบปากคำเป็นพยาน"
    with pytest.raises(CustodyError):
        reveal.approve(row, case, keeper, "wrong passphrase!!")
    assert row.status == "pending"
    shown = reveal.approve(row, case, keeper, PASS)
    assert shown == {"name": "ผู้แจ้ง ลับ"}
    assert row.status == "approved" and row.decided_by == keeper.id
    actions = [e.action for e in db.session.scalars(select(AuditEntry).filter_by(case_id=case.id))]
    assert "tip.reveal_requested" in actions and "tip.reveal_approved" in actions
    assert "tip.reveal_failed" in actions and "tip.identity_viewed" in actions
    assert reveal.access_days(case) == [row.decided_on]
    assert any(e.kind == "identity_accessed" and e.public for e in case.events)
    assert audit.verify(org.id).ok


def test_refused_reveal_and_anonymous_tip_has_nothing_to_reveal(org):
    keeper = custodian_with_key(org)
    officer = staff(org, INTEGRITY, "เจ้าหน้าที่ ตรวจสอบ", "integ@demo.go.th")
    anon = file(org).case
    with pytest.raises(CustodyError):
        reveal.request(anon, officer, "เหตุผล")
    case = file(org, confidential=True, identity={"name": "ก ข"}, consent=True).case
    row = reveal.request(case, officer, "เหตุผล")
    with pytest.raises(CustodyError):  # a refusal says why
        reveal.refuse(row, case, keeper, " ")
    reveal.refuse(row, case, keeper, "เหตุผลยังไม่เพียงพอที่จะเปิดเผยตัวตน")
    assert row.status == "refused"
    assert reveal.refusal_of(row, case) == "เหตุผลยังไม่เพียงพอที่จะเปิดเผยตัวตน"
    with pytest.raises(CustodyError):
        reveal.approve(row, case, keeper, PASS)
    assert reveal.access_days(case) == []
