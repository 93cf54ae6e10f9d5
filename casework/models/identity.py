"""The reporter's identity, encrypted at rest; found again only through keyed blind indexes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import db
from casework.models.base import case_fk, created_at, org_fk


class ReporterIdentity(db.Model):
    __tablename__ = "reporter_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk(unique=True)
    # AES-GCM (casework.crypto.fields) over a JSON object: title, name, phone, email, address,
    # national_id. The title (คำนำหน้าชื่อ) is sealed with the name: it tells sex and marital status.
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    phone_index: Mapped[str | None] = mapped_column(String(64), index=True)
    email_index: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = created_at()
