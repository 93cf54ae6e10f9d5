"""Transactional outbox: notifications are rows written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import db
from casework.models.base import case_fk, created_at, org_fk


class OutboxMessage(db.Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int | None] = case_fk(ondelete="SET NULL", index=False)
    transport: Mapped[str] = mapped_column(String(16))  # email | line | line_job
    template: Mapped[str] = mapped_column(String(64))
    # The recipient address, encrypted: citizens' emails and LINE ids are identity.
    recipient_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    # LINE pushes: the X-Line-Retry-Key (a UUID) every attempt of this row sends, so that
    # LINE accepts the message once however often a retry follows an unclear failure.
    retry_key: Mapped[str | None] = mapped_column(String(36))
    # LINE rows: what the message says (or the job does), AES-GCM sealed, since a reply can
    # carry a tracking code; dropped once LINE has it.
    body_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = created_at()
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at()
