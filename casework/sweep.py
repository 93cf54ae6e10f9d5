"""The daily SLA sweep (`flask --app wsgi sla sweep`, run from cron).

For every open general complaint whose clock is running:

* due soon: a reminder to the assigned officer (or the department's officers);
* overdue: a reminder to them, and an escalation to the complaint supervisors, with an internal
  timeline line, until the unit sends the complainant an explanation with a new date.

Each message carries ``dedupe_key = "<kind>:<case id>:<date>"`` (unique in the outbox), so running
the sweep twice on one day sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from casework import clock, outbox, roles, sla, timeline
from casework.extensions import db
from casework.models import Case, Organization, OutboxMessage, User


@dataclass
class SweepStats:
    due_soon: int = 0
    overdue: int = 0
    escalated: int = 0
    queued: int = 0
    cases: list[str] = field(default_factory=list)


def _officers(case: Case) -> list[User]:
    if case.assignee_id:
        user = db.session.get(User, case.assignee_id)
        if user is not None and user.active:
            return [user]
    if case.department_id is None:
        return []
    return list(
        db.session.scalars(
            select(User).where(
                User.organization_id == case.organization_id,
                User.department_id == case.department_id,
                User.role == roles.OFFICER,
                User.active.is_(True),
            )
        )
    )


def _supervisors(org: Organization) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(
                User.organization_id == org.id,
                User.role == roles.SUPERVISOR,
                User.active.is_(True),
            )
        )
    )


def _queue(users: list[User], template: str, case: Case, key: str, existing: set[str]) -> int:
    queued = 0
    for user in users:
        dedupe = f"{key}:u{user.id}"
        if dedupe in existing:
            continue
        if outbox.enqueue_staff_email(user, template, case, dedupe_key=dedupe):
            existing.add(dedupe)
            queued += 1
    return queued


def sweep_org(org: Organization) -> SweepStats:
    today = clock.today()
    cal = sla.work_calendar(org)
    stats = SweepStats()
    prefix_day = today.isoformat()
    existing = set(
        db.session.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.organization_id == org.id,
                OutboxMessage.dedupe_key.like(f"%:{prefix_day}:%"),
            )
        )
    )
    open_cases = db.session.scalars(
        select(Case)
        .where(
            Case.organization_id == org.id,
            Case.channel == "complaint",
            Case.completed_at.is_(None),
        )
        .order_by(Case.due_date, Case.id)
    )
    supervisors = _supervisors(org)
    for case in open_cases:
        state = sla.due_state(case, org, today, cal)
        if state == sla.DUE_SOON:
            stats.due_soon += 1
            key = f"due_soon:{case.id}:{prefix_day}"
            stats.queued += _queue(_officers(case), "due_soon", case, key, existing)
        elif state == sla.OVERDUE:
            stats.overdue += 1
            stats.cases.append(case.case_number)
            key = f"overdue:{case.id}:{prefix_day}"
            stats.queued += _queue(_officers(case), "overdue", case, key, existing)
            key = f"escalation:{case.id}:{prefix_day}"
            new = _queue(supervisors, "escalation", case, key, existing)
            if not any(
                e.kind == "escalated" and (e.data or {}).get("day") == prefix_day
                for e in case.events
            ):
                timeline.record(
                    case,
                    "escalated",
                    public=False,
                    data={
                        "day": prefix_day,
                        "days_overdue": cal.days_between(case.due_date, today),
                    },
                )
            stats.escalated += 1 if new else 0
            stats.queued += new
    db.session.commit()
    return stats


def run() -> dict[str, SweepStats]:
    return {
        org.slug: sweep_org(org)
        for org in db.session.scalars(select(Organization).order_by(Organization.id))
    }
