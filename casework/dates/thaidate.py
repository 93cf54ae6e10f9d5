"""Buddhist Era dates, Bangkok local time and the Thai government fiscal year.

Conventions used throughout Rongrian:

* Naive ``datetime`` values are UTC (that is how they are stored); anything shown to a
  person or bucketed by day is first converted to Asia/Bangkok.
* The Buddhist Era (B.E., พ.ศ.) year is the common-era year + 543.
* The government fiscal year (ปีงบประมาณ) runs 1 October – 30 September and is labelled by
  the B.E. year in which it *ends*: 1 Oct 2026 – 30 Sep 2027 is fiscal year 2570.

Wherever a function takes a ``date`` and is given a ``datetime`` instead, the datetime is
first reduced to its Bangkok calendar date with :func:`local_date`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

__all__ = [
    "BANGKOK",
    "BE_OFFSET",
    "ENGLISH_MONTHS_ABBR",
    "ENGLISH_MONTHS_FULL",
    "THAI_MONTHS_ABBR",
    "THAI_MONTHS_FULL",
    "be_year",
    "fiscal_half",
    "fiscal_months",
    "fiscal_quarter",
    "fiscal_year",
    "fiscal_year_bounds",
    "fiscal_year_label",
    "format_date",
    "format_datetime",
    "format_month",
    "local_date",
    "to_local",
]

BANGKOK = ZoneInfo("Asia/Bangkok")

#: Buddhist Era year = common-era year + BE_OFFSET.
BE_OFFSET = 543

#: Month names, indexed 1..12 (index 0 is an empty string).
THAI_MONTHS_FULL: tuple[str, ...] = (
    "",
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_ABBR: tuple[str, ...] = (
    "",
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
ENGLISH_MONTHS_FULL: tuple[str, ...] = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ENGLISH_MONTHS_ABBR: tuple[str, ...] = (
    "",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)

_FISCAL_START_MONTH = 10
_DATE_STYLES = ("long", "short", "numeric")


def _lang(locale: object) -> str:
    """Reduce a locale (babel ``Locale``, "th_TH", "en", None…) to "th" or "en"."""
    if locale is None:
        return "th"
    return "th" if str(locale)[:2].lower() == "th" else "en"


def _as_date(d: date | datetime) -> date:
    """Return ``d`` as a plain date; a datetime becomes its Bangkok calendar date."""
    if isinstance(d, datetime):
        return local_date(d)
    return d


def to_local(dt: datetime) -> datetime:
    """Convert ``dt`` to an aware Asia/Bangkok datetime (a naive ``dt`` is taken as UTC)."""
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(BANGKOK)


def local_date(dt: datetime | date) -> date:
    """The Bangkok calendar date of ``dt`` (naive = UTC); a plain date is returned as is."""
    if not isinstance(dt, datetime):
        return dt
    return to_local(dt).date()


def be_year(d: date | datetime) -> int:
    """The Buddhist Era year of ``d`` (CE + 543)."""
    return _as_date(d).year + BE_OFFSET


def fiscal_year(d: date | datetime) -> int:
    """The B.E. fiscal year containing ``d``: 30 Sep 2026 → 2569, 1 Oct 2026 → 2570."""
    d = _as_date(d)
    fy_ce = d.year + 1 if d.month >= _FISCAL_START_MONTH else d.year
    return fy_ce + BE_OFFSET


def fiscal_year_bounds(fy_be: int) -> tuple[date, date]:
    """First and last day (inclusive) of B.E. fiscal year ``fy_be``."""
    end_ce = fy_be - BE_OFFSET
    return date(end_ce - 1, _FISCAL_START_MONTH, 1), date(end_ce, 9, 30)


def fiscal_quarter(d: date | datetime) -> int:
    """Fiscal quarter 1..4 of ``d``; Q1 = Oct–Dec, Q2 = Jan–Mar, Q3 = Apr–Jun, Q4 = Jul–Sep."""
    d = _as_date(d)
    return (d.month - _FISCAL_START_MONTH) % 12 // 3 + 1


def fiscal_half(d: date | datetime) -> int:
    """Fiscal half-year of ``d``: 1 (Oct–Mar) or 2 (Apr–Sep)."""
    return 1 if fiscal_quarter(d) <= 2 else 2


def fiscal_months(fy_be: int) -> list[tuple[int, int]]:
    """The twelve (CE year, month) pairs of fiscal year ``fy_be``, October first."""
    start_ce = fy_be - BE_OFFSET - 1
    months = [(start_ce, m) for m in range(_FISCAL_START_MONTH, 13)]
    months += [(start_ce + 1, m) for m in range(1, _FISCAL_START_MONTH)]
    return months


def format_date(d: date | datetime, locale: object = "th", style: str = "long") -> str:
    """Format a date for display.

    th: long "21 พฤศจิกายน 2569", short "21 พ.ย. 2569", numeric "21/11/2569";
    en: long "21 November 2026 (B.E. 2569)", short "21 Nov 2026", numeric "21/11/2026".
    Numeric day and month are zero-padded ("01/02/2569"). A datetime is shown as its
    Bangkok calendar date.
    """
    if style not in _DATE_STYLES:
        raise ValueError(f"unknown date style {style!r}; expected one of {_DATE_STYLES}")
    d = _as_date(d)
    be = d.year + BE_OFFSET
    if _lang(locale) == "th":
        if style == "long":
            return f"{d.day} {THAI_MONTHS_FULL[d.month]} {be}"
        if style == "short":
            return f"{d.day} {THAI_MONTHS_ABBR[d.month]} {be}"
        return f"{d.day:02d}/{d.month:02d}/{be}"
    if style == "long":
        return f"{d.day} {ENGLISH_MONTHS_FULL[d.month]} {d.year} (B.E. {be})"
    if style == "short":
        return f"{d.day} {ENGLISH_MONTHS_ABBR[d.month]} {d.year}"
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def format_datetime(dt: datetime, locale: object = "th") -> str:
    """Format a datetime in Bangkok time.

    th: "21 พ.ย. 2569 เวลา 14:05 น."; en: "21 Nov 2026, 14:05".
    """
    local = to_local(dt)
    day = format_date(local.date(), locale, "short")
    if _lang(locale) == "th":
        return f"{day} เวลา {local:%H:%M} น."
    return f"{day}, {local:%H:%M}"


def format_month(year: int, month: int, locale: object = "th") -> str:
    """Name a month of CE ``year``: th "พฤศจิกายน 2569", en "November 2026"."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    if _lang(locale) == "th":
        return f"{THAI_MONTHS_FULL[month]} {year + BE_OFFSET}"
    return f"{ENGLISH_MONTHS_FULL[month]} {year}"


def fiscal_year_label(fy_be: int, locale: object = "th") -> str:
    """Label a fiscal year.

    th: "ปีงบประมาณ พ.ศ. 2570"; en: "Fiscal year 2570 (Oct 2026 – Sep 2027)".
    """
    if _lang(locale) == "th":
        return f"ปีงบประมาณ พ.ศ. {fy_be}"
    start, end = fiscal_year_bounds(fy_be)
    return (
        f"Fiscal year {fy_be} "
        f"({ENGLISH_MONTHS_ABBR[start.month]} {start.year} – "
        f"{ENGLISH_MONTHS_ABBR[end.month]} {end.year})"
    )
