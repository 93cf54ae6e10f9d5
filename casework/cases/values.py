"""Reading numbers, dates and record ids from what people send.

Every function here takes whatever arrived (a string from a form, any JSON value, or an already
parsed value from another part of casework) and either returns the value or records one
message for the field in ``errors``: nothing here raises. Each is the only place its kind of
value is parsed, so an input that once gave a 500 (a 400-digit latitude, a B.E. year turned
into a day that does not exist) is fixed for every channel at once.
"""

from __future__ import annotations

import math
import re
from datetime import date

from flask_babel import lazy_gettext as _l

from casework.dates import clock
from casework.dates.thaidate import BE_OFFSET

#: ``YYYY-MM-DD`` and nothing else: not the basic ``YYYYMMDD``, week dates or times, which
#: ``date.fromisoformat`` also reads.
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
#: A year above this in a date field is a Buddhist Era year (B.E. 2400 = 1857).
BE_THRESHOLD = 2400
#: The largest id a row can have (PostgreSQL ``integer``); a larger number matches no row.
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")

EARLIEST_YEAR = 1900
BAD_DATE = _l("Enter a date as YYYY-MM-DD.")


def date_field(
    errors: dict, field: str, value: object, *, buddhist_era: bool = False
) -> date | None:
    """A calendar date from ``YYYY-MM-DD`` (or a ``date``); empty is None.

    With ``buddhist_era`` a year above 2400 is read as B.E. before the day is checked, so
    2567-02-29 is 29 February 2024 and 2568-02-29, a day that never was, is an error."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    match = _ISO_DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        errors[field] = BAD_DATE
        return None
    year, month, day = (int(part) for part in match.groups())
    if buddhist_era and year > BE_THRESHOLD:
        year -= BE_OFFSET
    try:
        return date(year, month, day)
    except ValueError:
        errors[field] = BAD_DATE
        return None


def occurred_on(errors: dict, value: object, field: str = "occurred_on") -> date | None:
    """When something happened (both channels): ``YYYY-MM-DD`` with the year in C.E. or B.E.,
    not before 1900 (an earlier year is a typing mistake) and not in the future."""
    day = date_field(errors, field, value, buddhist_era=True)
    if day is not None and day.year < EARLIEST_YEAR:
        errors[field] = BAD_DATE
        return None
    if day is not None and day > clock.today():
        errors[field] = _l("The date cannot be in the future.")
    return day


def number_field(
    errors: dict, field: str, value: object, low: float, high: float, message
) -> float | None:
    """A finite number in ``[low, high]`` from a JSON number or a decimal string; empty is
    None. Anything else (text, a boolean, a number too large for a float, NaN, infinity, out
    of range) records ``message``."""
    if value is None or value == "":
        return None
    number = None
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            number = float(value)
        except (ValueError, OverflowError):
            number = None
    if number is None or not math.isfinite(number) or not low <= number <= high:
        errors[field] = message
        return None
    return number


def integer_field(
    errors: dict, field: str, value: object, low: int, high: int, message
) -> int | None:
    """A whole number in ``[low, high]`` (from an int or ASCII digits); empty is None."""
    if value is None or value == "":
        return None
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,18}", value.strip()):
        number = int(value)
    if number is None or not low <= number <= high:
        errors[field] = message
        return None
    return number


def record_id(value: object) -> int | None:
    """A row id from a form or query string (ASCII digits, 1 to 2**31 - 1), else None.

    ``str.isdigit`` is no guard: it accepts "²" and Thai digits, and ``int`` of a long run
    of digits is a number no database column holds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_ID else None
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None
