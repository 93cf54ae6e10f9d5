"""casework.tipline.referral.record: one transaction with its trail entry, or nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.dates import clock
from casework.extensions import db
from casework.staff.roles import INTEGRITY
from casework.tipline import referral


def test_record_commits_with_the_body_in_the_trail(staff, file_tip, trail_of):
    officer = staff(INTEGRITY, "มานะ อดทน")
    tip = file_tip()
    with pytest.raises(referral.ReferralError) as error:
        referral.record(
            tip,
            actor_id=officer.id,
            body="police",
            reference_number="",
            referred_on=clock.today() + timedelta(days=1),
        )
    assert set(error.value.fields) == {"body", "reference_number", "referred_on"}
    assert referral.referral_of(tip) is None and trail_of("tip.referred") == []
    referral.record(
        tip, actor_id=officer.id, body="pacc", reference_number=" ปท  9/2570 ", referred_on=None
    )
    db.session.rollback()
    row = referral.referral_of(tip)
    assert (row.body, row.reference_number, row.referred_on) == ("pacc", "ปท 9/2570", clock.today())
    [entry] = trail_of("tip.referred", case_id=tip.id)
    assert entry.actor_id == officer.id and entry.data == {"body": "pacc"}
