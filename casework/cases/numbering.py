"""Case numbers (เลขที่รับเรื่อง): one gap-free register per organization, channel and fiscal year.

The counter row is bumped with one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` inside the
case's own transaction: the first case of a year creates the row, every later one updates it.
The row lock serializes concurrent submissions on PostgreSQL and a rolled-back case gives its
number back: the register has no gaps and no duplicates.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from casework.extensions import db
from casework.models import CaseCounter

PREFIX = {"complaint": "", "tip": "T"}
WIDTH = {"complaint": 6, "tip": 5}


def format_number(channel: str, fiscal_year: int, sequence: int) -> str:
    """``2570/000123`` for complaints, ``T2570/00012`` for tips."""
    return f"{PREFIX[channel]}{fiscal_year}/{sequence:0{WIDTH[channel]}d}"


def next_sequence(organization_id: int, channel: str, fiscal_year: int) -> int:
    """Take the next number in the current transaction (the caller commits or rolls back)."""
    return take(organization_id, channel, fiscal_year, 1)


def take(organization_id: int, channel: str, fiscal_year: int, count: int) -> int:
    """Take ``count`` consecutive numbers in the current transaction (bulk loads take many at
    once: casework.seed); returns the first. One round trip to the database."""
    if count < 1:
        raise ValueError("take at least one number")
    session = db.session
    last = session.execute(
        _take_statement(session.get_bind().dialect.name),
        {"org": organization_id, "channel": channel, "fiscal_year": fiscal_year, "count": count},
    ).scalar_one()
    return last - count + 1


@cache
def _take_statement(dialect: str):
    """Built once per dialect: a filing runs it every time (SQLAlchemy caches its SQL)."""
    counters = CaseCounter.__table__
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(counters).values(
        organization_id=bindparam("org"),
        channel=bindparam("channel"),
        fiscal_year=bindparam("fiscal_year"),
        last=bindparam("count"),
    )
    return statement.on_conflict_do_update(
        index_elements=[counters.c.organization_id, counters.c.channel, counters.c.fiscal_year],
        set_={"last": counters.c.last + statement.excluded.last},
    ).returning(counters.c.last)
