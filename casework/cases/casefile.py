"""Changing a case: every status change goes through the state machine and the SLA clock here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from casework.cases import lifecycle, sla, timeline
from casework.dates import clock
from casework.extensions import db
from casework.models import Case, CaseEvent, Organization


def change_status(
    case: Case,
    target: str,
    *,
    actor_id: int | None = None,
    outcome: str | None = None,
    note: str = "",
    public: bool = True,
    at: datetime | None = None,
) -> CaseEvent:
    """Move ``case`` to ``target`` (IllegalTransition if not allowed); the caller commits.
    Reopening a completed case is ``reopen``'s alone."""
    lifecycle.check(case.channel, case.status, target, outcome)
    if lifecycle.reopens(case.channel, case.status, target):
        raise lifecycle.IllegalTransition("a completed case reopens only through casefile.reopen")
    at = at or clock.utcnow()
    org = db.session.get(Organization, case.organization_id)
    before, after = (
        lifecycle.state(case.channel, case.status),
        lifecycle.state(case.channel, target),
    )
    data = {}
    if before.paused and not after.paused:
        waited = sla.resume(case, org, at)
        data["paused_days"] = waited
    if after.paused:
        sla.pause(case, timeline.stamp(case, at))
    old = case.status
    case.status = target
    if after.final:
        case.outcome = outcome
        case.completed_at = timeline.stamp(case, at)
        if note:
            case.result_text = note
    return timeline.record(
        case,
        "status",
        public=public,
        actor_id=actor_id,
        body=note,
        data=data or None,
        status_from=old,
        status_to=target,
        at=at,
    )


# Outcomes after which "not fixed" means nothing: the case lives on elsewhere.
NOT_REOPENED = ("duplicate", "transferred")


def reopenable(case: Case) -> bool:
    """Whether the complainant may still say this case is not fixed: it is completed (not as a
    duplicate or a transfer) and no new case follows it up yet (that one is the one to follow).
    Whether it reopens itself or is followed up depends on the window
    (``casework.general.followup.not_fixed``)."""
    if not lifecycle.state(case.channel, case.status).final or case.outcome in NOT_REOPENED:
        return False
    followed = select(CaseEvent.id).filter_by(case_id=case.id, kind="followed_up").limit(1)
    return db.session.scalar(followed) is None


def reopen(case: Case, reason: str, *, at: datetime | None = None) -> CaseEvent:
    """The complainant says a completed case is not fixed: it goes back to work and its clock
    starts again, a full deadline from today; the outcome, result and rating of the earlier
    completion stay in the timeline only. Records a public ``reopened`` entry with the reason;
    the caller commits."""
    current, target = lifecycle.REOPEN.get(case.channel, ("", ""))
    if case.status != current:
        raise lifecycle.IllegalTransition(f"a {case.channel} in {case.status!r} cannot reopen")
    lifecycle.check(case.channel, current, target)
    at = at or clock.utcnow()
    org = db.session.get(Organization, case.organization_id)
    done = case.completed_at.isoformat() if case.completed_at else None
    earlier = {"outcome": case.outcome, "completed_at": done}
    if case.rating is not None:
        earlier["rating"] = case.rating
    case.status = target
    case.outcome = None
    case.completed_at = None
    case.result_text = ""
    case.rating, case.rating_comment, case.rated_at = None, "", None
    case.due_date = sla.initial_due_date(org, case.category, at)
    case.original_due_date = None
    case.explained_at = None
    case.reopen_count = (case.reopen_count or 0) + 1
    case.reopened_at = at
    return timeline.record(
        case,
        "reopened",
        public=True,
        body=reason,
        data={**earlier, "due_date": case.due_date.isoformat()},
        status_from=current,
        status_to=target,
        at=at,
    )
