"""Column helpers shared by the models."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from casework.dates import clock


def org_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)


def created_at() -> Mapped:
    return mapped_column(default=clock.utcnow)
