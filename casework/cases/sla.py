"""The SLA clock: deadlines from the category, calendar or working days, pauses, due state.

The plans require resolution within 15 days or a written explanation to the complainant; they do
not say which days, so each organization chooses (Organization.sla_mode).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from casework.cases import lifecycle
from casework.dates.thaidate import local_date
from casework.dates.workdays import WORKING, WorkCalendar
from casework.extensions import db
from casework.models import Case, Category, DeclaredHoliday, Organization

ON_TIME, DUE_SOON, OVERDUE, PAUSED, DONE = "on_time", "due_soon", "overdue", "paused", "done"
DUE_STATES = (ON_TIME, DUE_SOON, OVERDUE, PAUSED, DONE)


def work_calendar(org: Organization) -> WorkCalendar:
    """How ``org`` counts deadline days. Counting calendar days skips no day, so the declared
    holidays are read only when it counts working days."""
    if org.sla_mode != WORKING:
        return WorkCalendar(mode=org.sla_mode)
    declared = db.session.scalars(
        select(DeclaredHoliday.day).where(DeclaredHoliday.organization_id == org.id)
    )
    return WorkCalendar(mode=org.sla_mode, extra_holidays=frozenset(declared))


def initial_due_date(org: Organization, category: Category, received_at: datetime) -> date:
    """The deadline counts from the day the case was actually received."""
    return work_calendar(org).add_days(local_date(received_at), category.sla_days)


def pause(case: Case, at: datetime) -> None:
    if case.paused_at is None:
        case.paused_at = at


def resume(case: Case, org: Organization, at: datetime) -> int:
    """End a pause: the deadline moves by the counted days the case waited. Returns them."""
    if case.paused_at is None:
        return 0
    cal = work_calendar(org)
    waited = cal.days_between(local_date(case.paused_at), local_date(at))
    if waited:
        case.due_date = cal.add_days(case.due_date, waited)
    case.paused_at = None
    return waited


def deadline_on(case: Case, org: Organization, today: date) -> date:
    """The deadline as it stands on ``today``: a case waiting for the complainant has its
    deadline moved by the days waited so far, as leaving the wait today would move it."""
    if case.paused_at is None:
        return case.due_date
    cal = work_calendar(org)
    return cal.add_days(case.due_date, cal.days_between(local_date(case.paused_at), today))


def past_deadline(case: Case, org: Organization, today: date) -> bool:
    """Whether finishing the case on ``today`` would be after its deadline (the 15-day rule:
    the complainant must then be told why)."""
    return today > deadline_on(case, org, today)


def due_state(case: Case, org: Organization, today: date, cal: WorkCalendar | None = None) -> str:
    st = lifecycle.state(case.channel, case.status)
    if st.final:
        return DONE
    if st.paused:
        return PAUSED
    return deadline_state(case.due_date, org, today, cal)


def deadline_state(
    due: date, org: Organization, today: date, cal: WorkCalendar | None = None
) -> str:
    """On time, due soon or overdue against the deadline ``due`` (for anything running)."""
    if today > due:
        return OVERDUE
    cal = cal or work_calendar(org)
    if cal.days_between(today, due) <= org.due_soon_days:
        return DUE_SOON
    return ON_TIME
