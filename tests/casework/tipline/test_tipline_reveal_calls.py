"""casework.tipline.reveal as the custodians' pages call it: the queue a custodian decides,
and a request loaded by id only when they may decide it."""

from __future__ import annotations

import pytest

from casework.staff.roles import CUSTODIAN, INTEGRITY
from casework.tipline import access, reveal
from casework.tipline.custody import CustodyError

IDENTITY = {"confidential": True, "identity": {"name": "ผู้แจ้ง ลับ"}, "consent": True}


def _ask(staff, tip, reason="เชิญมาเป็นพยาน"):
    officer = staff(INTEGRITY, "มานะ อดทน")
    access.assign(tip, officer)
    return officer, reveal.request(tip, officer, reason)


def test_queue_for_shows_what_the_custodian_may_decide(custodian, staff, file_tip):
    keeper = custodian()
    named = custodian("สมชาย ใจร้าย")
    waiting = custodian("ผู้เก็บ ใหม่", approve=False)
    officer, asked = _ask(staff, file_tip(**IDENTITY))
    _, about_named = _ask(staff, file_tip(accused_name="นายสมชาย ใจร้าย", **IDENTITY), "เหตุผล")
    [first, second] = reveal.queue_for(keeper)
    assert (first.row, second.row) == (about_named, asked)  # newest first
    assert second.case.id == asked.case_id and second.reason == "เชิญมาเป็นพยาน"
    assert second.requester == officer
    assert [d.row for d in reveal.queue_for(named)] == [asked]  # not the tip naming them
    assert reveal.queue_for(waiting) == []  # a key waiting for approval decides nothing
    assert reveal.queue_for(staff(CUSTODIAN, "ยังไม่มีกุญแจ")) == []


def test_request_for_loads_only_what_the_custodian_may_decide(
    custodian, staff, file_tip, elsewhere
):
    keeper = custodian()
    named = custodian("สมชาย ใจร้าย")
    officer, asked = _ask(staff, file_tip(accused_name="นายสมชาย ใจร้าย", **IDENTITY))
    row, case = reveal.request_for(keeper, asked.id)
    assert row == asked and case.id == asked.case_id
    assert reveal.requester_of(row) == officer
    assert reveal.request_for(named, asked.id) is None
    assert reveal.request_for(officer, asked.id) is None  # an officer asks, never decides
    assert reveal.request_for(staff(CUSTODIAN, "คนนอก", organization=elsewhere), asked.id) is None
    assert reveal.request_for(keeper, asked.id + 1000) is None


def test_reveal_approvals_sets_k_and_no_request_asks_for_more_than_can_decide(
    ctx, custodian, staff, file_tip, passphrase
):
    keeper = custodian()
    custodian("ผู้เก็บ สอง")
    officer = staff(INTEGRITY, "มานะ อดทน")
    tip = file_tip(**IDENTITY)
    access.assign(tip, officer)
    assert reveal.approvals_needed(tip) == 2  # the default with two custodians
    ctx.config["REVEAL_APPROVALS"] = 3
    with pytest.raises(CustodyError) as error:
        reveal.request(tip, officer, "เชิญมาเป็นพยาน")
    assert "reason" in error.value.fields
    ctx.config["REVEAL_APPROVALS"] = 1
    row = reveal.request(tip, officer, "เชิญมาเป็นพยาน")
    assert row.approvals_needed == 1
    assert reveal.approve(row, tip, keeper, passphrase) == {"name": "ผู้แจ้ง ลับ"}
