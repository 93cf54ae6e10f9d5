"""Changing a case: every status change goes through the state machine and the SLA clock here."""

from __future__ import annotations

from datetime import datetime

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
    """Move ``case`` to ``target`` (IllegalTransition if not allowed); the caller commits."""
    lifecycle.check(case.channel, case.status, target, outcome)
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
