"""A second person approves closing a tip without action.

An integrity officer who closes a tip as unfounded, or as not enough facts to act on, only asks
(casework.tipline.workflow keeps the request, its notes sealed); another integrity officer
assigned to the tip, or a custodian the tip does not exclude, approves it, and only then is the
tip closed and the tipster told. A refusal leaves the tip open. Each step goes to the tips
trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.dates import clock
from casework.extensions import db, transaction
from casework.models import Case, TipClosure, User
from casework.tipline import access, custody, sealing, trail, workflow
from casework.tipline.workflow import WorkflowError, pending_closure

__all__ = ["WorkflowError", "pending_closure"]


def can_decide(user, case: Case, row: TipClosure | None) -> bool:
    """Another integrity officer who reads the tip, or a custodian with an approved key whom
    the tip does not exclude; never the officer who asked."""
    if row is None or row.status != "pending" or user is None or user.id == row.requested_by:
        return False
    if access.is_integrity(user):
        return access.can_read(user, case)
    return access.can_decide_reveal(user, case) and custody.active_key_of(user) is not None


def closure_for(user, case_id: int) -> tuple[TipClosure, Case] | None:
    """The pending closure of a tip ``user`` may decide, with its tip, or None."""
    case = db.session.get(Case, case_id)
    row = pending_closure(case) if case is not None and case.channel == "tip" else None
    if row is None or not can_decide(user, case, row):
        return None
    return row, case


def requester_of(row: TipClosure) -> User:
    return db.session.get(User, row.requested_by)


def approve(row: TipClosure, case: Case, approver: User) -> None:
    """Close the tip as asked (the asking officer's change, with their notes). Commits;
    WorkflowError when the tip can no longer be closed that way."""
    if not can_decide(approver, case, row):
        raise WorkflowError({"target": str(_l("You cannot decide this closure."))})
    checked = workflow.check(
        case,
        "closed",
        outcome=row.outcome,
        public_note=sealing.open_text("tip-closure-public", case, row.public_note_sealed),
        internal_note=sealing.open_text("tip-closure-internal", case, row.internal_note_sealed),
    )
    with transaction():
        trail.record(case, "closure_approved", approver.id, outcome=row.outcome)
        workflow.apply(case, checked, actor_id=row.requested_by)
        _decide(row, approver, "approved")


def refuse(row: TipClosure, case: Case, approver: User) -> None:
    """Refuse the closure: the tip stays open where it is. Commits; WorkflowError."""
    if not can_decide(approver, case, row):
        raise WorkflowError({"target": str(_l("You cannot decide this closure."))})
    with transaction():
        _decide(row, approver, "refused")
        trail.record(case, "closure_refused", approver.id, outcome=row.outcome)


def _decide(row: TipClosure, approver: User, status: str) -> None:
    row.status = status
    row.decided_by = approver.id
    row.decided_on = clock.today()
    row.public_note_sealed = row.internal_note_sealed = None  # applied, or not at all


@dataclass
class Waiting:
    row: TipClosure
    case: Case
    requester: User


def queue_for(custodian: User) -> list[Waiting]:
    """Closures without action a custodian may decide, oldest first."""
    rows = db.session.scalars(
        select(TipClosure)
        .filter_by(organization_id=custodian.organization_id, status="pending")
        .order_by(TipClosure.id)
    )
    found = []
    for row in rows:
        case = db.session.get(Case, row.case_id)
        if can_decide(custodian, case, row):
            found.append(Waiting(row, case, requester_of(row)))
    return found
