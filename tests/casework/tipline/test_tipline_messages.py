"""Messages between officers and the tipster."""

from __future__ import annotations

import pytest
from tip_helpers import file, staff

from casework.staff.roles import INTEGRITY
from casework.tipline import messages


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
