"""Figures for the working group, the executive and the SLA board.

Counted per fiscal year (1 October – 30 September, labelled by the B.E. year it ends in) over the
cases received in it, in the three states the plans publish — received, in progress, completed —
plus what the 15-day rule and the satisfaction survey need: cases overdue now, cases completed
within their first deadline, delays explained to the complainant, and ratings (the plans' target
is at least 80 per cent satisfied, counting 4 or 5 out of 5).

Callers pass the query of cases the user may reach
(``casework.general.access.visible_cases``), so an
officer's figures cover only their department.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, func, select

from casework.cases import lifecycle, sla
from casework.cases.figures import SATISFIED, TARGET_PCT, Satisfaction, pct  # noqa: F401 - TARGET_PCT: the board shows it
from casework.dates import clock, periods
from casework.dates.thaidate import (
    fiscal_months,
    fiscal_year,
    fiscal_year_bounds,
    local_date,
)
from casework.extensions import db
from casework.general import queries
from casework.models import Case, Category, Department, Organization


@dataclass
class Figures(Satisfaction):
    total: int = 0  # received in the period
    waiting: int = 0  # received, not yet accepted by the responsible unit
    in_progress: int = 0  # accepted, waiting for information or forwarded, not completed
    completed: int = 0
    overdue: int = 0  # open and past the deadline today
    due_soon: int = 0
    paused: int = 0  # waiting for the complainant
    explained: int = 0  # the complainant was told why it takes longer, with a new date
    on_time: int = 0  # completed on or before the first deadline
    rated: int = 0
    satisfied: int = 0
    rating_sum: int = 0
    reopened: int = 0  # the complainant said "not fixed" after completion

    def add(self, case: Case, due: str) -> None:
        self.total += 1
        bucket = lifecycle.bucket(case.channel, case.status)
        if bucket == lifecycle.COMPLETED:
            self.completed += 1
            deadline = case.original_due_date or case.due_date
            if case.completed_at is not None and local_date(case.completed_at) <= deadline:
                self.on_time += 1
        elif bucket == lifecycle.RECEIVED:
            self.waiting += 1
        else:
            self.in_progress += 1
        if due == sla.OVERDUE:
            self.overdue += 1
        elif due == sla.DUE_SOON:
            self.due_soon += 1
        elif due == sla.PAUSED:
            self.paused += 1
        if case.explained_at is not None:
            self.explained += 1
        if case.reopen_count:
            self.reopened += 1
        if case.rating is not None:
            self.rated += 1
            self.rating_sum += case.rating
            self.satisfied += case.rating >= SATISFIED

    @property
    def open(self) -> int:
        """Not completed yet: the plans' "in progress" figure."""
        return self.waiting + self.in_progress

    @property
    def on_time_pct(self) -> int | None:
        return pct(self.on_time, self.completed)

    @property
    def average(self) -> float | None:
        return round(self.rating_sum / self.rated, 2) if self.rated else None


@dataclass
class Period:
    year: int  # CE
    month: int  # 0 for a half-year row
    label_half: int = 0  # 1 or 2 for the half-year subtotals
    figures: Figures = field(default_factory=Figures)


@dataclass
class FiscalReport:
    fiscal_year: int  # B.E.
    start: date
    end: date
    as_of: date
    total: Figures
    months: list[Period]
    halves: list[Period]
    by_department: list[tuple[Department | None, Figures]]
    by_category: list[tuple[Category, Figures]]
    by_received_via: list[tuple[str, Figures]]


def utc_bounds(fy_be: int) -> tuple[datetime, datetime]:
    """The fiscal year as a half-open range of naive UTC instants (days run in Bangkok)."""
    return periods.period(fy_be).utc_bounds()


def current_fiscal_year() -> int:
    return fiscal_year(clock.today())


def fiscal_years(visible: Select) -> list[int]:
    """The fiscal years that have cases in ``visible``, and the current one; newest first."""
    cases = visible.subquery()
    first = db.session.scalar(select(func.min(cases.c.received_at)))
    now = current_fiscal_year()
    start = fiscal_year(first) if first else now
    return list(range(max(now, start), min(now, start) - 1, -1))


def _sorted(groups: dict, key_of) -> list:
    return sorted(groups.items(), key=lambda kv: (-kv[1].overdue, -kv[1].total, key_of(kv[0])))


def fiscal_report(visible: Select, org: Organization, fy_be: int) -> FiscalReport:
    """Figures for the cases in ``visible`` received in fiscal year ``fy_be``."""
    start, end = utc_bounds(fy_be)
    cases = db.session.scalars(
        visible.where(Case.received_at >= start, Case.received_at < end).order_by(Case.id)
    ).all()
    today = clock.today()
    cal = sla.work_calendar(org)
    total = Figures()
    months = {ym: Period(*ym) for ym in fiscal_months(fy_be)}
    departments: dict[int | None, Figures] = defaultdict(Figures)
    categories: dict[int, Figures] = defaultdict(Figures)
    received_via: dict[str, Figures] = defaultdict(Figures)
    for case in cases:
        due = sla.due_state(case, org, today, cal)
        received = local_date(case.received_at)
        for figures in (
            total,
            months[(received.year, received.month)].figures,
            departments[case.department_id],
            categories[case.category_id],
            received_via[case.received_via],
        ):
            figures.add(case, due)
    halves = [Period(0, 0, half) for half in (1, 2)]
    for index, period in enumerate(months.values()):
        _merge(halves[index // 6].figures, period.figures)
    dept_rows = {
        d.id: d for d in db.session.scalars(select(Department).filter_by(organization_id=org.id))
    }
    cat_rows = {
        c.id: c for c in db.session.scalars(select(Category).filter_by(organization_id=org.id))
    }
    first, last = fiscal_year_bounds(fy_be)
    return FiscalReport(
        fiscal_year=fy_be,
        start=first,
        end=last,
        as_of=today,
        total=total,
        months=list(months.values()),
        halves=halves,
        by_department=[
            (dept_rows.get(k), v) for k, v in _sorted(departments, lambda k: (k is None, k or 0))
        ],
        by_category=[(cat_rows[k], v) for k, v in _sorted(categories, lambda k: k)],
        by_received_via=_sorted(received_via, lambda k: k),
    )


def _merge(into: Figures, other: Figures) -> None:
    for name in Figures.__dataclass_fields__:
        setattr(into, name, getattr(into, name) + getattr(other, name))


OPEN_STATES = tuple(s for s, st in lifecycle.COMPLAINT_STATES.items() if not st.final)


def open_by_department(
    visible: Select, org: Organization
) -> list[tuple[Department | None, list[tuple[Case, str]]]]:
    """The open cases in ``visible`` with their due states, grouped by department (None for
    the cases no unit holds yet): the departments with the most overdue cases first, then the
    busiest; within a department, the most urgent case first."""
    today = clock.today()
    cal = sla.work_calendar(org)
    groups: dict[int | None, list] = defaultdict(list)
    open_cases = db.session.scalars(
        queries.most_urgent_first(visible.where(Case.status.in_(OPEN_STATES)), org)
    )
    for case in open_cases:
        groups[case.department_id].append((case, sla.due_state(case, org, today, cal)))
    ordered = sorted(
        groups.items(),
        key=lambda kv: (
            -sum(due == sla.OVERDUE for _, due in kv[1]),
            -len(kv[1]),
            kv[0] is None,
            kv[0] or 0,
        ),
    )
    departments = {
        d.id: d for d in db.session.scalars(select(Department).filter_by(organization_id=org.id))
    }
    return [(departments.get(k), rows) for k, rows in ordered]
