"""Tips about the mayor, a deputy or the clerk are flagged and referred out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tip_helpers import file, staff

from casework.dates import clock
from casework.extensions import db
from casework.staff.roles import INTEGRITY
from casework.tipline import referral, workflow


@pytest.mark.parametrize(
    ("accused", "reason"),
    [
        ({"role": "mayor"}, "mayor"),
        ({"position": "นายกเทศมนตรีเมือง"}, "mayor"),
        ({"position": "รองนายกเทศมนตรี"}, "deputy_mayor"),
        ({"position": "ปลัดเทศบาล"}, "clerk"),
        ({"position": "Municipal Clerk"}, "clerk"),
        ({"position": "รองปลัดเทศบาล"}, None),
        ({"position": "นักวิชาการพัสดุ"}, None),
    ],
)
def test_referral_detection(accused, reason):
    assert referral.detect(accused) == reason


def test_referral_is_flagged_and_tracked_to_referred_out(org):
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    case = file(org, accused_role="clerk", accused_position="ปลัดเทศบาล").case
    # The flag comes from the sealed answers; nothing in the database says "the clerk".
    assert referral.flag_of(case) == "clerk" and referral.referral_of(case) is None
    assert referral.flag_of(file(org).case) is None
    with pytest.raises(workflow.WorkflowError):
        workflow.change(case, "referred_out", actor_id=officer.id)
    with pytest.raises(referral.ReferralError):
        referral.record(
            case, actor_id=officer.id, body="nacc", reference_number="", referred_on=None
        )
    referral.record(
        case, actor_id=officer.id, body="nacc", reference_number="ปช 0001/123", referred_on=None
    )
    db.session.commit()
    workflow.change(case, "referred_out", actor_id=officer.id)
    # Referred out is not the end: the tip waits for the body's decision.
    assert case.status == "referred_out" and case.outcome is None and case.completed_at is None
    row = referral.referral_of(case)
    assert row.reference_number == "ปช 0001/123" and row.body == "nacc"
    assert row.status == "referred" and row.referred_on == clock.today()
    assert row.follow_up_on == clock.today() + timedelta(days=referral.FOLLOW_UP_DAYS)
