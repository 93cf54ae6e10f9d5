"""Learning who a tipster is: an integrity officer asks, with a reason; k of the n custodians
decide.

k (``approvals_needed``) is fixed when the request is filed: ``REVEAL_APPROVALS`` when it is
set, otherwise 2 where at least two custodians with approved keys may decide the tip (the tip
excludes neither), else 1. Each approval is a different custodian's, given with their
passphrase (which only unwraps their own private key); the identity opens when the k-th
custodian approves, and is shown to that custodian only (on that one page, never stored or
logged readably), who passes it to the requesting officer in person. One custodian's refusal,
with a reason, ends the request. Every step goes to the tips trail and is emailed to all
custodians (never the tip itself), and the tipster's receipt page shows the day their identity
was accessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.cases import timeline
from casework.cases.textinput import LIMITS, clean
from casework.dates import clock
from casework.extensions import db
from casework.models import Case, RevealApproval, RevealRequest, User
from casework.tipline import access, custody, sealing, trail
from casework.tipline.custody import CustodyError

__all__ = ["CustodyError"]


def deciders(case: Case) -> list[User]:
    """The custodians who may decide a reveal of ``case``: approved keys, not excluded."""
    return [
        custody.holder(k)
        for k in custody.active_keys(case.organization_id)
        if not access.is_excluded(k.user_id, case)
    ]


def approvals_needed(case: Case) -> int:
    """How many custodians must approve a reveal of ``case`` filed now (k of n)."""
    configured = current_app.config.get("REVEAL_APPROVALS")
    if configured:
        return max(1, int(configured))
    return 2 if len(deciders(case)) >= 2 else 1


def _text(value: str, field: str, missing) -> tuple[str, dict[str, str]]:
    value = clean(value, multiline=True)
    if not value:
        return value, {field: str(missing)}
    if len(value) > LIMITS["message"]:
        return value, {field: str(_l("At most %(n)d characters.", n=LIMITS["message"]))}
    return value, {}


def request(case: Case, officer: User, reason: str) -> RevealRequest:
    """File a reveal request (the caller has checked the officer may read the case); every
    custodian is told. Commits."""
    reason, errors = _text(reason, "reason", _l("Give the reason the identity is needed."))
    needed = approvals_needed(case)
    if not custody.has_identity(case):
        errors = {"reason": str(_l("This tip is anonymous: there is no identity to reveal."))}
    elif not errors and pending_for(case):
        errors["reason"] = str(_l("A request for this tip is already waiting for a custodian."))
    elif not errors and len(deciders(case)) < needed:
        errors["reason"] = str(
            _l(
                "A reveal needs the approval of %(n)d custodians, and fewer than that can "
                "decide this tip.",
                n=needed,
            )
        )
    if errors:
        raise CustodyError(errors)
    row = RevealRequest(
        organization_id=case.organization_id,
        case_id=case.id,
        requested_by=officer.id,
        requested_on=clock.today(),
        reason_sealed=b"",
        approvals_needed=needed,
    )
    try:
        db.session.add(row)
        db.session.flush()
        row.reason_sealed = sealing.seal_text("tip-reveal-reason", case, reason)
        timeline.record(case, "reveal_requested", public=False, actor_id=officer.id)
        trail.record(case, "reveal_requested", officer.id, request=row.id, needed=needed)
        custody.notify_custodians(case.organization_id, "reveal_requested", officer)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return row


def reason_of(row: RevealRequest, case: Case) -> str:
    return sealing.open_text("tip-reveal-reason", case, row.reason_sealed)


def refusal_of(row: RevealRequest, case: Case) -> str:
    """Why a custodian refused the request ("" unless it was refused)."""
    return sealing.open_text("tip-reveal-refusal", case, row.refusal_sealed)


def approvers_of(row: RevealRequest) -> list[User]:
    """The custodians who approved the request, in the order they did."""
    return list(
        db.session.scalars(
            select(User)
            .join(RevealApproval, RevealApproval.custodian_id == User.id)
            .where(RevealApproval.request_id == row.id)
            .order_by(RevealApproval.id)
        )
    )


def pending_for(case: Case) -> RevealRequest | None:
    return db.session.scalar(select(RevealRequest).filter_by(case_id=case.id, status="pending"))


def requests_for(case: Case) -> list[RevealRequest]:
    return list(
        db.session.scalars(
            select(RevealRequest)
            .filter_by(case_id=case.id)
            .order_by(RevealRequest.requested_on, RevealRequest.id)
        )
    )


def queue(organization_id: int) -> list[RevealRequest]:
    """Pending first, then by day and tip, newest first (ids are random: casework.models.rowids)."""
    return list(
        db.session.scalars(
            select(RevealRequest)
            .join(Case, Case.id == RevealRequest.case_id)
            .filter(RevealRequest.organization_id == organization_id)
            .order_by(
                RevealRequest.status != "pending",
                RevealRequest.requested_on.desc(),
                Case.fiscal_year.desc(),
                Case.sequence.desc(),
            )
        )
    )


@dataclass
class Decision:
    """A reveal request as a custodian sees it in their queue."""

    row: RevealRequest
    case: Case
    reason: str
    requester: User
    approvers: list[User]  # who approved so far
    refusal: str  # why it was refused
    mine: bool  # the custodian looking at it approved it already

    @property
    def waiting_for(self) -> int:
        """How many more approvals the request needs."""
        return max(0, self.row.approvals_needed - len(self.approvers))


def queue_for(custodian: User) -> list[Decision]:
    """The organization's requests a custodian may decide, pending first (none until the
    custodian's key is approved; never a tip that excludes them)."""
    if custody.active_key_of(custodian) is None:
        return []
    decisions = []
    for row in queue(custodian.organization_id):
        case = db.session.get(Case, row.case_id)
        if access.can_decide_reveal(custodian, case):
            approvers = approvers_of(row)
            decisions.append(
                Decision(
                    row,
                    case,
                    reason_of(row, case),
                    requester_of(row),
                    approvers,
                    refusal_of(row, case),
                    custodian.id in {u.id for u in approvers},
                )
            )
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


def _failed(case: Case, custodian: User, row: RevealRequest) -> None:
    """A wrong passphrase, or no box to open, leaves its trace in the trail (committed)."""
    trail.record(case, "reveal_failed", custodian.id, request=row.id)
    db.session.commit()


def approve(row: RevealRequest, case: Case, custodian: User, passphrase: str) -> dict | None:
    """One custodian's approval, given with their passphrase. Commits; CustodyError.

    Returns None while the request waits for more custodians; the identity when this is the
    k-th approval (which needs a custodian the identity was sealed to). On an approved
    request, a custodian who approved it sees the identity again (audited again)."""
    approvers = {u.id for u in approvers_of(row)}
    if row.status == "refused":
        raise CustodyError({"passphrase": str(_l("This request was refused."))})
    if row.status == "approved" and custodian.id not in approvers | {row.decided_by}:
        raise CustodyError({"passphrase": str(_l("This request was already decided."))})
    if row.status == "pending" and custodian.id in approvers:
        raise CustodyError(
            {
                "passphrase": str(
                    _l("You approved this request already: another custodian must approve it.")
                )
            }
        )
    last = row.status == "pending" and len(approvers) + 1 >= row.approvals_needed
    try:
        if row.status == "pending" and not last:
            custody.check_passphrase(custodian, passphrase)
            identity = None
        else:
            identity = custody.open_identity(case, custodian, passphrase)
    except CustodyError:
        _failed(case, custodian, row)
        raise
    try:
        if row.status == "pending":
            db.session.add(
                RevealApproval(
                    organization_id=case.organization_id,
                    case_id=case.id,
                    request_id=row.id,
                    custodian_id=custodian.id,
                    approved_on=clock.today(),
                )
            )
            trail.record(
                case,
                "reveal_approval",
                custodian.id,
                request=row.id,
                approvals=len(approvers) + 1,
                needed=row.approvals_needed,
            )
            if last:
                row.status = "approved"
                row.decided_by = custodian.id
                row.decided_on = clock.today()
                trail.record(case, "reveal_approved", custodian.id, request=row.id)
                timeline.record(case, "identity_accessed", public=True, actor_id=custodian.id)
            custody.notify_custodians(
                case.organization_id,
                "reveal_opened" if last else "reveal_approval",
                custodian,
                approvals=len(approvers) + 1,
                needed=row.approvals_needed,
            )
        if identity is not None:
            trail.record(case, "identity_viewed", custodian.id, request=row.id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return identity


def refuse(row: RevealRequest, case: Case, custodian: User, reason: str) -> None:
    """Refuse a pending request, with a reason (only a custodian whose key is approved
    decides): the request ends. Every custodian is told. Commits; CustodyError."""
    if custody.active_key_of(custodian) is None:
        raise CustodyError(
            {"refusal": str(_l("Only a custodian whose key is active can do this."))}
        )
    if row.status != "pending":
        raise CustodyError({"refusal": str(_l("This request was already decided."))})
    reason, errors = _text(reason, "refusal", _l("Say why you refuse the request."))
    if errors:
        raise CustodyError(errors)
    try:
        row.status = "refused"
        row.decided_by = custodian.id
        row.decided_on = clock.today()
        row.refusal_sealed = sealing.seal_text("tip-reveal-refusal", case, reason)
        timeline.record(case, "reveal_refused", public=False, actor_id=custodian.id)
        trail.record(case, "reveal_refused", custodian.id, request=row.id)
        custody.notify_custodians(case.organization_id, "reveal_refused", custodian)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def access_days(case: Case) -> list[date]:
    """The days the tipster's identity was opened after an approved request."""
    return [r.decided_on for r in requests_for(case) if r.status == "approved" and r.decided_on]
