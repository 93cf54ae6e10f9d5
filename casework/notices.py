"""The three written notices the plans require (แจ้งผลการรับเรื่อง ระยะเวลา และผลการดำเนินการ):

* ``acknowledgement`` — the complaint was received, by whom, and when to expect an answer;
* ``delay`` — why it needs more time and the new expected date;
* ``result`` — what was done and the outcome.

This module gathers what each letter needs from the case; the printable A4 layout lives in
``templates/admin/notices/``. The addressee's name and address come from the sealed identity,
so printing a letter is an identity view and is audited by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casework import clock, lifecycle
from casework.extensions import db
from casework.models import Case, CaseEvent, Organization

KINDS = ("acknowledgement", "delay", "result")

SUBJECTS_TH = {
    "acknowledgement": "แจ้งการรับเรื่องร้องเรียน",
    "delay": "แจ้งเหตุแห่งความล่าช้าในการดำเนินการเรื่องร้องเรียน",
    "result": "แจ้งผลการดำเนินการเรื่องร้องเรียน",
}


class NoticeUnavailable(ValueError):
    """The case is not (yet) in a state where this letter makes sense."""


@dataclass
class Notice:
    kind: str
    subject: str
    case: Case
    org: Organization
    issued_on: date
    addressee: str
    address: str
    department: str
    sla_days: int
    explanation: CaseEvent | None
    outcome: str
    result_text: str


def latest_explanation(case: Case) -> CaseEvent | None:
    events = [e for e in case.events if e.kind == "explanation"]
    return events[-1] if events else None


def build(case: Case, kind: str, reporter: dict) -> Notice:
    if kind not in KINDS:
        raise NoticeUnavailable(kind)
    explanation = latest_explanation(case)
    final = lifecycle.state(case.channel, case.status).final
    if kind == "delay" and explanation is None:
        raise NoticeUnavailable("no explanation recorded yet")
    if kind == "result" and not final:
        raise NoticeUnavailable("the case is not completed")
    org = db.session.get(Organization, case.organization_id)
    name = reporter.get("name", "")
    return Notice(
        kind=kind,
        subject=SUBJECTS_TH[kind],
        case=case,
        org=org,
        issued_on=clock.today(),
        addressee=name or "ผู้ร้องเรียน",
        address=reporter.get("address", ""),
        department=case.department.name_th if case.department else "",
        sla_days=case.category.sla_days,
        explanation=explanation,
        outcome=lifecycle.outcome_label(case.channel, case.outcome) if final else "",
        result_text=case.result_text,
    )
