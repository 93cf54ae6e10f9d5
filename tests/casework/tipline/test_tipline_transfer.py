"""The one-way transfer of a complaint from the general channel into the tip channel."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tip_helpers import PASS, custodian_with_key, staff

from casework import audit
from casework.cases.attachments import Upload
from casework.extensions import db
from casework.models import AuditEntry, Case, CaseEvent, ReporterIdentity
from casework.staff.roles import CLERK, OFFICER, SUPERVISOR
from casework.tipline import custody, filing, messages, transfer


def test_transfer_from_general_channel_is_one_way(org, file_complaint, gps_jpeg):
    keeper = custodian_with_key(org)
    supervisor = staff(org, SUPERVISOR, "หัวหน้า ทั่วไป", "sup@demo.go.th")
    officer = staff(org, OFFICER, "เจ้าหน้าที่ ช่าง", "works@demo.go.th", dept_code="works")
    filed = file_complaint(
        subject="ช่างเรียกเงินใต้โต๊ะ",
        details="ช่างเรียกเงินเพื่อเร่งใบอนุญาต",
        reporter={"name": "นายผู้ร้อง เรียน", "phone": "0812345678"},
        consent=True,
        uploads=[Upload("photo.jpg", gps_jpeg)],
    )
    complaint = db.session.get(Case, filed.case.id)
    from casework.general import access as general_access

    assert general_access.in_reach(officer, complaint)
    tip = transfer.transfer(complaint, actor_id=supervisor.id, tip_category="bribery")
    db.session.refresh(complaint)
    assert tip.channel == "tip" and tip.kind == "tip" and complaint.channel == "complaint"
    assert complaint.status == "completed" and complaint.outcome == "transferred"
    assert complaint.subject == "" and complaint.details == ""
    assert db.session.scalar(select(ReporterIdentity).filter_by(case_id=complaint.id)) is None
    events = db.session.scalars(select(CaseEvent).filter_by(case_id=complaint.id)).all()
    assert [e.kind for e in events] == ["transferred"]
    assert events[0].body == "" and not events[0].data
    # Re-sealed to the custodians; general officers see nothing of it.
    assert custody.open_identity(tip, keeper, PASS)["name"] == "นายผู้ร้อง เรียน"
    assert not general_access.in_reach(officer, tip)
    assert tip not in db.session.scalars(general_access.visible_cases(supervisor)).all()
    assert "ช่างเรียกเงิน" in filing.answers_of(tip)["what"]
    (att,) = messages.initial_files(tip)
    from casework.cases import attachments

    assert b"SecretCam" not in attachments.content(att, tip)
    # Never back: no transfer of a tip, and the channel cannot be changed.
    with pytest.raises(transfer.TransferError):
        transfer.transfer(tip, actor_id=supervisor.id)
    with pytest.raises(ValueError, match="cannot leave"):
        tip.channel = "complaint"
    db.session.rollback()
    # The complainant's old code claims the tip receipt once.
    claimed = transfer.claim(org, filed.tracking_code)
    assert claimed and claimed[0].id == tip.id
    assert filing.find_by_receipt(org, claimed[1]).id == tip.id
    assert transfer.claim(org, filed.tracking_code) is None


def test_transfer_refused_when_identity_cannot_be_sealed(org, file_complaint):
    clerk = staff(org, CLERK, "ธุรการ", "clerk@demo.go.th")
    filed = file_complaint(reporter={"name": "ผู้ร้อง"}, consent=True)
    complaint = db.session.get(Case, filed.case.id)
    with pytest.raises(transfer.TransferError):
        transfer.transfer(complaint, actor_id=clerk.id)
    assert complaint.status == "received" and complaint.subject


def test_transfer_leaves_no_link_between_the_two_cases(org, file_complaint):
    custodian_with_key(org)
    supervisor = staff(org, SUPERVISOR, "หัวหน้า ทั่วไป", "sup@demo.go.th")
    filed = file_complaint(reporter={"name": "ผู้ร้อง เรียน"}, consent=True)
    complaint = db.session.get(Case, filed.case.id)
    tip = transfer.transfer(complaint, actor_id=supervisor.id, tip_category="bribery")
    details = filing.details_of(tip)
    assert details.claim_hash and details.claim_hash != complaint.tracking_hash
    # Each side's audit entry sits in its own chain and names nothing of the other.
    complaint_side = db.session.scalars(select(AuditEntry).filter_by(case_id=complaint.id)).all()
    assert [(e.action, e.chain) for e in complaint_side] == [("case.transferred", audit.MAIN)]
    tip_side = db.session.scalars(select(AuditEntry).filter_by(case_id=tip.id)).all()
    assert {e.chain for e in tip_side} == {audit.TIPS}
    for entry in complaint_side:
        assert tip.case_number not in str((entry.target, entry.data))
    for entry in tip_side:
        assert complaint.case_number not in str((entry.target, entry.data))
        assert str(complaint.id) not in str(entry.data or "")
    assert audit.verify(org.id).ok
