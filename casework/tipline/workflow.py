"""Moving a tip through its stages (casework.lifecycle owns which moves are allowed):
received → preliminary review → investigation → findings → disciplinary or criminal
follow-up → closed, with "referred out" as a separate exit.

Each stage asks for what the plans require: a fact-finding committee and its order number,
the punishment or prosecution being followed up, the reason shown to the tipster when a tip
is closed, the outside body's reference number when it is referred."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from casework import casefile, lifecycle, timeline
from casework.extensions import db
from casework.models import Case
from casework.textinput import LIMITS, clean
from casework.tipline import referral, sealing, trail
from casework.tipline.filing import details_of


class WorkflowError(ValueError):
    def __init__(self, fields: dict[str, str]):
        super().__init__("invalid status change")
        self.fields = fields


def change(
    case: Case,
    target: str,
    *,
    actor_id: int,
    outcome: str | None = None,
    public_note: str = "",
    internal_note: str = "",
    order_number: str = "",
    committee: str = "",
    penalty: str = "",
) -> None:
    """Validate and apply one status change. Commits; WorkflowError with field messages."""
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
            errors["committee"] = _l("Name the members of the fact-finding committee.")
    if target == "disciplinary" and not penalty:
        errors["penalty"] = _l("Describe the disciplinary or criminal action being taken.")
    if target == "closed" and outcome == "insufficient" and not public_note:
        errors["public_note"] = _l("Tell the tipster why the facts were not enough to act on.")
    if target == "referred_out" or outcome == "referred":
        row = referral.referral_of(case)
        if row is None or row.status != "referred":
            errors["outcome"] = _l("Record the referral and its reference number first.")
        outcome = "referred" if target == "referred_out" else outcome
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
        raise WorkflowError({k: str(v) for k, v in errors.items()})
    try:
        before = case.status
        event = casefile.change_status(case, target, actor_id=actor_id, outcome=outcome)
        if public_note:
            event.body_sealed = sealing.seal_text("case-event", case, public_note)
        if internal_note:
            note = timeline.record(case, "note", public=False, actor_id=actor_id)
            db.session.flush()
            note.body_sealed = sealing.seal_text("case-event", case, internal_note)
        details = details_of(case)
        if order_number:
            details.order_number = order_number
        if committee:
            details.committee = committee
        if penalty:
            details.penalty = penalty
        trail.record(
            case, "status", actor_id, status_from=before, status_to=target, outcome=outcome
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
