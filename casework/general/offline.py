"""Offline intake: a clerk registers a complaint that came by phone, letter, complaint box,
walk-in, Facebook message or email (its ``received_via``). Filing goes through
casework.general.intake however a complaint is received; this module turns the clerk's "date
received" into the instant the clock counts from, and audits the registration."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_babel import lazy_gettext as _l

from casework import audit
from casework.cases import values
from casework.dates import clock
from casework.dates.thaidate import BANGKOK, local_date
from casework.general import intake
from casework.models import Organization, User

OFFICE_HOURS_NOON = time(12, 0)


def received_instant(day: str, at: str) -> tuple[datetime | None, dict[str, str]]:
    """Bangkok date (and optional HH:MM) as naive UTC; empty date means now."""
    if not day:
        return None, {}
    errors: dict = {}
    parsed = values.date_field(errors, "received_on", day, buddhist_era=True)
    if parsed is None:
        return None, {k: str(v) for k, v in errors.items()}
    if at:
        if not intake.TIME.match(at):
            return None, {"received_time": str(_l("Enter a time as HH:MM."))}
        moment = time.fromisoformat(at)
    elif parsed == clock.today():
        return clock.utcnow(), {}
    else:
        moment = OFFICE_HOURS_NOON
    local = datetime.combine(parsed, moment, tzinfo=BANGKOK)
    instant = local.astimezone(UTC).replace(tzinfo=None)
    if local_date(instant) == clock.today() and instant > clock.utcnow():
        instant = clock.utcnow()
    return instant, {}


def register(org: Organization, sub: intake.ComplaintSubmission, clerk: User) -> intake.Filed:
    """File the complaint for the clerk (IntakeError on bad input) and audit it, in one
    transaction: a failure leaves neither the case nor its entry behind."""

    def audited(filed: intake.Filed) -> None:
        audit.record(
            org.id,
            "case.register_offline",
            actor_id=clerk.id,
            case=filed.case,
            data={"received_via": sub.received_via},
        )

    return intake.file_complaint(org, sub, actor_id=clerk.id, before_commit=audited)
