"""The tip channel's part of the daily sweep (`flask --app wsgi sla sweep`).

For every open tip, against the deadline of the stage it is in (casework.tipline.deadlines),
except a tip referred out: it waits for the outside body, and only the referral's follow-up date
reminds of it (casework.tipline.followups), so nobody is reminded twice of the same wait:

* due soon: one reminder to the integrity officers assigned to it (or, while nobody is, to
  those able to act on it) per deadline;
* overdue: a reminder to them every day, and, once per deadline, an escalation to the
  supervisors and the custodians, with an internal timeline line and an entry in the tips
  trail. It stops when an officer explains the delay to the tipster with a new date.

For every open report of retaliation (casework.tipline.retaliation), against its own deadline:

* due soon: one reminder to the integrity officers and custodians per deadline;
* overdue: a reminder to them every day, and, once per deadline, an escalation to the
  executive, with an entry in the tips trail.

Nobody the tip excludes is ever written to. The emails carry the tip's number, the stage, the
deadline and a link to the back office: never the accused's name, the tip's text or the
report's text. Every message carries a dedupe key naming the tip or report and the deadline or
day, so running the sweep twice sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from casework.cases import sla, timeline
from casework.dates import clock
from casework.extensions import db, transaction
from casework.models import Case, Organization, RetaliationReport, User
from casework.notify import outbox
from casework.staff.roles import CUSTODIAN, SUPERVISOR
from casework.tipline import access, deadlines, retaliation, trail


@dataclass
class TipSweepStats:
    due_soon: int = 0
    overdue: int = 0
    escalated: int = 0
    retaliation_overdue: int = 0
    retaliation_escalated: int = 0
    queued: int = 0


def _officers(case: Case) -> list[User]:
    """The assigned integrity officers, or those able to act while nobody is assigned."""
    assigned = [u for u in access.assigned_officers(case) if u.active]
    return assigned or access.able_to_act(case)


def _overseers(case: Case) -> list[User]:
    """The supervisors and custodians the tip does not exclude."""
    excluded = access.excluded_ids(case)
    return [
        u
        for u in db.session.scalars(
            select(User)
            .where(
                User.organization_id == case.organization_id,
                User.role.in_((SUPERVISOR, CUSTODIAN)),
                User.active.is_(True),
            )
            .order_by(User.id)
        )
        if u.id not in excluded
    ]


def _payload(case: Case) -> dict:
    return {"stage": case.status, "path": f"/admin/tips/{case.id}"}


@dataclass
class _Plan:
    """Today's reminders, each keyed ``<template>:<tip or report id>:<deadline or day>``."""

    reminders: list[outbox.Reminder] = field(default_factory=list)

    def add(self, users: list[User], template: str, case: Case, ident: int, when, payload):
        key = f"{template}:{ident}:{when.isoformat()}"
        self.reminders.append(outbox.Reminder(users, template, case, key, payload))


def _tips(org: Organization, stats: TipSweepStats, plan: _Plan) -> None:
    today = clock.today()
    cal = sla.work_calendar(org)
    tips = db.session.scalars(
        select(Case)
        .where(
            Case.organization_id == org.id,
            Case.channel == "tip",
            Case.status.in_(deadlines.tip_stages()),
        )
        .order_by(Case.due_date, Case.id)
    )
    for case in tips:
        state = sla.due_state(case, org, today, cal)
        if state == sla.DUE_SOON:
            stats.due_soon += 1
            plan.add(_officers(case), "tip_due_soon", case, case.id, case.due_date, _payload(case))
        elif state == sla.OVERDUE:
            stats.overdue += 1
            plan.add(_officers(case), "tip_overdue", case, case.id, today, _payload(case))
            if not timeline.escalated(case, case.due_date):
                data = {
                    "due_date": case.due_date.isoformat(),
                    "days_overdue": cal.days_between(case.due_date, today),
                    "stage": case.status,
                }
                timeline.record(case, "escalated", public=False, data=data)
                trail.record(case, "escalated", None, **data)
                stats.escalated += 1
            plan.add(
                _overseers(case), "tip_escalation", case, case.id, case.due_date, _payload(case)
            )


def _reports(org: Organization, stats: TipSweepStats, plan: _Plan) -> None:
    today = clock.today()
    cal = sla.work_calendar(org)
    reports = db.session.scalars(
        select(RetaliationReport)
        .filter_by(organization_id=org.id, status=retaliation.OPEN)
        .order_by(RetaliationReport.due_date, RetaliationReport.id)
    )
    for row in reports:
        case = db.session.get(Case, row.case_id)
        state = retaliation.due_state(row, org, today, cal)
        payload = retaliation.reminder_payload(row)
        handlers = retaliation.handlers(case)
        if state == sla.DUE_SOON:
            plan.add(handlers, "retaliation_due_soon", case, row.id, row.due_date, payload)
        elif state == sla.OVERDUE:
            stats.retaliation_overdue += 1
            plan.add(handlers, "retaliation_overdue", case, row.id, today, payload)
            if row.escalated_on is None:  # a report's deadline never moves: once
                row.escalated_on = today
                trail.record(
                    case,
                    "retaliation_escalated",
                    None,
                    due_date=row.due_date.isoformat(),
                    days_overdue=cal.days_between(row.due_date, today),
                )
                stats.retaliation_escalated += 1
            executives = retaliation.executives(case)
            plan.add(executives, "retaliation_escalation", case, row.id, row.due_date, payload)


def sweep_org(org: Organization) -> TipSweepStats:
    """Queue today's reminders and escalations of the organization's tips and reports of
    retaliation, and commit them together (or, on an error, none of them)."""
    stats = TipSweepStats()
    plan = _Plan()
    with transaction():
        _tips(org, stats, plan)
        _reports(org, stats, plan)
        stats.queued = outbox.queue_reminders(org.id, plan.reminders)
    return stats


def run() -> dict[str, TipSweepStats]:
    return {
        org.slug: sweep_org(org)
        for org in db.session.scalars(select(Organization).order_by(Organization.id))
    }
