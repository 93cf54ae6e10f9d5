"""Which forms the officers' tip page offers now, and what changing the tip's stage records.

Nothing here decides anew: the state machine (``casework.cases.lifecycle``) says which status may
follow, ``casework.tipline.access`` and the caller's other questions say what the reader may do,
and each action's own function checks again when it is taken. This module only names, from the
tip's state, the forms the page shows (the tip's page in ``admin/tips.py`` renders them).
"""

from __future__ import annotations

from casework.cases import lifecycle
from casework.models import Case, Referral
from casework.tipline import stages


def offered(
    case: Case,
    referral_row: Referral | None,
    *,
    readable: bool,
    reaches_tipster: bool,
    has_identity: bool,
    can_assign: bool,
    can_decide_closure: bool,
) -> list[str]:
    """The keys of the forms the tip's page offers this reader now."""
    keys = []
    if can_assign:
        keys.append("assign")
    if can_decide_closure:
        keys.append("closure")
    if not readable:
        return keys
    if not lifecycle.state("tip", case.status).final:
        if reaches_tipster:
            keys.append("message")
        keys += ["status", "explain"]
        if case.status == "disciplinary":  # the offender is followed up
            keys.append("check")
        referred = referral_row is not None and referral_row.status == "referred"
        if case.status == "referred_out" and referred:  # the outside body's decision awaited
            keys.append("decision")
        if referral_row is None or referred:
            keys.append("referral")
    if has_identity:
        keys.append("reveal")
    keys.append("exclude")
    return keys


def status_fields(case: Case, allowed) -> list[str]:
    """The fields of the stage change form: what each stage the tip may move to records."""
    names = ["target", "outcome"]
    if "preliminary_review" in allowed:
        names.append("fact_finder")
    if "investigation" in allowed:
        if case.status == "preliminary_review":
            names.append("preliminary_result")
        names += ["order_number", "committee", "charges"]
    if "findings" in allowed:
        names += ["facts", "conclusion", "evidence_relied"]
    if "disciplinary" in allowed:
        names += [*stages.PENALTY_FIELDS, "penalty", "follow_up_until", "next_check_on"]
    return [*names, "public_note", "internal_note"]
