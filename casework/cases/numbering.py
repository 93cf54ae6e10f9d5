"""Case numbers (เลขที่รับเรื่อง): one gap-free register per organization, channel and fiscal year.

The counter row is bumped with ``UPDATE … RETURNING`` inside the case's own transaction, so the
row lock serializes concurrent submissions on PostgreSQL and a rolled-back case gives its number
back: the register has no gaps and no duplicates.
"""

from __future__ import annotations

from sqlalchemy import update
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
    session = db.session
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(CaseCounter)
        .values(organization_id=organization_id, channel=channel, fiscal_year=fiscal_year, last=0)
        .on_conflict_do_nothing()
    )
    return session.execute(
        update(CaseCounter)
        .where(
            CaseCounter.organization_id == organization_id,
            CaseCounter.channel == channel,
            CaseCounter.fiscal_year == fiscal_year,
        )
        .values(last=CaseCounter.last + 1)
        .returning(CaseCounter.last)
        .execution_options(synchronize_session=False)
    ).scalar_one()
