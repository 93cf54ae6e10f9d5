"""A case (เรื่อง), its numbering counter, its timeline and its messages."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Float, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.extensions import db
from casework.models.base import BIG_ID, SHARED_WITH_TIPS, big_pk, case_fk, created_at, org_fk
from casework.models.organization import Category, Department

if TYPE_CHECKING:
    from casework.models.attachment import Attachment

# What a case is (its kind): a general complaint is a complaint, a grievance or a suggestion, as
# the citizen chose; every case of the corruption channel is a tip.
COMPLAINT_KINDS = ("complaint", "grievance", "suggestion")
TIP_KIND = "tip"
KINDS = (*COMPLAINT_KINDS, TIP_KIND)
# How a case reached the organization (received via). "Channel" is only complaint-or-tip.
RECEIVED_VIA = (
    "web",
    "line",
    "phone",
    "letter",
    "walk_in",
    "complaint_box",
    "facebook",
    "email",
    "open311",  # an app using the Open311 GeoReport v2 API with an issued key
    "other",
)


class CaseCounter(db.Model):
    """The last number issued per organization, channel and fiscal year (gap-free register)."""

    __tablename__ = "case_counters"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("organization_id", "case_number"),
        UniqueConstraint("organization_id", "channel", "fiscal_year", "sequence"),
        Index("ix_cases_org_status", "organization_id", "status"),
        # The published figures select a period's cases by when they were received.
        Index("ix_cases_org_received", "organization_id", "received_at"),
        SHARED_WITH_TIPS,
    )

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    channel: Mapped[str] = mapped_column(String(16))  # complaint | tip
    kind: Mapped[str] = mapped_column(String(16), default="complaint")
    received_via: Mapped[str] = mapped_column(String(16), default="web")
    fiscal_year: Mapped[int]
    sequence: Mapped[int]
    case_number: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(24), default="received")
    outcome: Mapped[str | None] = mapped_column(String(24))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    subject: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    occurred_on: Mapped[date | None]
    occurred_time: Mapped[str] = mapped_column(String(5), default="")

    anonymous: Mapped[bool] = mapped_column(default=True)
    contact_consent: Mapped[bool] = mapped_column(default=False)

    received_at: Mapped[datetime]
    due_date: Mapped[date]
    paused_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    result_text: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(BIG_ID, ForeignKey("cases.id"))
    # The complainant said "not fixed" (ยังไม่ได้แก้ไข) after completion: how many times, and when
    # last (casework.general.followup.not_fixed). Within the organization's window the case
    # reopens; after it a new case follows this one up (``follows_id`` on the new case).
    reopen_count: Mapped[int] = mapped_column(default=0, server_default="0")
    reopened_at: Mapped[datetime | None]
    follows_id: Mapped[int | None] = mapped_column(BIG_ID, ForeignKey("cases.id"))

    # Accepted by the responsible unit (รับเรื่องไว้พิจารณา).
    accepted_at: Mapped[datetime | None]
    # Forwarded to an outside agency (NACC, Damrongdham 1567, 1111, another local government).
    forwarded_to: Mapped[str | None] = mapped_column(String(32))
    forwarded_name: Mapped[str] = mapped_column(String(200), default="")
    forwarded_reference: Mapped[str] = mapped_column(String(100), default="")
    forwarded_follow_up_on: Mapped[date | None]
    # Overdue explanation to the complainant: the first deadline is kept, due_date moves.
    original_due_date: Mapped[date | None]
    explained_at: Mapped[datetime | None]

    # Only a keyed hash of the tracking code is stored (HMAC with the server's tracking key).
    tracking_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Double-submit guard: hash of the form's one-time token, and the tracking code sealed
    # under a key derived from that token, so only the submitting browser can see it again.
    idempotency_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    receipt_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)

    rating: Mapped[int | None]
    rating_comment: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime | None]

    created_at: Mapped[datetime] = created_at()

    category: Mapped[Category] = relationship()
    department: Mapped[Department | None] = relationship()
    # In the order they were written: by time, then by their place in the case (a tip's times
    # are days and its ids random, so neither alone orders it).
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case",
        order_by="(CaseEvent.at, CaseEvent.position)",
        cascade="all, delete-orphan",
    )
    messages: Mapped[list[CaseMessage]] = relationship(
        back_populates="case",
        order_by="(CaseMessage.at, CaseMessage.position)",
        cascade="all, delete-orphan",
    )
    # Its files, read only here (casework.cases.attachments writes them): the tracking page
    # loads them with the case, in its one statement (casework.cases.lookup).
    attachments: Mapped[list[Attachment]] = relationship(viewonly=True, order_by="Attachment.id")


class CaseEvent(db.Model):
    """One line of a case's timeline, public (the citizen sees it) or internal."""

    __tablename__ = "case_events"
    __table_args__ = SHARED_WITH_TIPS

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk()
    at: Mapped[datetime]
    # 1, 2, 3 … within the case, in the order written (casework.models.rowids).
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    kind: Mapped[str] = mapped_column(String(32))
    public: Mapped[bool] = mapped_column(default=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status_from: Mapped[str | None] = mapped_column(String(24))
    status_to: Mapped[str | None] = mapped_column(String(24))
    body: Mapped[str] = mapped_column(Text, default="")
    body_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    data: Mapped[dict | None] = mapped_column(JSON)

    case: Mapped[Case] = relationship(back_populates="events")


class CaseMessage(db.Model):
    """Follow-up information from the citizen, or a message between officers and a tipster."""

    __tablename__ = "case_messages"
    __table_args__ = SHARED_WITH_TIPS

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk()
    at: Mapped[datetime]
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    direction: Mapped[str] = mapped_column(String(16))  # from_citizen | to_citizen
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text, default="")
    body_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)

    case: Mapped[Case] = relationship(back_populates="messages")
