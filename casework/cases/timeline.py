"""Writing a case's timeline. The corruption channel keeps no time finer than the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from casework.dates import clock
from casework.extensions import db
from casework.models import Case, CaseEvent, CaseMessage


def stamp(case: Case, at: datetime | None = None) -> datetime:
    """The time to store for something happening to ``case`` now (day-only for tips)."""
    at = at or clock.utcnow()
    return clock.day_only(at) if case.channel == "tip" else at


def record(
    case: Case,
    kind: str,
    *,
    public: bool,
    actor_id: int | None = None,
    body: str = "",
    data: dict | None = None,
    status_from: str | None = None,
    status_to: str | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    event = CaseEvent(
        organization_id=case.organization_id,
        case=case,
        at=stamp(case, at),
        kind=kind,
        public=public,
        actor_id=actor_id,
        body=body,
        data=data,
        status_from=status_from,
        status_to=status_to,
    )
    db.session.add(event)
    return event


def public_events(case: Case) -> list[CaseEvent]:
    return [e for e in case.events if e.public]


def escalated(case: Case, deadline: date) -> bool:
    """Whether the daily sweep already escalated ``case`` for this deadline (an "escalated"
    entry names it): once per deadline, however often the sweep runs."""
    return any(
        e.kind == "escalated" and (e.data or {}).get("due_date") == deadline.isoformat()
        for e in case.events
    )


@dataclass(frozen=True)
class StaffEntry:
    """One line of the officers' timeline: an event, with the complainant's words when the
    event is their added information; or a message from them that no event announced."""

    at: datetime
    event: CaseEvent | None = None
    message: CaseMessage | None = None


def staff_entries(case: Case) -> list[StaffEntry]:
    """Every event and every message from the citizen, in the order they happened."""
    from_citizen = [m for m in case.messages if m.direction == "from_citizen" and m.body]
    by_time = {m.at: m for m in from_citizen}
    told = set()
    entries = []
    for e in case.events:
        message = by_time.get(e.at) if e.kind == "citizen_info" else None
        if message is not None:
            told.add(message.id)
        entries.append(StaffEntry(e.at, event=e, message=message))
    entries += [StaffEntry(m.at, message=m) for m in from_citizen if m.id not in told]
    return sorted(entries, key=lambda entry: entry.at)
