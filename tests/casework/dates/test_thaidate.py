"""Tests for casework.dates.thaidate: Bangkok time, B.E. years, fiscal years and Thai formatting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from babel import Locale

from casework.dates.thaidate import (
    BANGKOK,
    ENGLISH_MONTHS_ABBR,
    ENGLISH_MONTHS_FULL,
    THAI_MONTHS_ABBR,
    THAI_MONTHS_FULL,
    be_year,
    fiscal_half,
    fiscal_months,
    fiscal_quarter,
    fiscal_year,
    fiscal_year_bounds,
    fiscal_year_label,
    format_date,
    format_datetime,
    format_month,
    local_date,
    to_local,
)

# --- local time ----------------------------------------------------------------------------


def test_to_local_treats_naive_as_utc() -> None:
    local = to_local(datetime(2026, 9, 30, 17, 30))
    assert local.tzinfo is BANGKOK
    assert local.replace(tzinfo=None) == datetime(2026, 10, 1, 0, 30)
    assert local.utcoffset() == timedelta(hours=7)


def test_to_local_converts_aware_datetimes() -> None:
    tokyo = timezone(timedelta(hours=9))
    local = to_local(datetime(2026, 1, 1, 9, 0, tzinfo=tokyo))
    assert local.replace(tzinfo=None) == datetime(2026, 1, 1, 7, 0)
    same = to_local(datetime(2026, 1, 1, 7, 0, tzinfo=BANGKOK))
    assert same.replace(tzinfo=None) == datetime(2026, 1, 1, 7, 0)


def test_to_local_keeps_the_instant() -> None:
    utc = datetime(2026, 3, 15, 23, 59, tzinfo=UTC)
    assert to_local(utc) == utc


@pytest.mark.parametrize(
    ("dt", "expected"),
    [
        (datetime(2026, 9, 30, 16, 59), date(2026, 9, 30)),
        (datetime(2026, 9, 30, 17, 0), date(2026, 10, 1)),
        (datetime(2026, 9, 30, 17, 30), date(2026, 10, 1)),
        (datetime(2026, 12, 31, 17, 0, tzinfo=UTC), date(2027, 1, 1)),
        (datetime(2026, 12, 31, 23, 0, tzinfo=BANGKOK), date(2026, 12, 31)),
    ],
)
def test_local_date(dt: datetime, expected: date) -> None:
    assert local_date(dt) == expected


def test_local_date_passes_plain_dates_through() -> None:
    assert local_date(date(2026, 5, 1)) == date(2026, 5, 1)


# --- Buddhist Era ---------------------------------------------------------------------------


def test_be_year() -> None:
    assert be_year(date(2026, 1, 1)) == 2569
    assert be_year(date(2026, 12, 31)) == 2569
    assert be_year(date(2027, 1, 1)) == 2570


def test_be_year_of_datetime_uses_bangkok_date() -> None:
    # 31 Dec 2026 18:00 UTC is already 1 Jan 2027 in Bangkok.
    assert be_year(datetime(2026, 12, 31, 18, 0)) == 2570
    assert be_year(datetime(2026, 12, 31, 16, 0)) == 2569


# --- fiscal year ----------------------------------------------------------------------------


def test_fiscal_year_rolls_over_exactly_on_1_october() -> None:
    assert fiscal_year(date(2026, 9, 30)) == 2569
    assert fiscal_year(date(2026, 10, 1)) == 2570


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2025, 10, 1), 2569),
        (date(2025, 12, 31), 2569),
        (date(2026, 1, 1), 2569),
        (date(2026, 6, 15), 2569),
        (date(2026, 9, 30), 2569),
        (date(2026, 10, 1), 2570),
        (date(2026, 11, 21), 2570),
        (date(2027, 9, 30), 2570),
        (date(2027, 10, 1), 2571),
    ],
)
def test_fiscal_year(d: date, expected: int) -> None:
    assert fiscal_year(d) == expected


def test_utc_evening_of_30_september_is_next_fiscal_year_in_bangkok() -> None:
    received = datetime(2026, 9, 30, 17, 30)  # naive = UTC
    local = to_local(received)
    assert (local.year, local.month, local.day, local.hour, local.minute) == (2026, 10, 1, 0, 30)
    assert local_date(received) == date(2026, 10, 1)
    assert fiscal_year(local_date(received)) == 2570
    # A datetime handed straight to fiscal_year is read in Bangkok too.
    assert fiscal_year(received) == 2570
    assert fiscal_year(datetime(2026, 9, 30, 17, 30, tzinfo=UTC)) == 2570
    assert fiscal_year(datetime(2026, 9, 30, 16, 59)) == 2569


def test_fiscal_year_bounds() -> None:
    assert fiscal_year_bounds(2570) == (date(2026, 10, 1), date(2027, 9, 30))
    assert fiscal_year_bounds(2569) == (date(2025, 10, 1), date(2026, 9, 30))


@pytest.mark.parametrize("fy", [2565, 2566, 2567, 2568, 2569, 2570, 2571])
def test_fiscal_year_bounds_agree_with_fiscal_year(fy: int) -> None:
    start, end = fiscal_year_bounds(fy)
    assert fiscal_year(start) == fy
    assert fiscal_year(end) == fy
    assert fiscal_year(start - timedelta(days=1)) == fy - 1
    assert fiscal_year(end + timedelta(days=1)) == fy + 1


@pytest.mark.parametrize(
    ("month", "quarter", "half"),
    [
        (10, 1, 1),
        (11, 1, 1),
        (12, 1, 1),
        (1, 2, 1),
        (2, 2, 1),
        (3, 2, 1),
        (4, 3, 2),
        (5, 3, 2),
        (6, 3, 2),
        (7, 4, 2),
        (8, 4, 2),
        (9, 4, 2),
    ],
)
def test_fiscal_quarter_and_half(month: int, quarter: int, half: int) -> None:
    for day in (1, 28):
        d = date(2027 if month < 10 else 2026, month, day)
        assert fiscal_quarter(d) == quarter
        assert fiscal_half(d) == half


def test_quarter_and_half_boundaries() -> None:
    assert fiscal_quarter(date(2026, 9, 30)) == 4
    assert fiscal_quarter(date(2026, 10, 1)) == 1
    assert fiscal_quarter(date(2026, 12, 31)) == 1
    assert fiscal_quarter(date(2027, 1, 1)) == 2
    assert fiscal_half(date(2027, 3, 31)) == 1
    assert fiscal_half(date(2027, 4, 1)) == 2


def test_quarter_of_datetime_uses_bangkok_date() -> None:
    assert fiscal_quarter(datetime(2026, 9, 30, 17, 30)) == 1
    assert fiscal_half(datetime(2027, 3, 31, 17, 30)) == 2


def test_fiscal_months() -> None:
    months = fiscal_months(2570)
    assert len(months) == 12
    assert months[0] == (2026, 10)
    assert months[2] == (2026, 12)
    assert months[3] == (2027, 1)
    assert months[-1] == (2027, 9)
    assert months == [
        (2026, 10),
        (2026, 11),
        (2026, 12),
        (2027, 1),
        (2027, 2),
        (2027, 3),
        (2027, 4),
        (2027, 5),
        (2027, 6),
        (2027, 7),
        (2027, 8),
        (2027, 9),
    ]
    for year, month in months:
        assert fiscal_year(date(year, month, 15)) == 2570


# --- month names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "names", [THAI_MONTHS_FULL, THAI_MONTHS_ABBR, ENGLISH_MONTHS_FULL, ENGLISH_MONTHS_ABBR]
)
def test_month_tables_are_indexed_from_one(names: tuple[str, ...]) -> None:
    assert len(names) == 13
    assert names[0] == ""
    assert all(names[1:])
    assert len(set(names[1:])) == 12


def test_month_names() -> None:
    assert THAI_MONTHS_FULL[1] == "มกราคม"
    assert THAI_MONTHS_FULL[4] == "เมษายน"
    assert THAI_MONTHS_FULL[11] == "พฤศจิกายน"
    assert THAI_MONTHS_FULL[12] == "ธันวาคม"
    assert THAI_MONTHS_ABBR[1] == "ม.ค."
    assert THAI_MONTHS_ABBR[10] == "ต.ค."
    assert THAI_MONTHS_ABBR[11] == "พ.ย."
    assert ENGLISH_MONTHS_FULL[11] == "November"
    assert ENGLISH_MONTHS_ABBR[9] == "Sep"


# --- formatting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "style", "expected"),
    [
        ("th", "long", "21 พฤศจิกายน 2569"),
        ("th", "short", "21 พ.ย. 2569"),
        ("th", "numeric", "21/11/2569"),
        ("en", "long", "21 November 2026 (B.E. 2569)"),
        ("en", "short", "21 Nov 2026"),
        ("en", "numeric", "21/11/2026"),
    ],
)
def test_format_date(locale: str, style: str, expected: str) -> None:
    assert format_date(date(2026, 11, 21), locale, style) == expected


def test_format_date_defaults_to_thai_long() -> None:
    assert format_date(date(2026, 11, 21)) == "21 พฤศจิกายน 2569"


def test_format_date_single_digit_day() -> None:
    d = date(2027, 2, 1)
    assert format_date(d, "th", "long") == "1 กุมภาพันธ์ 2570"
    assert format_date(d, "th", "short") == "1 ก.พ. 2570"
    assert format_date(d, "th", "numeric") == "01/02/2570"
    assert format_date(d, "en", "short") == "1 Feb 2027"
    assert format_date(d, "en", "numeric") == "01/02/2027"


@pytest.mark.parametrize("locale", ["th_TH", "TH", Locale("th"), Locale.parse("th_TH")])
def test_format_date_accepts_thai_locale_variants(locale: object) -> None:
    assert format_date(date(2026, 11, 21), locale, "short") == "21 พ.ย. 2569"


@pytest.mark.parametrize("locale", ["en_US", "en_GB", Locale("en"), Locale.parse("en_US")])
def test_format_date_accepts_english_locale_variants(locale: object) -> None:
    assert format_date(date(2026, 11, 21), locale, "short") == "21 Nov 2026"


def test_format_date_of_datetime_uses_bangkok_date() -> None:
    received = datetime(2026, 9, 30, 17, 30)  # 1 Oct 2026 00:30 in Bangkok
    assert format_date(received) == "1 ตุลาคม 2569"
    assert format_date(received, "en", "short") == "1 Oct 2026"


def test_format_date_rejects_unknown_style() -> None:
    with pytest.raises(ValueError, match="style"):
        format_date(date(2026, 11, 21), "th", "medium")


def test_format_datetime() -> None:
    dt = datetime(2026, 11, 21, 7, 5)  # naive UTC -> 14:05 Bangkok
    assert format_datetime(dt) == "21 พ.ย. 2569 เวลา 14:05 น."
    assert format_datetime(dt, "th") == "21 พ.ย. 2569 เวลา 14:05 น."
    assert format_datetime(dt, "en") == "21 Nov 2026, 14:05"
    assert format_datetime(dt, Locale("en", "US")) == "21 Nov 2026, 14:05"


def test_format_datetime_crossing_midnight_and_aware_input() -> None:
    dt = datetime(2026, 9, 30, 17, 30, tzinfo=UTC)
    assert format_datetime(dt, "th") == "1 ต.ค. 2569 เวลา 00:30 น."
    assert format_datetime(dt, "en") == "1 Oct 2026, 00:30"
    bangkok = datetime(2026, 11, 21, 14, 5, tzinfo=BANGKOK)
    assert format_datetime(bangkok, "th") == "21 พ.ย. 2569 เวลา 14:05 น."


def test_format_month() -> None:
    assert format_month(2026, 11) == "พฤศจิกายน 2569"
    assert format_month(2026, 11, "th") == "พฤศจิกายน 2569"
    assert format_month(2026, 11, "en") == "November 2026"
    assert format_month(2027, 1, "en_US") == "January 2027"
    with pytest.raises(ValueError, match="month"):
        format_month(2026, 13)


def test_fiscal_year_label() -> None:
    assert fiscal_year_label(2570) == "ปีงบประมาณ พ.ศ. 2570"
    assert fiscal_year_label(2570, "th_TH") == "ปีงบประมาณ พ.ศ. 2570"
    assert fiscal_year_label(2570, "en") == "Fiscal year 2570 (Oct 2026 – Sep 2027)"
    assert fiscal_year_label(2569, Locale("en")) == "Fiscal year 2569 (Oct 2025 – Sep 2026)"
