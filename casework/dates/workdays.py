"""The SLA calendar: counting calendar days or government working days.

Working days are Monday–Friday that are not Thai public holidays (as listed by the
``holidays`` package, including its substitution "in lieu" days and cabinet-declared
bridge holidays it knows about) and not holidays an administrator has declared in
``extra_holidays`` — special holidays are often announced at short notice, after the
installed ``holidays`` release was built.

Government offices are also closed for the Royal Ploughing Ceremony, which the package
files under its "government" category, so both the "public" and "government" categories
are used (see :data:`HOLIDAY_CATEGORIES`).

Dates are plain ``date`` objects in Bangkok; a ``datetime`` passed where a date is
expected is reduced to its Bangkok calendar date (naive = UTC), as in
:mod:`casework.dates.thaidate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType

import holidays

from casework.dates.thaidate import local_date

__all__ = [
    "CALENDAR",
    "DECLARED_HOLIDAY_NAMES",
    "HOLIDAY_CATEGORIES",
    "MODES",
    "WORKING",
    "WorkCalendar",
]

CALENDAR = "calendar"
WORKING = "working"
MODES = (CALENDAR, WORKING)

#: ``holidays`` categories that close a Thai government office.
HOLIDAY_CATEGORIES: tuple[str, ...] = ("public", "government")

#: Name shown for an administrator-declared holiday, by language.
DECLARED_HOLIDAY_NAMES: Mapping[str, str] = MappingProxyType(
    {"th": "วันหยุดพิเศษ", "en": "Declared holiday"}
)

# Our two-letter language -> the ``holidays`` package's language code for Thailand.
_PACKAGE_LANGUAGE = {"th": "th", "en": "en_US"}
_ONE_DAY = timedelta(days=1)


def _lang(locale: object) -> str:
    """Reduce a locale (babel ``Locale``, "th_TH", "en", None…) to "th" or "en"."""
    if locale is None:
        return "th"
    return "th" if str(locale)[:2].lower() == "th" else "en"


@lru_cache(maxsize=64)
def _thai_holidays(year: int, language: str) -> Mapping[date, str]:
    """Thai holidays of one CE year as a read-only {date: name} map (cached; slow to build)."""
    built = holidays.country_holidays(
        "TH",
        years=year,
        language=_PACKAGE_LANGUAGE[language],
        categories=HOLIDAY_CATEGORIES,
    )
    # Keep only this year's dates: the cached map must never grow or change.
    return MappingProxyType({d: name for d, name in built.items() if d.year == year})


def _as_date(d: date | datetime) -> date:
    """Return ``d`` as a plain date; a datetime becomes its Bangkok calendar date."""
    return local_date(d) if isinstance(d, datetime) else d


def _dates(values: Iterable[date | datetime]) -> frozenset[date]:
    """Normalise an iterable of dates/datetimes to a frozenset of plain dates."""
    return frozenset(_as_date(v) for v in values)


@dataclass(frozen=True)
class WorkCalendar:
    """How SLA days are counted: every calendar day, or working days only.

    ``extra_holidays`` are days off declared by an administrator; ``extra_working_days``
    are declared working days (e.g. a working Saturday): :meth:`is_working_day` is True on
    them even over a weekend or holiday, declared ones included (while :meth:`is_holiday`
    still reports the holiday).
    """

    mode: str = CALENDAR
    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        """Validate the mode and normalise the date collections to frozensets of dates."""
        if self.mode not in MODES:
            raise ValueError(f"unknown calendar mode {self.mode!r}; expected one of {MODES}")
        object.__setattr__(self, "extra_holidays", _dates(self.extra_holidays))
        object.__setattr__(self, "extra_working_days", _dates(self.extra_working_days))

    def is_holiday(self, d: date | datetime) -> bool:
        """True on a Thai public/government holiday (incl. in-lieu days) or a declared one."""
        d = _as_date(d)
        return d in self.extra_holidays or d in _thai_holidays(d.year, "th")

    def is_working_day(self, d: date | datetime) -> bool:
        """True on Monday–Friday that is not a holiday, or on a declared working day."""
        d = _as_date(d)
        if d in self.extra_working_days:
            return True
        return d.weekday() < 5 and not self.is_holiday(d)

    def add_days(self, start: date | datetime, days: int) -> date:
        """The due date ``days`` counted days after ``start`` (the received day, not counted).

        Calendar mode: ``start + days``. Working mode: the ``days``-th working day after
        ``start``; ``start`` itself never counts, even when it is a working day.
        """
        start = _as_date(start)
        if days < 0:
            raise ValueError(f"days must be >= 0, got {days}")
        if self.mode == CALENDAR:
            return start + timedelta(days=days)
        current = start
        remaining = days
        while remaining:
            current += _ONE_DAY
            if self.is_working_day(current):
                remaining -= 1
        return current

    def days_between(self, start: date | datetime, end: date | datetime) -> int:
        """How many counted days lie in ``(start, end]``; 0 when ``end <= start``.

        The inverse of :meth:`add_days`: ``days_between(s, add_days(s, n)) == n``.
        """
        start, end = _as_date(start), _as_date(end)
        if end <= start:
            return 0
        if self.mode == CALENDAR:
            return (end - start).days
        count = 0
        current = start
        while current < end:
            current += _ONE_DAY
            if self.is_working_day(current):
                count += 1
        return count

    def holiday_name(self, d: date | datetime, locale: object = "th") -> str | None:
        """The holiday's name in Thai or English, or None on an ordinary day.

        A declared holiday is "วันหยุดพิเศษ" / "Declared holiday" unless the package also
        lists the date, whose own name then wins.
        """
        d = _as_date(d)
        lang = _lang(locale)
        name = _thai_holidays(d.year, lang).get(d)
        if name is None and d in self.extra_holidays:
            name = DECLARED_HOLIDAY_NAMES[lang]
        return name
