"""The three written notices the plans require (แจ้งผลการรับเรื่อง ระยะเวลา และผลการดำเนินการ):

* ``acknowledgement`` — the complaint was received, by whom, and when to expect an answer;
* ``delay`` — why it needs more time and the new expected date;
* ``result`` — what was done and the outcome.

This module gathers what each letter needs from the case; the printable A4 layout lives in
``templates/admin/notices/``. The addressee's name and address come from the sealed identity,
so printing a letter is an identity view and is audited (``print_letter``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from casework import audit
from casework.cases import identity, lifecycle
from casework.cases.errors import FieldErrors
from casework.dates import clock
from casework.dates.workdays import WORKING
from casework.extensions import db
from casework.general import access
from casework.models import Case, CaseEvent, Organization, User

KINDS = ("acknowledgement", "delay", "result")

SUBJECTS_TH = {
    "acknowledgement": "แจ้งการรับเรื่องร้องเรียน",
    "delay": "แจ้งเหตุแห่งความล่าช้าในการดำเนินการเรื่องร้องเรียน",
    "result": "แจ้งผลการดำเนินการเรื่องร้องเรียน",
}


class NoticeUnavailable(FieldErrors):
    """The case is not (yet) in a state where this letter makes sense."""

    status = 404


@dataclass
class Notice:
    kind: str
    subject: str
    case: Case
    org: Organization
    issued_on: date
    addressee: str
    address: str
    department: str  # the responsible unit (ส่วนงานที่รับผิดชอบ)
    phone: str
    sla_days: int
    days_unit: str  # "วัน" or "วันทำการ", as the organization counts deadlines
    first_due_date: date  # the deadline promised on receipt
    explanation: CaseEvent | None
    new_date: date | None  # the expected date the latest explanation gave
    outcome: str
    result_text: str
    delay_reason: str  # why a late case took longer, told with the result ("" if not late)
    signer_name: str  # empty: a blank line to sign on
    signer_title: list[str]  # one or two lines under the name


def latest_explanation(case: Case) -> CaseEvent | None:
    """The latest explanation that set a new expected date (the delay letter's subject)."""
    events = [e for e in case.events if e.kind == "explanation" and not _with_result(e)]
    return events[-1] if events else None


def _with_result(event: CaseEvent) -> bool:
    return bool((event.data or {}).get("with_result"))


def delay_with_result(case: Case) -> str:
    """The explanation of delay written when a late case was completed (sent with the result)."""
    events = [e for e in case.events if e.kind == "explanation" and _with_result(e)]
    return events[-1].body if events else ""


def signer(case: Case, org: Organization) -> tuple[str, list[str]]:
    """Who signs: the head of the responsible unit, else the organization's signatory."""
    dept = case.department
    if dept is not None and (dept.head_title or "").strip():
        name, title = dept.head_name, dept.head_title
    else:
        name, title = org.signatory_name, org.signatory_title
    lines = [line.strip() for line in (title or "").splitlines() if line.strip()]
    return (name or "").strip(), lines


def build(case: Case, kind: str, reporter: dict) -> Notice:
    if kind not in KINDS:
        raise NoticeUnavailable({"kind": _l("There is no such letter.")})
    explanation = latest_explanation(case)
    final = lifecycle.state(case.channel, case.status).final
    if kind == "delay" and explanation is None:
        raise NoticeUnavailable(
            {"kind": _l("Record an explanation of the delay before printing this letter.")}
        )
    if kind == "result" and not final:
        raise NoticeUnavailable(
            {"kind": _l("The result letter can be printed once the case is completed.")}
        )
    org = db.session.get(Organization, case.organization_id)
    new_date = (explanation.data or {}).get("new_date") if explanation is not None else None
    signer_name, signer_title = signer(case, org)
    with force_locale("th"):  # the letter is Thai whatever language the officer reads
        outcome = lifecycle.outcome_label(case.channel, case.outcome)
    dept = case.department
    return Notice(
        kind=kind,
        subject=SUBJECTS_TH[kind],
        case=case,
        org=org,
        issued_on=clock.today(),
        addressee=identity.addressee(reporter),
        address=reporter.get("address", ""),
        department=dept.name_th if dept else "",
        phone=(dept.phone if dept is not None and dept.phone else org.phone) or "",
        sla_days=case.category.sla_days,
        days_unit="วันทำการ" if org.sla_mode == WORKING else "วัน",
        first_due_date=case.original_due_date or case.due_date,
        explanation=explanation,
        new_date=date.fromisoformat(new_date) if new_date else None,
        outcome=outcome if final else "",
        result_text=case.result_text,
        delay_reason=delay_with_result(case) if final else "",
        signer_name=signer_name,
        signer_title=signer_title,
    )


def print_letter(case: Case, kind: str, actor: User) -> Notice:
    """The letter ``kind`` for ``actor`` to print, addressed with the complainant's name and
    address when the actor may see them; each print is audited. Commits. Raises
    ``NoticeUnavailable`` when the case is not in a state for this letter."""
    with_address = access.can(actor, "case.identity", case)
    reporter = identity.reveal(case) if with_address else {}
    letter = build(case, kind, reporter)
    audit.viewed(case, actor.id, "notice.print", target=kind, data={"identity": bool(reporter)})
    return letter
