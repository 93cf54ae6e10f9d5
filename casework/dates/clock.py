"""The one source of "now". Times are stored as naive UTC; tests freeze the clock here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from casework.dates.thaidate import local_date

_frozen: datetime | None = None


def utcnow() -> datetime:
    """Naive UTC now (or the frozen instant in tests)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """Today's date in Bangkok."""
    return local_date(utcnow())


def freeze(at: datetime | None) -> None:
    """Freeze the clock at a naive-UTC instant; None unfreezes."""
    global _frozen
    if at is not None and at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    _frozen = at


def day_only(at: datetime) -> datetime:
    """Midnight of ``at``'s Bangkok date: the corruption channel keeps no time finer than the
    day, and the day is the one the tipster saw (a tip sent at 03:00 in Bangkok is 20:00 UTC
    the day before). ``local_date`` of the result is that Bangkok date."""
    return datetime.combine(local_date(at), time.min)
