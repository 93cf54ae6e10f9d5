"""The published figures' rollup: counts of cases per organization, Bangkok month received,
channel and a few columns, kept in step with ``cases`` in the same transaction as each change.

A case contributes one to a row of each *facet* (the columns a facet does not use hold 0 or ""):

- ``counts``: its status, category, received via and department (0: none);
- ``days``: its status and ``value`` = Bangkok days from received to completed, when
  ``completed_at`` is known;
- ``deadline``: its status, ``value`` = the first deadline (``original_due_date``, else
  ``due_date``) as days since 1970-01-01, and ``detail`` = 1 when completed on or before it, 2
  when completed after it, 0 with no completion time, plus 4 when the complainant got an
  explanation of the delay (``explained_at``);
- ``rating``: ``value`` = the rating, when one was given;
- ``reopened``: once, when the complainant said "not fixed" after completion
  (``reopen_count`` above 0).

This is a plain projection of the case's columns: which statuses count as completed, paused or
late is decided when the figures are read (casework.cases.rollup), so a change of the state
machine needs no rebuild. Every flush that inserts, changes or deletes a case adds the
difference of its contributions (before → after) in one upsert, in the flush's transaction
(a rollback takes it back with the case). The seed adds its cases' contributions itself; a
migration and ``casework.cases.rollup.rebuild`` compute them afresh from ``cases``.

The rows have no id of their own and no time: a tip's counts carry nothing finer than its month.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

from sqlalchemy import Date, ForeignKey, Integer, String, event, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.base import NO_VALUE

from casework.extensions import db
from casework.models.case import Case

FACETS = ("counts", "days", "deadline", "rating", "reopened")
ON_TIME, LATE, EXPLAINED = 1, 2, 4
_BANGKOK = timedelta(hours=7)
_EPOCH = date(1970, 1, 1).toordinal()
# The case's columns a contribution reads, with the value a case written without one gets.
TRACKED: dict[str, object] = {
    "organization_id": None,
    "channel": None,
    "received_at": None,
    "status": "received",
    "category_id": None,
    "received_via": "web",
    "department_id": None,
    "completed_at": None,
    "due_date": None,
    "original_due_date": None,
    "explained_at": None,
    "rating": None,
    "reopen_count": 0,
}
KEY = (
    "organization_id",
    "month",
    "channel",
    "facet",
    "status",
    "category_id",
    "received_via",
    "department_id",
    "value",
    "detail",
)


class CaseFigure(db.Model):
    __tablename__ = "case_figures"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the 1st, Bangkok
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    facet: Mapped[str] = mapped_column(String(8), primary_key=True)
    status: Mapped[str] = mapped_column(String(24), primary_key=True, default="")
    category_id: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    received_via: Mapped[str] = mapped_column(String(16), primary_key=True, default="")
    department_id: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    value: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    detail: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    n: Mapped[int] = mapped_column(Integer, default=0)


def _local(at: datetime) -> date:
    return (at + _BANGKOK).date()


def _day(d: date) -> int:
    return d.toordinal() - _EPOCH


def contributions(case: Mapping) -> list[tuple]:
    """The rollup keys (``KEY``'s order) one case counts one in; ``case`` maps the columns of
    ``TRACKED`` (a missing one takes its default)."""

    def get(name):
        value = case.get(name, TRACKED[name])
        return TRACKED[name] if value is None else value

    received = get("received_at")
    if received is None or get("organization_id") is None:
        return []
    local = _local(received)
    head = (get("organization_id"), local.replace(day=1), get("channel"))
    status, completed = get("status"), get("completed_at")
    keys = [
        (
            *head,
            "counts",
            status,
            get("category_id") or 0,
            get("received_via"),
            get("department_id") or 0,
            0,
            0,
        )
    ]
    done = _day(_local(completed)) if completed is not None else None
    if done is not None:
        keys.append((*head, "days", status, 0, "", 0, done - _day(local), 0))
    first = get("original_due_date") or get("due_date")
    if first is not None:
        deadline = _day(first)
        detail = 0 if done is None else (ON_TIME if done <= deadline else LATE)
        if get("explained_at") is not None:
            detail |= EXPLAINED
        keys.append((*head, "deadline", status, 0, "", 0, deadline, detail))
    if get("rating") is not None:
        keys.append((*head, "rating", "", 0, "", 0, get("rating"), 0))
    if get("reopen_count") > 0:
        keys.append((*head, "reopened", "", 0, "", 0, 0, 0))
    return keys


def tally(cases: Iterable[Mapping]) -> Counter:
    """The contributions of many cases, summed per key."""
    total: Counter = Counter()
    for case in cases:
        total.update(contributions(case))
    return total


def add(connection, delta: Counter) -> None:
    """Add ``delta`` (key → cases) to the rollup in one upsert, in key order (two transactions
    touching the same rows lock them in the same order)."""
    rows = [dict(zip(KEY, key, strict=True), n=n) for key, n in sorted(delta.items()) if n]
    if not rows:
        return
    statement = _upsert(connection.dialect.name)
    if len(rows) <= _FEW:  # a flush's few keys: the statement built once, its rows as parameters
        connection.execute(statement, rows)
        return
    for start in range(0, len(rows), 2000):  # the seed's many: one statement per 2,000 rows
        connection.execute(statement.values(rows[start : start + 2000]))


_FEW = 50
_UPSERTS: dict[str, object] = {}


def _upsert(dialect: str):
    """``INSERT … ON CONFLICT (key) DO UPDATE SET n = n + excluded.n``, built once per dialect:
    every filing runs it, and building (compiling) it cost more than running it."""
    statement = _UPSERTS.get(dialect)
    if statement is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        table = CaseFigure.__table__
        base = insert(table)
        statement = _UPSERTS[dialect] = base.on_conflict_do_update(
            index_elements=list(KEY), set_={"n": table.c.n + base.excluded.n}
        )
    return statement


# --- kept in step with every flush ----------------------------------------------------------

_PENDING = "case_figures_before"


def _values(obj: Case) -> dict:
    return {name: getattr(obj, name) for name in TRACKED}


def _before(session: Session, obj: Case) -> list[tuple] | None:
    """The contributions of a persistent case as the database holds it now (before the flush)."""
    state = inspect(obj)
    values, unknown = {}, False
    for name in TRACKED:
        if name in state.committed_state:
            old = state.committed_state[name]
            unknown = unknown or old is NO_VALUE
            values[name] = old
        elif name in state.dict:
            values[name] = state.dict[name]
        else:
            unknown = True
    if unknown:  # an attribute changed or expired before it was ever loaded: read the row
        columns = [getattr(Case, name) for name in TRACKED]
        row = session.execute(select(*columns).where(Case.id == state.identity[0])).one()
        values = dict(zip(TRACKED, row, strict=True))
    return contributions(values)


# Setting a relationship changes its foreign key only during the flush.
_WATCHED = (*TRACKED, "category", "department")


def _changed(obj: Case) -> bool:
    committed = inspect(obj).committed_state
    return any(name in committed for name in _WATCHED)


@event.listens_for(Session, "before_flush")
def _remember(session: Session, flush_context, instances) -> None:
    before = []
    for obj in session.dirty:
        if isinstance(obj, Case) and _changed(obj):
            before.append((obj, _before(session, obj)))
    for obj in session.deleted:
        if isinstance(obj, Case):
            before.append((None, _before(session, obj)))
    session.info[_PENDING] = before


@event.listens_for(Session, "after_flush")
def _apply(session: Session, flush_context) -> None:
    delta: Counter = Counter()
    for obj, old in session.info.pop(_PENDING, []):
        delta.subtract(old)
        if obj is not None:
            delta.update(contributions(_values(obj)))
    for obj in session.new:
        if isinstance(obj, Case):
            delta.update(contributions(_values(obj)))
    if any(delta.values()):
        add(session.connection(), delta)
