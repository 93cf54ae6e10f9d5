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


# Every field a stage may record (the keyword arguments of workflow.check beyond its own).
FIELDS = (
    *SEALED,
    "conclusion",
    "penalty_kind",
    "penalty_order_number",
    "penalty_order_on",
    "criminal_referral",
    "civil_referral",
    "money_to_recover",
    "follow_up_until",
    "next_check_on",
)


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


def _disciplinary(case: Case, details: TipDetails, given: dict, errors: dict, record) -> None:
    if details.conclusion not in PUNISHABLE:
        errors["target"] = _l("A penalty follows only findings that the tip is founded.")
    kind = penalties.by_code(case.organization_id, given.get("penalty_kind") or "")
    if given.get("penalty_kind") and kind is None:
        errors["penalty_kind"] = _l("Choose from the list.")
    number = clean(given.get("penalty_order_number") or "")
    if len(number) > 100:
        errors["penalty_order_number"] = _l("At most %(n)d characters.", n=100)
    order_on = _day(errors, "penalty_order_on", given.get("penalty_order_on"))
    if order_on is not None and order_on > clock.today():
        errors["penalty_order_on"] = _l("The date cannot be in the future.")
    until = _day(errors, "follow_up_until", given.get("follow_up_until"))
    first = _day(errors, "next_check_on", given.get("next_check_on"))
    if until is not None and until <= clock.today():
        errors["follow_up_until"] = _l("The follow-up must end after today.")
    if first is not None and until is not None and first > until:
        errors["next_check_on"] = _l("The first check must fall within the follow-up.")
    record.plain |= {
        "penalty_kind": kind.code if kind else "",
        "penalty_kind_id": kind.id if kind else None,
        "penalty_order_number": number,
        "penalty_order_on": order_on,
        "criminal_referral": bool(given.get("criminal_referral")),
        "civil_referral": bool(given.get("civil_referral")),
        "money_to_recover": satang(errors, "money_to_recover", given.get("money_to_recover")),
        "follow_up_until": until,
        "next_check_on": first,
    }


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
