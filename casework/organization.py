"""The organization's own settings, kept by its system administrator: how deadlines count days
and the letters' signatory, departments, the general channel's categories (and their days to
resolve) and holidays declared at short notice. They serve both channels, so they live beside
the channels rather than in either.

Each function that changes a setting commits it with its audit entry, in one transaction, and
raises ``SettingsError`` (messages by field) when the input cannot be accepted.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework import audit
from casework.cases import attachments
from casework.cases.categories import clean_code
from casework.cases.errors import FieldErrors
from casework.dates.workdays import WorkCalendar
from casework.extensions import db, owned, transaction
from casework.models import Category, DeclaredHoliday, Department, Organization

COMPLAINT = "complaint"
LETTER_SETTINGS = (
    "sla_mode",
    "due_soon_days",
    "reopen_window_days",
    "letter_prefix",
    "signatory_name",
    "signatory_title",
)
DEPARTMENT_FIELDS = (
    "code",
    "name_th",
    "name_en",
    "email",
    "phone",
    "head_name",
    "head_title",
    "active",
)


class SettingsError(FieldErrors):
    """A setting that cannot be saved as given."""


def _audited(org_id: int, actor_id: int | None, action: str, target: str, data=None) -> None:
    audit.record(org_id, action, actor_id=actor_id, target=target, data=data)


def _taken(org_id: int, code: str, row_id: int | None = None) -> bool:
    """Whether another department of the organization has this code (ignoring case)."""
    clash = db.session.scalar(
        select(Department)
        .filter_by(organization_id=org_id)
        .where(func.lower(Department.code) == code.lower())
    )
    return clash is not None and clash.id != row_id


# --- deadlines and letters ----------------------------------------------------------------


def letter_settings(org: Organization) -> dict:
    return {name: getattr(org, name) for name in LETTER_SETTINGS}


def save_settings(org: Organization, data: Mapping, actor_id: int) -> None:
    """How deadlines count days, when to warn, and the letters' prefix and signatory. New
    deadlines use them; existing deadlines stay as they were."""
    before = letter_settings(org)
    with transaction():
        org.sla_mode = data["sla_mode"]
        org.due_soon_days = data["due_soon_days"]
        org.reopen_window_days = data.get("reopen_window_days", org.reopen_window_days)
        for name in ("letter_prefix", "signatory_name", "signatory_title"):
            setattr(org, name, (data.get(name) or "").strip())
        _audited(
            org.id,
            actor_id,
            "settings.sla",
            org.slug,
            {"before": before, "after": letter_settings(org)},
        )


# --- what is published about the office ---------------------------------------------------

CONTACT_SETTINGS = (
    "address_th",
    "address_en",
    "phone",
    "email",
    "office_hours_th",
    "office_hours_en",
)
# Whether the list and map of general complaints are published and on which grid, and how
# close complaints must be to count as the same place in the recurrence analysis.
PUBLISHING_SETTINGS = ("publish_case_list", "public_grid_m", "recurrence_radius_m")


def save_contact(org: Organization, data: Mapping, actor_id: int) -> None:
    """The office's address, phone, email and hours, which the handling manuals publish, and
    the publishing settings given in ``data``."""
    names = CONTACT_SETTINGS + tuple(n for n in PUBLISHING_SETTINGS if n in data)
    before = {name: getattr(org, name) for name in names}
    with transaction():
        for name in CONTACT_SETTINGS:
            setattr(org, name, (data.get(name) or "").strip())
        for name in PUBLISHING_SETTINGS:
            if name in data:
                setattr(org, name, data[name])
        changed = sorted(name for name in names if getattr(org, name) != before[name])
        _audited(org.id, actor_id, "settings.contact", org.slug, {"changed": changed})


# --- departments --------------------------------------------------------------------------


def departments(org_id: int, *, active_only: bool = False) -> list[Department]:
    query = select(Department).filter_by(organization_id=org_id)
    if active_only:
        query = query.filter_by(active=True)
    return list(db.session.scalars(query.order_by(Department.id)))


def department(org_id: int, department_id: int) -> Department | None:
    return owned(Department, org_id, department_id)


def department_by_code(org_id: int, code: str) -> Department | None:
    return db.session.scalar(select(Department).filter_by(organization_id=org_id, code=code))


def _department_fields(dept: Department, data: Mapping) -> None:
    for name in DEPARTMENT_FIELDS:
        setattr(dept, name, data[name])
    dept.code = dept.code.strip()


def create_department(org_id: int, data: Mapping, actor_id: int) -> Department:
    """A new department from ``data`` (the keys of DEPARTMENT_FIELDS)."""
    if _taken(org_id, data["code"].strip()):
        raise SettingsError({"code": _l("Another department already uses this code.")})
    dept = Department(organization_id=org_id)
    _department_fields(dept, data)
    with transaction():
        db.session.add(dept)
        db.session.flush()
        _audited(org_id, actor_id, "department.create", dept.code)
    return dept


def update_department(dept: Department, data: Mapping, actor_id: int) -> None:
    if _taken(dept.organization_id, data["code"].strip(), dept.id):
        raise SettingsError({"code": _l("Another department already uses this code.")})
    with transaction():
        _department_fields(dept, data)
        _audited(
            dept.organization_id,
            actor_id,
            "department.update",
            dept.code,
            {"active": dept.active},
        )


# --- the general channel's categories -----------------------------------------------------


def categories(org_id: int, channel: str = COMPLAINT, *, active_only: bool = False) -> list:
    """One channel's categories, in their order in the lists."""
    query = select(Category).filter_by(organization_id=org_id, channel=channel)
    if active_only:
        query = query.filter_by(active=True)
    return list(db.session.scalars(query.order_by(Category.sort_order, Category.id)))


def category(org_id: int, category_id: int) -> Category | None:
    """A general-complaint category (the corruption channel keeps its own)."""
    row = owned(Category, org_id, category_id)
    return row if row is not None and row.channel == COMPLAINT else None


def _category_fields(category: Category, data: Mapping, code: str) -> None:
    category.code = code
    category.name_th = data["name_th"].strip()
    category.name_en = (data.get("name_en") or "").strip()
    category.sla_days = data["sla_days"]
    category.sort_order = data.get("sort_order") or 0
    category.active = data["active"]
    category.department_id = data.get("department_id")


def create_category(org_id: int, data: Mapping, actor_id: int) -> Category:
    """A new general-complaint category: code (the one rule of
    ``casework.cases.categories``), names, days to resolve (``sla_days``), ``department_id``
    (the default responsible unit), ``sort_order`` and ``active``."""
    code = clean_code(org_id, COMPLAINT, data["code"])
    category = Category(organization_id=org_id, channel=COMPLAINT)
    _category_fields(category, data, code)
    with transaction():
        db.session.add(category)
        db.session.flush()
        _audited(
            org_id, actor_id, "category.create", category.code, {"sla_days": category.sla_days}
        )
    return category


def update_category(category: Category, data: Mapping, actor_id: int) -> None:
    """Change a category; a new number of days applies to new cases."""
    org_id = category.organization_id
    code = clean_code(org_id, COMPLAINT, data["code"], category)
    before = category.sla_days
    with transaction():
        _category_fields(category, data, code)
        _audited(
            org_id,
            actor_id,
            "category.update",
            category.code,
            {"sla_days": [before, category.sla_days]},
        )


# --- declared holidays --------------------------------------------------------------------


def declared_holidays(org_id: int, since: date) -> list[DeclaredHoliday]:
    return list(
        db.session.scalars(
            select(DeclaredHoliday)
            .filter_by(organization_id=org_id)
            .where(DeclaredHoliday.day >= since)
            .order_by(DeclaredHoliday.day)
        )
    )


def holiday(org_id: int, holiday_id: int) -> DeclaredHoliday | None:
    return owned(DeclaredHoliday, org_id, holiday_id)


def declare_holiday(
    org_id: int, day: date, name_th: str, name_en: str, actor_id: int
) -> DeclaredHoliday:
    """A holiday declared at short notice: deadlines of new and paused cases skip it."""
    exists = db.session.scalar(select(DeclaredHoliday).filter_by(organization_id=org_id, day=day))
    if exists:
        raise SettingsError({"day": _l("This day is already declared.")})
    row = DeclaredHoliday(
        organization_id=org_id,
        day=day,
        name_th=name_th.strip(),
        name_en=(name_en or "").strip(),
    )
    with transaction():
        db.session.add(row)
        _audited(org_id, actor_id, "holiday.declare", day.isoformat())
    return row


def remove_holiday(row: DeclaredHoliday, actor_id: int) -> None:
    org_id, day = row.organization_id, row.day.isoformat()
    with transaction():
        db.session.delete(row)
        _audited(org_id, actor_id, "holiday.remove", day)


def upcoming_public_holidays(today: date, days: int = 120) -> list[tuple[date, str]]:
    """The Thai public holidays in the next ``days`` days, with their names."""
    cal = WorkCalendar()
    ahead = (today + timedelta(days=i) for i in range(days))
    return [(day, cal.holiday_name(day)) for day in ahead if cal.is_holiday(day)]


# --- the seal -----------------------------------------------------------------------------

SEAL_MAX_BYTES = 2 * 1024 * 1024
SEAL_MAX_SIDE = 600  # pixels: sharp on an A4 letter head, small on a page


def save_seal(org: Organization, data: bytes | None, actor_id: int) -> None:
    """Set the organization's seal from an uploaded PNG or JPEG (re-encoded from its pixels as
    a PNG, at most ``SEAL_MAX_SIDE`` pixels a side), or remove it (``data`` None). Audited."""
    png = None
    if data is not None:
        png = _seal_png(data)
    with transaction():
        org.seal_png = png
        org.seal_version = (org.seal_version or 0) + 1 if png else 0
        _audited(org.id, actor_id, "settings.seal", org.slug, {"seal": png is not None})


def _seal_png(data: bytes) -> bytes:
    kind = attachments.sniff(data)
    if not data or kind not in ("image/png", "image/jpeg"):
        raise FieldErrors({"seal": _l("Choose a PNG or JPEG picture of the seal.")})
    if len(data) > SEAL_MAX_BYTES:
        raise FieldErrors({"seal": _l("The picture is larger than 2 MB.")})
    try:
        with attachments.decoded_image(data, kind) as image:
            image = image.convert("RGBA")
            image.thumbnail((SEAL_MAX_SIDE, SEAL_MAX_SIDE))
            image.info = {}  # pixels only: no profile, text or EXIF survives
            out = io.BytesIO()
            image.save(out, "PNG", optimize=True)
    except attachments.ImageRefused:
        raise FieldErrors({"seal": _l("The picture could not be read.")}) from None
    return out.getvalue()


def seal_png(org: Organization) -> bytes | None:
    return org.seal_png if org.seal_version else None
