"""Moving a tip through its stages (casework.cases.lifecycle owns which moves are allowed):
received → preliminary review → investigation → findings → disciplinary outcome and
follow-up of the offender → closed, with "referred out" as a separate way, which closes once
the outside body's decision is recorded (casework.tipline.followups) or an officer gives the
reason to close it without.

Each stage asks for what the plans require (casework.tipline.stages): who finds the facts and
what they found, the investigating committee, its order number and the charges, the findings
and their conclusion, the penalty and its order, the follow-up of the offender, the reason
shown to the tipster when a tip is closed, the outside body's reference number when it is
referred.

The SLA clock is the general channel's (casework.cases.sla, the category's days): each stage a tip
enters has the category's days until the tipster's next answer, and an officer who needs longer
explains why and gives a new date, which the tipster sees (the plans' "explain within 15 days").

Closing a tip without action (unfounded, or not enough facts to act on) waits for a second
person's approval, another integrity officer's or a custodian's (casework.tipline.closure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.cases import casefile, lifecycle, sla, timeline, values
from casework.cases.errors import FieldErrors
from casework.cases.textinput import LIMITS, clean
from casework.dates import clock
from casework.extensions import db, transaction
from casework.models import Case, Organization, TipClosure
from casework.tipline import access, deadlines, referral, sealing, stages, trail
from casework.tipline.filing import details_of

# The register's order: what is late first, what is done last.
DUE_ORDER = {sla.OVERDUE: 0, sla.DUE_SOON: 1, sla.ON_TIME: 2, sla.PAUSED: 3, sla.DONE: 4}
# Closing a tip with no action taken needs a second person's approval (one officer alone
# could otherwise bury a tip).
NO_ACTION = frozenset({"unfounded", "insufficient"})


class WorkflowError(FieldErrors):
    """An officer's action on a tip that cannot be taken as given."""


@dataclass
class Checked:
    """A status change that passed ``check``, its texts cleaned."""

    target: str
    outcome: str | None
    public_note: str = ""
    internal_note: str = ""
    order_number: str = ""
    committee: str = ""
    penalty: str = ""
    record: stages.Record | None = None  # what the stage entered records

    @property
    def without_action(self) -> bool:
        """Closing the tip with no action taken: a second person must approve it."""
        return self.target == "closed" and self.outcome in NO_ACTION


def check(
    case: Case,
    target: str,
    *,
    outcome: str | None = None,
    public_note: str = "",
    internal_note: str = "",
    order_number: str = "",
    committee: str = "",
    penalty: str = "",
    **record,
) -> Checked:
    """Validate one status change; WorkflowError with field messages. ``record``: what the
    stage entered records (casework.tipline.stages names the fields)."""
    public_note = clean(public_note, multiline=True)
    internal_note = clean(internal_note, multiline=True)
    order_number = clean(order_number)
    committee = clean(committee, multiline=True)
    penalty = clean(penalty, multiline=True)
    errors: dict[str, object] = {}
    final = target in lifecycle.TIP_STATES and lifecycle.state("tip", target).final
    if target not in lifecycle.allowed("tip", case.status):
        errors["target"] = _l("This step cannot follow the current one.")
    if final and outcome not in lifecycle.OUTCOMES["tip"]:
        errors["outcome"] = _l("Choose the outcome.")
    if not final:
        outcome = None
    if target == "investigation":
        if not order_number:
            errors["order_number"] = _l("Give the number of the order appointing the committee.")
        if not committee:
            errors["committee"] = _l("Name the members of the investigating committee.")
    unknown = set(record) - set(stages.FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    stage = stages.check(case, details_of(case), target, record, errors)
    if target == "closed" and outcome == "insufficient" and not public_note:
        errors["public_note"] = _l("Tell the tipster why the facts were not enough to act on.")
    if (
        target == "closed"
        and case.status == "disciplinary"
        and outcome == "substantiated"
        and not stages.checks_of(case)
    ):
        errors["target"] = _l("Record at least one check on the offender before closing.")
    _check_referral(case, target, outcome, internal_note, errors)
    for name, value in (
        ("public_note", public_note),
        ("internal_note", internal_note),
        ("committee", committee),
        ("penalty", penalty),
    ):
        if len(value) > LIMITS["message"]:
            errors[name] = _l("At most %(n)d characters.", n=LIMITS["message"])
    if len(order_number) > 100:
        errors["order_number"] = _l("At most %(n)d characters.", n=100)
    if errors:
        raise WorkflowError(errors)
    return Checked(
        target, outcome, public_note, internal_note, order_number, committee, penalty, stage
    )


def _check_referral(case: Case, target: str, outcome, internal_note: str, errors: dict) -> None:
    """A tip goes out only once its referral is recorded; a referred tip closes only as
    referred, once the body's decision is recorded or with the officer's reason."""
    row = referral.referral_of(case)
    if target == "referred_out" and (row is None or row.status != "referred"):
        errors["outcome"] = _l("Record the referral and its reference number first.")
    if target != "closed":
        return
    if case.status == "referred_out":
        if outcome != "referred":
            errors["outcome"] = _l("A referred tip is closed as referred.")
        elif row.status != "decided" and not internal_note:
            errors["internal_note"] = _l(
                "Record the body's decision, or give the reason for closing without it."
            )
    elif outcome == "referred":
        errors["outcome"] = _l("Only a tip referred to an outside body is closed as referred.")


def apply(case: Case, checked: Checked, *, actor_id: int) -> None:
    """Apply a checked status change with its timeline and trail entries (a step: the caller
    commits)."""
    before = case.status
    event = casefile.change_status(case, checked.target, actor_id=actor_id, outcome=checked.outcome)
    if checked.public_note:
        event.body_sealed = sealing.seal_text("case-event", case, checked.public_note)
    if checked.internal_note:
        note = timeline.record(case, "note", public=False, actor_id=actor_id)
        db.session.flush()
        note.body_sealed = sealing.seal_text("case-event", case, checked.internal_note)
    details = details_of(case)
    if checked.order_number:
        details.order_number = checked.order_number
    if checked.committee:
        details.committee_sealed = sealing.seal_text("tip-committee", case, checked.committee)
    if checked.penalty:
        details.penalty_sealed = sealing.seal_text("tip-penalty", case, checked.penalty)
    if checked.record is not None:
        stages.apply(case, details, checked.record)
    if checked.target in deadlines.FOLLOWED_UP:
        # Referred out: the date to ask the body how it stands (``_check_referral``: recorded).
        case.due_date = referral.referral_of(case).follow_up_on
    elif not lifecycle.state("tip", checked.target).final:
        org = db.session.get(Organization, case.organization_id)
        case.due_date = deadlines.due_date(org, checked.target, clock.utcnow(), case.category)
    trail.record(
        case,
        "status",
        actor_id,
        status_from=before,
        status_to=checked.target,
        outcome=checked.outcome,
    )


def pending_closure(case: Case) -> TipClosure | None:
    """The closure without action waiting for a second person, if any."""
    return db.session.scalar(select(TipClosure).filter_by(case_id=case.id, status="pending"))


def _ask_second(case: Case, actor_id: int, checked: Checked) -> TipClosure:
    if pending_closure(case) is not None:
        raise WorkflowError(
            {"target": str(_l("A closure of this tip is already waiting for approval."))}
        )
    row = TipClosure(
        organization_id=case.organization_id,
        case_id=case.id,
        outcome=checked.outcome,
        requested_by=actor_id,
        requested_on=clock.today(),
    )
    with transaction():
        db.session.add(row)
        if checked.public_note:
            row.public_note_sealed = sealing.seal_text(
                "tip-closure-public", case, checked.public_note
            )
        if checked.internal_note:
            row.internal_note_sealed = sealing.seal_text(
                "tip-closure-internal", case, checked.internal_note
            )
        trail.record(case, "closure_requested", actor_id, outcome=checked.outcome)
    return row


def change(case: Case, target: str, *, actor_id: int, **fields) -> TipClosure | None:
    """Validate (``check``, which names the ``fields``: outcome, public_note, internal_note,
    order_number, committee, penalty, and each stage's record, casework.tipline.stages) and
    apply one status change. Commits; WorkflowError with field messages.

    Closing the tip without action (unfounded, or not enough facts) is not applied: it waits
    for a second person (casework.tipline.closure) and is returned."""
    checked = check(case, target, **fields)
    if checked.without_action:
        return _ask_second(case, actor_id, checked)
    with transaction():
        apply(case, checked, actor_id=actor_id)
    return None


def explain_delay(case: Case, *, actor_id: int, text: str, new_date: date | str | None) -> None:
    """Tell the tipster why the current stage needs more time, and by when to expect an answer
    (sealed, shown on their status page). Commits; WorkflowError with field messages."""
    text = clean(text, multiline=True)
    errors: dict[str, object] = {}
    if lifecycle.state("tip", case.status).final:
        errors["explanation"] = _l("This tip is closed.")
    elif not text:
        errors["explanation"] = _l("Explain why more time is needed.")
    elif len(text) > LIMITS["message"]:
        errors["explanation"] = _l("At most %(n)d characters.", n=LIMITS["message"])
    new_date = values.date_field(errors, "new_date", new_date, buddhist_era=True)
    if new_date is None:
        errors.setdefault("new_date", _l("Give the new expected date."))
    elif new_date <= case.due_date:
        errors["new_date"] = _l("The new date must be after the current due date.")
    elif new_date <= clock.today():
        errors["new_date"] = _l("The new date must be in the future.")
    if errors:
        raise WorkflowError(errors)
    try:
        old = case.due_date
        if case.original_due_date is None:
            case.original_due_date = old
        case.due_date = new_date
        case.explained_at = timeline.stamp(case)
        event = timeline.record(
            case,
            "explanation",
            public=True,
            actor_id=actor_id,
            data={"new_date": new_date.isoformat(), "old_date": old.isoformat()},
        )
        db.session.flush()
        event.body_sealed = sealing.seal_text("case-event", case, text)
        trail.record(case, "delay_explained", actor_id, new_date=new_date.isoformat())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


@dataclass
class RegisterRow:
    case: Case
    due: str  # a casework.cases.sla state
    mine: bool  # the officer is assigned to it
    refer: bool  # it names someone an outside body must investigate, and is not referred yet


def register(user) -> list[RegisterRow]:
    """The tip register an integrity officer sees (casework.tipline.access decides which
    tips), the most urgent first."""
    org = db.session.get(Organization, user.organization_id)
    cal = sla.work_calendar(org)
    today = clock.today()
    rows = []
    for c in access.visible_tips(user):
        flagged = referral.flag_of(c) and referral.referral_of(c) is None
        rows.append(
            RegisterRow(
                case=c,
                due=sla.due_state(c, org, today, cal),
                mine=user.id in access.assigned_ids(c),
                refer=bool(flagged) and not lifecycle.state("tip", c.status).final,
            )
        )
    rows.sort(
        key=lambda r: (DUE_ORDER[r.due], r.case.due_date, -r.case.fiscal_year, -r.case.sequence)
    )
    return rows


def due_state(case: Case) -> str:
    """Where the tip's current stage stands against its deadline today."""
    org = db.session.get(Organization, case.organization_id)
    return sla.due_state(case, org, clock.today())
