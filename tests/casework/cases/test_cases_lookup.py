"""casework.cases.lookup called directly: a tracking code opens its own complaint, and nothing
else, however it is typed."""

from __future__ import annotations

from casework.cases import lookup


def test_a_tracking_code_opens_its_own_complaint_only(filed, org):
    first = filed()
    code = first.tracking_code
    assert lookup.find_by_code(org, code).id == first.case.id
    assert lookup.find_by_code(org, code.lower()).id == first.case.id
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")  # the check symbol no longer fits
    for wrong in ("", None, "NOT-A-CODE", typo, "x" * 500):
        assert lookup.find_by_code(org, wrong) is None
