"""Tips naming the mayor, a deputy mayor or the municipal clerk (ปลัด) cannot be investigated
by people who answer to them: they are flagged for an outside body — NACC (ป.ป.ช.), PACC
(ป.ป.ท.) or the provincial Damrongdham centre — and the referral's reference number is tracked,
with a date to ask the body how it stands; its decision is recorded in
casework.tipline.followups.

The flag is worked out from the sealed answers whenever it is shown, never stored: a stored
"names the clerk" would tell anyone reading the database whom the tip accuses. Only the referral
itself (body, reference number, date) is kept."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.cases import values
from casework.cases.errors import FieldErrors
from casework.cases.textinput import fold
from casework.dates import clock
from casework.extensions import db
from casework.models import Case, Referral
from casework.tipline import trail

REASONS = {
    "mayor": _l("Names the mayor or chief executive"),
    "deputy_mayor": _l("Names a deputy mayor or deputy chief executive"),
    "clerk": _l("Names the municipal clerk (ปลัด)"),
}
# The outside bodies a tip goes to, or comes from (a referral in: casework.tipline.origins);
# "other" is named in words.
BODIES = {
    "nacc": _l("National Anti-Corruption Commission (ป.ป.ช.)"),
    "pacc": _l("Public Sector Anti-Corruption Commission (ป.ป.ท.)"),
    "acoc": _l("Anti-Corruption Operation Center (ศอตช.)"),
    "governor": _l("Provincial governor (ผู้ว่าราชการจังหวัด)"),
    "damrongdham": _l("Provincial Damrongdham Centre (ศูนย์ดำรงธรรมจังหวัด)"),
    "other": _l("Another agency"),
}
# Without a date of its own, the body is asked how the tip stands after this many days.
FOLLOW_UP_DAYS = 30

_DEPUTY = re.compile(r"รองนายก|deputymayor|deputychiefexecutive|vicemayor")
_MAYOR = re.compile(
    r"นายกเทศมนตรี|นายกอบต|นายกองค์การบริหารส่วน|นายกเมือง|mayor|chiefexecutive|ผู้บริหารท้องถิ่น"
)
_CLERK = re.compile(r"(?<!รอง)(?<!ผู้ช่วย)ปลัด|municipalclerk|(?<!deputy)(?<!assistant)\bclerk")


def _squash(text: str) -> str:
    return re.sub(r"[\s.\-]+", "", fold(text or "").casefold())


def detect(accused: dict) -> str | None:
    """The referral reason for a tip's accused (chosen role first, then the position text)."""
    role = accused.get("role", "")
    if role in ("mayor", "deputy_mayor", "clerk"):
        return role
    text = _squash(" ".join([accused.get("position", ""), accused.get("name", "")]))
    if _DEPUTY.search(text):
        return "deputy_mayor"
    if _MAYOR.search(_DEPUTY.sub("", text)):
        return "mayor"
    if _CLERK.search(text):
        return "clerk"
    return None


def flag_of(case: Case) -> str | None:
    """Why ``case`` should go to an outside body (from its sealed answers), or None."""
    from casework.tipline.filing import answers_of

    return detect(answers_of(case)["accused"])


def referral_of(case: Case) -> Referral | None:
    return db.session.scalar(select(Referral).filter_by(case_id=case.id))


class ReferralError(FieldErrors):
    """A referral to an outside body that cannot be recorded as given."""


def body_label(code: str | None, name: str = "") -> str:
    """An outside body as people read it: its label, or the name given for another agency."""
    if code == "other" and name:
        return name
    return str(BODIES.get(code or "", code or ""))


def check_body(errors: dict, body: str, body_name: str, reference_number: str) -> tuple[str, str]:
    """Check an outside body and its reference number (a referral out, or in); returns them
    cleaned (the name only for "other")."""
    reference_number = " ".join((reference_number or "").split())
    body_name = " ".join((body_name or "").split()) if body == "other" else ""
    if body not in BODIES:
        errors["body"] = str(_l("Choose the outside body."))
    elif body == "other" and not body_name:
        errors["body_name"] = str(_l("Name the agency."))
    elif len(body_name) > 200:
        errors["body_name"] = str(_l("At most %(n)d characters.", n=200))
    if not reference_number:
        errors["reference_number"] = str(_l("Give the reference number the body issued."))
    elif len(reference_number) > 100:
        errors["reference_number"] = str(_l("At most %(n)d characters.", n=100))
    return body_name, reference_number


def record(
    case: Case,
    *,
    actor_id: int,
    body: str,
    reference_number: str,
    referred_on: date | str | None,
    follow_up_on: date | str | None = None,
    body_name: str = "",
) -> Referral:
    """Record that the tip was sent out (body, their reference number, date, and when to ask
    them how it stands: ``FOLLOW_UP_DAYS`` later unless given; dates as ``date`` or a form's
    YYYY-MM-DD in B.E. or C.E.), with its trail entry. Commits; ReferralError with field
    messages. A flag is not required: an officer may refer any tip."""
    errors: dict = {}
    body_name, reference_number = check_body(errors, body, body_name, reference_number)
    referred_on = values.date_field(errors, "referred_on", referred_on, buddhist_era=True)
    follow_up_on = values.date_field(errors, "follow_up_on", follow_up_on, buddhist_era=True)
    referred_on = referred_on or clock.today()
    if referred_on > clock.today():
        errors["referred_on"] = str(_l("The date cannot be in the future."))
    follow_up_on = follow_up_on or referred_on + timedelta(days=FOLLOW_UP_DAYS)
    if follow_up_on <= referred_on and "follow_up_on" not in errors:
        errors["follow_up_on"] = str(_l("The follow-up date must be after the referral."))
    row = referral_of(case)
    if row is not None and row.status == "decided":
        errors["body"] = str(_l("The body's decision is already recorded."))
    if errors:
        raise ReferralError(errors)
    try:
        row = referral_of(case)
        if row is None:
            row = Referral(organization_id=case.organization_id, case_id=case.id)
            db.session.add(row)
        row.status = "referred"
        row.body = body
        row.body_name = body_name
        row.reference_number = reference_number
        row.referred_on = referred_on
        row.referred_by = actor_id
        row.follow_up_on = follow_up_on
        if case.status == "referred_out":  # a referred tip's clock is the follow-up date
            case.due_date = follow_up_on
        trail.record(case, "referred", actor_id, body=body)  # a BODIES code
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return row
