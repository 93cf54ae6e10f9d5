"""Column helpers shared by the models."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from casework.dates import clock

# Ids of the tables the corruption channel writes into are 64-bit: a tip's rows get random
# negative ids (casework.models.rowids). On SQLite the column stays INTEGER, so that it remains
# the rowid (already 64-bit) and complaints keep their sequence.
BIG_ID = BigInteger().with_variant(Integer(), "sqlite")
# Tables that hold rows of both channels. SQLite gives a new row max(rowid) + 1, which is a
# negative id next to a tip's when only tips have written there yet; AUTOINCREMENT counts from the
# largest id ever given out instead (at least 1), so the general channel's ids stay positive.
SHARED_WITH_TIPS = {"sqlite_autoincrement": True}


def org_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)


def big_pk() -> Mapped[int]:
    return mapped_column(BIG_ID, primary_key=True)


def case_fk(**kw) -> Mapped:
    """A reference to a case (64-bit, like the case's id); cascades unless told otherwise."""
    ondelete = kw.pop("ondelete", "CASCADE")
    kw.setdefault("index", True)
    return mapped_column(BIG_ID, ForeignKey("cases.id", ondelete=ondelete), **kw)


def created_at() -> Mapped:
    return mapped_column(default=clock.utcnow)
