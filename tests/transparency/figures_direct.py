"""The direct count: every published figure counted case by case in Python, to compare the
grouped aggregates with."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from sqlalchemy import select

from casework.cases import lifecycle
from casework.dates.thaidate import local_date
from casework.extensions import db
from casework.models import Case


def bangkok(y, m, d, hour=10, minute=0) -> datetime:
    """A Bangkok wall-clock time as the naive UTC instant the database stores."""
    return datetime(y, m, d, hour, minute) - timedelta(hours=7)


def nearest(values: list[int], fraction: float) -> int | None:
    ordered = sorted(values)
    return ordered[math.ceil(fraction * len(ordered)) - 1] if ordered else None


def direct_count(channel: str, first: date, last: date, today: date) -> dict:
    """Every figure for ``channel``'s cases received from ``first`` to ``last`` (Bangkok),
    counted case by case in Python."""
    cases = [
        c
        for c in db.session.scalars(select(Case).filter_by(channel=channel))
        if first <= local_date(c.received_at) <= last
    ]

    def done(c):
        return lifecycle.state(channel, c.status).final

    def deadline(c):
        return c.original_due_date or c.due_date

    def late(c):
        if done(c):
            return local_date(c.completed_at) > deadline(c)
        return not lifecycle.state(channel, c.status).paused and today > deadline(c)

    days = [(local_date(c.completed_at) - local_date(c.received_at)).days for c in cases if done(c)]
    rated = [c.rating for c in cases if c.rating is not None]
    by = {}
    for name, key in (
        ("category", lambda c: c.category.code),
        ("via", lambda c: c.received_via),
        ("department", lambda c: c.department.code if c.department else None),
    ):
        groups: dict = {}
        for c in cases:
            g = groups.setdefault(key(c), [0, 0, 0])
            g[0] += 1
            g[1 if done(c) else 2] += 1
        by[name] = groups
    return {
        "received": len(cases),
        "completed": sum(done(c) for c in cases),
        "in_progress": sum(not done(c) for c in cases),
        "days": days,
        "median": nearest(days, 0.5),
        "p90": nearest(days, 0.9),
        "on_time": sum(done(c) and local_date(c.completed_at) <= deadline(c) for c in cases),
        "late": sum(late(c) for c in cases),
        "explained": sum(late(c) and c.explained_at is not None for c in cases),
        "rated": len(rated),
        "satisfied": sum(r >= 4 for r in rated),
        "by": by,
    }
