"""Learning who a tipster is: an integrity officer asks, with a reason; a custodian decides.

Approval needs the custodian's passphrase, because only it unwraps the custodian's private key
that opens the sealed identity. The identity is shown to the approving custodian only (on that
one page, never stored or logged readably); the custodian passes it to the requesting officer
in person. Both steps go to the audit trail, and the tipster's receipt page shows the day their
identity was accessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.cases import timeline
from casework.cases.textinput import LIMITS, clean
from casework.dates import clock
from casework.extensions import db
from casework.models import Case, RevealRequest, User
from casework.tipline import access, custody, sealing, trail
from casework.tipline.custody import CustodyError

__all__ = ["CustodyError"]


def request(case: Case, officer: User, reason: str) -> RevealRequest:
    """File a reveal request (the caller has checked the officer may read the case). Commits."""
    reason = clean(reason, multiline=True)
    errors = {}
    if not custody.has_identity(case):
        errors["reason"] = str(_l("This tip is anonymous: there is no identity to reveal."))
    elif not reason:
        errors["reason"] = str(_l("Give the reason the identity is needed."))
    elif len(reason) > LIMITS["message"]:
        errors["reason"] = str(_l("At most %(n)d characters.", n=LIMITS["message"]))
    elif pending_for(case):
        errors["reason"] = str(_l("A request for this tip is already waiting for a custodian."))
    if errors:
        raise CustodyError(errors)
    row = RevealRequest(
        organization_id=case.organization_id,
        case_id=case.id,
        requested_by=officer.id,
        requested_on=clock.today(),
        reason_sealed=b"",
    )
    db.session.add(row)
    db.session.flush()
    row.reason_sealed = sealing.seal_text("tip-reveal-reason", case, reason)
    timeline.record(case, "reveal_requested", public=False, actor_id=officer.id)
    trail.record(case, "reveal_requested", officer.id, request=row.id)
    db.session.commit()
    return row


def reason_of(row: RevealRequest, case: Case) -> str:
    return sealing.open_text("tip-reveal-reason", case, row.reason_sealed)


def pending_for(case: Case) -> RevealRequest | None:
    return db.session.scalar(select(RevealRequest).filter_by(case_id=case.id, status="pending"))


def requests_for(case: Case) -> list[RevealRequest]:
    return list(
        db.session.scalars(
            select(RevealRequest).filter_by(case_id=case.id).order_by(RevealRequest.id)
        )
    )


def queue(organization_id: int) -> list[RevealRequest]:
    return list(
        db.session.scalars(
            select(RevealRequest)
            .filter_by(organization_id=organization_id)
            .order_by(RevealRequest.status != "pending", RevealRequest.id.desc())
        )
    )


@dataclass
class Decision:
    """A reveal request as a custodian sees it in their queue."""

    row: RevealRequest
    case: Case
    reason: str
    requester: User


def queue_for(custodian: User) -> list[Decision]:
    """The organization's requests a custodian may decide, pending first (none until the
    custodian's key is active; never a tip that excludes them)."""
    key = custody.key_of(custodian)
    if key is None or not key.active:
        return []
    decisions = []
    for row in queue(custodian.organization_id):
        case = db.session.get(Case, row.case_id)
        if access.can_decide_reveal(custodian, case):
            decisions.append(Decision(row, case, reason_of(row, case), requester_of(row)))
    return decisions


def request_for(custodian: User, request_id: int) -> tuple[RevealRequest, Case] | None:
    """A request and its tip, when ``custodian`` may decide it (None otherwise: unknown,
    another organization's, or about a tip that excludes them)."""
    row = db.session.get(RevealRequest, request_id)
    case = db.session.get(Case, row.case_id) if row else None
    if row is None or not access.can_decide_reveal(custodian, case):
        return None
    return row, case


def requester_of(row: RevealRequest) -> User:
    return db.session.get(User, row.requested_by)


def approve(row: RevealRequest, case: Case, custodian: User, passphrase: str) -> dict:
    """Open the identity with the custodian's passphrase and record the approval. Commits.

    On an already approved request this shows the identity again (audited again)."""
    if row.status == "refused":
        raise CustodyError({"passphrase": str(_l("This request was refused."))})
    try:
        identity = custody.open_identity(case, custodian, passphrase)
    except CustodyError:
        trail.record(case, "reveal_failed", custodian.id, request=row.id)
        db.session.commit()
        raise
    first = row.status == "pending"
    if first:
        row.status = "approved"
        row.decided_by = custodian.id
        row.decided_on = clock.today()
        trail.record(case, "reveal_approved", custodian.id, request=row.id)
        timeline.record(case, "identity_accessed", public=True, actor_id=custodian.id)
    trail.record(case, "identity_viewed", custodian.id, request=row.id)
    db.session.commit()
    return identity


def refuse(row: RevealRequest, case: Case, custodian: User) -> None:
    """Refuse a pending request (only a custodian whose key is active decides). Commits."""
    key = custody.key_of(custodian)
    if key is None or not key.active:
        raise CustodyError(
            {"passphrase": str(_l("Only a custodian whose key is active can do this."))}
        )
    if row.status != "pending":
        raise CustodyError({"passphrase": str(_l("This request was already decided."))})
    row.status = "refused"
    row.decided_by = custodian.id
    row.decided_on = clock.today()
    timeline.record(case, "reveal_refused", public=False, actor_id=custodian.id)
    trail.record(case, "reveal_refused", custodian.id, request=row.id)
    db.session.commit()


def access_days(case: Case) -> list[date]:
    """The days the tipster's identity was opened after an approved request."""
    return [r.decided_on for r in requests_for(case) if r.status == "approved" and r.decided_on]
