"""Email over SMTP (smtplib). The outbox worker is the only caller; nothing here is queued.

Messages are rendered from ``templates/email/<template>.txt`` in Thai (the default UI
language). Citizens' emails never carry a tracking code or the complaint's contents: they say
what happened and point to the tracking page.
"""

from __future__ import annotations

import smtplib
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from casework.cases import identity
from casework.dates import thaidate
from casework.extensions import db
from casework.models import Case, Organization, OutboxMessage

SUBJECTS = {
    "receipt": _l("We have received your complaint %(case_number)s"),
    "update": _l("News about your complaint %(case_number)s"),
    "info_request": _l("We need more information about your complaint %(case_number)s"),
    "explanation": _l("Your complaint %(case_number)s needs more time"),
    "forwarded": _l("Your complaint %(case_number)s was forwarded to another agency"),
    "result": _l("The result of your complaint %(case_number)s"),
    "assigned": _l("Case %(case_number)s was assigned to you"),
    "due_soon": _l("Case %(case_number)s is due soon"),
    "overdue": _l("Case %(case_number)s is overdue"),
    "escalation": _l("Overdue case %(case_number)s needs attention"),
    "follow_up": _l("Time to follow up case %(case_number)s with the outside agency"),
    "reopened": _l("Case %(case_number)s is not fixed, the complainant says"),
    "custody": _l("A change in the custody of tipsters' identities"),
    "tip_due_soon": _l("Tip %(case_number)s: the stage is due soon"),
    "tip_overdue": _l("Tip %(case_number)s: the stage is overdue"),
    "tip_escalation": _l("Overdue tip %(case_number)s needs attention"),
    "retaliation_reported": _l("Urgent: the tipster of %(case_number)s reports retaliation"),
    "retaliation_due_soon": _l("Report of retaliation on tip %(case_number)s is due soon"),
    "retaliation_overdue": _l("Report of retaliation on tip %(case_number)s is overdue"),
    "retaliation_escalation": _l(
        "Executive: a report of retaliation on tip %(case_number)s is overdue"
    ),
    "tip_follow_up": _l("Tip %(case_number)s: a follow-up is due"),
}
# A stage reminder that also brings a check on the offender (``check_on`` in its payload: the
# tip sweep says both in one message) names both in its subject.
WITH_OFFENDER_CHECK = {
    "tip_due_soon": _l(
        "Tip %(case_number)s: the stage is due soon and a check on the offender is due"
    ),
    "tip_overdue": _l(
        "Tip %(case_number)s: the stage is overdue and a check on the offender is due"
    ),
}


def subject_of(row: OutboxMessage, payload: dict) -> str:
    """The subject of ``row`` in the current language (``payload``: its values, with
    ``case_number``): the case number and what is due, never what the case says."""
    subject = SUBJECTS.get(row.template, "%(case_number)s")
    if payload.get("check_on"):
        subject = WITH_OFFENDER_CHECK.get(row.template, subject)
    return str(subject) % payload


# The citizens' emails, addressed by name ("เรียน นางสมหญิง ใจดี") from the sealed identity,
# opened only here, when the message is written; the outbox row keeps no name.
TO_COMPLAINANT = {"receipt", "update", "info_request", "explanation", "forwarded", "result"}


def _addressee(row: OutboxMessage) -> str:
    case = db.session.get(Case, row.case_id) if row.case_id else None
    if row.template not in TO_COMPLAINANT or case is None or case.channel != "complaint":
        return identity.ANONYMOUS_ADDRESSEE
    return identity.addressee(identity.reveal(case))


class NotConfigured(RuntimeError):
    """MAIL_SERVER is not set: email stays queued."""


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def compose(row: OutboxMessage, to: str) -> EmailMessage:
    org = db.session.get(Organization, row.organization_id)
    payload = dict(row.payload or {})
    payload.setdefault("case_number", "")
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    staff_base = (current_app.config.get("STAFF_BASE_URL") or base).rstrip("/")
    with force_locale("th"):
        subject = subject_of(row, payload)
        body = render_template(
            f"email/{row.template}.txt",
            org=org,
            p=payload,
            addressee=_addressee(row),
            track_url=f"{base}/complaints/track",
            case_url=f"{staff_base}/admin/cases/{row.case_id}" if row.case_id else staff_base,
            staff_url=staff_base,
            thai_date=lambda iso: (
                thaidate.format_date(date.fromisoformat(iso), "th") if iso else ""
            ),
        )
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=current_app.config["MAIL_FROM"].rsplit("@", 1)[-1])
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def send(row: OutboxMessage, to: str) -> None:
    """Send one outbox row by SMTP; raises on any failure (the worker retries)."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        raise NotConfigured("MAIL_SERVER is not set")
    message = compose(row, to)
    with smtplib.SMTP(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(message)
