"""Rows of what the organization publishes and lets others use: the keys an administrator
issues to Open311 clients."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import db
from casework.models.base import created_at, org_fk


class Open311Key(db.Model):
    """An api_key for POST requests at /open311/v2/: only its SHA-256 is stored (the key is a
    random 192-bit token, shown once when issued)."""

    __tablename__ = "open311_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    name: Mapped[str] = mapped_column(String(200))  # who the client is
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at()
    revoked_at: Mapped[datetime | None]
    last_used_on: Mapped[date | None]
