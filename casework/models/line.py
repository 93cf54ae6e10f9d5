"""The LINE Official Account: the people who chat with it, their conversations, the cases they
filed there, and the webhook events already handled.

A LINE userId identifies a person, so it is stored only encrypted (``user_sealed``) beside a
keyed hash (``user_tag``) that finds the chat again without holding the id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from casework.dates import clock
from casework.extensions import db
from casework.models.base import case_fk, created_at, org_fk


class LineChat(db.Model):
    """One LINE user's chat with the Official Account and where their conversation stands.

    ``version`` makes every change an optimistic compare-and-set (SQLAlchemy's version
    counter): two workers handling the same chat at once cannot both move it on; the loser
    starts its turn again from what the winner left."""

    __tablename__ = "line_chats"
    __table_args__ = (UniqueConstraint("organization_id", "user_tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    user_tag: Mapped[str] = mapped_column(String(64))  # keyed_tag("line-user", org, userId)
    user_sealed: Mapped[bytes] = mapped_column(LargeBinary)  # AES-GCM, the userId itself
    language: Mapped[str | None] = mapped_column(String(8))  # th | en, from the LINE profile
    following: Mapped[bool] = mapped_column(default=True)  # False after the user blocked us
    state: Mapped[str] = mapped_column(String(24), default="idle")
    # The complaint being written (details, place, contact details, photo message ids) as
    # AES-GCM sealed JSON: until it is filed it is nobody's business, not even a dump's.
    draft_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(default=1)
    touched_at: Mapped[datetime] = created_at()
    created_at: Mapped[datetime] = created_at()

    __mapper_args__ = {"version_id_col": version}


class LineLink(db.Model):
    """A case filed from a LINE chat: its complainant hears about it there until they unlink."""

    __tablename__ = "line_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk(unique=True)
    chat_id: Mapped[int] = mapped_column(
        ForeignKey("line_chats.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = created_at()


class LineEvent(db.Model):
    """A webhook event already handled (LINE redelivers): its webhookEventId, nothing else."""

    __tablename__ = "line_events"
    __table_args__ = (UniqueConstraint("organization_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    event_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=clock.utcnow, index=True)
