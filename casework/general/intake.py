"""Filing a general complaint: the one path it takes however it is received (web, API, LINE,
clerk).

Validation, numbering, identity sealing, attachments, the first timeline event and the receipt
notification happen in one transaction: a failure leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from casework.cases import (
    attachments,
    contact,
    held,
    identity,
    numbering,
    sla,
    timeline,
    values,
)
from casework.cases.attachments import Upload
from casework.cases.categories import find_category
from casework.cases.errors import IntakeError
from casework.cases.textinput import LIMITS, clean
from casework.crypto import keys, resubmit, tracking
from casework.dates import clock
from casework.dates.thaidate import fiscal_year, local_date
from casework.extensions import commit_keeping_state, db
from casework.models import Attachment, Case, Organization, OutboxMessage
from casework.models.case import COMPLAINT_KINDS, RECEIVED_VIA
from casework.notify import outbox

TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
# The contact details a complainant gives on the form and through the API (the clerk's form
# too); sealed with the rest of the identity (casework.cases.identity).
CONTACT_FIELDS = ("title", "name", "phone", "email", "address")
TOKEN = re.compile(r"^[\x21-\x7e]{16,128}$")
BAD_TOKEN = _l("Use a random key of 16 to 128 visible ASCII characters.")
BAD_LAT = _l("Latitude must be a number between -90 and 90.")
BAD_LNG = _l("Longitude must be a number between -180 and 180.")
REUSED_TOKEN = _l("This key was already used for a different complaint. Use a new random key.")


@dataclass
class ComplaintSubmission:
    category: str = ""
    subject: str = ""
    details: str = ""
    kind: str = "complaint"
    location: str = ""
    lat: float | str | None = None
    lng: float | str | None = None
    occurred_on: date | str | None = None
    occurred_time: str = ""
    reporter: dict = field(default_factory=dict)
    consent: bool = False
    uploads: list[Upload] = field(default_factory=list)
    received_via: str = "web"
    received_at: datetime | None = None  # offline intake: when it actually arrived
    idempotency_token: str | None = None
    # Forms (not the API): the same form sent again after a change is a new complaint.
    changed_form_is_new: bool = False
    # Forms: the token of files kept across a form error (casework.cases.held); they are in
    # ``uploads`` already and are deleted from where they were kept when the case is filed.
    held_token: str | None = None


@dataclass
class Filed:
    case: Case
    tracking_code: str | None  # grouped code; None when a resubmission cannot be reopened
    repeated: bool = False  # True when this was a double submission of an earlier case
    # What the receipt says, known when the case was just filed (None: look it up).
    files: int | None = None
    emailed: bool | None = None


def normalize(sub: ComplaintSubmission) -> dict[str, str]:
    """Clean the submission in place; return field errors (empty when it can be filed)."""
    errors: dict[str, object] = {}
    sub.category = clean(sub.category)
    sub.subject = clean(sub.subject)
    sub.details = clean(sub.details, multiline=True)
    sub.location = clean(sub.location)
    sub.occurred_time = clean(sub.occurred_time)
    sub.reporter = {
        k: clean(sub.reporter.get(k), multiline=k == "address") for k in identity.FIELDS
    }

    if not sub.category:
        errors["category"] = _l("Choose a category.")
    if not sub.subject:
        errors["subject"] = _l("Give the complaint a short subject.")
    if not sub.details:
        errors["details"] = _l("Describe what happened.")
    for name in ("subject", "details", "location"):
        if len(getattr(sub, name)) > LIMITS[name]:
            errors[name] = _l("At most %(n)d characters.", n=LIMITS[name])
    for name, value in sub.reporter.items():
        if len(value) > LIMITS[name]:
            errors[f"reporter.{name}"] = _l("At most %(n)d characters.", n=LIMITS[name])
    if sub.kind not in COMPLAINT_KINDS:
        errors["kind"] = _l("Choose complaint, grievance or suggestion.")
    if sub.received_via not in RECEIVED_VIA:
        errors["received_via"] = _l("Unknown way the complaint was received.")

    sub.lat = values.number_field(errors, "lat", sub.lat, -90, 90, BAD_LAT)
    sub.lng = values.number_field(errors, "lng", sub.lng, -180, 180, BAD_LNG)
    if (sub.lat is None) != (sub.lng is None) and "lat" not in errors and "lng" not in errors:
        errors["lng"] = _l("Give both latitude and longitude, or neither.")

    sub.occurred_on = values.occurred_on(errors, sub.occurred_on)
    if sub.occurred_time and not TIME.match(sub.occurred_time):
        errors["occurred_time"] = _l("Enter a time as HH:MM.")
    if sub.received_at and local_date(sub.received_at) > clock.today():
        errors["received_at"] = _l("The date received cannot be in the future.")

    errors.update(contact.problems(sub.reporter, "reporter"))
    national_id = re.sub(r"[\s-]", "", sub.reporter.get("national_id", ""))
    if national_id and not (national_id.isdigit() and len(national_id) == 13):
        errors["reporter.national_id"] = _l("A national ID number has 13 digits.")
    if any(sub.reporter.values()) and not sub.consent:
        errors["consent"] = _l(
            "To give your contact details, agree that the municipality may use them "
            "to handle this complaint."
        )

    problem = attachments.problems(sub.uploads)
    if problem:
        errors["attachments"] = problem
    return {k: str(v) for k, v in errors.items()}


def usable_token(token: object) -> bool:
    """A one-time form token or Idempotency-Key: 16 to 128 visible ASCII characters."""
    return isinstance(token, str) and TOKEN.match(token) is not None


def _bound(token: str) -> str:
    """The token as stored and used to seal the receipt: bound to the server's tracking key, so
    a database dump cannot test guesses of a weak client key to open the sealed code."""
    return tracking.hash_code(keys.keyring().tracking_key, "idempotency:" + token)


def _repeat(org: Organization, sub: ComplaintSubmission) -> Filed | None:
    """The earlier case this submission repeats (same token), or None.

    A token reused for a different complaint is refused rather than answered with the earlier
    receipt: a client that picks predictable keys must never be shown another's tracking code.
    """
    if not sub.idempotency_token:
        return None
    token = _bound(sub.idempotency_token)
    case = db.session.scalar(select(Case).filter_by(idempotency_hash=resubmit.token_hash(token)))
    if case is None:
        return None
    same = (
        case.organization_id == org.id
        and case.subject == sub.subject
        and case.details == sub.details
        and case.category is not None
        and case.category.code == sub.category
    )
    if not same and sub.changed_form_is_new and "~" not in sub.idempotency_token:
        # The Back button: the receipt's form, changed and sent again, is a new complaint. Its
        # token is derived from the old one and the content, so a double click on it repeats.
        content = "\x1f".join((sub.category, sub.subject, sub.details)).encode()
        digest = hashlib.sha256(content).hexdigest()[:40]
        sub.idempotency_token = f"{sub.idempotency_token[:80]}~{digest}"
        return _repeat(org, sub)
    if not same:
        raise IntakeError({"idempotency_token": str(REUSED_TOKEN)}, status=409)
    code = resubmit.open_sealed(token, case.receipt_sealed) if case.receipt_sealed else None
    return Filed(case, tracking.format_code(code) if code else None, repeated=True)


def file_complaint(
    org: Organization, sub: ComplaintSubmission, *, actor_id=None, before_commit=None
) -> Filed:
    """Validate and file; raises IntakeError with field messages. Commits on success.
    ``before_commit(filed)`` runs in the same transaction, with the case and its tracking
    code (the clerk's audit entry; the LINE chat's receipt).

    A repeated submission (the same one-time token) is not looked for before filing: the unique
    hash of its token refuses the new case, and only then is the earlier one looked up. Every
    filing saves that round trip; a repeat costs an attempt that is rolled back, number and all.
    """
    if sub.idempotency_token is not None and not usable_token(sub.idempotency_token):
        raise IntakeError({"idempotency_token": str(BAD_TOKEN)})
    errors = normalize(sub)
    category = None if errors.get("category") else find_category(org, sub.category, "complaint")
    if category is None and "category" not in errors:
        errors["category"] = str(_l("Choose a category from the list."))
    if errors:
        earlier = _repeat(org, sub)  # the first of two clicks was filed before a rule changed
        if earlier:
            return earlier
        raise IntakeError(errors)
    while True:
        token = sub.idempotency_token
        try:
            with attachments.room_for(sub.uploads):
                return _create(org, sub, category, actor_id, before_commit)
        except IntegrityError:
            earlier = _repeat(org, sub)  # may derive a new token: the Back button's changed form
            if earlier:
                return earlier
            if sub.idempotency_token == token:
                raise


def _create(org: Organization, sub: ComplaintSubmission, category, actor_id, before_commit):
    now = clock.utcnow()
    received_at = sub.received_at or now
    code = tracking.generate_code()
    canonical = tracking.normalize_code(code)
    token = _bound(sub.idempotency_token) if sub.idempotency_token else None
    reporter = {k: v for k, v in sub.reporter.items() if v}
    try:
        fy = fiscal_year(local_date(now))
        sequence = numbering.next_sequence(org.id, "complaint", fy)
        case = Case(
            organization_id=org.id,
            channel="complaint",
            kind=sub.kind,
            received_via=sub.received_via,
            fiscal_year=fy,
            sequence=sequence,
            case_number=numbering.format_number("complaint", fy, sequence),
            status="received",
            category=category,
            department=category.department,
            subject=sub.subject,
            details=sub.details,
            location=sub.location,
            lat=sub.lat,
            lng=sub.lng,
            occurred_on=sub.occurred_on,
            occurred_time=sub.occurred_time,
            anonymous=not reporter,
            contact_consent=bool(sub.consent and reporter),
            received_at=received_at,
            due_date=sla.initial_due_date(org, category, received_at),
            tracking_hash=tracking.hash_code(keys.keyring().tracking_key, canonical),
            idempotency_hash=resubmit.token_hash(token) if token else None,
            receipt_sealed=resubmit.seal(token, canonical) if token else None,
        )
        db.session.add(case)
        if reporter or sub.uploads:
            db.session.flush()  # their encryption is bound to the case's id
            identity.seal(case, reporter)
            attachments.store(case, sub.uploads, uploaded_by="staff" if actor_id else "citizen")
        held.discard(org, "complaint", sub.held_token)
        timeline.record(
            case,
            "received",
            public=True,
            actor_id=actor_id,
            status_to="received",
            data={"received_via": sub.received_via},
            at=received_at,
        )
        if reporter.get("email"):
            outbox.enqueue_citizen_email(
                case, reporter["email"], "receipt", due_date=case.due_date.isoformat()
            )
        if before_commit is not None:
            db.session.flush()  # what it writes refers to the case by its id
            before_commit(Filed(case, code))
        commit_keeping_state()  # the receipt shows what was just written
    except Exception:
        db.session.rollback()
        raise
    return Filed(case, code, files=len(sub.uploads), emailed=bool(reporter.get("email")))


def receipt_emailed(filed: Filed) -> bool:
    """Whether filing queued the receipt email (the citizen gave an address and consent)."""
    if filed.emailed is not None:
        return filed.emailed
    return (
        db.session.scalar(
            select(OutboxMessage.id).filter_by(case_id=filed.case.id, template="receipt").limit(1)
        )
        is not None
    )


def receipt_files(filed: Filed) -> int:
    """How many files came with the complaint."""
    if filed.files is not None:
        return filed.files
    return db.session.scalar(select(func.count(Attachment.id)).filter_by(case_id=filed.case.id))


def new_form_token() -> str:
    return secrets.token_urlsafe(32)
