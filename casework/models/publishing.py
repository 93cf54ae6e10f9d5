"""Rows of what the organization publishes and lets others use: the keys an administrator
issues to Open311 clients, the executive summary reports, and satisfaction-survey answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import db
from casework.models.base import case_fk, created_at, org_fk


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


class SummaryReport(db.Model):
    """The executive summary report of a half or a whole fiscal year: the published figures
    with the sections staff write (problems, obstacles, solutions, in Markdown). A supervisor
    drafts it, the executive approves it; approval freezes the figures and publishes it at
    /reports/<fiscal year>-<period>, where it stays."""

    __tablename__ = "summary_reports"
    __table_args__ = (UniqueConstraint("organization_id", "fiscal_year", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    fiscal_year: Mapped[int]
    period: Mapped[str] = mapped_column(String(8))  # h1 | h2 | year
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | approved
    problems: Mapped[str] = mapped_column(Text, default="")
    obstacles: Mapped[str] = mapped_column(Text, default="")
    solutions: Mapped[str] = mapped_column(Text, default="")
    drafted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drafted_at: Mapped[datetime] = created_at()
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]
    # The published figures (casework.publishing.stats.as_dict) as they stood at approval.
    figures: Mapped[dict | None] = mapped_column(JSON)


class SurveyAnswer(db.Model):
    """One answer to a satisfaction-survey question about a case, given on the tracking page,
    by phone or on paper (then recorded by staff). The overall score also sets ``Case.rating``,
    which the published satisfaction figure counts."""

    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk()
    question: Mapped[str] = mapped_column(String(32))
    score: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16))  # web | line | phone | paper
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = created_at()
