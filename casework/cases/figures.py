"""Figures over the cases received in a period, for either channel, as grouped SQL aggregates.

The plans publish three figures — received, completed, in progress — where every case received
in the period counts once, completed or not as it stands today (``lifecycle.State.bucket``; the
plans' "in progress" is every case not completed yet). Beside them:

* breakdowns of the same three by category, by the way the case came in (received via) and by
  responsible department;
* days to completion: Bangkok calendar days from the day received to the day completed, as a
  histogram from which the median and the 90th percentile are read (nearest rank);
* completed within the deadline: completed on or before the first deadline, the one before any
  explanation of delay moved it (``original_due_date``, else ``due_date``);
* late cases: completed after that deadline, or still open past it today unless waiting for the
  complainant; and how many of them were explained to the complainant (``explained_at``);
* satisfaction: ratings given, and how many were 4 or 5 out of 5 (the plans' target is 80%);
* reopened: cases whose complainant said "not fixed" after completion (reopened in place, or
  followed up by a new case after the window: ``Case.reopen_count``).

Every figure is one aggregate query over an index on (organization, received_at), grouped by
channel; nothing loops over cases in Python, so the cost follows the period's cases, not the
table's. Bangkok has kept UTC+7 without daylight saving since 1920, so its calendar day is
computed in SQL from the stored naive-UTC instant shifted by seven hours.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Integer, and_, case, func, literal, not_, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from casework.cases import lifecycle
from casework.extensions import db
from casework.models import Case

SATISFIED = 4  # a rating of 4 or 5 out of 5 counts as satisfied
TARGET_PCT = 80  # the plans' target: at least 80 per cent satisfied
EPOCH = date(1970, 1, 1)
_BANGKOK_HOURS = 7


class local_day(FunctionElement):  # noqa: N801 - reads as the SQL function it renders
    """The Bangkok calendar day of a naive-UTC timestamp, as days since 1970-01-01."""

    type = Integer()
    inherit_cache = True


class day_number(FunctionElement):  # noqa: N801
    """A DATE as days since 1970-01-01 (comparable with ``local_day``)."""

    type = Integer()
    inherit_cache = True


@compiles(local_day)
def _local_day_pg(element, compiler, **kw):
    (arg,) = element.clauses
    return (
        f"(CAST(({compiler.process(arg, **kw)} + INTERVAL '{_BANGKOK_HOURS} hours') AS DATE)"
        " - DATE '1970-01-01')"
    )


@compiles(local_day, "sqlite")
def _local_day_sqlite(element, compiler, **kw):
    (arg,) = element.clauses
    return (
        f"CAST(julianday(date({compiler.process(arg, **kw)}, '+{_BANGKOK_HOURS} hours'))"
        " - 2440587.5 AS INTEGER)"
    )


@compiles(day_number)
def _day_number_pg(element, compiler, **kw):
    (arg,) = element.clauses
    return f"(CAST({compiler.process(arg, **kw)} AS DATE) - DATE '1970-01-01')"


@compiles(day_number, "sqlite")
def _day_number_sqlite(element, compiler, **kw):
    (arg,) = element.clauses
    return f"CAST(julianday({compiler.process(arg, **kw)}) - 2440587.5 AS INTEGER)"


class floor_int(FunctionElement):  # noqa: N801
    """The largest integer not above a number (grid cells of the recurrence analysis)."""

    type = Integer()
    inherit_cache = True


@compiles(floor_int)
def _floor_pg(element, compiler, **kw):
    (arg,) = element.clauses
    return f"CAST(FLOOR({compiler.process(arg, **kw)}) AS INTEGER)"


@compiles(floor_int, "sqlite")
def _floor_sqlite(element, compiler, **kw):
    (arg,) = element.clauses
    a, b, c = (compiler.process(arg, **kw) for _ in range(3))  # each use binds its own value
    return f"(CAST({a} AS INTEGER) - ({b} < CAST({c} AS INTEGER)))"


def day_index(day: date) -> int:
    """``day`` as days since 1970-01-01, the unit ``local_day`` and ``day_number`` count in."""
    return day.toordinal() - EPOCH.toordinal()


def pct(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in whole per cent, or None when there is nothing to divide."""
    return round(100 * part / whole) if whole else None


def statuses(bucket: str | None = None, *, paused: bool = False) -> dict[str, tuple[str, ...]]:
    """Per channel, the status codes in ``bucket`` (or the paused ones)."""
    return {
        channel: tuple(
            code for code, st in states.items() if (st.paused if paused else st.bucket == bucket)
        )
        for channel, states in lifecycle.STATES.items()
    }


def _status_in(per_channel: dict[str, tuple[str, ...]]):
    return or_(
        *(
            and_(Case.channel == channel, Case.status.in_(codes))
            for channel, codes in per_channel.items()
            if codes
        )
    )


class Satisfaction:
    """The satisfaction share of anything counting ``rated`` ratings, ``satisfied`` of them 4
    or 5 (the back office's figures and the published ones alike)."""

    rated: int
    satisfied: int

    @property
    def satisfied_pct(self) -> int | None:
        return pct(self.satisfied, self.rated)

    @property
    def meets_target(self) -> bool | None:
        share = self.satisfied_pct
        return None if share is None else share >= TARGET_PCT


@dataclass
class Counts:
    received: int = 0
    completed: int = 0
    in_progress: int = 0  # not completed yet: received or in progress

    def add(self, channel: str, status: str, n: int) -> None:
        self.received += n
        if lifecycle.bucket(channel, status) == lifecycle.COMPLETED:
            self.completed += n
        else:
            self.in_progress += n

    def merge(self, other: Counts) -> None:
        self.received += other.received
        self.completed += other.completed
        self.in_progress += other.in_progress


@dataclass
class ChannelFigures(Satisfaction):
    channel: str
    totals: Counts = field(default_factory=Counts)
    by_category: dict[int, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_received_via: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_department: dict[int | None, Counts] = field(default_factory=lambda: defaultdict(Counts))
    days: dict[int, int] = field(default_factory=dict)  # days to completion -> cases
    on_time: int = 0
    late: int = 0
    late_explained: int = 0
    rated: int = 0
    satisfied: int = 0
    reopened: int = 0

    @property
    def timed(self) -> int:
        """Completed cases whose days to completion are known (the percentiles' sample)."""
        return sum(self.days.values())

    def percentile(self, fraction: float) -> int | None:
        """Nearest-rank percentile of days to completion (None with no sample)."""
        return nearest_rank(self.days, fraction)

    @property
    def on_time_pct(self) -> int | None:
        return pct(self.on_time, self.totals.completed)

    @property
    def explained_pct(self) -> int | None:
        return pct(self.late_explained, self.late)


def nearest_rank(histogram: dict[int, int], fraction: float) -> int | None:
    """The smallest value with at least ``fraction`` of the sample at or below it."""
    n = sum(histogram.values())
    if not n:
        return None
    rank = max(1, math.ceil(fraction * n))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable")  # pragma: no cover


def _in_range(org_id: int, start: datetime, end: datetime) -> list:
    return [Case.organization_id == org_id, Case.received_at >= start, Case.received_at < end]


def period_figures(
    org_id: int, start: datetime, end: datetime, today: date
) -> dict[str, ChannelFigures]:
    """Every figure above for the cases received in [start, end) (naive UTC), per channel;
    ``today`` (Bangkok) decides which open cases are already late."""
    result = {channel: ChannelFigures(channel) for channel in lifecycle.STATES}
    where = _in_range(org_id, start, end)
    grouped = select(
        Case.channel,
        Case.status,
        Case.category_id,
        Case.received_via,
        Case.department_id,
        func.count(),
    ).where(*where)
    for channel, status, category_id, via, department_id, n in db.session.execute(
        grouped.group_by(
            Case.channel, Case.status, Case.category_id, Case.received_via, Case.department_id
        )
    ):
        figures = result[channel]
        for counts in (
            figures.totals,
            figures.by_category[category_id],
            figures.by_received_via[via],
            figures.by_department[department_id],
        ):
            counts.add(channel, status, n)

    completed = _status_in(statuses(lifecycle.COMPLETED))
    done_day = local_day(Case.completed_at)
    timed = (
        select(Case.channel, (done_day - local_day(Case.received_at)).label("days"))
        .where(*where, completed, Case.completed_at.is_not(None))
        .subquery()
    )
    for channel, days, n in db.session.execute(
        select(timed.c.channel, timed.c.days, func.count()).group_by(timed.c.channel, timed.c.days)
    ):
        result[channel].days[int(days)] = n

    deadline = day_number(func.coalesce(Case.original_due_date, Case.due_date))
    waiting = _status_in(statuses(paused=True))
    late = or_(
        and_(completed, done_day > deadline),
        and_(not_(completed), not_(waiting), literal(day_index(today), Integer()) > deadline),
    )

    def total(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    sums = select(
        Case.channel,
        total(and_(completed, done_day <= deadline)),
        total(late),
        total(and_(late, Case.explained_at.is_not(None))),
        func.count(Case.rating),
        total(Case.rating >= SATISFIED),
        total(Case.reopen_count > 0),
    ).where(*where)
    for channel, on_time, late_n, explained, rated, satisfied, reopened in db.session.execute(
        sums.group_by(Case.channel)
    ):
        figures = result[channel]
        figures.on_time, figures.late, figures.late_explained = on_time, late_n, explained
        figures.rated, figures.satisfied, figures.reopened = rated, satisfied, reopened
    return result


def series(org_id: int, bounds: list[datetime]) -> dict[str, list[Counts]]:
    """Received, completed and in progress per consecutive slot [bounds[i], bounds[i+1]), per
    channel, in one grouped query (e.g. the twelve months of a fiscal year)."""
    slots = len(bounds) - 1
    slot = case(
        *((Case.received_at < upper, index) for index, upper in enumerate(bounds[1:])),
        else_=slots,
    )
    inner = (
        select(Case.channel, Case.status, slot.label("slot"))
        .where(*_in_range(org_id, bounds[0], bounds[-1]))
        .subquery()
    )
    result = {channel: [Counts() for _ in range(slots)] for channel in lifecycle.STATES}
    for channel, status, index, n in db.session.execute(
        select(inner.c.channel, inner.c.status, inner.c.slot, func.count()).group_by(
            inner.c.channel, inner.c.status, inner.c.slot
        )
    ):
        result[channel][int(index)].add(channel, status, n)
    return result
