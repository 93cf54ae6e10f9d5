"""The tip channel's part of the daily sweep (`flask --app wsgi sla sweep`).

For every open tip, against the deadline of the stage it is in (casework.tipline.deadlines),
except a tip referred out: it waits for the outside body, and only the referral's follow-up date
reminds of it (casework.tipline.followups), so nobody is reminded twice of the same wait:

* due soon: one reminder to the integrity officers assigned to it (or, while nobody is, to
  those able to act on it) per deadline;
* overdue: a reminder to them every day, and, once per deadline, an escalation to the
  supervisors and the custodians, with an internal timeline line and an entry in the tips
  trail. It stops when an officer explains the delay to the tipster with a new date.

And the follow-ups due (casework.tipline.followups): a check on the offender, or asking the
outside body a referred tip went to how it stands, once per date, to the assigned officers.

One message per tip and officer per run: a tip in the penalty and follow-up stage whose stage
deadline and offender check are both due gets one email naming both (the stage's template, with
the check's date; its subject names both, casework.notify.mailer), never two. Each thing
reminded of keeps its own key (``tip_due_soon:<tip>:<deadline>``, ``tip_overdue:<tip>:<day>``,
``tip_follow_up:<kind>:<tip>:<date>``); a message about both is keyed ``<the stage's
key>+offender_check:<date>``, so a later run knows that both were said and says neither again.

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
from casework.tipline import access, deadlines, followups, retaliation, trail


@dataclass
class TipSweepStats:
    due_soon: int = 0
    overdue: int = 0
    escalated: int = 0
    retaliation_overdue: int = 0
    retaliation_escalated: int = 0
    follow_up: int = 0  # offender checks and referrals due (reminded once per date)
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


@dataclass
class _Due:
    """One thing to remind ``users`` of about a tip, and the key it has when said alone."""

    template: str
    key: str
    users: list[User]
    payload: dict


# What a message about a stage and an offender check at once adds to the stage's key.
_BOTH = "+" + followups.OFFENDER_CHECK + ":"
_KEYED = ("tip_due_soon", "tip_overdue", "tip_follow_up")


def _assigned(case: Case) -> list[User]:
    return [u for u in access.assigned_officers(case) if u.active]


def _follow_up(due: followups.Due) -> _Due:
    return _Due(
        "tip_follow_up",
        f"tip_follow_up:{due.kind}:{due.case.id}:{due.on.isoformat()}",
        _assigned(due.case),
        {"kind": due.kind, "on": due.on.isoformat(), "path": f"/admin/tips/{due.case.id}"},
    )


def _said(org: Organization, cases: list[Case]) -> set[tuple[str, int]]:
    """(key, user id) of every stage reminder and offender check already said about ``cases``
    (tips in the penalty and follow-up stage, the only ones that can have both), alone or in
    one message with the other."""
    prefixes = [
        f"{kind}:{case.id}:"
        for case in cases
        for kind in ("tip_due_soon", "tip_overdue", f"tip_follow_up:{followups.OFFENDER_CHECK}")
    ]
    said = set()
    for key, user in outbox.reminded(org.id, _KEYED, prefixes):
        stage, both, on = key.partition(_BOTH)
        said.add((stage, user))
        if both:
            case_id = stage.split(":")[1]
            said.add((f"tip_follow_up:{followups.OFFENDER_CHECK}:{case_id}:{on}", user))
    return said


def _remind(plan: _Plan, case: Case, stage: _Due | None, check: _Due | None, said) -> None:
    """One message to each officer about what of ``stage`` and ``check`` they have not been
    told yet: the one alone under its own key, or both in the stage's message."""
    facts: dict[int, tuple[User, list[_Due]]] = {}
    for due in (stage, check):
        for user in due.users if due else ():
            facts.setdefault(user.id, (user, []))[1].append(due)
    for user_id, (user, dues) in facts.items():
        fresh = [d for d in dues if (d.key, user_id) not in said]
        if len(fresh) == 1:
            (due,) = fresh
            plan.reminders.append(outbox.Reminder([user], due.template, case, due.key, due.payload))
        elif fresh:
            key = f"{stage.key}{_BOTH}{check.payload['on']}"
            payload = stage.payload | {"check_on": check.payload["on"]}
            plan.reminders.append(outbox.Reminder([user], stage.template, case, key, payload))


def _tips(org: Organization, stats: TipSweepStats, plan: _Plan) -> None:
    today = clock.today()
    cal = sla.work_calendar(org)
    follow_ups = {due.case.id: due for due in followups.due_reminders(org, today)}
    stats.follow_up = len(follow_ups)
    tips = db.session.scalars(
        select(Case)
        .where(
            Case.organization_id == org.id,
            Case.channel == "tip",
            Case.status.in_(deadlines.tip_stages()),
        )
        .order_by(Case.due_date, Case.id)
    )
    found: list[tuple[Case, _Due | None, _Due | None]] = []
    for case in tips:
        state = sla.due_state(case, org, today, cal)
        stage = None
        if state == sla.DUE_SOON:
            stats.due_soon += 1
            key = f"tip_due_soon:{case.id}:{case.due_date.isoformat()}"
            stage = _Due("tip_due_soon", key, _officers(case), _payload(case))
        elif state == sla.OVERDUE:
            stats.overdue += 1
            key = f"tip_overdue:{case.id}:{today.isoformat()}"
            stage = _Due("tip_overdue", key, _officers(case), _payload(case))
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
        check = follow_ups.pop(case.id, None)
        if stage or check:
            found.append((case, stage, _follow_up(check) if check else None))
    # Tips referred out have no stage deadline: their follow-up alone.
    found += [(due.case, None, _follow_up(due)) for due in follow_ups.values()]
    said = _said(org, [case for case, _, _ in found if case.status == "disciplinary"])
    for case, stage, check in found:
        _remind(plan, case, stage, check, said)


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
