"""The local government, its departments (ส่วนงาน), categories and declared holidays."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.extensions import db
from casework.models.base import created_at, org_fk

CHANNELS = ("complaint", "tip")


class Organization(db.Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32), default="municipality")
    address_th: Mapped[str] = mapped_column(Text, default="")
    address_en: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(254), default="")
    # Office hours, published in the handling manuals beside the phone number and address.
    office_hours_th: Mapped[str] = mapped_column(Text, default="")
    office_hours_en: Mapped[str] = mapped_column(Text, default="")
    # The public list, map and open data of general complaints (never tips): on unless the
    # organization switches them off; locations are shown snapped to a grid of this many metres.
    publish_case_list: Mapped[bool] = mapped_column(default=True)
    public_grid_m: Mapped[int] = mapped_column(default=500)
    # The satisfaction survey's questions (casework.publishing.survey); None: the default,
    # overall satisfaction 1-5 and an optional comment.
    survey_questions: Mapped[list | None] = mapped_column(JSON)
    # Recurrence analysis: cases within this many metres count as the same place.
    recurrence_radius_m: Mapped[int] = mapped_column(default=100)
    # "calendar" or "working": how the SLA clock counts days (the plans do not say).
    sla_mode: Mapped[str] = mapped_column(String(16), default="calendar")
    due_soon_days: Mapped[int] = mapped_column(default=3)
    # For this many days after completion, "not fixed" on the tracking page reopens a complaint
    # (its clock starts again); later it files a new case that follows the completed one.
    reopen_window_days: Mapped[int] = mapped_column(default=30, server_default="30")
    # The organization's letter reference prefix (ที่ มท ๐๐๐๐/...) used on written notices.
    letter_prefix: Mapped[str] = mapped_column(String(64), default="")
    # Who signs written notices when the responsible unit has no head set (e.g. the mayor, or
    # the municipal clerk "acting for" the mayor); the title may take two lines.
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_title: Mapped[str] = mapped_column(Text, default="")
    # The organization's seal (ตราสัญลักษณ์) as a PNG, shown in the page header, on letters and
    # on printed reports; loaded only when served. ``seal_version`` counts uploads (0: none),
    # so pages know whether there is one, and its address changes with it.
    seal_png: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    seal_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = created_at()

    departments: Mapped[list[Department]] = relationship(back_populates="organization")


class Department(db.Model):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("organization_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    code: Mapped[str] = mapped_column(String(32))
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    # The head of the unit signs its written notices (ผู้อำนวยการกอง…, possibly "acting for").
    head_name: Mapped[str] = mapped_column(String(200), default="")
    head_title: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)

    organization: Mapped[Organization] = relationship(back_populates="departments")


class Category(db.Model):
    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("organization_id", "channel", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    channel: Mapped[str] = mapped_column(String(16))  # complaint | tip
    code: Mapped[str] = mapped_column(String(48))
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    sla_days: Mapped[int] = mapped_column(default=15)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    department: Mapped[Department | None] = relationship()


class DeclaredHoliday(db.Model):
    """A holiday an admin declares at short notice, on top of the Thai public holidays."""

    __tablename__ = "declared_holidays"
    __table_args__ = (UniqueConstraint("organization_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    day: Mapped[date]
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
