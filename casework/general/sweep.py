"""The daily SLA sweep (`flask --app wsgi sla sweep`, run from cron).

For every open general complaint:

* due soon: one reminder to the assigned officer (or the department's officers) per deadline;
* overdue: a reminder to them every day, and — once per deadline — an escalation to the
  complaint supervisors, with an internal timeline line and an audit entry. It stops when the
  unit sends the complainant an explanation with a new date (the deadline moves);
* forwarded to an outside agency: a reminder to follow up when the follow-up date arrives.

It also forgets LINE conversations left idle past their time (casework.general.linechat), and
deletes the files kept for web forms that were never sent again (casework.cases.held).

Every message carries a ``dedupe_key`` (unique in the outbox) naming the case and the deadline or
day it is about, so running the sweep twice sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from casework import audit
from casework.cases import held, lifecycle, sla, timeline
from casework.dates import clock
from casework.extensions import db, transaction
from casework.general import linechat
from casework.models import Case, Organization, User
from casework.notify import outbox
from casework.staff import roles


@dataclass
class SweepStats:
    due_soon: int = 0
    overdue: int = 0
    escalated: int = 0
    follow_up: int = 0
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


def _escalate(case: Case, org: Organization, days_overdue: int) -> None:
    """Record (once per deadline) that an overdue case went to the supervisors."""
    data = {"due_date": case.due_date.isoformat(), "days_overdue": days_overdue}
    timeline.record(case, "escalated", public=False, data=data)
    audit.record(org.id, "case.escalate", case=case, data=data)


def sweep_org(org: Organization) -> SweepStats:
    """Queue today's reminders for one organization and commit them together (or, on an
    error, none of them)."""
    with transaction():
        return _sweep(org)


def _sweep(org: Organization) -> SweepStats:
    today = clock.today()
    cal = sla.work_calendar(org)
    stats = SweepStats()
    supervisors = _supervisors(org)
    open_cases = db.session.scalars(
        select(Case)
        .where(
            Case.organization_id == org.id,
            Case.channel == "complaint",
            Case.completed_at.is_(None),
        )
        .order_by(Case.due_date, Case.id)
    ).all()
    plan: list[outbox.Reminder] = []
    for case in open_cases:
        if lifecycle.state(case.channel, case.status).final:
            continue
        state = sla.due_state(case, org, today, cal)
        deadline = case.due_date.isoformat()
        if state == sla.DUE_SOON:
            stats.due_soon += 1
            plan.append(
                outbox.Reminder(_officers(case), "due_soon", case, f"due_soon:{case.id}:{deadline}")
            )
        elif state == sla.OVERDUE:
            stats.overdue += 1
            stats.cases.append(case.case_number)
            plan.append(
                outbox.Reminder(
                    _officers(case), "overdue", case, f"overdue:{case.id}:{today.isoformat()}"
                )
            )
            if not timeline.escalated(case, case.due_date):
                _escalate(case, org, cal.days_between(case.due_date, today))
                stats.escalated += 1
            plan.append(
                outbox.Reminder(supervisors, "escalation", case, f"escalation:{case.id}:{deadline}")
            )
        follow_up = case.forwarded_follow_up_on
        if case.status == "forwarded" and follow_up is not None and follow_up <= today:
            stats.follow_up += 1
            plan.append(
                outbox.Reminder(
                    _officers(case),
                    "follow_up",
                    case,
                    f"follow_up:{case.id}:{follow_up.isoformat()}",
                    {"agency": case.forwarded_name, "reference": case.forwarded_reference},
                )
            )
    stats.queued = outbox.queue_reminders(org.id, plan)
    return stats


def run() -> dict[str, SweepStats]:
    stats = {
        org.slug: sweep_org(org)
        for org in db.session.scalars(select(Organization).order_by(Organization.id))
    }
    linechat.purge()  # LINE drafts left idle, event ids LINE can no longer redeliver
    held.purge_expired()  # files kept for a form that was never sent again
    return stats
