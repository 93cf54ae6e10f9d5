"""Filtering and searching the case list (inbox, board and exports share it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, case, func, or_, select

from casework.cases import lifecycle, sla, values
from casework.dates import clock
from casework.extensions import db
from casework.models import Case, CaseEvent, Category, Organization, User

FINAL = tuple(s for s, st in lifecycle.COMPLAINT_STATES.items() if st.final)
PAUSED = tuple(s for s, st in lifecycle.COMPLAINT_STATES.items() if st.paused)


@dataclass
class Filters:
    status: str = ""
    received_via: str = ""  # web, line, phone, letter, ... (casework.models.case.RECEIVED_VIA)
    category: str = ""  # category code
    department: str = ""  # department id
    due: str = ""  # one of sla.DUE_STATES
    q: str = ""

    @classmethod
    def from_args(cls, args) -> Filters:
        return cls(**{k: (args.get(k) or "").strip()[:200] for k in cls.__dataclass_fields__})


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def apply(query: Select, filters: Filters, org: Organization) -> Select:
    """Narrow a ``visible_cases`` query. Search is a substring match on subject and details
    (Thai is written without spaces between words, so word-based full-text search would miss
    most Thai queries) or an exact case number."""
    if filters.status in lifecycle.COMPLAINT_STATES:
        query = query.where(Case.status == filters.status)
    if filters.received_via:
        query = query.where(Case.received_via == filters.received_via)
    if filters.category:
        query = query.join(Category, Category.id == Case.category_id).where(
            Category.code == filters.category
        )
    if filters.department.isdigit():  # an id; one that no row can have ("²", 10**40) matches none
        query = query.where(Case.department_id == (values.record_id(filters.department) or 0))
    elif filters.department == "none":
        query = query.where(Case.department_id.is_(None))
    if filters.q:
        pattern = _like(filters.q)
        query = query.where(
            or_(
                Case.subject.ilike(pattern, escape="\\"),
                Case.details.ilike(pattern, escape="\\"),
                Case.case_number == filters.q,
            )
        )
    if filters.due in sla.DUE_STATES:
        query = _due(query, filters.due, org)
    return query


def due_soon_limit(org: Organization, today: date) -> date:
    """The last due date that is still "due soon" today (it depends on the calendar)."""
    cal = sla.work_calendar(org)
    limit = probe = today
    for _ in range(400):
        probe += timedelta(days=1)
        if cal.days_between(today, probe) > org.due_soon_days:
            break
        limit = probe
    return limit


def _open_running():
    return and_(Case.status.not_in(FINAL), Case.status.not_in(PAUSED))


def _due(query: Select, due: str, org: Organization) -> Select:
    today = clock.today()
    open_running = _open_running()
    if due == sla.DONE:
        return query.where(Case.status.in_(FINAL))
    if due == sla.PAUSED:
        return query.where(Case.status.in_(PAUSED))
    if due == sla.OVERDUE:
        return query.where(open_running, Case.due_date < today)
    limit = due_soon_limit(org, today)
    if due == sla.DUE_SOON:
        return query.where(open_running, Case.due_date >= today, Case.due_date <= limit)
    return query.where(open_running, Case.due_date > limit)


def most_urgent_first(query: Select, org: Organization) -> Select:
    """Order a case list as officers work it: overdue, due soon, on time, waiting for the
    citizen, completed; earliest deadline first within each (newest first once completed)."""
    today = clock.today()
    rank = case(
        (Case.status.in_(FINAL), 4),
        (Case.status.in_(PAUSED), 3),
        (Case.due_date < today, 0),
        (Case.due_date <= due_soon_limit(org, today), 1),
        else_=2,
    )
    return query.order_by(
        rank,
        case((Case.status.in_(FINAL), None), else_=Case.due_date),
        Case.completed_at.desc(),
        Case.id,
    )


def count(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def attention(visible: Select, org: Organization) -> dict[str, int]:
    """What needs attention among ``visible``: how many cases are overdue, due soon, waiting
    for the citizen, and new (received, not yet accepted)."""
    counts = {
        due: count(apply(visible, Filters(due=due), org))
        for due in (sla.OVERDUE, sla.DUE_SOON, sla.PAUSED)
    }
    counts["new"] = count(apply(visible, Filters(status="received"), org))
    return counts


@dataclass
class CasePage:
    """One page of a case list: the cases with their due states, and who they are assigned to."""

    page: Pagination
    rows: list[tuple[Case, str]]
    assignees: dict[int, User]
    news: set[int]  # cases where the complainant added information no officer has acted on since


def citizen_news(case_ids) -> set[int]:
    """Of ``case_ids``, the cases whose complainant added information or answered (in the
    tracking page or the LINE chat) after the last thing an officer did on the case."""
    if not case_ids:
        return set()
    citizen = func.max(case((CaseEvent.kind == "citizen_info", CaseEvent.at)))
    staff = func.max(case((CaseEvent.actor_id.is_not(None), CaseEvent.at)))
    rows = db.session.execute(
        select(CaseEvent.case_id, citizen, staff)
        .where(CaseEvent.case_id.in_(case_ids))
        .group_by(CaseEvent.case_id)
    )
    return {
        case_id
        for case_id, said, acted in rows
        if said is not None and (acted is None or said > acted)
    }


def case_page(
    visible: Select, org: Organization, filters: Filters, *, page: int, per_page: int
) -> CasePage:
    """Page ``page`` of the cases in ``visible`` that match ``filters``, most urgent first
    (the inbox); a page number out of range gives the first or an empty page, never an error."""
    result = db.paginate(
        most_urgent_first(apply(visible, filters, org), org),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    cal = sla.work_calendar(org)
    today = clock.today()
    rows = [(c, sla.due_state(c, org, today, cal)) for c in result.items]
    assignee_ids = {c.assignee_id for c in result.items if c.assignee_id}
    assignees = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(assignee_ids)))}
    return CasePage(result, rows, assignees, citizen_news([c.id for c in result.items]))
