"""The published statistics (ITA): both channels' figures for a period of a fiscal year.

General complaints (``complaint``) and corruption complaints (``tip``) are counted apart. Totals
are exact in both. In the tip channel's breakdowns (by category, received via, department) a
count from 1 to k-1 is published only as "< k" (``BELOW_K``); when a breakdown would hide exactly
one such cell, its total minus the cells shown would give that cell away, so the smallest other
non-zero cell is hidden too and published as "≥ k" (``COMPLEMENTARY``). The tip channel's
breakdowns carry the number received only: completed and in progress per category would give
away what suppressing the received count hides.

Days to completion (median and 90th percentile) are published only when at least
``min_sample`` completed cases stand behind them, as FixMyStreet requires a minimum count so that
one fast case cannot top the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework.cases import figures, rollup
from casework.cases.errors import FieldErrors
from casework.cases.figures import ChannelFigures, Counts
from casework.cases.received import RECEIVED_VIA_LABELS
from casework.dates import periods
from casework.dates.periods import Period
from casework.dates.thaidate import fiscal_year
from casework.extensions import db
from casework.models import Case, Category, Department, Organization
from casework.models.case import RECEIVED_VIA

K = 3  # the default suppression threshold for the tip channel's breakdowns
MIN_SAMPLE = 10  # the default minimum of completed cases behind a published median or p90
CHANNELS = ("complaint", "tip")
SUPPRESSED_CHANNELS = frozenset({"tip"})
BELOW_K, COMPLEMENTARY = "below_k", "complementary"


@dataclass
class Cell:
    """One published count: ``value`` is None when it is suppressed (``suppressed`` says how)."""

    value: int | None
    suppressed: str | None = None

    def shown(self, k: int) -> str:
        if self.suppressed == BELOW_K:
            return f"< {k}"
        if self.suppressed == COMPLEMENTARY:
            return f"≥ {k}"
        return str(self.value)


@dataclass
class Row:
    """One line of a breakdown. ``counts`` (received, completed, in progress, exact) is None in
    a suppressed channel, where only ``received`` is published."""

    code: str | None
    name_th: str
    name_en: str
    received: Cell
    counts: Counts | None


@dataclass
class ChannelStats:
    channel: str
    totals: Counts
    by_category: list[Row]
    by_received_via: list[Row]
    by_department: list[Row]
    timed: int  # completed cases with known days to completion
    median_days: int | None  # None below the minimum sample
    p90_days: int | None
    on_time: int
    on_time_pct: int | None
    late: int
    late_explained: int
    explained_pct: int | None
    rated: int
    satisfied: int
    satisfied_pct: int | None
    meets_target: bool | None
    reopened: int  # the complainant said "not fixed" after completion
    suppressed: bool  # small breakdown cells are hidden


@dataclass
class Stats:
    organization_id: int
    period: Period
    as_of: date
    k: int
    min_sample: int
    channels: dict[str, ChannelStats]
    # The months, quarters and halves inside the period, each with both channels' totals.
    parts: dict[str, list[tuple[Period, dict[str, Counts]]]] = field(default_factory=dict)

    @property
    def started(self) -> bool:
        return self.period.started(self.as_of)


def period_asked(fiscal_year: str | None, period: str | None, today: date) -> Period:
    """The period a query string asks for (``?fiscal_year=2570&period=q1``), or FieldErrors
    naming the parameter at fault."""
    try:
        return periods.parse(fiscal_year, period, today)
    except ValueError as error:
        messages = {
            "fiscal_year": _l(
                "Give a fiscal year in B.E., from %(first)d to the current one.",
                first=periods.FIRST_FISCAL_YEAR,
            ),
            "period": _l("Use year, h1, h2, q1 to q4, or m01 to m12."),
        }
        name = error.args[0]
        raise FieldErrors({name: messages[name]}, _l("No such period.")) from None


def recent_years(today: date, count: int = 5) -> list[int]:
    """The current fiscal year and the ``count - 1`` before it, newest first."""
    current = periods.parse(None, None, today).fiscal_year
    return list(range(current, current - count, -1))


def published_years(org: Organization, today: date) -> list[int]:
    """The fiscal years from the organization's first case to the current one, newest first."""
    first = db.session.scalar(
        select(func.min(Case.received_at)).where(Case.organization_id == org.id)
    )
    now = fiscal_year(today)
    start = min(fiscal_year(first), now) if first else now
    return list(range(now, start - 1, -1))


def suppress(values: list[int], k: int) -> list[Cell]:
    """Cells for one breakdown's counts with 1..k-1 hidden, plus the complementary cell."""
    cells = [Cell(v, BELOW_K if 0 < v < k else None) for v in values]
    hidden = [c for c in cells if c.suppressed]
    if len(hidden) == 1:
        shown = [c for c in cells if not c.suppressed and c.value]
        if shown:
            min(shown, key=lambda c: c.value).suppressed = COMPLEMENTARY
    for cell in cells:
        if cell.suppressed:
            cell.value = None
    return cells


def _rows(keys: list, names: dict, counts: dict, suppressed: bool, k: int) -> list[Row]:
    values = [counts[key].received if key in counts else 0 for key in keys]
    cells = suppress(values, k) if suppressed else [Cell(v) for v in values]
    return [
        Row(
            code=names[key][0],
            name_th=names[key][1],
            name_en=names[key][2],
            received=cell,
            counts=None if suppressed else counts.get(key, Counts()),
        )
        for key, cell in zip(keys, cells, strict=True)
    ]


def _channel(
    found: ChannelFigures,
    every_category: list[Category],
    departments: list[Department],
    k: int,
    min_sample: int,
) -> ChannelStats:
    channel = found.channel
    suppressed = channel in SUPPRESSED_CHANNELS
    categories = [c for c in every_category if c.channel == channel]
    category_keys = [c.id for c in categories if c.active or c.id in found.by_category]
    category_names = {c.id: (c.code, c.name_th, c.name_en) for c in categories}

    department_names = {d.id: (d.code, d.name_th, d.name_en) for d in departments}
    department_names[None] = (None, "ไม่ระบุส่วนงาน", "No department")
    department_keys = [
        d.id
        for d in departments
        if d.id in found.by_department or (d.active and channel == "complaint")
    ]
    if None in found.by_department:
        department_keys.append(None)

    via_keys = [v for v in RECEIVED_VIA if v in found.by_received_via]
    via_names = {
        v: (v, _in(RECEIVED_VIA_LABELS[v], "th"), _in(RECEIVED_VIA_LABELS[v], "en"))
        for v in RECEIVED_VIA
    }
    enough = found.timed >= min_sample
    return ChannelStats(
        channel=channel,
        totals=found.totals,
        by_category=_rows(category_keys, category_names, found.by_category, suppressed, k),
        by_received_via=_rows(via_keys, via_names, found.by_received_via, suppressed, k),
        by_department=_rows(department_keys, department_names, found.by_department, suppressed, k),
        timed=found.timed,
        median_days=found.percentile(0.5) if enough else None,
        p90_days=found.percentile(0.9) if enough else None,
        on_time=found.on_time,
        on_time_pct=found.on_time_pct,
        late=found.late,
        late_explained=found.late_explained,
        explained_pct=found.explained_pct,
        rated=found.rated,
        satisfied=found.satisfied,
        satisfied_pct=found.satisfied_pct,
        meets_target=found.meets_target,
        reopened=found.reopened,
        suppressed=suppressed,
    )


def _in(lazy, locale: str) -> str:
    from flask_babel import force_locale

    with force_locale(locale):
        return str(lazy)


def _parts(org: Organization, fy: int) -> dict[str, list[tuple[Period, dict[str, Counts]]]]:
    """Both channels' totals for every month, quarter and half of the fiscal year (one query of
    the rollup)."""
    every = periods.subperiods(fy)
    monthly = rollup.series(org.id, [m.first for m in every["months"]])
    parts: dict[str, list[tuple[Period, dict[str, Counts]]]] = {
        "months": [
            (p, {ch: monthly[ch][i] for ch in CHANNELS}) for i, p in enumerate(every["months"])
        ]
    }
    for name, size in (("quarters", 3), ("halves", 6)):
        rows = []
        for index, part in enumerate(every[name]):
            sums = {ch: Counts() for ch in CHANNELS}
            for ch in CHANNELS:
                for counts in monthly[ch][index * size : (index + 1) * size]:
                    sums[ch].merge(counts)
            rows.append((part, sums))
        parts[name] = rows
    return parts


def _inside(outer: Period, inner: Period) -> bool:
    return outer.first <= inner.first and inner.last <= outer.last and outer != inner


def published(
    org: Organization, period: Period, today: date, *, k: int = K, min_sample: int = MIN_SAMPLE
) -> Stats:
    """The published figures of ``period`` as they stand on ``today`` (Bangkok)."""
    found = rollup.period_figures(org.id, period.first, period.last, today)
    parts = {
        name: [(p, sums) for p, sums in rows if _inside(period, p)]
        for name, rows in _parts(org, period.fiscal_year).items()
    }
    # Both channels' labels in two queries: the categories (each channel takes its own) and the
    # departments.
    categories = db.session.scalars(
        select(Category)
        .filter_by(organization_id=org.id)
        .order_by(Category.sort_order, Category.id)
    ).all()
    departments = db.session.scalars(
        select(Department).filter_by(organization_id=org.id).order_by(Department.id)
    ).all()
    return Stats(
        organization_id=org.id,
        period=period,
        as_of=today,
        k=k,
        min_sample=min_sample,
        channels={
            ch: _channel(found[ch], categories, departments, k, min_sample) for ch in CHANNELS
        },
        parts={name: rows for name, rows in parts.items() if rows},
    )


def _counts(c: Counts) -> dict:
    return {"received": c.received, "completed": c.completed, "in_progress": c.in_progress}


def _row(row: Row) -> dict:
    out: dict = {
        "code": row.code,
        "name_th": row.name_th,
        "name_en": row.name_en,
        "received": row.received.value,
        "suppressed": row.received.suppressed,
    }
    if row.counts is not None:
        out.update(completed=row.counts.completed, in_progress=row.counts.in_progress)
    return out


def channel_dict(c: ChannelStats) -> dict:
    return {
        **_counts(c.totals),
        "by_category": [_row(r) for r in c.by_category],
        "by_received_via": [_row(r) for r in c.by_received_via],
        "by_department": [_row(r) for r in c.by_department],
        "days_to_completion": {"sample": c.timed, "median": c.median_days, "p90": c.p90_days},
        "within_deadline": {
            "completed": c.totals.completed,
            "on_time": c.on_time,
            "share_pct": c.on_time_pct,
        },
        "late": {"late": c.late, "explained": c.late_explained, "share_pct": c.explained_pct},
        "reopened": c.reopened,
        "satisfaction": {
            "responses": c.rated,
            "satisfied": c.satisfied,
            "share_pct": c.satisfied_pct,
            "target_pct": figures.TARGET_PCT,
            "meets_target": c.meets_target,
        },
    }


def _period_dict(p: Period) -> dict:
    return {
        "period": p.code,
        "label_th": p.label("th"),
        "label_en": p.label("en"),
        "start": p.first.isoformat(),
        "end": p.last.isoformat(),
    }


def as_dict(stats: Stats) -> dict:
    """The figures as the API and the open-data JSON publish them, keyed by channel."""
    return {
        "fiscal_year": stats.period.fiscal_year,
        **_period_dict(stats.period),
        "as_of": stats.as_of.isoformat(),
        "k": stats.k,
        "min_sample": stats.min_sample,
        **{ch: channel_dict(c) for ch, c in stats.channels.items()},
        "parts": {
            name: [
                {**_period_dict(p), **{ch: _counts(sums[ch]) for ch in CHANNELS}}
                for p, sums in rows
            ]
            for name, rows in stats.parts.items()
        },
    }
