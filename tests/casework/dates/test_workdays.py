"""Tests for casework.dates.workdays: the SLA calendar (calendar days vs Thai working days).

Holiday facts below come from the ``holidays`` package (0.109 at the time of writing). If a
later release adds a cabinet-declared bridge holiday in April/May 2027, the explicit
``test_songkran_2027_as_listed_by_the_package`` fails first and points at the cause.
"""

from __future__ import annotations

import warnings
from dataclasses import FrozenInstanceError
from datetime import UTC, date, datetime, timedelta

import pytest
from babel import Locale

from casework.dates.workdays import (
    CALENDAR,
    WORKING,
    WorkCalendar,
    _thai_holidays,
)

CAL = WorkCalendar()
WORK = WorkCalendar(mode=WORKING)

# Week of 16–22 November 2026: no public holidays (Loy Krathong, 24 Nov, is not a day off).
MON_16_NOV = date(2026, 11, 16)
THU_19_NOV = date(2026, 11, 19)
FRI_20_NOV = date(2026, 11, 20)
SAT_21_NOV = date(2026, 11, 21)
SUN_22_NOV = date(2026, 11, 22)
MON_23_NOV = date(2026, 11, 23)

THU_8_APR_2027 = date(2027, 4, 8)


# --- construction ---------------------------------------------------------------------------


def test_defaults() -> None:
    assert CALENDAR == "calendar"
    assert WORKING == "working"
    assert CAL.mode == CALENDAR
    assert CAL.extra_holidays == frozenset()
    assert CAL.extra_working_days == frozenset()


def test_rejects_unknown_mode() -> None:
    with pytest.raises(ValueError, match="mode"):
        WorkCalendar(mode="business")


def test_is_frozen_and_hashable() -> None:
    cal = WorkCalendar(WORKING, frozenset({MON_16_NOV}))
    with pytest.raises(FrozenInstanceError):
        cal.mode = CALENDAR  # type: ignore[misc]
    assert hash(cal) == hash(WorkCalendar(WORKING, frozenset({MON_16_NOV})))
    assert cal == WorkCalendar(WORKING, frozenset({MON_16_NOV}))


def test_extra_dates_are_normalised_to_frozensets() -> None:
    cal = WorkCalendar(WORKING, extra_holidays={MON_16_NOV}, extra_working_days=[SAT_21_NOV])  # type: ignore[arg-type]
    assert cal.extra_holidays == frozenset({MON_16_NOV})
    assert isinstance(cal.extra_holidays, frozenset)
    assert cal.extra_working_days == frozenset({SAT_21_NOV})
    assert isinstance(cal.extra_working_days, frozenset)


# --- holidays from the package --------------------------------------------------------------


def test_songkran_2027_as_listed_by_the_package() -> None:
    april = {d: n for d, n in _thai_holidays(2027, "th").items() if d.month == 4}
    assert april == {
        date(2027, 4, 6): "วันพระบาทสมเด็จพระพุทธยอดฟ้าจุฬาโลกมหาราช และวันที่ระลึกมหาจักรีบรมราชวงศ์",
        date(2027, 4, 13): "วันสงกรานต์",
        date(2027, 4, 14): "วันสงกรานต์",
        date(2027, 4, 15): "วันสงกรานต์",
    }
    # 13–15 April 2027 are Tue–Thu, so there is no substitution day: Fri 16 April is a
    # working day.
    assert WORK.is_working_day(date(2027, 4, 16))
    may = sorted(d for d in _thai_holidays(2027, "th") if d.month == 5)
    assert may == [date(2027, 5, 1), date(2027, 5, 3), date(2027, 5, 4), date(2027, 5, 20)]


@pytest.mark.parametrize("day", [13, 14, 15])
def test_songkran_2027_is_holiday(day: int) -> None:
    d = date(2027, 4, day)
    assert WORK.is_holiday(d)
    assert not WORK.is_working_day(d)
    assert WORK.holiday_name(d) == "วันสงกรานต์"
    assert WORK.holiday_name(d, "en") == "Songkran Festival"


def test_substitution_days_are_holidays() -> None:
    # Songkran 2025 began on a Sunday, so Wed 16 April 2025 was given in lieu.
    assert WORK.is_holiday(date(2025, 4, 16))
    assert not WORK.is_working_day(date(2025, 4, 16))
    assert WORK.holiday_name(date(2025, 4, 16)) == "ชดเชยวันสงกรานต์"
    assert WORK.holiday_name(date(2025, 4, 16), "en") == "Songkran Festival (in lieu)"
    # Labour Day 2027 is a Saturday; Monday 3 May 2027 is the substitution day.
    assert WORK.is_holiday(date(2027, 5, 3))
    assert "ชดเชย" in (WORK.holiday_name(date(2027, 5, 3)) or "")


def test_substitution_day_in_the_following_year() -> None:
    # 31 Dec 2022 (Sat) and 1 Jan 2023 (Sun): both substitution days fall in January 2023.
    assert WORK.is_holiday(date(2023, 1, 2))
    assert WORK.is_holiday(date(2023, 1, 3))
    assert WORK.holiday_name(date(2023, 1, 3), "en") == "New Year's Eve (in lieu)"


def test_government_office_holiday_is_counted() -> None:
    # Royal Ploughing Ceremony: a day off for government offices ("government" category).
    assert WORK.is_holiday(date(2026, 5, 13))
    assert not WORK.is_working_day(date(2026, 5, 13))
    assert WORK.holiday_name(date(2026, 5, 13), "en") == "Royal Ploughing Ceremony"


def test_observance_only_days_are_working_days() -> None:
    # Loy Krathong (24 Nov 2026) is listed by the package only as a "workday" observance.
    assert not WORK.is_holiday(date(2026, 11, 24))
    assert WORK.is_working_day(date(2026, 11, 24))
    assert WORK.holiday_name(date(2026, 11, 24)) is None


def test_ordinary_days() -> None:
    assert not WORK.is_holiday(THU_19_NOV)
    assert WORK.is_working_day(THU_19_NOV)
    assert WORK.holiday_name(THU_19_NOV) is None
    assert WORK.holiday_name(THU_19_NOV, "en") is None


def test_weekends_are_not_working_days_but_not_holidays() -> None:
    for d in (SAT_21_NOV, SUN_22_NOV):
        assert not WORK.is_working_day(d)
        assert not WORK.is_holiday(d)
        assert WORK.holiday_name(d) is None


def test_holiday_name_accepts_locale_variants() -> None:
    d = date(2027, 4, 13)
    assert WORK.holiday_name(d, "th_TH") == "วันสงกรานต์"
    assert WORK.holiday_name(d, Locale("th")) == "วันสงกรานต์"
    assert WORK.holiday_name(d, "en_US") == "Songkran Festival"
    assert WORK.holiday_name(d, Locale.parse("en_GB")) == "Songkran Festival"


def test_holidays_are_cached_per_year_and_language() -> None:
    assert _thai_holidays(2027, "th") is _thai_holidays(2027, "th")
    assert _thai_holidays(2027, "th") is not _thai_holidays(2027, "en")
    before = _thai_holidays.cache_info().hits
    WORK.is_holiday(date(2027, 4, 13))
    WORK.is_holiday(date(2027, 4, 14))
    assert _thai_holidays.cache_info().hits >= before + 2


def test_cached_holidays_are_read_only_and_single_year() -> None:
    table = _thai_holidays(2027, "th")
    assert all(d.year == 2027 for d in table)
    with pytest.raises(TypeError):
        table[date(2027, 4, 16)] = "x"  # type: ignore[index]


def test_building_holidays_raises_no_warning() -> None:
    _thai_holidays.cache_clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for year in (2025, 2026, 2027, 2028):
            for lang in ("th", "en"):
                assert _thai_holidays(year, lang)


# --- declared holidays and working days ------------------------------------------------------


def test_declared_holiday() -> None:
    cal = WorkCalendar(WORKING, extra_holidays=frozenset({FRI_20_NOV}))
    assert cal.is_holiday(FRI_20_NOV)
    assert not cal.is_working_day(FRI_20_NOV)
    assert cal.holiday_name(FRI_20_NOV) == "วันหยุดพิเศษ"
    assert cal.holiday_name(FRI_20_NOV, "en") == "Declared holiday"
    assert cal.holiday_name(FRI_20_NOV, "en_US") == "Declared holiday"
    assert not WORK.is_holiday(FRI_20_NOV)


def test_declared_holiday_on_a_package_holiday_keeps_the_package_name() -> None:
    cal = WorkCalendar(WORKING, extra_holidays=frozenset({date(2027, 4, 13)}))
    assert cal.holiday_name(date(2027, 4, 13)) == "วันสงกรานต์"


def test_declared_holiday_pushes_due_date_by_one_working_day() -> None:
    # 3 working days from Mon 16 Nov 2026 is Thu 19; declaring Wed 18 a holiday -> Fri 20.
    assert WORK.add_days(MON_16_NOV, 3) == THU_19_NOV
    declared = WorkCalendar(WORKING, extra_holidays=frozenset({date(2026, 11, 18)}))
    assert declared.add_days(MON_16_NOV, 3) == FRI_20_NOV
    assert declared.days_between(MON_16_NOV, FRI_20_NOV) == 3
    assert WORK.days_between(MON_16_NOV, FRI_20_NOV) == 4


def test_declared_bridge_holiday_after_songkran_pushes_due_date() -> None:
    bridge = WorkCalendar(WORKING, extra_holidays=frozenset({date(2027, 4, 16)}))
    assert WORK.add_days(THU_8_APR_2027, 15) == date(2027, 5, 6)
    assert bridge.add_days(THU_8_APR_2027, 15) == date(2027, 5, 7)


def test_declared_holiday_after_due_date_changes_nothing() -> None:
    cal = WorkCalendar(WORKING, extra_holidays=frozenset({MON_23_NOV}))
    assert cal.add_days(MON_16_NOV, 4) == FRI_20_NOV


def test_declared_working_saturday() -> None:
    cal = WorkCalendar(WORKING, extra_working_days=frozenset({SAT_21_NOV}))
    assert cal.is_working_day(SAT_21_NOV)
    assert not cal.is_working_day(SUN_22_NOV)
    assert cal.add_days(FRI_20_NOV, 1) == SAT_21_NOV
    assert cal.add_days(FRI_20_NOV, 2) == MON_23_NOV
    assert cal.days_between(FRI_20_NOV, MON_23_NOV) == 2


def test_declared_working_day_overrides_a_holiday() -> None:
    d = date(2027, 4, 13)
    cal = WorkCalendar(WORKING, extra_working_days=frozenset({d}))
    assert cal.is_working_day(d)
    assert cal.is_holiday(d)  # still reported as a holiday


# --- working-day counting ------------------------------------------------------------------


def test_received_day_is_not_counted() -> None:
    assert WORK.add_days(MON_16_NOV, 0) == MON_16_NOV
    assert WORK.add_days(MON_16_NOV, 1) == date(2026, 11, 17)
    assert CAL.add_days(MON_16_NOV, 1) == date(2026, 11, 17)


def test_working_days_across_a_weekend() -> None:
    assert WORK.add_days(FRI_20_NOV, 1) == MON_23_NOV
    assert WORK.add_days(THU_19_NOV, 2) == MON_23_NOV
    assert WORK.add_days(THU_19_NOV, 5) == date(2026, 11, 26)
    assert WORK.add_days(MON_16_NOV, 5) == MON_23_NOV
    assert WORK.add_days(MON_16_NOV, 10) == date(2026, 11, 30)
    assert WORK.days_between(FRI_20_NOV, MON_23_NOV) == 1
    assert WORK.days_between(FRI_20_NOV, SUN_22_NOV) == 0
    assert WORK.days_between(THU_19_NOV, date(2026, 11, 26)) == 5


def test_received_on_a_weekend() -> None:
    assert WORK.add_days(SAT_21_NOV, 1) == MON_23_NOV
    assert WORK.add_days(SUN_22_NOV, 1) == MON_23_NOV
    assert WORK.add_days(SAT_21_NOV, 5) == date(2026, 11, 27)


def test_calendar_days_across_a_weekend() -> None:
    assert CAL.add_days(FRI_20_NOV, 1) == SAT_21_NOV
    assert CAL.add_days(FRI_20_NOV, 3) == MON_23_NOV
    assert CAL.days_between(FRI_20_NOV, MON_23_NOV) == 3


def test_fifteen_days_from_8_april_2027_across_songkran() -> None:
    # Working days after Thu 8 Apr 2027: Fri 9, Mon 12, [Tue 13–Thu 15 Songkran], Fri 16,
    # Mon 19 – Fri 23, Mon 26 – Fri 30 (13), [Mon 3 May Labour Day in lieu, Tue 4 May
    # Coronation Day], Wed 5 (14), Thu 6 May (15).
    assert WORK.add_days(THU_8_APR_2027, 15) == date(2027, 5, 6)
    assert WORK.days_between(THU_8_APR_2027, date(2027, 5, 6)) == 15
    assert WORK.add_days(THU_8_APR_2027, 3) == date(2027, 4, 16)
    assert WORK.add_days(THU_8_APR_2027, 13) == date(2027, 4, 30)
    assert WORK.add_days(THU_8_APR_2027, 14) == date(2027, 5, 5)
    # Calendar mode: plain date arithmetic.
    assert CAL.add_days(THU_8_APR_2027, 15) == date(2027, 4, 23)
    assert CAL.days_between(THU_8_APR_2027, date(2027, 4, 23)) == 15


def test_working_days_across_new_year() -> None:
    # Thu 31 Dec 2026 (New Year's Eve) and Fri 1 Jan 2027 are holidays.
    assert WORK.add_days(date(2026, 12, 30), 1) == date(2027, 1, 4)
    assert WORK.days_between(date(2026, 12, 30), date(2027, 1, 4)) == 1


def test_calendar_mode_ignores_holidays() -> None:
    assert CAL.add_days(date(2027, 4, 12), 3) == date(2027, 4, 15)
    assert CAL.days_between(date(2027, 4, 12), date(2027, 4, 16)) == 4
    declared = WorkCalendar(CALENDAR, extra_holidays=frozenset({date(2026, 11, 18)}))
    assert declared.add_days(MON_16_NOV, 3) == THU_19_NOV
    assert declared.days_between(MON_16_NOV, THU_19_NOV) == 3
    # …while still answering holiday questions truthfully.
    assert CAL.is_holiday(date(2027, 4, 13))
    assert not CAL.is_working_day(date(2027, 4, 13))


@pytest.mark.parametrize("cal", [CAL, WORK], ids=["calendar", "working"])
def test_days_between_is_zero_when_end_not_after_start(cal: WorkCalendar) -> None:
    assert cal.days_between(MON_23_NOV, MON_23_NOV) == 0
    assert cal.days_between(MON_23_NOV, MON_16_NOV) == 0


def test_negative_days_rejected() -> None:
    for cal in (CAL, WORK):
        with pytest.raises(ValueError, match="days"):
            cal.add_days(MON_16_NOV, -1)


def test_datetimes_are_read_as_bangkok_dates() -> None:
    # 19 Nov 2026 17:30 UTC is Fri 20 Nov 00:30 in Bangkok.
    received = datetime(2026, 11, 19, 17, 30)
    assert WORK.add_days(received, 1) == MON_23_NOV
    assert WORK.add_days(datetime(2026, 11, 19, 17, 30, tzinfo=UTC), 1) == MON_23_NOV
    assert WORK.add_days(datetime(2026, 11, 19, 9, 0), 1) == FRI_20_NOV
    assert CAL.days_between(received, MON_23_NOV) == 3
    assert WORK.is_holiday(datetime(2027, 4, 12, 17, 30))  # 13 Apr in Bangkok


# --- add_days / days_between symmetry -------------------------------------------------------

_STARTS = [
    MON_16_NOV,
    FRI_20_NOV,
    SAT_21_NOV,
    SUN_22_NOV,
    THU_8_APR_2027,
    date(2027, 4, 13),  # received on a holiday
    date(2026, 12, 29),  # across New Year
    date(2026, 9, 25),  # across the fiscal-year boundary
    date(2025, 4, 11),  # Songkran 2025 with its in-lieu day
]
_COUNTS = [0, 1, 2, 3, 5, 7, 10, 15, 30, 45, 60]
_CALENDARS = [
    CAL,
    WORK,
    WorkCalendar(WORKING, extra_holidays=frozenset({date(2027, 4, 16), date(2026, 11, 18)})),
    WorkCalendar(WORKING, extra_working_days=frozenset({SAT_21_NOV, date(2027, 4, 10)})),
]


@pytest.mark.parametrize("cal", _CALENDARS, ids=["calendar", "working", "declared", "saturday"])
@pytest.mark.parametrize("start", _STARTS, ids=str)
def test_add_days_and_days_between_are_inverse(cal: WorkCalendar, start: date) -> None:
    previous = start
    for n in _COUNTS:
        due = cal.add_days(start, n)
        assert cal.days_between(start, due) == n
        assert due >= previous
        previous = due
        if n:
            # The due date is itself a counted day, and the day before it is one short.
            assert cal.mode == CALENDAR or cal.is_working_day(due)
            assert cal.days_between(start, due - timedelta(days=1)) == n - 1


@pytest.mark.parametrize("start", _STARTS, ids=str)
def test_working_due_date_never_earlier_than_calendar(start: date) -> None:
    for n in _COUNTS:
        assert WORK.add_days(start, n) >= CAL.add_days(start, n)
