"""The one-way transfer of a complaint from the general channel into the tip channel."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from tip_helpers import PASS, custodian_with_key, staff

from casework import audit
from casework.cases.attachments import Upload
from casework.extensions import db
from casework.models import (
    Attachment,
    AuditEntry,
    Case,
    CaseEvent,
    CaseMessage,
    ReporterIdentity,
    TipClaim,
)
from casework.staff.roles import CLERK, OFFICER, SUPERVISOR
from casework.tipline import claims, custody, filing, messages, transfer


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
    # The complainant's old code claims the tip receipt once (a web filing: at once); a second
    # claim with the same code voids it (casework.tipline.claims).
    claimed = claims.claim(org, filed.tracking_code)
    assert claimed.outcome == "claimed" and claimed.case.id == tip.id
    assert filing.find_by_receipt(org, claimed.receipt).id == tip.id
    again = claims.claim(org, filed.tracking_code)
    assert again.outcome == "disputed" and again.receipt is None
    assert filing.find_by_receipt(org, claimed.receipt) is None


def test_a_transfer_leaves_nothing_that_links_the_two_cases(org, file_complaint, gps_jpeg):
    """Item 3 of issue 8: the complaint keeps a bare "transferred" entry in its timeline and in
    the main chain; the tip's rows (its case, the moved history, files and messages, its trail
    entries) are new rows whose ids do not sit beside the complaint's and whose times are days."""
    from casework.general import followup
    from casework.general import workflow as workflow_general

    custodian_with_key(org)
    supervisor = staff(org, SUPERVISOR, "หัวหน้า ทั่วไป", "sup@demo.go.th")
    filed = file_complaint(
        subject="ช่างเรียกเงิน",
        details="เรียกเงินเพื่อเร่งใบอนุญาต",
        reporter={"name": "นายผู้ร้อง เรียน"},
        consent=True,
        uploads=[Upload("photo.jpg", gps_jpeg)],
    )
    complaint = db.session.get(Case, filed.case.id)
    followup.add_information(complaint, "มีพยานสองคน", [])
    other = db.session.get(Case, file_complaint(subject="ถนนพัง", details="หลุมใหญ่").case.id)
    followup.add_information(other, "ลึกมาก", [Upload("hole.jpg", gps_jpeg)])
    workflow_general.accept(other, supervisor)
    old_rows = {
        table: set(db.session.scalars(select(model.id).filter_by(case_id=complaint.id)))
        for table, model in (
            ("case_events", CaseEvent),
            ("case_messages", CaseMessage),
            ("attachments", Attachment),
        )
    }
    assert all(old_rows.values())
    tip = transfer.transfer(complaint, actor_id=supervisor.id, tip_category="bribery")
    later = file_complaint(subject="ไฟดับ", details="ไฟดับทั้งซอย")
    newest = db.session.get(Case, later.case.id)
    followup.add_information(newest, "ดับสามคืน", [Upload("lamp.jpg", gps_jpeg)])
    workflow_general.accept(newest, supervisor)
    db.session.refresh(complaint)
    (event,) = complaint.events
    assert event.kind == "transferred" and not event.data and not event.body
    (entry,) = db.session.scalars(
        select(AuditEntry).filter_by(chain=audit.MAIN, action="case.transferred")
    ).all()
    assert entry.case_id == complaint.id and not entry.data
    assert tip.case_number not in entry.target and str(tip.id) not in entry.target
    # The moved history, files and messages are new rows of the tip, not the complaint's rows.
    for table, model in (
        ("case_events", CaseEvent),
        ("case_messages", CaseMessage),
        ("attachments", Attachment),
    ):
        moved = set(db.session.scalars(select(model.id).filter_by(case_id=tip.id)))
        assert moved and not moved & old_rows[table], table
        assert not db.session.scalar(select(model.id).where(model.id.in_(old_rows[table])))
    # No row of the tip sits between the complaints' rows by id, and none is finer than a day.
    complaint_ids = sorted(db.session.scalars(select(Case.id).filter_by(channel="complaint")))
    assert complaint.id in complaint_ids and later.case.id in complaint_ids
    for model in (Case, CaseEvent, CaseMessage, Attachment, AuditEntry):
        tip_rows = db.session.scalars(
            select(model).where((model.id if model is Case else model.case_id) == tip.id)
        ).all()
        general_ids = sorted(
            db.session.scalars(
                select(model.id).where(
                    (model.id if model is Case else model.case_id).in_(complaint_ids)
                )
            )
        )
        assert tip_rows and len(general_ids) >= 2, model
        for row in tip_rows:
            assert not general_ids[0] < row.id < general_ids[-1], (model, row.id)
            for column in ("at", "uploaded_at", "received_at", "created_at"):
                value = getattr(row, column, None)
                assert value is None or value.time() == datetime.min.time(), (model, column)


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
    claim = db.session.scalar(select(TipClaim).filter_by(case_id=tip.id))
    assert claim.code_tag and claim.code_tag != complaint.tracking_hash
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
