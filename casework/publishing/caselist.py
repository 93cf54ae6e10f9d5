"""The public list of general complaints, as FixMyStreet and Traffy Fondue show them: each case's
number, category, area, dates, status and outcome.

Published only while the organization has it switched on (``publish_case_list``), and only what
is safe to publish:

* general complaints only: no tip ever appears, and neither does a complaint that was
  transferred into the tip channel (its outcome would say a corruption case exists);
* no text anyone wrote (no subject, details, place description, result text or comment), no
  identity or contact detail, no attachment;
* the location snapped to the centre of a grid cell of ``public_grid_m`` metres, never the point
  the citizen gave; dates by the Bangkok day only.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, false, func, or_, select

from casework.cases import lifecycle
from casework.dates import periods
from casework.dates.thaidate import local_date
from casework.extensions import db
from casework.models import Case, Category, Department, Organization

CHANNEL = "complaint"
HIDDEN_OUTCOMES = ("transferred",)  # moved into the tip channel
METRES_PER_DEGREE = 111_320
GRID_MIN_M, GRID_MAX_M = 100, 5000


@dataclass(frozen=True)
class PublicCase:
    case_number: str
    category: str  # code
    category_th: str
    category_en: str
    department_th: str
    department_en: str
    lat: float | None  # centre of the grid cell
    lng: float | None
    received_on: date
    due_on: date
    completed_on: date | None
    status: str
    status_bucket: str  # received | in_progress | completed
    outcome: str | None
    received_at: datetime  # naive UTC, as stored
    updated_at: datetime  # the last of received, accepted and completed

    @property
    def final(self) -> bool:
        return self.status_bucket == lifecycle.COMPLETED


def snap(value: float | None, grid_m: int) -> float | None:
    """``value`` (degrees) moved to the centre of its cell on a grid of ``grid_m`` metres
    (taken along the meridian, so cells are slightly narrower east–west away from the
    equator: about 3 per cent in Thailand)."""
    if value is None:
        return None
    step = grid_m / METRES_PER_DEGREE
    return round((math.floor(value / step) + 0.5) * step, 6)


def published_query(org: Organization, fiscal_year: int | None = None) -> Select:
    """The rows of the public list, newest first (nothing when switched off)."""
    query = (
        select(
            Case.case_number,
            Category.code,
            Category.name_th,
            Category.name_en,
            Case.lat,
            Case.lng,
            Case.received_at,
            Case.due_date,
            Case.completed_at,
            Case.status,
            Case.outcome,
            Case.accepted_at,
            Department.name_th.label("department_th"),
            Department.name_en.label("department_en"),
        )
        .join(Category, Case.category_id == Category.id)
        .outerjoin(Department, Case.department_id == Department.id)
        .where(
            Case.organization_id == org.id,
            Case.channel == CHANNEL,
            or_(Case.outcome.is_(None), Case.outcome.not_in(HIDDEN_OUTCOMES)),
        )
        .order_by(Case.received_at.desc(), Case.id.desc())
    )
    if not org.publish_case_list:
        return query.where(false())
    if fiscal_year is not None:
        start, end = periods.period(fiscal_year).utc_bounds()
        query = query.where(Case.received_at >= start, Case.received_at < end)
    return query


def _row(org: Organization, row) -> PublicCase:
    return PublicCase(
        case_number=row.case_number,
        category=row.code,
        category_th=row.name_th,
        category_en=row.name_en,
        lat=snap(row.lat, org.public_grid_m),
        lng=snap(row.lng, org.public_grid_m),
        received_on=local_date(row.received_at),
        due_on=row.due_date,
        completed_on=local_date(row.completed_at) if row.completed_at else None,
        status=row.status,
        status_bucket=lifecycle.bucket(CHANNEL, row.status),
        outcome=row.outcome,
        department_th=row.department_th or "",
        department_en=row.department_en or "",
        received_at=row.received_at,
        updated_at=max(t for t in (row.received_at, row.accepted_at, row.completed_at) if t),
    )


def rows(query: Select, org: Organization) -> list[PublicCase]:
    return [_row(org, row) for row in db.session.execute(query)]


def public_cases(
    org: Organization, fiscal_year: int | None = None, *, offset: int = 0, limit: int | None = None
) -> list[PublicCase]:
    query = published_query(org, fiscal_year).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_row(org, row) for row in db.session.execute(query)]


def stream(org: Organization, fiscal_year: int | None = None) -> Iterator[PublicCase]:
    """Every row, fetched in batches (open-data files of any size)."""
    result = db.session.execute(published_query(org, fiscal_year).execution_options(yield_per=1000))
    for row in result:
        yield _row(org, row)


def count(org: Organization, fiscal_year: int | None = None) -> int:
    inner = published_query(org, fiscal_year).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(inner)) or 0
