"""Reading numbers, dates and record ids from what people send: a field error, never an
exception."""

from __future__ import annotations

from datetime import date

import pytest

from casework.cases import values


@pytest.fixture(autouse=True)
def _request(ctx):
    with ctx.test_request_context():
        yield


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-02-29", date(2024, 2, 29)),
        ("2567-02-29", date(2024, 2, 29)),  # the B.E. leap day
        ("2569-11-01", date(2026, 11, 1)),
        (date(2024, 1, 1), date(2024, 1, 1)),
        ("", None),
        (None, None),
    ],
)
def test_dates_in_iso_or_buddhist_era(raw, expected):
    errors = {}
    assert values.date_field(errors, "on", raw, buddhist_era=True) == expected
    assert errors == {}


@pytest.mark.parametrize(
    "raw",
    [
        "2568-02-29",  # B.E. 2568 = 2025, no 29 February
        "2023-02-29",
        "20240101",  # ISO basic format: Python reads it, we do not
        "2024-W01-1",
        "2024-01-01T00:00",
        "2024-1-1",
        "๒๕๖๗-๐๒-๒๙",
        "0000-01-01",
        "9" * 400,
        "2024-13-01",
        20240101,
        ["2024-01-01"],
        True,
    ],
)
def test_bad_dates_are_field_errors(raw):
    errors = {}
    assert values.date_field(errors, "on", raw, buddhist_era=True) is None
    assert set(errors) == {"on"} and str(errors["on"])


def test_the_buddhist_era_is_read_only_where_asked():
    errors = {}
    assert values.date_field(errors, "on", "2567-02-29") is None
    assert set(errors) == {"on"}
    assert values.date_field({}, "on", "2566-01-01") == date(2566, 1, 1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(13.75, 13.75), ("13.75", 13.75), (-90, -90.0), ("", None), (None, None), (0, 0.0)],
)
def test_numbers_in_range(raw, expected):
    errors = {}
    assert values.number_field(errors, "lat", raw, -90, 90, "bad") == expected
    assert errors == {}


@pytest.mark.parametrize(
    "raw",
    [10**400, -(10**400), "1" * 400, "1e999", "nan", "inf", float("nan"), 91, "x", True, [1]],
)
def test_bad_numbers_are_field_errors(raw):
    errors = {}
    assert values.number_field(errors, "lat", raw, -90, 90, "bad") is None
    assert errors == {"lat": "bad"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), (12, 12), ("", None), (None, None), ("0", None), ("²", None), ("๑", None)],
)
def test_record_ids(raw, expected):
    assert values.record_id(raw) == expected


@pytest.mark.parametrize("raw", ["9" * 400, str(2**31), "-1", "1.5", " 1", True, 2**63])
def test_record_ids_out_of_range_are_none(raw):
    assert values.record_id(raw) is None
