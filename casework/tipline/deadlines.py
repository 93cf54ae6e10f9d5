"""How long each stage of a tip may take, per organization, and the deadline it gives.

Each open stage of a tip (received, preliminary review, investigation, …) and a tipster's report
of retaliation has a number of days; a tip referred out has none (``FOLLOWED_UP``). An
organization sets them at ``/admin/tips/deadlines`` (``TipStageDays``); a tip stage it leaves
empty keeps the tip category's days (15 unless the category says otherwise: the plans' "answer
within 15 days, or explain"). A report of retaliation is urgent: RETALIATION_DAYS unless set.
Days are counted the organization's way, calendar or working days (``Organization.sla_mode``).

A stage's deadline is fixed when the tip enters it (``due_date``); a changed number applies from
each tip's next stage. The daily sweep (casework.tipline.sweep) reads the deadline, and an
officer who needs longer explains why to the tipster and gives a new date
(casework.tipline.workflow.explain_delay).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.cases import lifecycle, sla
from casework.cases.errors import FieldErrors
from casework.dates.thaidate import local_date
from casework.extensions import db, transaction
from casework.models import Category, Organization, TipStageDays
from casework.tipline import trail

RETALIATION = "retaliation"
RETALIATION_DAYS = 3
DEFAULT_DAYS = 15  # a tip stage with neither a setting nor a category
MAX_DAYS = 365


class DeadlineError(FieldErrors):
    """Stage days that cannot be saved as given."""


# A tip referred out waits for the outside body: its clock is the date to ask the body how it
# stands (``Referral.follow_up_on``), which casework.tipline.followups reminds of. It has no
# stage deadline of its own, so the sweep's stage reminders and escalation never touch it: one
# reminder, not two, for the same wait.
FOLLOWED_UP = frozenset({"referred_out"})


def tip_stages() -> list[str]:
    """The stages of a tip that carry a deadline: every open state but those followed up."""
    return [
        code
        for code, st in lifecycle.TIP_STATES.items()
        if not st.final and code not in FOLLOWED_UP
    ]


def stages() -> list[str]:
    """The stages that carry a deadline: the tip's, then retaliation."""
    return [*tip_stages(), RETALIATION]


def label(stage: str) -> str:
    if stage == RETALIATION:
        return str(_l("Report of retaliation"))
    return lifecycle.status_label("tip", stage)


def _rows(organization_id: int) -> dict[str, int]:
    return dict(
        db.session.execute(
            select(TipStageDays.stage, TipStageDays.days).filter_by(organization_id=organization_id)
        ).all()
    )


def days_for(org: Organization, stage: str, category: Category | None = None) -> int:
    """The days ``stage`` may take (for a tip of ``category``)."""
    days = _rows(org.id).get(stage)
    if days is not None:
        return days
    if stage == RETALIATION:
        return RETALIATION_DAYS
    return category.sla_days if category is not None else DEFAULT_DAYS


def due_date(
    org: Organization, stage: str, start: datetime | date, category: Category | None = None
) -> date:
    """The deadline of ``stage`` entered at ``start`` (naive UTC, or a Bangkok date)."""
    day = local_date(start) if isinstance(start, datetime) else start
    return sla.work_calendar(org).add_days(day, days_for(org, stage, category))


@dataclass
class StageSetting:
    stage: str
    label: str
    days: int | None  # None: the default (the category's days, or RETALIATION_DAYS)


def settings(organization_id: int) -> list[StageSetting]:
    rows = _rows(organization_id)
    return [StageSetting(s, label(s), rows.get(s)) for s in stages()]


def _parse(errors: dict, stage: str, raw) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        errors[stage] = _l("A whole number of days from 1 to %(n)d, or empty.", n=MAX_DAYS)
        return None
    return int(text)


def save(organization_id: int, actor_id: int, values: Mapping[str, object]) -> None:
    """Set each stage's days from ``values`` (stage → text; empty keeps the default). Commits;
    DeadlineError naming each stage at fault. The change goes to the tips trail."""
    errors: dict[str, object] = {}
    wanted = {s: _parse(errors, s, values.get(s)) for s in stages()}
    if errors:
        raise DeadlineError(errors)
    current = {
        r.stage: r
        for r in db.session.scalars(select(TipStageDays).filter_by(organization_id=organization_id))
    }
    changed = {}
    with transaction():
        for stage, days in wanted.items():
            row = current.get(stage)
            before = row.days if row is not None else None
            if before == days:
                continue
            changed[stage] = [before, days]
            if days is None:
                db.session.delete(row)
            elif row is None:
                db.session.add(
                    TipStageDays(organization_id=organization_id, stage=stage, days=days)
                )
            else:
                row.days = days
        if changed:
            trail.record_channel(organization_id, "deadlines_changed", actor_id, days=changed)
