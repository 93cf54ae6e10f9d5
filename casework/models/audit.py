"""The audit trail: append-only entries, each chained to the previous one with SHA-256.

Each organization has two chains: ``main`` for everything, and ``tips`` for the corruption
channel, so entries about tips neither show in the general trail nor leave gaps in its
numbering that would tell when something happened to a tip (casework.audit)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import db
from casework.models.base import SHARED_WITH_TIPS, big_pk, case_fk, org_fk

MAIN_CHAIN, TIPS_CHAIN = "main", "tips"


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (UniqueConstraint("organization_id", "chain", "seq"), SHARED_WITH_TIPS)

    id: Mapped[int] = big_pk()  # random for the tips chain (casework.models.rowids)
    organization_id: Mapped[int] = org_fk()
    chain: Mapped[str] = mapped_column(String(16), default="main")  # main | tips
    seq: Mapped[int]  # 1, 2, 3 … per organization and chain, no gaps
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(48), index=True)
    case_id: Mapped[int | None] = case_fk(ondelete=None)
    target: Mapped[str] = mapped_column(String(120), default="")
    data: Mapped[dict | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(db.Model):
    """The end of each organization's chain; appending locks this row (FOR UPDATE)."""

    __tablename__ = "audit_heads"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    chain: Mapped[str] = mapped_column(String(16), primary_key=True, default="main")
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64), default="0" * 64)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _append_only(mapper, connection, target) -> None:
    raise RuntimeError("audit entries are append-only")
