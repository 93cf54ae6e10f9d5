"""Reports of retaliation: the kinds a tipster chooses from (a labels table), refusals beside
their fields, the text sealed, its own deadline, and who may see and handle it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from tip_helpers import submission

from casework.cases.attachments import Upload
from casework.extensions import db
from casework.models import RetaliationKind
from casework.staff.roles import CUSTODIAN, EXECUTIVE, INTEGRITY, SUPERVISOR
from casework.tipline import deadlines, filing, retaliation


def test_kinds_are_seeded_once_per_organization(org, elsewhere):
    assert [k.code for k in retaliation.kinds(org.id)] == [
        "transfer",
        "threat",
        "harassment",
        "other",
    ]
    retaliation.seed_kinds(org.id)
    retaliation.seed_kinds(elsewhere.id)
    db.session.commit()
    count = db.session.scalar(
        select(db.func.count(RetaliationKind.id)).filter_by(organization_id=org.id)
    )
    assert count == 4 and len(retaliation.kinds(elsewhere.id)) == 4


def test_refusals_name_their_fields_and_nothing_is_kept(org, file_tip):
    case = file_tip()
    with pytest.raises(retaliation.RetaliationError) as error:
        retaliation.report(case, "fired", "   ", [Upload("x.exe", b"MZ")])
    assert set(error.value.fields) == {"kind", "text", "attachments"}
    with pytest.raises(retaliation.RetaliationError) as error:
        retaliation.report(case, "threat", "ก" * 5001, [])
    assert set(error.value.fields) == {"text"}
    assert retaliation.for_tipster(case) == []


def test_the_report_has_its_own_deadline_and_only_the_right_people_see_it(
    org, staff, frozen, trail_of
):
    frozen(datetime(2027, 3, 1, 3))
    named = staff(CUSTODIAN, "สมชาย ใจร้าย")  # the tip names this custodian
    officer = staff(INTEGRITY, "มานะ อดทน")
    executive = staff(EXECUTIVE, "นายก ตัวอย่าง")
    supervisor = staff(SUPERVISOR, "สมหญิง กำกับ")
    case = filing.file_tip(org, submission(accused_name="นายสมชาย ใจร้าย")).case
    deadlines.save(org.id, officer.id, {"retaliation": "1"})
    row = retaliation.report(case, "threat", "มีคนโทรมาข่มขู่ทุกคืน", [])
    assert row.due_date == date(2027, 3, 2) and row.reported_on == date(2027, 3, 1)
    assert b"\xe0\xb8" not in row.text_sealed  # no Thai in the clear
    assert retaliation.handlers(case) == [officer]
    assert retaliation.executives(case) == [executive]
    assert [r.report.id for r in retaliation.register(officer)] == [row.id]
    assert [r.report.id for r in retaliation.register(executive)] == [row.id]
    assert retaliation.register(named) == [] and retaliation.report_for(named, row.id) is None
    assert retaliation.register(supervisor) == []
    found = retaliation.report_for(officer, row.id)
    assert retaliation.contents(found, officer).text == "มีคนโทรมาข่มขู่ทุกคืน"
    with pytest.raises(retaliation.HandlingError) as error:
        retaliation.close(found, executive, action="ทราบ", public_note="ทราบ")
    assert "action" in error.value.fields
    retaliation.close(found, officer, action="แจ้งตำรวจแล้ว", public_note="ได้แจ้งเจ้าหน้าที่ตำรวจแล้ว")
    (view,) = retaliation.for_tipster(case)
    assert view.closed and view.note == "ได้แจ้งเจ้าหน้าที่ตำรวจแล้ว"
    with pytest.raises(retaliation.HandlingError):
        retaliation.close(found, officer, action="อีก", public_note="อีก")
    db.session.rollback()
    actions = [e.action for e in trail_of("tip.retaliation_reported")]
    assert actions == ["tip.retaliation_reported"]
    assert [e.actor_id for e in trail_of("tip.retaliation_closed")] == [officer.id]
