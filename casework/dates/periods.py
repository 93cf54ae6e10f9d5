"""Periods within a Thai fiscal year, the way published figures are asked for.

A period is the whole fiscal year (``year``), a half (``h1`` October–March, ``h2``
April–September), a quarter (``q1`` October–December … ``q4`` July–September) or a month
(``m01`` … ``m12``, by its calendar number: ``m10`` is the October that opens the year). A
fiscal year is labelled by the B.E. year it ends in (casework.dates.thaidate).

Days run in Bangkok; stored instants are naive UTC, so each period also gives its half-open
range of naive UTC instants to compare ``received_at`` with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from casework.dates.thaidate import (
    BANGKOK,
    ENGLISH_MONTHS_ABBR,
    THAI_MONTHS_FULL,
    fiscal_months,
    fiscal_year,
    fiscal_year_bounds,
    fiscal_year_label,
    format_month,
)

YEAR = "year"
HALVES = ("h1", "h2")
QUARTERS = ("q1", "q2", "q3", "q4")
MONTHS = tuple(f"m{m:02d}" for m in (10, 11, 12, *range(1, 10)))  # in fiscal order
CODES = (YEAR, *HALVES, *QUARTERS, *MONTHS)
PATTERN = "^(year|h[12]|q[1-4]|m(0[1-9]|1[0-2]))$"
FISCAL_YEAR_PATTERN = "^[0-9]{4}$"
#: The earliest fiscal year anyone may ask for (B.E. 2500 = 1956/57).
FIRST_FISCAL_YEAR = 2500


@dataclass(frozen=True)
class Period:
    fiscal_year: int  # B.E.
    code: str
    first: date  # inclusive, Bangkok days
    last: date

    @property
    def months(self) -> list[tuple[int, int]]:
        """The (CE year, month) pairs the period covers, in order."""
        return [ym for ym in fiscal_months(self.fiscal_year) if self.first <= date(*ym, 1)]

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The period as a half-open range of naive UTC instants."""
        return day_start_utc(self.first), day_start_utc(self.last + timedelta(days=1))

    def started(self, today: date) -> bool:
        return self.first <= today

    def label(self, locale: object = "th") -> str:
        """th: "ไตรมาสที่ 1 ปีงบประมาณ พ.ศ. 2570 (ตุลาคม – ธันวาคม 2569)", "เดือนตุลาคม 2569";
        en: "Q1 of fiscal year 2570 (Oct – Dec 2026)", "October 2026"."""
        thai = str(locale)[:2].lower() != "en"
        year = fiscal_year_label(self.fiscal_year, "th" if thai else "en")
        if self.code == YEAR:
            return year
        if self.code in MONTHS:
            text = format_month(self.first.year, self.first.month, "th" if thai else "en")
            return f"เดือน{text}" if thai else text
        number = int(self.code[1])
        if thai:
            start = (
                THAI_MONTHS_FULL[self.first.month]
                if self.first.year == self.last.year
                else format_month(self.first.year, self.first.month, "th")
            )
            span = f"{start} – {format_month(self.last.year, self.last.month, 'th')}"
            name = "ไตรมาสที่" if self.code[0] == "q" else "ครึ่งปีที่"
            return f"{name} {number} {year} ({span})"
        start = ENGLISH_MONTHS_ABBR[self.first.month]
        if self.first.year != self.last.year:
            start += f" {self.first.year}"
        span = f"{start} – {ENGLISH_MONTHS_ABBR[self.last.month]} {self.last.year}"
        name = "Q" if self.code[0] == "q" else "H"
        return f"{name}{number} of fiscal year {self.fiscal_year} ({span})"


def day_start_utc(day: date) -> datetime:
    """Midnight at the start of Bangkok ``day``, as a naive UTC instant."""
    start = datetime.combine(day, time.min, tzinfo=BANGKOK).astimezone(UTC)
    return start.replace(tzinfo=None)


def period(fy_be: int, code: str = YEAR) -> Period:
    """The period ``code`` of fiscal year ``fy_be`` (ValueError for an unknown code)."""
    if code not in CODES:
        raise ValueError(f"unknown period {code!r}")
    first, last = fiscal_year_bounds(fy_be)
    months = fiscal_months(fy_be)
    if code == YEAR:
        return Period(fy_be, code, first, last)
    if code in MONTHS:
        index = MONTHS.index(code)
        span = months[index : index + 1]
    elif code in QUARTERS:
        index = QUARTERS.index(code) * 3
        span = months[index : index + 3]
    else:
        index = HALVES.index(code) * 6
        span = months[index : index + 6]
    (y0, m0), (y1, m1) = span[0], span[-1]
    end = date(y1 + (m1 == 12), m1 % 12 + 1, 1) - timedelta(days=1)
    return Period(fy_be, code, date(y0, m0, 1), end)


def subperiods(fy_be: int) -> dict[str, list[Period]]:
    """Every half, quarter and month of the fiscal year, in order."""
    return {
        "halves": [period(fy_be, c) for c in HALVES],
        "quarters": [period(fy_be, c) for c in QUARTERS],
        "months": [period(fy_be, c) for c in MONTHS],
    }


def parse(fiscal_year_text: str | None, period_text: str | None, today: date) -> Period:
    """A period from query-string values, or ValueError naming the field at fault
    (``args[0]`` is "fiscal_year" or "period"). An absent fiscal year is the current one; an
    absent period is the whole year. A fiscal year is four digits from FIRST_FISCAL_YEAR to
    the current one."""
    current = fiscal_year(today)
    if fiscal_year_text is None:
        fy = current
    elif re.fullmatch(FISCAL_YEAR_PATTERN, fiscal_year_text) and (
        FIRST_FISCAL_YEAR <= int(fiscal_year_text) <= current
    ):
        fy = int(fiscal_year_text)
    else:
        raise ValueError("fiscal_year")
    code = YEAR if period_text is None else period_text
    if not re.fullmatch(PATTERN, code):
        raise ValueError("period")
    return period(fy, code)
