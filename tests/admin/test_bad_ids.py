"""Ids and dates that staff pages read from URLs, query strings and forms: a number no row can
have, or digits that are not ASCII, answer 404 or a field error, never a 500."""

from __future__ import annotations

import pytest

HUGE = "9" * 30


@pytest.mark.parametrize(
    "path",
    [f"/admin/cases/{HUGE}", f"/admin/cases/{2**31}", f"/admin/cases/{HUGE}/attachments/1"],
)
def test_an_id_no_row_can_have_is_404(client, login_as, path):
    login_as("supervisor")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("value", ["²", HUGE, "๑"])
def test_filters_with_ids_no_row_can_have_are_empty_not_500(client, login_as, value):
    login_as("supervisor")
    assert client.get(f"/admin/inbox?department={value}").status_code == 200
    login_as("sysadmin")
    assert client.get(f"/admin/audit?actor={value}").status_code == 200


@pytest.mark.parametrize("value", ["²", HUGE])
def test_assigning_to_an_impossible_department_is_a_field_error(
    client, login_as, file_complaint, value
):
    case_id = file_complaint().case.id
    login_as("supervisor")
    r = client.post(f"/admin/cases/{case_id}/assign", data={"department": value, "assignee": ""})
    assert r.status_code in (200, 302, 400)
    r = client.post(f"/admin/cases/{case_id}/assign", data={"department": "1", "assignee": value})
    assert r.status_code in (200, 302, 400)


@pytest.mark.parametrize("value", ["²", HUGE])
def test_a_fiscal_year_that_is_not_a_number_shows_the_current_one(client, login_as, value):
    login_as("supervisor")
    assert client.get(f"/admin/board?fy={value}").status_code == 200
