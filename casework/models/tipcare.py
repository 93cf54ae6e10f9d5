"""What the corruption channel keeps on top of a tip's stages: each stage's days (per
organization), and the tipster's reports of retaliation with their kinds (a labels table).

Dates, never times, as everywhere in the channel.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import db
from casework.models.base import big_pk, case_fk, org_fk


class TipStageDays(db.Model):
    """The days an organization gives one stage of a tip (or a retaliation report) before it
    runs late. A stage without a row keeps the default (casework.tipline.deadlines)."""

    __tablename__ = "tip_stage_days"
    __table_args__ = (UniqueConstraint("organization_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    stage: Mapped[str] = mapped_column(String(24))  # a tip state, or "retaliation"
    days: Mapped[int]


class RetaliationKind(db.Model):
    """The kinds of retaliation a tipster can report (transfer, threat, harassment, …)."""

    __tablename__ = "tip_retaliation_kinds"
    __table_args__ = (UniqueConstraint("organization_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    code: Mapped[str] = mapped_column(String(32))
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class RetaliationReport(db.Model):
    """A tipster's report, made with their receipt, that they suffer for the tip: an urgent
    item linked to the tip, with its own deadline. Its text and the officers' notes are sealed
    like the tip's content (casework.tipline.sealing)."""

    __tablename__ = "tip_retaliation_reports"

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk()
    kind_id: Mapped[int] = mapped_column(ForeignKey("tip_retaliation_kinds.id"))
    text_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    reported_on: Mapped[date]
    due_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    # The day the sweep escalated it to the executive (once per deadline).
    escalated_on: Mapped[date | None]
    # What was done (officers only) and what the tipster reads on their status page.
    action_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    public_note_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_on: Mapped[date | None]
