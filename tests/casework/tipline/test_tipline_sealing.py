"""What the tip workflow records about people is sealed."""

from __future__ import annotations

from tip_helpers import file, staff

from casework.staff.roles import INTEGRITY
from casework.tipline import filing, sealing, workflow


def test_committee_and_penalty_are_sealed(org):
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    case = file(org).case
    workflow.change(case, "preliminary_review", actor_id=officer.id)
    workflow.change(
        case,
        "investigation",
        actor_id=officer.id,
        order_number="คำสั่งที่ 5/2570",
        committee="นายกรรมการ หนึ่ง",
    )
    workflow.change(case, "findings", actor_id=officer.id)
    workflow.change(case, "disciplinary", actor_id=officer.id, penalty="ไล่ออกนายสมชาย ใจร้าย")
    details = filing.details_of(case)
    stored = details.committee_sealed + details.penalty_sealed
    assert "ไล่ออก".encode() not in stored and "กรรมการ".encode() not in stored
    assert sealing.open_text("tip-penalty", case, details.penalty_sealed).startswith("ไล่ออก")
    assert sealing.open_text("tip-committee", case, details.committee_sealed) == "นายกรรมการ หนึ่ง"
