"""Messages between officers and the tipster."""

from __future__ import annotations

import pytest
from tip_helpers import file, staff, submission

from casework.extensions import db
from casework.models import Case
from casework.staff.roles import INTEGRITY, SUPERVISOR
from casework.tipline import filing, messages, transfer
from casework.tipline.filing import Origin


def test_messages_in_both_directions(org):
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    case = file(org).case
    messages.to_tipster(case, officer.id, "ขอทราบวันที่ที่แน่นอน")
    messages.from_tipster(case, "วันที่ 3 มีนาคม", [])
    thread = messages.thread(case)
    assert [(e.direction, e.text) for e in thread] == [
        ("to_citizen", "ขอทราบวันที่ที่แน่นอน"),
        ("from_citizen", "วันที่ 3 มีนาคม"),
    ]
    assert all(m.body == "" and m.body_sealed for m in case.messages)
    assert all(m.at.hour == 0 for m in case.messages)
    with pytest.raises(messages.FollowUpError):
        messages.from_tipster(case, "", [])


def _from_paper(org, officer, origin: str, *, receipt: bool) -> Case:
    return filing.register(
        org, submission(), Origin(origin, "2569-11-02"), officer, receipt=receipt
    ).case


def test_no_message_to_a_tipster_who_holds_no_receipt(org):
    """A tip registered from paper without a receipt slip: nobody can ever read a message, so
    none is sent (officers contact the tipster the way the tip came in)."""
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    for origin, receipt in (("anonymous_letter", True), ("letter", False), ("phone", False)):
        case = _from_paper(org, officer, origin, receipt=receipt)
        assert not messages.reaches_tipster(case)
        with pytest.raises(messages.FollowUpError) as refused:
            messages.to_tipster(case, officer.id, "ขอทราบวันที่ที่แน่นอน")
        assert set(refused.value.fields) == {"message"}
        assert case.messages == []


def test_messages_to_a_tipster_handed_a_receipt_slip(org):
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    case = _from_paper(org, officer, "visit", receipt=True)
    assert messages.reaches_tipster(case)
    messages.to_tipster(case, officer.id, "ขอทราบวันที่ที่แน่นอน")
    assert [e.direction for e in messages.thread(case)] == ["to_citizen"]


def test_messages_to_a_transferred_tip_whose_receipt_is_not_yet_claimed(org, file_complaint):
    """A transfer makes no receipt, but the complainant may claim one with the old code."""
    supervisor = staff(org, SUPERVISOR, "หัวหน้า ทั่วไป", "sup@demo.go.th")
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    complaint = db.session.get(Case, file_complaint().case.id)
    tip = transfer.transfer(complaint, actor_id=supervisor.id, tip_category="bribery")
    assert filing.details_of(tip).receipt_lookup is None
    assert messages.reaches_tipster(tip)
    messages.to_tipster(tip, officer.id, "ขอทราบวันที่ที่แน่นอน")
    assert [e.direction for e in messages.thread(tip)] == ["to_citizen"]
