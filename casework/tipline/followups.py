"""What happens after a tip's main work: following up the offender, and following up an outside
body the tip was referred to.

- Follow-up of the offender (ติดตามผลผู้กระทำผิด): during the disciplinary stage an integrity
  officer records each check (its day, a sealed note, the next check's day) until the follow-up
  period ends. A repeat offence is linked: the check names the later tip that reports it.
- Referral out: the body's decision is recorded (sealed: it names the accused), which closes
  the tip as referred. Without it, an officer can close the tip only with a reason
  (casework.tipline.workflow).
- ``due_reminders`` lists the checks and referral follow-ups due; the daily ``sla sweep``
  (casework.tipline.sweep) emails them to the integrity officers assigned to the tip, with the
  case number, the kind of follow-up, its date and a link, and nothing of the tip's content: no
  accused's name, no text. A check due with the stage's own deadline is said in one message
  with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.cases import lifecycle, values
from casework.cases.errors import FieldErrors
from casework.cases.textinput import LIMITS, clean
from casework.dates import clock
from casework.extensions import db, transaction
from casework.models import Case, Organization, Referral, TipDetails
from casework.models.tips import TipFollowUpCheck
from casework.tipline import referral, sealing, trail, workflow
from casework.tipline.filing import details_of

OFFENDER_CHECK, REFERRAL = "offender_check", "referral"
KINDS = {
    OFFENDER_CHECK: _l("Check on the offender"),
    REFERRAL: _l("Ask the outside body how the tip stands"),
}


class FollowUpError(FieldErrors):
    """A check or a decision that cannot be recorded as given."""


def _day(errors: dict, name: str, value, *, required=None, past: bool = True) -> date | None:
    day = values.date_field(errors, name, value, buddhist_era=True)
    if day is None and required and name not in errors:
        errors[name] = required
    elif day is not None and past and day > clock.today():
        errors[name] = _l("The date cannot be in the future.")
    return day


def _note(errors: dict, name: str, value, required) -> str:
    text = clean(value or "", multiline=True)
    if not text:
        errors[name] = required
    elif len(text) > LIMITS["message"]:
        errors[name] = _l("At most %(n)d characters.", n=LIMITS["message"])
    return text


def _repeat_case(errors: dict, case: Case, number: str) -> Case | None:
    """The later tip of the same organization a repeat offence is reported in."""
    number = clean(number or "")
    if not number:
        return None
    found = db.session.scalar(
        select(Case).where(
            Case.organization_id == case.organization_id,
            Case.channel == "tip",
            Case.case_number == number.upper(),
        )
    )
    if found is None or found.id == case.id:
        errors["repeat_case"] = _l("No other tip has this number.")
        return None
    return found


def record_check(
    case: Case,
    *,
    actor_id: int,
    checked_on,
    note: str,
    next_on=None,
    repeat_case: str = "",
) -> TipFollowUpCheck:
    """Record one check on the offender (its day, what was found, the next check's day: none
    when the follow-up is over) and, if given, the later tip reporting a repeat offence.
    Commits; FollowUpError with field messages."""
    details = details_of(case)
    errors: dict = {}
    if case.status != "disciplinary":
        errors["note"] = _l("Checks are recorded while the offender is followed up.")
    checked_on = _day(errors, "checked_on", checked_on, required=_l("Give the day of the check."))
    note = _note(errors, "note", note, _l("Write what the check found."))
    next_on = _day(errors, "next_on", next_on, past=False)
    if next_on is not None and next_on <= (checked_on or clock.today()):
        errors["next_on"] = _l("The next check must come after this one.")
    elif next_on is not None and details.follow_up_until and next_on > details.follow_up_until:
        errors["next_on"] = _l("The next check must fall within the follow-up.")
    later = _repeat_case(errors, case, repeat_case)
    if errors:
        raise FollowUpError(errors)
    with transaction():
        row = TipFollowUpCheck(
            organization_id=case.organization_id,
            case_id=case.id,
            checked_on=checked_on,
            checked_by=actor_id,
            note_sealed=b"",
            repeat_case_id=later.id if later else None,
        )
        db.session.add(row)
        db.session.flush()
        row.note_sealed = sealing.seal_text("tip-follow-up-check", case, note)
        details.next_check_on = next_on
        trail.record(case, "follow_up_checked", actor_id, repeat=later is not None)
    return row


def note_of(case: Case, row: TipFollowUpCheck) -> str:
    return sealing.open_text("tip-follow-up-check", case, row.note_sealed)


def repeats_of(case: Case) -> list[Case]:
    """Earlier tips whose follow-up found a repeat offence reported in ``case``."""
    return list(
        db.session.scalars(
            select(Case)
            .join(TipFollowUpCheck, TipFollowUpCheck.case_id == Case.id)
            .where(TipFollowUpCheck.repeat_case_id == case.id)
            .distinct()
        )
    )


def record_decision(
    case: Case, *, actor_id: int, decision: str, decided_on, public_note: str = ""
) -> Referral:
    """Record what the outside body decided, and close the tip as referred (the tipster sees
    ``public_note``, if any). Commits; FollowUpError / WorkflowError with field messages."""
    row = referral.referral_of(case)
    errors: dict = {}
    if case.status != "referred_out" or row is None or row.status != "referred":
        errors["decision"] = _l("This tip is not waiting for an outside body's decision.")
    decision = _note(errors, "decision", decision, _l("Write what the body decided."))
    decided_on = _day(errors, "decided_on", decided_on, required=_l("Give the decision's date."))
    if errors:
        raise FollowUpError(errors)
    with transaction():
        row.status = "decided"
        row.decision_sealed = sealing.seal_text("tip-referral-decision", case, decision)
        row.decided_on = decided_on
        row.decision_by = actor_id
        trail.record(case, "referral_decided", actor_id)
        checked = workflow.check(case, "closed", outcome="referred", public_note=public_note)
        workflow.apply(case, checked, actor_id=actor_id)
    return row


def decision_of(case: Case, row: Referral | None) -> str:
    return sealing.open_text("tip-referral-decision", case, row.decision_sealed if row else None)


# --- corrections (casework.tipline.corrections) --------------------------------------------

# What an officer may correct of a check (the next check's day only on the latest check, while
# the offender is followed up: it is the tip's, not the check's) and of the body's decision.
CHECK_FIELDS = ("checked_on", "note", "next_on", "repeat_case")
DECISION_FIELDS = ("decision", "decided_on")


_SIGNED_ID = re.compile(r"-?[0-9]{1,19}")


def check_of(case: Case, check_id) -> TipFollowUpCheck | None:
    """One of the tip's checks by its id as a form sends it (a tip's rows have random negative
    ids: casework.models.rowids), or None: another tip's, or a number no row can have."""
    if isinstance(check_id, str) and _SIGNED_ID.fullmatch(check_id):
        check_id = int(check_id)
    if isinstance(check_id, bool) or not isinstance(check_id, int):
        return None
    if not -(2**63) <= check_id < 2**63:
        return None
    row = db.session.get(TipFollowUpCheck, check_id)
    return row if row is not None and row.case_id == case.id else None


def _next_is_its(case: Case, row: TipFollowUpCheck) -> bool:
    """The next check's day belongs to the latest check while the offender is followed up."""
    if case.status != "disciplinary":
        return False
    latest = db.session.scalar(
        select(TipFollowUpCheck.id)
        .filter_by(case_id=case.id)
        .order_by(TipFollowUpCheck.checked_on.desc(), TipFollowUpCheck.id.desc())
        .limit(1)
    )
    return latest == row.id


def check_recorded(case: Case, row: TipFollowUpCheck) -> dict[str, str]:
    """The check as its correction form shows it (dates ISO, the repeat by its tip's number)."""
    later = db.session.get(Case, row.repeat_case_id) if row.repeat_case_id else None
    found = {"checked_on": row.checked_on.isoformat(), "note": note_of(case, row)}
    if _next_is_its(case, row):
        next_on = details_of(case).next_check_on
        found["next_on"] = next_on.isoformat() if next_on else ""
    found["repeat_case"] = later.case_number if later else ""
    return found


def check_correction(
    case: Case, row: TipFollowUpCheck, given: dict, errors: dict
) -> tuple[dict, dict[str, str]]:
    """The corrected check (``given``: the form's values) as values to write and as text
    (``check_recorded``'s form), each problem added to ``errors``."""
    details = details_of(case)
    checked_on = _day(
        errors, "checked_on", given.get("checked_on"), required=_l("Give the day of the check.")
    )
    note = _note(errors, "note", given.get("note"), _l("Write what the check found."))
    later = _repeat_case(errors, case, given.get("repeat_case"))
    written = {"checked_on": checked_on, "note": note, "repeat_case": later}
    shown = {
        "checked_on": checked_on.isoformat() if checked_on else "",
        "note": note,
        "repeat_case": later.case_number if later else "",
    }
    if _next_is_its(case, row):
        next_on = _day(errors, "next_on", given.get("next_on"), past=False)
        if next_on is not None and checked_on is not None and next_on <= checked_on:
            errors["next_on"] = _l("The next check must come after this one.")
        elif next_on is not None and details.follow_up_until and next_on > details.follow_up_until:
            errors["next_on"] = _l("The next check must fall within the follow-up.")
        written["next_on"] = next_on
        shown["next_on"] = next_on.isoformat() if next_on else ""
    return written, shown


def correct_check(case: Case, row: TipFollowUpCheck, written: dict, names: set[str]) -> None:
    """Write the ``names`` of a checked correction of ``row`` (a step: the caller commits)."""
    if "checked_on" in names:
        row.checked_on = written["checked_on"]
    if "note" in names:
        row.note_sealed = sealing.seal_text("tip-follow-up-check", case, written["note"])
    if "repeat_case" in names:
        later = written["repeat_case"]
        row.repeat_case_id = later.id if later else None
    if "next_on" in names:
        details_of(case).next_check_on = written["next_on"]


def decision_recorded(case: Case, row: Referral) -> dict[str, str]:
    return {
        "decision": decision_of(case, row),
        "decided_on": row.decided_on.isoformat() if row.decided_on else "",
    }


def decision_correction(case: Case, given: dict, errors: dict) -> tuple[dict, dict[str, str]]:
    """The corrected decision as values to write and as text, each problem added to
    ``errors``."""
    decision = _note(errors, "decision", given.get("decision"), _l("Write what the body decided."))
    decided_on = _day(
        errors, "decided_on", given.get("decided_on"), required=_l("Give the decision's date.")
    )
    written = {"decision": decision, "decided_on": decided_on}
    return written, {
        "decision": decision,
        "decided_on": decided_on.isoformat() if decided_on else "",
    }


def correct_decision(case: Case, row: Referral, written: dict, names: set[str]) -> None:
    """Write the ``names`` of a checked correction of the decision (a step: the caller
    commits)."""
    if "decision" in names:
        row.decision_sealed = sealing.seal_text("tip-referral-decision", case, written["decision"])
    if "decided_on" in names:
        row.decided_on = written["decided_on"]


@dataclass
class Due:
    case: Case
    kind: str  # OFFENDER_CHECK | REFERRAL
    on: date


def due_reminders(org: Organization, today: date) -> list[Due]:
    """The offender checks and referral follow-ups of ``org``'s open tips due on or before
    ``today``, the oldest first."""
    found = []
    checks = db.session.execute(
        select(Case, TipDetails.next_check_on)
        .join(TipDetails, TipDetails.case_id == Case.id)
        .where(
            Case.organization_id == org.id,
            Case.status == "disciplinary",
            TipDetails.next_check_on <= today,
        )
    )
    found += [Due(case, OFFENDER_CHECK, on) for case, on in checks]
    referrals = db.session.execute(
        select(Case, Referral.follow_up_on)
        .join(Referral, Referral.case_id == Case.id)
        .where(
            Case.organization_id == org.id,
            Case.status == "referred_out",
            Referral.status == "referred",
            Referral.follow_up_on <= today,
        )
    )
    found += [Due(case, REFERRAL, on) for case, on in referrals]
    found = [d for d in found if not lifecycle.state("tip", d.case.status).final]
    return sorted(found, key=lambda d: (d.on, d.case.fiscal_year, d.case.sequence, d.kind))
