"""Recurrence analysis for the complaint working group: the database the plans ask for, used so
that the same problems do not come back.

* The top categories, departments and places of a period, each with its count in the period
  before (the previous month, quarter, half or year) and the change.
* Places that keep coming back: general complaints clustered by location, within the
  organization's radius (``Organization.recurrence_radius_m``), over the last twelve months,
  with the number of months each place had complaints in.
* A flag on a case that resembles open or recent cases at the same place.

Counts are grouped in SQL. Places are cells of a grid as wide as the radius; neighbouring cells
that both have complaints are merged into one cluster, so a place on a cell's edge is not
split in two.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, literal, select

from casework.cases import lifecycle
from casework.cases.figures import floor_int
from casework.dates import periods
from casework.dates.thaidate import fiscal_year
from casework.extensions import db
from casework.models import Case, Category, Department, Organization

CHANNEL = "complaint"
METRES_PER_DEGREE = 111_320
RECENT_DAYS = 90
TOP = 5


@dataclass
class Trend:
    key: object  # category or department row, or a Place
    count: int
    before: int

    @property
    def change(self) -> int:
        return self.count - self.before


@dataclass
class Place:
    lat: float  # the cluster's centre (mean of its cells' centres, weighted by cases)
    lng: float
    cases: int
    months: int = 0  # distinct months with complaints (recurring places)
    categories: dict[str, int] = field(default_factory=dict)


def previous(period: periods.Period) -> periods.Period:
    """The period of the same kind just before ``period``."""
    code, year = period.code, period.fiscal_year
    for group in (periods.MONTHS, periods.QUARTERS, periods.HALVES):
        if code in group:
            index = group.index(code)
            return periods.period(year if index else year - 1, group[index - 1])
    return periods.period(year - 1, periods.YEAR)


def _range(org: Organization, start: datetime, end: datetime) -> list:
    return [
        Case.organization_id == org.id,
        Case.channel == CHANNEL,
        Case.received_at >= start,
        Case.received_at < end,
    ]


def _counts(org: Organization, column, period: periods.Period) -> dict:
    start, end = period.utc_bounds()
    rows = db.session.execute(
        select(column, func.count()).where(*_range(org, start, end)).group_by(column)
    )
    return dict(rows.all())


def _trends(now: dict, before: dict, rows: dict) -> list[Trend]:
    found = [Trend(rows.get(k), n, before.get(k, 0)) for k, n in now.items()]
    return sorted(found, key=lambda t: (-t.count, -t.change))[:TOP]


def _step(org: Organization) -> float:
    return max(org.recurrence_radius_m, 10) / METRES_PER_DEGREE


def _cells(org: Organization, start: datetime, end: datetime, slots: list[datetime] | None):
    """(cell row, cell column, slot or None, category code) -> cases, grouped in SQL."""
    step = _step(org)
    row = floor_int(Case.lat / step)
    column = floor_int(Case.lng / step)
    slot = (
        case(*((Case.received_at < upper, i) for i, upper in enumerate(slots[1:])), else_=-1)
        if slots
        else None
    )
    inner = (
        select(
            row.label("r"),
            column.label("c"),
            (slot if slot is not None else literal(0)).label("s"),
            Category.code.label("code"),
        )
        .join(Category, Case.category_id == Category.id)
        .where(*_range(org, start, end), Case.lat.is_not(None), Case.lng.is_not(None))
        .subquery()
    )
    query = select(inner.c.r, inner.c.c, inner.c.s, inner.c.code, func.count()).group_by(
        inner.c.r, inner.c.c, inner.c.s, inner.c.code
    )
    return db.session.execute(query).all()


def _clusters(org: Organization, rows) -> list[Place]:
    """Merge neighbouring cells (8-connected) into places."""
    step = _step(org)
    cells: dict[tuple[int, int], dict] = defaultdict(
        lambda: {"n": 0, "slots": set(), "codes": defaultdict(int)}
    )
    for r, c, s, code, n in rows:
        cell = cells[(r, c)]
        cell["n"] += n
        cell["slots"].add(s)
        cell["codes"][code] += n
    seen: set[tuple[int, int]] = set()
    places = []
    for start in sorted(cells):
        if start in seen:
            continue
        group, stack = [], [start]
        seen.add(start)
        while stack:
            r, c = stack.pop()
            group.append((r, c))
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    near = (r + dr, c + dc)
                    if near in cells and near not in seen:
                        seen.add(near)
                        stack.append(near)
        total = sum(cells[g]["n"] for g in group)
        codes: dict[str, int] = defaultdict(int)
        for g in group:
            for code, n in cells[g]["codes"].items():
                codes[code] += n
        places.append(
            Place(
                lat=round(sum((g[0] + 0.5) * step * cells[g]["n"] for g in group) / total, 5),
                lng=round(sum((g[1] + 0.5) * step * cells[g]["n"] for g in group) / total, 5),
                cases=total,
                months=len(set().union(*(cells[g]["slots"] for g in group))),
                categories=dict(sorted(codes.items(), key=lambda kv: -kv[1])),
            )
        )
    return sorted(places, key=lambda p: (-p.cases, -p.months))


@dataclass
class Analysis:
    period: periods.Period
    before: periods.Period
    categories: list[Trend]
    departments: list[Trend]
    places: list[Trend]
    recurring: list[Place]
    radius_m: int


def analyse(org: Organization, period: periods.Period, today: date) -> Analysis:
    before = previous(period)
    cats = {c.id: c for c in db.session.scalars(select(Category).filter_by(organization_id=org.id))}
    depts = {
        d.id: d for d in db.session.scalars(select(Department).filter_by(organization_id=org.id))
    }
    places_now = _clusters(org, _cells(org, *period.utc_bounds(), None))
    places_before = _clusters(org, _cells(org, *before.utc_bounds(), None))
    place_trends = []
    for place in places_now[:TOP]:
        earlier = sum(
            p.cases
            for p in places_before
            if _metres(place.lat, place.lng, p.lat, p.lng) <= (org.recurrence_radius_m * 2)
        )
        place_trends.append(Trend(place, place.cases, earlier))
    # Places that keep coming back: the last twelve months, month by month.
    last = _twelve_months(today)
    bounds = [m.utc_bounds()[0] for m in last] + [last[-1].utc_bounds()[1]]
    recurring = [
        p for p in _clusters(org, _cells(org, bounds[0], bounds[-1], bounds)) if p.months >= 2
    ]
    return Analysis(
        period=period,
        before=before,
        categories=_trends(
            _counts(org, Case.category_id, period), _counts(org, Case.category_id, before), cats
        ),
        departments=_trends(
            _counts(org, Case.department_id, period),
            _counts(org, Case.department_id, before),
            depts,
        ),
        places=place_trends,
        recurring=recurring[:20],
        radius_m=org.recurrence_radius_m,
    )


def _twelve_months(today: date) -> list[periods.Period]:
    """The twelve months ending with this one."""
    found: list[periods.Period] = []
    month = periods.period(fiscal_year(today), f"m{today.month:02d}")
    for _ in range(12):
        found.append(month)
        month = previous(month)
    return list(reversed(found))


def _metres(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine) in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def similar(case_: Case, radius_m: int, today: date) -> list[Case]:
    """Open general complaints, or ones received in the last 90 days, within ``radius_m`` of
    ``case_``'s place (nearest first); none when the case has no place."""
    if case_.lat is None or case_.lng is None or case_.channel != CHANNEL:
        return []
    degrees = radius_m / METRES_PER_DEGREE
    wide = degrees / max(math.cos(math.radians(case_.lat)), 0.1)
    open_statuses = [c for c, st in lifecycle.STATES[CHANNEL].items() if not st.final]
    since = datetime.combine(today - timedelta(days=RECENT_DAYS), datetime.min.time())
    nearby = db.session.scalars(
        select(Case).where(
            Case.organization_id == case_.organization_id,
            Case.channel == CHANNEL,
            Case.id != case_.id,
            Case.lat.between(case_.lat - degrees, case_.lat + degrees),
            Case.lng.between(case_.lng - wide, case_.lng + wide),
            (Case.status.in_(open_statuses)) | (Case.received_at >= since),
        )
    ).all()
    found = [
        (d, c) for c in nearby if (d := _metres(case_.lat, case_.lng, c.lat, c.lng)) <= radius_m
    ]
    return [c for _d, c in sorted(found, key=lambda dc: (dc[0], dc[1].id))]
