"""The one-way move of a general complaint that turns out to be about corruption.

The complaint's content, files, messages and history become a new tip; its reporter identity
is re-sealed to the custodians and the keyring-readable copy is deleted; the general case is
emptied and closed, and its timeline keeps a single entry: "transferred" (no destination, no
reason). The complainant's old tracking code can claim the tip's receipt once, on the tip
pages. Nothing moves the other way: ``casework.models.tips`` refuses any change of a tip's
channel.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from casework import audit
from casework.cases import attachments, casefile, identity, lifecycle
from casework.cases.attachments import Upload
from casework.cases.categories import find_category
from casework.cases.errors import FieldErrors
from casework.cases.lookup import find_by_code
from casework.cases.textinput import LIMITS
from casework.crypto import keys, tracking
from casework.crypto.blindindex import keyed_tag
from casework.dates import clock
from casework.extensions import db
from casework.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseMessage,
    Organization,
    OutboxMessage,
    ReporterIdentity,
    TipDetails,
)
from casework.tipline import custody, filing, sealing, trail


class TransferError(FieldErrors):
    """A complaint that cannot be moved into the tip channel (``message`` says why)."""


def transfer(complaint: Case, *, actor_id: int, tip_category: str = "other") -> Case:
    """Move ``complaint`` into the tip channel; returns the new tip. Commits."""
    if complaint.channel != "complaint":
        raise TransferError(message=_l("Only a general complaint can be transferred."))
    if lifecycle.state("complaint", complaint.status).final:
        raise TransferError(message=_l("A completed complaint cannot be transferred."))
    org = db.session.get(Organization, complaint.organization_id)
    category = find_category(org, tip_category, "tip")
    if category is None:
        raise TransferError(message=_l("Choose a tip category."))
    reporter = identity.reveal(complaint)
    if reporter and not custody.active_keys(org.id):
        raise TransferError(
            message=_l(
                "This complaint names its reporter, and no identity custodian has a key yet: "
                "the identity could not be sealed. Ask a custodian to enrol first."
            )
        )
    try:
        tip = _move(org, complaint, category, reporter, actor_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return tip


def _move(org, complaint: Case, category, reporter: dict, actor_id: int) -> Case:
    files = list(db.session.scalars(select(Attachment).filter_by(case_id=complaint.id)))
    uploads = [
        Upload(attachments.filename(a, complaint), attachments.content(a, complaint)) for a in files
    ]
    what = "\n\n".join(p for p in (complaint.subject, complaint.details) if p)
    sub = filing.TipSubmission(
        category=category.code,
        what=what[: LIMITS["details"]],
        where=complaint.location,
        when=complaint.occurred_time,
        occurred_on=complaint.occurred_on,
        confidential=bool(reporter),
        identity={k: reporter.get(k, "") for k in filing.IDENTITY_LIMITS},
        consent=bool(reporter),
        uploads=uploads,
    )
    filed = filing.create(org, category, sub, actor_id=actor_id)
    tip = filed.case
    details = filing.details_of(tip)
    details.transferred = True
    if complaint.tracking_hash:
        details.claim_hash = _claim_tag(complaint.tracking_hash)
        details.claim_sealed = sealing.seal_text("tip-claim", tip, filed.receipt)
    _move_thread(complaint, tip)
    _empty(complaint, files)
    event = casefile.change_status(complaint, "completed", actor_id=actor_id, outcome="transferred")
    event.kind = "transferred"
    # Each side's trail records its half, in its own chain, naming nothing of the other side.
    audit.record(
        org.id, "case.transferred", actor_id=actor_id, case=complaint, target=complaint.case_number
    )
    trail.record(tip, "transferred_in", actor_id)
    return tip


def _claim_tag(tracking_hash: str) -> str:
    """Keyed, so the tip's row does not carry the complaint's own tracking hash."""
    return keyed_tag(keys.keyring(), "tip-claim", tracking_hash)


def _move_thread(complaint: Case, tip: Case) -> None:
    """Messages and history follow the tip, sealed and cut to the day."""
    for message in list(db.session.scalars(select(CaseMessage).filter_by(case_id=complaint.id))):
        text = message.body
        message.case_id, message.case = tip.id, tip
        message.at = clock.day_only(message.at)
        message.body = ""
        message.body_sealed = sealing.seal_text("case-message", tip, text)
    for event in list(db.session.scalars(select(CaseEvent).filter_by(case_id=complaint.id))):
        text = event.body
        event.case_id, event.case = tip.id, tip
        event.at = clock.day_only(event.at)
        event.public = False
        event.body = ""
        event.body_sealed = sealing.seal_text("case-event", tip, text) if text else None


def _empty(complaint: Case, files: list) -> None:
    for row in files:
        db.session.delete(row)
    db.session.execute(delete(ReporterIdentity).where(ReporterIdentity.case_id == complaint.id))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.case_id == complaint.id))
    complaint.subject = ""
    complaint.details = ""
    complaint.location = ""
    complaint.lat = complaint.lng = None
    complaint.occurred_on = None
    complaint.occurred_time = ""
    complaint.assignee_id = None
    complaint.anonymous = True
    complaint.contact_consent = False
    complaint.result_text = ""
    db.session.flush()
    db.session.expire(complaint, ["events", "messages"])


def claim(org: Organization, tracking_code: str | None) -> tuple[Case, str] | None:
    """A transferred complainant's receipt, shown once for their old tracking code."""
    complaint = find_by_code(org, tracking_code)
    if complaint is None or not complaint.tracking_hash:
        return None
    details = db.session.scalar(
        select(TipDetails).filter_by(claim_hash=_claim_tag(complaint.tracking_hash))
    )
    if details is None or details.claim_sealed is None:
        return None
    tip = db.session.get(Case, details.case_id)
    receipt = sealing.open_text("tip-claim", tip, details.claim_sealed)
    details.claim_sealed = None
    details.claim_hash = None
    trail.record(tip, "receipt_claimed", None)
    db.session.commit()
    return tip, tracking.format_code(receipt.replace("-", ""))
