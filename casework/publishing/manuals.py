"""The two handling manuals (คู่มือการจัดการเรื่องร้องเรียน), read from the configuration so that
they change when the categories, their days, the departments or the office's contact details
change, with no editing by hand: one for general complaints, one for corruption complaints.

Also the time frame the home page promises, from the same categories.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from casework.cases import lifecycle
from casework.cases.lifecycle import State
from casework.dates.workdays import WORKING
from casework.extensions import db
from casework.models import Category, Department, Organization


@dataclass(frozen=True)
class Term:
    """A category and the days it gives each stage, with the unit that answers for it."""

    category: Category
    days: int
    department: Department | None


@dataclass(frozen=True)
class TimeFrame:
    shortest: int
    longest: int
    working_days: bool

    @property
    def uniform(self) -> bool:
        return self.shortest == self.longest


@dataclass
class Manual:
    channel: str
    organization: Organization
    working_days: bool
    terms: list[Term]
    stages: list[State]  # the states a case passes through, in order, finals last
    departments: list[Department]  # the units that answer for the categories

    @property
    def time_frame(self) -> TimeFrame | None:
        return _frame([t.days for t in self.terms], self.working_days)


def _frame(days: list[int], working: bool) -> TimeFrame | None:
    return TimeFrame(min(days), max(days), working) if days else None


def _categories(org: Organization, channel: str) -> list[Category]:
    return list(
        db.session.scalars(
            select(Category)
            .filter_by(organization_id=org.id, channel=channel, active=True)
            .order_by(Category.sort_order, Category.id)
        )
    )


def manual(org: Organization, channel: str) -> Manual:
    """The manual of ``channel`` ("complaint" or "tip") as the configuration stands."""
    categories = _categories(org, channel)
    terms = [Term(c, c.sla_days, c.department if c.department_id else None) for c in categories]
    seen: dict[int, Department] = {}
    for term in terms:
        if term.department is not None and term.department.active:
            seen.setdefault(term.department.id, term.department)
    states = lifecycle.STATES[channel].values()
    return Manual(
        channel=channel,
        organization=org,
        working_days=org.sla_mode == WORKING,
        terms=terms,
        stages=[s for s in states if not s.final] + [s for s in states if s.final],
        departments=sorted(seen.values(), key=lambda d: d.id),
    )


def time_frame(org: Organization, channel: str = "complaint") -> TimeFrame | None:
    """The shortest and longest days to resolve among the channel's active categories."""
    days = db.session.scalars(
        select(Category.sla_days).filter_by(organization_id=org.id, channel=channel, active=True)
    ).all()
    return _frame(list(days), org.sla_mode == WORKING)
