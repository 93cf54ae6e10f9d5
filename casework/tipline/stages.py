"""What each stage of a tip records (casework.tipline.workflow asks for it when the tip enters
the stage; casework.cases.lifecycle says which stage may follow which):

- preliminary fact-finding (สืบสวนข้อเท็จจริง): who was assigned to find the facts; leaving it for
  an investigation, the result;
- investigation (สอบสวน): the order's number, the committee and the charges (ข้อกล่าวหา);
- findings (ผลการสอบสวน): the facts found, the conclusion (founded, partly founded, unfounded)
  and the evidence relied on;
- disciplinary outcome (ผลการลงโทษ), for a founded or partly founded tip: the kind of penalty
  (casework.tipline.penalties), the order's number and date, a referral to criminal or civil
  proceedings, the money to recover, and the follow-up of the offender (until when, and the
  first check; each check is recorded in casework.tipline.followups).

Texts that may name the accused are sealed like the tip's answers; codes, order numbers, dates
and amounts are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.cases import values
from casework.cases.textinput import LIMITS, clean
from casework.dates import clock
from casework.extensions import db
from casework.models import Case, TipDetails, TipFollowUpCheck
from casework.tipline import penalties, sealing

# Sealed texts: the field, the column of TipDetails, the purpose its AAD names.
SEALED = {
    "fact_finder": ("fact_finder_sealed", "tip-fact-finder"),
    "preliminary_result": ("preliminary_result_sealed", "tip-preliminary-result"),
    "charges": ("charges_sealed", "tip-charges"),
    "facts": ("facts_sealed", "tip-facts"),
    "evidence_relied": ("evidence_relied_sealed", "tip-evidence-relied"),
}
CONCLUSIONS = {
    "founded": _l("Founded (มีมูล)"),
    "partly_founded": _l("Partly founded (มีมูลบางส่วน)"),
    "unfounded": _l("Unfounded (ไม่มีมูล)"),
}
# A penalty follows only a tip found (partly) true.
PUNISHABLE = frozenset({"founded", "partly_founded"})
# Money to recover, in baht with at most two decimals: at most a hundred billion.
MAX_SATANG = 10**13
_MONEY = re.compile(r"\d{1,12}(\.\d{1,2})?")

# What a stage asks for when a tip enters it (a required field and its message).
REQUIRED = {
    "preliminary_review": {
        "fact_finder": _l("Name who was assigned to find the facts."),
    },
    "investigation": {
        "charges": _l("State the charges."),
    },
    "findings": {
        "facts": _l("State the facts found."),
        "conclusion": _l("Choose the conclusion."),
        "evidence_relied": _l("List the evidence the findings rely on."),
    },
    "disciplinary": {
        "penalty_kind": _l("Choose the kind of penalty."),
        "penalty_order_number": _l("Give the number of the penalty order."),
        "penalty_order_on": _l("Give the date of the penalty order."),
        "follow_up_until": _l("Give the date the follow-up of the offender ends."),
        "next_check_on": _l("Give the date of the first check."),
    },
}


# The penalty's record: its kind, its order, the referrals, the money to recover.
PENALTY_FIELDS = (
    "penalty_kind",
    "penalty_order_number",
    "penalty_order_on",
    "criminal_referral",
    "civil_referral",
    "money_to_recover",
)
# Every field a stage may record (the keyword arguments of workflow.check beyond its own).
FIELDS = (*SEALED, "conclusion", *PENALTY_FIELDS, "follow_up_until", "next_check_on")


@dataclass
class Record:
    """A stage's values, checked: texts to seal, and plain columns of TipDetails."""

    texts: dict[str, str] = field(default_factory=dict)
    plain: dict[str, object] = field(default_factory=dict)


def _text(errors: dict, name: str, value) -> str:
    text = clean(value or "", multiline=True)
    if len(text) > LIMITS["message"]:
        errors[name] = _l("At most %(n)d characters.", n=LIMITS["message"])
    return text


def satang(errors: dict, name: str, value) -> int | None:
    """Baht as typed (``12,500.50``; empty is none) in satang."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        amount = Decimal(value)
    else:
        typed = str(value).replace(",", "").strip()
        if not _MONEY.fullmatch(typed):
            errors[name] = _l("Enter an amount in baht, like 12500.50.")
            return None
        try:
            amount = Decimal(typed)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            errors[name] = _l("Enter an amount in baht, like 12500.50.")
            return None
    result = int(amount * 100)
    if result >= MAX_SATANG:
        errors[name] = _l("Enter an amount in baht, like 12500.50.")
        return None
    return result


def baht(amount: int | None) -> str:
    """Satang as baht for people: ``12,500.50``."""
    if amount is None:
        return ""
    return f"{amount // 100:,}.{amount % 100:02d}"


def _day(errors: dict, name: str, value) -> date | None:
    return values.date_field(errors, name, value, buddhist_era=True)


def check(case: Case, details: TipDetails, target: str, given: dict, errors: dict) -> Record:
    """The record of the stage ``target`` (``given``: the form's or caller's values), with
    each problem added to ``errors``."""
    record = Record()
    texts = {name: _text(errors, name, given.get(name)) for name in SEALED}
    if target == "preliminary_review":
        record.texts["fact_finder"] = texts["fact_finder"]
    if target == "investigation":
        record.texts["charges"] = texts["charges"]
        if case.status == "preliminary_review":
            record.texts["preliminary_result"] = texts["preliminary_result"]
            if not texts["preliminary_result"]:
                errors["preliminary_result"] = _l("Give the result of the fact-finding.")
    if target == "findings":
        record.texts |= {k: texts[k] for k in ("facts", "evidence_relied")}
        conclusion = given.get("conclusion") or ""
        if conclusion and conclusion not in CONCLUSIONS:
            errors["conclusion"] = _l("Choose from the list.")
        record.plain["conclusion"] = conclusion
    if target == "disciplinary":
        _disciplinary(case, details, given, errors, record)
    for name, message in REQUIRED.get(target, {}).items():
        if not (record.texts.get(name) or record.plain.get(name)):
            errors.setdefault(name, message)
    return record


def _penalty(kind, given: dict, errors: dict) -> dict:
    """The penalty's order, referrals and money as given (``kind``: the chosen kind, or None),
    checked: the plain values of the record."""
    number = clean(given.get("penalty_order_number") or "")
    if len(number) > 100:
        errors["penalty_order_number"] = _l("At most %(n)d characters.", n=100)
    order_on = _day(errors, "penalty_order_on", given.get("penalty_order_on"))
    if order_on is not None and order_on > clock.today():
        errors["penalty_order_on"] = _l("The date cannot be in the future.")
    return {
        "penalty_kind": kind.code if kind else "",
        "penalty_kind_id": kind.id if kind else None,
        "penalty_order_number": number,
        "penalty_order_on": order_on,
        "criminal_referral": bool(given.get("criminal_referral")),
        "civil_referral": bool(given.get("civil_referral")),
        "money_to_recover": satang(errors, "money_to_recover", given.get("money_to_recover")),
    }


def _disciplinary(case: Case, details: TipDetails, given: dict, errors: dict, record) -> None:
    if details.conclusion not in PUNISHABLE:
        errors["target"] = _l("A penalty follows only findings that the tip is founded.")
    kind = penalties.by_code(case.organization_id, given.get("penalty_kind") or "")
    if given.get("penalty_kind") and kind is None:
        errors["penalty_kind"] = _l("Choose from the list.")
    record.plain |= _penalty(kind, given, errors)
    until = _day(errors, "follow_up_until", given.get("follow_up_until"))
    first = _day(errors, "next_check_on", given.get("next_check_on"))
    if until is not None and until <= clock.today():
        errors["follow_up_until"] = _l("The follow-up must end after today.")
    if first is not None and until is not None and first > until:
        errors["next_check_on"] = _l("The first check must fall within the follow-up.")
    record.plain |= {"follow_up_until": until, "next_check_on": first}


def apply(case: Case, details: TipDetails, record: Record) -> None:
    """Write a checked record (a step: the caller commits)."""
    for name, text in record.texts.items():
        column, purpose = SEALED[name]
        setattr(details, column, sealing.seal_text(purpose, case, text) if text else None)
    for name, value in record.plain.items():
        if name != "penalty_kind":
            setattr(details, name, value)


def opened(case: Case, details: TipDetails) -> dict[str, str]:
    """The sealed texts of every stage, opened (callers check access first)."""
    return {
        name: sealing.open_text(purpose, case, getattr(details, column))
        for name, (column, purpose) in SEALED.items()
    }


def checks_of(case: Case) -> list[TipFollowUpCheck]:
    """The checks recorded on the offender, in the order they were made."""
    return list(
        db.session.scalars(
            select(TipFollowUpCheck)
            .filter_by(case_id=case.id)
            .order_by(TipFollowUpCheck.checked_on, TipFollowUpCheck.id)
        )
    )


# --- corrections (casework.tipline.corrections) --------------------------------------------

# What an officer may correct of each stage's record afterwards. The investigation's order
# number and committee are recorded by casework.tipline.workflow on entering it.
CORRECTABLE = {
    "preliminary_review": ("fact_finder", "preliminary_result"),
    "investigation": ("order_number", "committee", "charges"),
    "findings": ("facts", "conclusion", "evidence_relied"),
    "disciplinary": PENALTY_FIELDS,
}
# The sealed texts a correction may change: each stage's, and the committee's.
CORRECTABLE_SEALED = {**SEALED, "committee": ("committee_sealed", "tip-committee")}
_CORRECTION_REQUIRED = {
    "investigation": {
        "order_number": _l("Give the number of the order appointing the committee."),
        "committee": _l("Name the members of the investigating committee."),
    },
}


def recorded(case: Case, details: TipDetails, stage: str) -> dict[str, str]:
    """The stage's record as text (the form's values: dates ISO, flags "1" or "", baht as
    typed, a penalty by its kind's code), sealed texts opened (callers check access first)."""
    found = {}
    for name in CORRECTABLE[stage]:
        if name in CORRECTABLE_SEALED:
            column, purpose = CORRECTABLE_SEALED[name]
            found[name] = sealing.open_text(purpose, case, getattr(details, column))
        elif name == "penalty_kind":
            kind = db.session.get(penalties.KINDS.model, details.penalty_kind_id or 0)
            found[name] = kind.code if kind else ""
        elif name in ("criminal_referral", "civil_referral"):
            found[name] = "1" if getattr(details, name) else ""
        elif name == "money_to_recover":
            found[name] = baht(details.money_to_recover).replace(",", "")
        elif name == "penalty_order_on":
            found[name] = details.penalty_order_on.isoformat() if details.penalty_order_on else ""
        else:
            found[name] = getattr(details, name) or ""
    return found


def check_correction(
    case: Case, details: TipDetails, stage: str, given: dict, errors: dict
) -> tuple[Record, dict[str, str]]:
    """A corrected record of ``stage`` (``given``: the form's values) and the same as text
    (``recorded``'s form), each problem added to ``errors``."""
    record = Record()
    for name in CORRECTABLE[stage]:
        if name in CORRECTABLE_SEALED:
            record.texts[name] = _text(errors, name, given.get(name))
    if stage == "investigation":
        number = clean(given.get("order_number") or "")
        if len(number) > 100:
            errors["order_number"] = _l("At most %(n)d characters.", n=100)
        record.plain["order_number"] = number
    if stage == "findings":
        conclusion = given.get("conclusion") or ""
        if conclusion not in CONCLUSIONS:
            errors["conclusion"] = _l("Choose the conclusion.")
        elif details.penalty_kind_id is not None and conclusion not in PUNISHABLE:
            errors["conclusion"] = _l(
                "A penalty is recorded: the findings stay founded or partly founded."
            )
        record.plain["conclusion"] = conclusion
    if stage == "disciplinary":
        _corrected_penalty(case, details, given, errors, record)
    required = {**REQUIRED.get(stage, {}), **_CORRECTION_REQUIRED.get(stage, {})}
    if stage == "preliminary_review" and details.preliminary_result_sealed is not None:
        required["preliminary_result"] = _l("Give the result of the fact-finding.")
    for name, message in required.items():
        if name in CORRECTABLE[stage] and not (record.texts.get(name) or record.plain.get(name)):
            errors.setdefault(name, message)
    shown = dict(record.texts)
    for name, value in record.plain.items():
        if name == "penalty_kind_id":
            continue
        if isinstance(value, bool):
            shown[name] = "1" if value else ""
        elif name == "money_to_recover":
            shown[name] = baht(value).replace(",", "")
        elif isinstance(value, date):
            shown[name] = value.isoformat()
        else:
            shown[name] = "" if value is None else str(value)
    return record, shown


def _corrected_penalty(case: Case, details: TipDetails, given: dict, errors: dict, record):
    code = given.get("penalty_kind") or ""
    kind = penalties.by_code(case.organization_id, code)
    current = db.session.get(penalties.KINDS.model, details.penalty_kind_id or 0)
    if kind is None and current is not None and current.code == code:
        kind = current  # kept, though since taken off the list
    if kind is None:
        errors["penalty_kind"] = _l("Choose the kind of penalty.")
    record.plain |= _penalty(kind, given, errors)


def apply_correction(case: Case, details: TipDetails, record: Record, names: set[str]) -> None:
    """Write the ``names`` of a checked correction (a step: the caller commits)."""
    for name in names & set(record.texts):
        column, purpose = CORRECTABLE_SEALED[name]
        text = record.texts[name]
        setattr(details, column, sealing.seal_text(purpose, case, text) if text else None)
    for name in names & set(record.plain):
        if name == "penalty_kind":
            details.penalty_kind_id = record.plain["penalty_kind_id"]
        else:
            setattr(details, name, record.plain[name])
