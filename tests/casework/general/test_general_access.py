"""casework.general.access.visible_case: a case by id, only when the user can reach it."""

from __future__ import annotations

from casework.general import access


def test_a_case_is_found_only_within_reach(staff, complaint):
    case = complaint()
    assert access.visible_case(staff("officer", "works"), case.id) == case
    assert access.visible_case(staff("supervisor"), case.id) == case
    assert access.visible_case(staff("officer", "health"), case.id) is None
    assert access.visible_case(staff("sysadmin"), case.id) is None
    assert access.visible_case(None, case.id) is None
    assert access.visible_case(staff("clerk"), 0) is None
