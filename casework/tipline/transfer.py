"""The one-way move of a general complaint that turns out to be about corruption.

The complaint's content, files, messages and history become a new tip; its reporter identity
is re-sealed to the custodians and the keyring-readable copy is deleted; the general case is
emptied and closed, and its timeline keeps a single entry: "transferred" (no destination, no
reason). Everything the tip receives is written as new rows of the tip, with random ids and
days for times (casework.models.rowids), so nothing sits beside the complaint's rows. No
receipt is made: the complainant claims one with their old tracking code (casework.tipline.
claims). Nothing moves the other way: ``casework.models.tips`` refuses any change of a tip's
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
from casework.cases.textinput import LIMITS
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
)
from casework.tipline import claims, custody, filing, sealing, trail


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
    filed = filing.create(org, category, sub, actor_id=actor_id, with_receipt=False)
    tip = filed.case
    filing.details_of(tip).transferred = True
    if complaint.tracking_hash:
        claims.open_for(tip, complaint.tracking_hash, staff_saw_code=_staff_saw_code(complaint))
    for row in files:
        db.session.delete(row)
    db.session.flush()
    _move_thread(complaint, tip)
    _empty(complaint)
    event = casefile.change_status(complaint, "completed", actor_id=actor_id, outcome="transferred")
    event.kind = "transferred"
    # Each side's trail records its half, in its own chain, naming nothing of the other side.
    audit.record(
        org.id, "case.transferred", actor_id=actor_id, case=complaint, target=complaint.case_number
    )
    trail.record(tip, "transferred_in", actor_id)
    return tip


def _staff_saw_code(complaint: Case) -> bool:
    """Staff recorded the complaint (offline intake prints its code on the slip), or it came
    any way but the public web form: its tracking code is not the complainant's alone."""
    return complaint.received_via != "web" or any(
        e.kind == "received" and e.actor_id is not None for e in complaint.events
    )


# What a moved message or timeline entry keeps (an entry is no longer public: the tipster's
# page shows only the tip's own), and the purpose its sealed body is bound to.
_MOVED = {
    CaseMessage: (("direction", "author_id"), "case-message"),
    CaseEvent: (("kind", "actor_id", "status_from", "status_to", "data"), "case-event"),
}


def _move_thread(complaint: Case, tip: Case) -> None:
    """Messages and history follow the tip as new rows (new ids), sealed and cut to the day,
    placed before the tip's own entries (places -n … -1); the complaint's rows are deleted."""
    for model, (kept, purpose) in _MOVED.items():
        old_rows = db.session.scalars(
            select(model).filter_by(case_id=complaint.id).order_by(model.at, model.position)
        ).all()
        for place, old in enumerate(old_rows, start=-len(old_rows)):
            db.session.add(
                model(
                    organization_id=tip.organization_id,
                    case=tip,
                    at=clock.day_only(old.at),
                    position=place,
                    body="",
                    body_sealed=sealing.seal_text(purpose, tip, old.body) if old.body else None,
                    **{name: getattr(old, name) for name in kept},
                )
            )
            db.session.delete(old)
    db.session.flush()


def _empty(complaint: Case) -> None:
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
