"""Reporter identity at rest: AES-GCM sealed JSON plus keyed blind indexes for phone and email."""

from __future__ import annotations

from sqlalchemy import or_, select

from casework.crypto import blindindex, fields, keys
from casework.extensions import db
from casework.models import Case, ReporterIdentity

FIELDS = ("title", "name", "phone", "email", "address", "national_id")
# The title (คำนำหน้าชื่อ) as people choose it; any other is typed in.
TITLES = ("นาย", "นาง", "นางสาว")
ANONYMOUS_ADDRESSEE = "ผู้ร้องเรียน"


def addressee(values: dict) -> str:
    """How letters and emails address the complainant: "นางสมหญิง ใจดี" (a Thai title is
    written against the name); "ผู้ร้องเรียน" when no name was given."""
    title = (values.get("title") or "").strip()
    name = (values.get("name") or "").strip()
    if not name:
        return ANONYMOUS_ADDRESSEE
    if not title or name.startswith(title):
        return name
    return f"{title}{name}" if title in TITLES else f"{title} {name}"


def aad(organization_id: int, case_id: int) -> bytes:
    return f"identity:{organization_id}:{case_id}".encode()


def stored(organization_id: int, case_id: int, values: dict) -> dict:
    """An identity's columns as stored: the sealed JSON and the blind indexes."""
    ring = keys.keyring()
    return {
        "organization_id": organization_id,
        "case_id": case_id,
        "sealed": fields.encrypt_json(ring, values, aad(organization_id, case_id)),
        "phone_index": blindindex.blind_index(ring, "phone", values.get("phone", "")),
        "email_index": blindindex.blind_index(ring, "email", values.get("email", "")),
    }


def seal(case: Case, data: dict) -> ReporterIdentity | None:
    """Store the non-empty identity fields for a flushed case; None when nothing was given."""
    values = {k: data.get(k, "") for k in FIELDS if data.get(k)}
    if not values:
        return None
    row = ReporterIdentity(**stored(case.organization_id, case.id, values))
    db.session.add(row)
    return row


def row_for(case: Case) -> ReporterIdentity | None:
    return db.session.scalar(select(ReporterIdentity).filter_by(case_id=case.id))


def reveal(case: Case) -> dict:
    """Decrypt the identity (callers audit the view); empty dict when anonymous."""
    row = row_for(case)
    if row is None:
        return {}
    return fields.decrypt_json(keys.keyring(), row.sealed, aad(case.organization_id, case.id))


def contact_email(case: Case) -> str:
    return reveal(case).get("email", "")


def earlier_cases(case: Case) -> list[Case]:
    """Other cases by the same phone or email, found through the blind indexes."""
    row = row_for(case)
    if row is None or not (row.phone_index or row.email_index):
        return []
    conditions = []
    if row.phone_index:
        conditions.append(ReporterIdentity.phone_index == row.phone_index)
    if row.email_index:
        conditions.append(ReporterIdentity.email_index == row.email_index)
    return list(
        db.session.scalars(
            select(Case)
            .join(ReporterIdentity, ReporterIdentity.case_id == Case.id)
            .where(
                Case.organization_id == case.organization_id,
                Case.id != case.id,
                Case.channel == case.channel,
                or_(*conditions),
            )
            .order_by(Case.id.desc())
        )
    )
