"""Correcting a stage's record afterwards: an integrity officer assigned to the tip puts right
what was recorded for the current stage or an earlier one (casework.tipline.stages says what
each records and which of it may be corrected, ``CORRECTABLE``), each check on the offender
recorded during the follow-up (``CHECK``), and the outside body's decision recorded after a
referral out (``DECISION``; casework.tipline.followups says what of them may be corrected).

Nothing is lost: each correction keeps the values it replaced, sealed like the record itself
(``TipRecordCorrection``, purpose ``tip-record-correction``), and writes a
``tip.record_corrected`` entry in the tip's trail naming the officer, the day, the stage, the
fields changed and the correction that holds the old values. The old values are not written
into the trail's own entries: those are hash-chained and never rewritten, so a ciphertext in
them could not follow a key rotation; the sealed row can, and the entry points to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.cases import lifecycle
from casework.cases.errors import FieldErrors
from casework.dates import clock
from casework.extensions import db, transaction
from casework.models import Case, TipFollowUpCheck, TipRecordCorrection, User
from casework.tipline import access, followups, referral, sealing, stages, trail
from casework.tipline.filing import details_of

PURPOSE = "tip-record-correction"
# Records beyond the stages': one check on the offender, and the outside body's decision.
CHECK, DECISION = "follow_up_check", "referral_decision"


def label(stage: str) -> str:
    """What a correction corrected, for people."""
    if stage == CHECK:
        return str(_l("Check on the offender"))
    if stage == DECISION:
        return str(_l("The outside body's decision"))
    return lifecycle.status_label("tip", stage)


class CorrectionError(FieldErrors):
    """A correction that cannot be recorded as given."""


def can_correct(user, case: Case) -> bool:
    """Only an active integrity officer assigned to the tip (and not excluded from it)."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.active
        and access.is_integrity(user)
        and user.organization_id == case.organization_id
        and user.id in access.assigned_ids(case)
        and not access.is_excluded(user.id, case)
    )


def reached(case: Case) -> list[str]:
    """The stages with a record to correct that the tip has entered (the current one and
    those before it), in the order of the way."""
    entered = {e.status_to for e in case.events if e.kind == "status"} | {case.status}
    return [s for s in lifecycle.TIP_STATES if s in stages.CORRECTABLE and s in entered]


@dataclass
class Target:
    """One record a correction form puts right: a stage's, a check's or the decision."""

    stage: str
    check: TipFollowUpCheck | None
    values: dict[str, str]  # as recorded, the form's text

    @property
    def key(self) -> str:
        """The form's name on the tip's page."""
        return f"check-{self.check.id}" if self.check is not None else self.stage


def targets(case: Case) -> list[Target]:
    """Every record of the tip that can be corrected, in the order of the way, with its
    current values (sealed ones opened: callers check that the reader may correct)."""
    details = details_of(case)
    found = [Target(s, None, stages.recorded(case, details, s)) for s in reached(case)]
    found += [Target(CHECK, c, followups.check_recorded(case, c)) for c in stages.checks_of(case)]
    row = referral.referral_of(case)
    if row is not None and row.status == "decided":
        found.append(Target(DECISION, None, followups.decision_recorded(case, row)))
    return found


def _checked(
    case: Case, stage: str, check_id, given: dict, errors: dict
) -> tuple[dict[str, str], dict[str, str], Callable[[set[str]], None], int | None]:
    """The record's values before, the corrected values (as text, problems in ``errors``),
    how to write the names changed, and the check corrected (if one is)."""
    if stage == CHECK:
        check = followups.check_of(case, check_id)
        if check is None:
            raise CorrectionError({"stage": _l("Choose a check recorded on this tip.")})
        before = followups.check_recorded(case, check)
        written, after = followups.check_correction(case, check, given, errors)
        return before, after, partial(followups.correct_check, case, check, written), check.id
    if stage == DECISION:
        row = referral.referral_of(case)
        if row is None or row.status != "decided":
            raise CorrectionError({"stage": _l("No outside body's decision is recorded.")})
        before = followups.decision_recorded(case, row)
        written, after = followups.decision_correction(case, given, errors)
        return before, after, partial(followups.correct_decision, case, row, written), None
    if stage not in reached(case):
        raise CorrectionError({"stage": _l("Choose a stage this tip has reached.")})
    details = details_of(case)
    before = stages.recorded(case, details, stage)
    record, after = stages.check_correction(case, details, stage, given, errors)
    return before, after, partial(stages.apply_correction, case, details, record), None


def correct(
    case: Case, actor: User, stage: str, given: dict, check_id: int | str | None = None
) -> TipRecordCorrection:
    """Correct the record of ``stage`` with ``given`` (the record's fields, all of them, as
    the form sends them): a stage's, ``CHECK`` (the check ``check_id``) or ``DECISION``.
    Commits; CorrectionError with field messages (nothing changed is one)."""
    if not can_correct(actor, case):
        raise CorrectionError(
            {"stage": _l("Only an integrity officer assigned to this tip corrects its record.")}
        )
    errors: dict = {}
    before, after, write, check = _checked(case, stage, check_id, given, errors)
    changed = {name for name in before if after.get(name, "") != before[name]}
    if not errors and not changed:
        errors["stage"] = _l("Nothing was changed.")
    if errors:
        raise CorrectionError(errors)
    names = sorted(changed)
    with transaction():
        row = TipRecordCorrection(
            organization_id=case.organization_id,
            case_id=case.id,
            stage=stage,
            check_id=check,
            fields=",".join(names),
            corrected_by=actor.id,
            corrected_on=clock.today(),
            old_sealed=sealing.seal_json(PURPOSE, case, {n: before[n] for n in names}),
        )
        db.session.add(row)
        db.session.flush()
        write(changed)
        data = {"check": check} if check is not None else {}
        trail.record(
            case, "record_corrected", actor.id, stage=stage, fields=names, correction=row.id, **data
        )
    return row


@dataclass
class Past:
    """One correction as the tip's page shows it to those who may read the tip."""

    row: TipRecordCorrection
    by: User | None
    old: dict[str, str]  # field -> the value it replaced
    check: TipFollowUpCheck | None = None  # the check corrected, if one was


def history(case: Case) -> list[Past]:
    """The tip's corrections, the latest first, their old values opened (callers check that
    the reader may read the tip)."""
    rows = db.session.scalars(
        select(TipRecordCorrection)
        .filter_by(case_id=case.id)
        .order_by(TipRecordCorrection.corrected_on.desc(), TipRecordCorrection.position.desc())
    )
    return [
        Past(
            r,
            db.session.get(User, r.corrected_by),
            sealing.open_json(PURPOSE, case, r.old_sealed),
            db.session.get(TipFollowUpCheck, r.check_id) if r.check_id else None,
        )
        for r in rows
    ]
