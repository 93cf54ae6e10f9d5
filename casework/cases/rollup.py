"""The published figures read from the rollup (casework.models.rollup) instead of the cases.

The figures are those of casework.cases.figures, for whole Bangkok months (every published
period is one or more months of a fiscal year), and equal them exactly: tests compare both
(tests/casework/cases/test_rollup.py). Reading costs the rollup's rows for the period, which
stop growing once every combination of status, category, received via and department has
occurred, instead of the period's cases. Which statuses are completed, paused or late is
decided here, from the state machine (casework.cases.lifecycle), as casework.cases.figures does.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import case, delete, func, select

from casework.cases import lifecycle
from casework.cases.figures import SATISFIED, ChannelFigures, Counts, day_index, statuses
from casework.extensions import db
from casework.models import Case
from casework.models.rollup import (
    EXPLAINED,
    KEY,
    LATE,
    ON_TIME,
    TRACKED,
    CaseFigure,
    add,
    tally,
)

R = CaseFigure


def month_span(first: date, last: date) -> tuple[date, date]:
    """The first days of the months holding ``first`` and ``last``."""
    return first.replace(day=1), last.replace(day=1)


def period_figures(org_id: int, first: date, last: date, today: date) -> dict[str, ChannelFigures]:
    """casework.cases.figures.period_figures for the cases received in the Bangkok months from
    ``first`` to ``last`` (both whole months)."""
    start, end = month_span(first, last)
    result = {channel: ChannelFigures(channel) for channel in lifecycle.STATES}
    completed = {ch: set(codes) for ch, codes in statuses(lifecycle.COMPLETED).items()}
    paused = {ch: set(codes) for ch, codes in statuses(paused=True).items()}
    today_index = day_index(today)
    # A deadline matters only as past or not today: 1 when it was before today, else 0, so the
    # database sums the months' deadline rows into a few per status.
    value = case(
        (R.facet == "deadline", case((R.value < today_index, 1), else_=0)), else_=R.value
    ).label("value")
    columns = (
        R.channel,
        R.facet,
        R.status,
        R.category_id,
        R.received_via,
        R.department_id,
        value,
        R.detail,
    )
    rows = db.session.execute(
        select(*columns, func.sum(R.n))
        .where(R.organization_id == org_id, R.month >= start, R.month <= end)
        .group_by(*columns)
    )
    for channel, facet, status, category_id, via, department_id, value, detail, n in rows:
        if not n or channel not in result:
            continue
        figures = result[channel]
        done = status in completed[channel]
        if facet == "counts":
            for counts in (
                figures.totals,
                figures.by_category[category_id],
                figures.by_received_via[via],
                figures.by_department[department_id or None],
            ):
                counts.add(channel, status, n)
        elif facet == "days":
            if done:
                figures.days[value] = figures.days.get(value, 0) + n
        elif facet == "deadline":
            met = detail & (ON_TIME | LATE)
            if done:
                late = met == LATE
                figures.on_time += n if met == ON_TIME else 0
            else:
                late = status not in paused[channel] and value == 1  # before today
            if late:
                figures.late += n
                if detail & EXPLAINED:
                    figures.late_explained += n
        elif facet == "rating":
            figures.rated += n
            if value >= SATISFIED:
                figures.satisfied += n
        elif facet == "reopened":
            figures.reopened += n
    return result


def series(org_id: int, months: list[date]) -> dict[str, list[Counts]]:
    """Received, completed and in progress per month (each the 1st of a Bangkok month), per
    channel: casework.cases.figures.series for whole months."""
    index = {month: i for i, month in enumerate(months)}
    result = {channel: [Counts() for _ in months] for channel in lifecycle.STATES}
    rows = db.session.execute(
        select(R.month, R.channel, R.status, func.sum(R.n))
        .where(
            R.organization_id == org_id,
            R.facet == "counts",
            R.month >= min(months),
            R.month <= max(months),
        )
        .group_by(R.month, R.channel, R.status)
    )
    for month, channel, status, n in rows:
        if n and channel in result and month in index:
            result[channel][index[month]].add(channel, status, n)
    return result


def rebuild(org_id: int) -> int:
    """Compute one organization's rollup afresh from its cases (a repair, and what the parity
    tests compare the rollup kept on every flush with); returns the rows written. The caller
    commits. Concurrent filings wait: the table is locked for the rebuild on PostgreSQL."""
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        session.execute(db.text("LOCK TABLE case_figures IN SHARE ROW EXCLUSIVE MODE"))
    session.execute(delete(R).where(R.organization_id == org_id))
    columns = [getattr(Case, name) for name in TRACKED]
    found = session.execute(
        select(*columns).where(Case.organization_id == org_id).execution_options(yield_per=5000)
    )
    total = tally(dict(zip(TRACKED, row, strict=True)) for row in found)
    add(session.connection(), total)
    return len(total)


def stored(org_id: int) -> Counter:
    """The rollup as stored (key → cases, without empty rows), for comparing with a rebuild."""
    columns = [getattr(R, name) for name in KEY]
    rows = db.session.execute(select(*columns, R.n).where(R.organization_id == org_id, R.n != 0))
    return Counter({tuple(row[:-1]): row[-1] for row in rows})
