"""Correcting a stage's record afterwards: an integrity officer assigned to the tip puts right
what was recorded for the current stage or an earlier one (casework.tipline.stages says what
each records and which of it may be corrected, ``CORRECTABLE``).

Nothing is lost: each correction keeps the values it replaced, sealed like the record itself
(``TipRecordCorrection``, purpose ``tip-record-correction``), and writes a
``tip.record_corrected`` entry in the tip's trail naming the officer, the day, the stage, the
fields changed and the correction that holds the old values. The old values are not written
into the trail's own entries: those are hash-chained and never rewritten, so a ciphertext in
them could not follow a key rotation; the sealed row can, and the entry points to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.cases import lifecycle
from casework.cases.errors import FieldErrors
from casework.dates import clock
from casework.extensions import db, transaction
from casework.models import Case, TipRecordCorrection, User
from casework.tipline import access, sealing, stages, trail
from casework.tipline.filing import details_of

PURPOSE = "tip-record-correction"


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


def correct(case: Case, actor: User, stage: str, given: dict) -> TipRecordCorrection:
    """Correct the record of ``stage`` with ``given`` (the stage's fields, all of them, as the
    form sends them). Commits; CorrectionError with field messages (nothing changed is one)."""
    if not can_correct(actor, case):
        raise CorrectionError(
            {"stage": _l("Only an integrity officer assigned to this tip corrects its record.")}
        )
    if stage not in reached(case):
        raise CorrectionError({"stage": _l("Choose a stage this tip has reached.")})
    details = details_of(case)
    before = stages.recorded(case, details, stage)
    errors: dict = {}
    record, after = stages.check_correction(case, details, stage, given, errors)
    changed = {name for name in stages.CORRECTABLE[stage] if after.get(name, "") != before[name]}
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
            fields=",".join(names),
            corrected_by=actor.id,
            corrected_on=clock.today(),
            old_sealed=sealing.seal_json(PURPOSE, case, {n: before[n] for n in names}),
        )
        db.session.add(row)
        db.session.flush()
        stages.apply_correction(case, details, record, changed)
        trail.record(
            case, "record_corrected", actor.id, stage=stage, fields=names, correction=row.id
        )
    return row


@dataclass
class Past:
    """One correction as the tip's page shows it to those who may read the tip."""

    row: TipRecordCorrection
    by: User | None
    old: dict[str, str]  # field -> the value it replaced


def history(case: Case) -> list[Past]:
    """The tip's corrections, the latest first, their old values opened (callers check that
    the reader may read the tip)."""
    rows = db.session.scalars(
        select(TipRecordCorrection)
        .filter_by(case_id=case.id)
        .order_by(TipRecordCorrection.corrected_on.desc(), TipRecordCorrection.id.desc())
    )
    return [
        Past(
            r, db.session.get(User, r.corrected_by), sealing.open_json(PURPOSE, case, r.old_sealed)
        )
        for r in rows
    ]
