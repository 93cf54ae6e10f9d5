"""Files attached to a case; name and bytes are encrypted at rest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, false
from sqlalchemy.orm import Mapped, deferred, mapped_column

from casework.extensions import db
from casework.models.base import BIG_ID, SHARED_WITH_TIPS, big_pk, case_fk, org_fk


class Attachment(db.Model):
    __tablename__ = "attachments"
    __table_args__ = SHARED_WITH_TIPS

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk()
    message_id: Mapped[int | None] = mapped_column(BIG_ID, ForeignKey("case_messages.id"))
    # Evidence sent with a tipster's report of retaliation (casework.tipline.retaliation).
    retaliation_id: Mapped[int | None] = mapped_column(
        BIG_ID, ForeignKey("tip_retaliation_reports.id", ondelete="CASCADE")
    )
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    filename_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    data_sealed: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_at: Mapped[datetime]
    uploaded_by: Mapped[str] = mapped_column(String(16), default="citizen")  # citizen | staff
    # An officer's "after" photo: the public update or the result (its timeline entry) it
    # belongs to, and whether the complainant sees it on the tracking page.
    event_id: Mapped[int | None] = mapped_column(BIG_ID, ForeignKey("case_events.id"))
    public: Mapped[bool] = mapped_column(default=False, server_default=false())
