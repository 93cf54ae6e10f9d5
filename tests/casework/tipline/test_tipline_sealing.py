"""What the tip workflow records about people is sealed."""

from __future__ import annotations

from datetime import timedelta

from tip_helpers import file, staff

from casework.dates import clock
from casework.staff.roles import INTEGRITY
from casework.tipline import filing, sealing, stages, workflow


def test_committee_and_penalty_are_sealed(org):
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    case = file(org).case
    workflow.change(case, "preliminary_review", actor_id=officer.id, fact_finder="นายสืบ หนึ่ง")
    workflow.change(
        case,
        "investigation",
        actor_id=officer.id,
        preliminary_result="นายสมชาย ใจร้าย เรียกเงินจริง",
        order_number="คำสั่งที่ 5/2570",
        committee="นายกรรมการ หนึ่ง",
        charges="นายสมชาย ใจร้าย เรียกรับเงิน",
    )
    workflow.change(
        case,
        "findings",
        actor_id=officer.id,
        facts="นายสมชาย ใจร้าย รับเงินสองหมื่นบาท",
        conclusion="founded",
        evidence_relied="ใบเสร็จที่นายสมชาย ใจร้าย ลงชื่อ",
    )
    workflow.change(
        case,
        "disciplinary",
        actor_id=officer.id,
        penalty="ไล่ออกนายสมชาย ใจร้าย",
        penalty_kind="dismissal",
        penalty_order_number="คำสั่งที่ 8/2570",
        penalty_order_on=clock.today(),
        follow_up_until=clock.today() + timedelta(days=365),
        next_check_on=clock.today() + timedelta(days=90),
    )
    details = filing.details_of(case)
    stored = details.committee_sealed + details.penalty_sealed
    assert "ไล่ออก".encode() not in stored and "กรรมการ".encode() not in stored
    # Every stage text names the accused: none of them is stored readable.
    opened = stages.opened(case, details)
    for name, (column, _purpose) in stages.SEALED.items():
        assert "สมชาย".encode() not in getattr(details, column), name
        assert opened[name]
    assert opened["facts"] == "นายสมชาย ใจร้าย รับเงินสองหมื่นบาท"
    assert sealing.open_text("tip-penalty", case, details.penalty_sealed).startswith("ไล่ออก")
    assert sealing.open_text("tip-committee", case, details.committee_sealed) == "นายกรรมการ หนึ่ง"
