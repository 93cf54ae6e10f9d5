"""Open311 GeoReport v2 for general complaints: the services (one per category), the keys an
administrator issues to client apps, filing a request through the same path as the web form,
and finding requests the way the specification's GET requests asks.

A service request is a general complaint of the public list (casework.publishing.caselist):
no tip, no text anyone wrote, no identity, the place snapped to the published grid. Its id is
the case number with "-" for "/" (``2570-000123``), so that it fits in a URL path.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework import audit
from casework.cases import identity, lifecycle
from casework.cases.errors import FieldErrors
from casework.cases.textinput import LIMITS
from casework.dates import clock
from casework.extensions import db, owned
from casework.general import intake
from casework.models import Case, Category, Open311Key, Organization, User
from casework.models.case import COMPLAINT_KINDS
from casework.publishing import caselist

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
OPEN, CLOSED = "open", "closed"
DEFAULT_DAYS = 90  # without dates, GET requests answers for the last 90 days
MAX_REQUESTS = 1000
DESCRIPTION_LIMIT = 5000
KIND_ATTRIBUTE = "kind"
# The complainant's title (คำนำหน้าชื่อ), an attribute of every service: optional, as on the
# web form (casework.cases.identity.TITLES, or another), at most LIMITS["title"] characters as
# sent, and sealed with the name like the specification's contact fields.
TITLE_ATTRIBUTE = "title"
TITLE_LIMIT = LIMITS["title"]
TITLES = identity.TITLES


class Open311Error(FieldErrors):
    """A request the Open311 endpoint refuses (``status`` 400, 403 or 404)."""


def request_id(case_number: str) -> str:
    return case_number.replace("/", "-")


def case_number(service_request_id: str) -> str:
    return service_request_id.replace("-", "/")


def status_of(case: caselist.PublicCase) -> str:
    return CLOSED if case.final else OPEN


# --- keys ---------------------------------------------------------------------------------


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(org: Organization, name: str, actor: User) -> tuple[Open311Key, str]:
    """A new api_key for client ``name``; the key itself is returned once and never stored."""
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise FieldErrors({"name": _l("Name the client in 1 to 200 characters.")})
    key = secrets.token_urlsafe(24)
    row = Open311Key(organization_id=org.id, name=name, key_hash=_hash(key), created_by=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record(org.id, "open311.key_issued", actor_id=actor.id, target=str(row.id))
    db.session.commit()
    return row, key


def revoke_key(org: Organization, key_id: int, actor: User) -> bool:
    """Revoke the organization's key ``key_id``; False when it has no such key."""
    row = owned(Open311Key, org.id, key_id)
    if row is None:
        return False
    if row.revoked_at is None:
        row.revoked_at = clock.utcnow()
        audit.record(
            row.organization_id, "open311.key_revoked", actor_id=actor.id, target=str(row.id)
        )
        db.session.commit()
    return True


def keys(org: Organization) -> list[Open311Key]:
    return list(
        db.session.scalars(
            select(Open311Key).filter_by(organization_id=org.id).order_by(Open311Key.id.desc())
        )
    )


def check_key(org: Organization, key: str | None) -> Open311Key:
    """The active key ``key`` names, or Open311Error (403)."""
    row = None
    if key:
        digest = _hash(key)
        row = db.session.scalar(
            select(Open311Key).filter_by(organization_id=org.id, key_hash=digest)
        )
        if row is not None and not hmac.compare_digest(row.key_hash, digest):
            row = None  # pragma: no cover - the lookup already matched
    if row is None or row.revoked_at is not None:
        raise Open311Error(
            {"api_key": _l("A valid api_key issued by the organization is required.")},
            _l("Invalid api_key."),
            status=403,
        )
    row.last_used_on = clock.today()
    return row


# --- services -----------------------------------------------------------------------------


def services(org: Organization) -> list[Category]:
    return list(
        db.session.scalars(
            select(Category)
            .filter_by(organization_id=org.id, channel=caselist.CHANNEL, active=True)
            .order_by(Category.sort_order, Category.id)
        )
    )


def service(org: Organization, code: str) -> Category:
    found = next((c for c in services(org) if c.code == code), None)
    if found is None:
        raise Open311Error(
            {"service_code": _l("No such service.")}, _l("Service not found."), status=404
        )
    return found


# --- requests -----------------------------------------------------------------------------


@dataclass
class Query:
    """GET requests' parameters, already parsed."""

    ids: list[str] | None = None
    codes: list[str] | None = None
    start: datetime | None = None  # aware
    end: datetime | None = None
    statuses: list[str] | None = None


def _naive_utc(moment: datetime) -> datetime:
    """An aware instant as stored (naive UTC)."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def find(org: Organization, query: Query) -> list[caselist.PublicCase]:
    """The requests ``query`` asks for: by id (which overrides every other parameter), else by
    service code, date range (default: the last 90 days) and status, newest first, at most
    1000."""
    select_ = caselist.published_query(org)
    if query.ids is not None:
        numbers = [case_number(i) for i in query.ids]
        return caselist.rows(select_.where(Case.case_number.in_(numbers)), org)
    if query.codes:
        select_ = select_.where(Category.code.in_(query.codes))
    end = query.end
    start = query.start
    if start is None and end is None:
        start = clock.utcnow().replace(tzinfo=UTC) - timedelta(days=DEFAULT_DAYS)
    if start is not None:
        select_ = select_.where(Case.received_at >= _naive_utc(start))
    if end is not None:
        select_ = select_.where(Case.received_at <= _naive_utc(end))
    if query.statuses and set(query.statuses) != {OPEN, CLOSED}:
        finals = [
            code
            for code, st in lifecycle.STATES[caselist.CHANNEL].items()
            if st.final == (query.statuses == [CLOSED])
        ]
        select_ = select_.where(Case.status.in_(finals))
    return caselist.rows(select_.limit(MAX_REQUESTS), org)


def submit(org: Organization, key: str | None, fields: dict[str, str]) -> intake.Filed:
    """A client's POST: its api_key checked (Open311Error 403), then the request filed; the
    key's last use commits with the filed request."""
    check_key(org, key)
    return file(org, fields)


def file(org: Organization, fields: dict[str, str]) -> intake.Filed:
    """File a request through the web form's path (casework.general.intake). ``fields`` are the
    POST's form fields; contact details are kept as the complainant's, sealed, with their
    consent, which the client app collects (the condition on which its key is issued)."""
    description = (fields.get("description") or "").strip()
    kind = fields.get(f"attribute[{KIND_ATTRIBUTE}]") or "complaint"
    title = fields.get(f"attribute[{TITLE_ATTRIBUTE}]") or ""
    problems: dict[str, object] = {}
    if not description:
        problems["description"] = _l("Describe the problem.")
    if kind not in COMPLAINT_KINDS:
        problems[f"attribute[{KIND_ATTRIBUTE}]"] = _l("Use complaint, grievance or suggestion.")
    if len(title) > TITLE_LIMIT:  # as sent, as the service definition says
        problems[f"attribute[{TITLE_ATTRIBUTE}]"] = _l("At most %(n)d characters.", n=TITLE_LIMIT)
    has_place = any(fields.get(k) for k in ("lat", "long", "address_string", "address_id"))
    if not has_place:
        problems["lat"] = _l("Give lat and long, or address_string.")
    if problems:
        raise Open311Error(problems)
    service(org, fields.get("service_code") or "")
    name = " ".join(filter(None, (fields.get("first_name"), fields.get("last_name")))).strip()
    reporter = {
        "title": title,
        "name": name,
        "phone": fields.get("phone") or "",
        "email": fields.get("email") or "",
    }
    first_line = description.splitlines()[0]
    submission = intake.ComplaintSubmission(
        category=fields.get("service_code") or "",
        subject=first_line[:100],
        details=description[:DESCRIPTION_LIMIT],
        kind=kind,
        location=(fields.get("address_string") or "")[:300],
        lat=fields.get("lat") or None,
        lng=fields.get("long") or None,
        reporter=reporter,
        consent=any(reporter.values()),
        received_via="open311",
    )
    try:
        return intake.file_complaint(org, submission)
    except intake.IntakeError as error:
        names = {
            "category": "service_code",
            "details": "description",
            "lng": "long",
            "reporter.title": f"attribute[{TITLE_ATTRIBUTE}]",
        }
        raise Open311Error(
            {names.get(k, k): v for k, v in error.fields.items()}, error.message
        ) from None
