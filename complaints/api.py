"""JSON API for general complaints: file one, and follow it by tracking code."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from casework.cases import lookup
from casework.cases.errors import FieldErrors
from casework.cases.textinput import LIMITS
from casework.general import followup, intake
from rongrian import ratelimits
from rongrian.api import (
    flag_field,
    json_object,
    number_field,
    object_field,
    payload,
    text_field,
)
from rongrian.security import no_store
from rongrian.tenancy import current_org

bp = Blueprint("complaints_api", __name__, url_prefix="/api/v1")


def _submission(data: dict, uploads: list) -> intake.ComplaintSubmission:
    fields: dict[str, str] = {}
    reporter = object_field(data, "reporter", fields)
    sub = intake.ComplaintSubmission(
        category=text_field(data, "category", fields),
        subject=text_field(data, "subject", fields, limit=LIMITS["subject"]),
        details=text_field(data, "details", fields, limit=LIMITS["details"]),
        kind=text_field(data, "kind", fields) or "complaint",
        location=text_field(data, "location", fields, limit=LIMITS["location"]),
        lat=number_field(data, "lat", fields),
        lng=number_field(data, "lng", fields),
        occurred_on=text_field(data, "occurred_on", fields) or None,
        occurred_time=text_field(data, "occurred_time", fields, limit=LIMITS["subject"]),
        reporter={
            k: text_field(reporter, k, fields, f"reporter.{k}", LIMITS[k])
            for k in intake.CONTACT_FIELDS
        },
        consent=flag_field(data, "consent", fields),
        uploads=uploads,
        received_via="web",
        idempotency_token=request.headers.get("Idempotency-Key"),
    )
    if fields:
        raise FieldErrors(fields)
    return sub


@bp.post("/complaints")
@ratelimits.complaint_submissions
@no_store
def file_complaint():
    data, uploads = payload()
    submission = _submission(data, uploads)
    try:
        filed = intake.file_complaint(current_org(), submission)
    except intake.IntakeError as error:
        if "idempotency_token" in error.fields:  # the client sent it as a header
            error.fields["Idempotency-Key"] = error.fields.pop("idempotency_token")
        raise
    case = filed.case
    body = {
        "case_number": case.case_number,
        "tracking_code": filed.tracking_code,
        "status": case.status,
        "received_at": case.received_at.isoformat() + "Z",
        "due_at": case.due_date.isoformat(),
    }
    return jsonify(body), 200 if filed.repeated else 201


@bp.post("/track")
@ratelimits.complaint_lookups
@no_store
def track():
    data = json_object()
    code = data.get("tracking_code")
    if not isinstance(code, str) or not code.strip():
        raise FieldErrors({"tracking_code": _("Give a tracking code.")})
    case = lookup.find_by_code(current_org(), code)
    if case is None:
        raise FieldErrors(message=_("No case matches that code."), status=404)
    view = followup.public_view(case)
    return jsonify(
        {
            "case_number": case.case_number,
            "status": case.status,
            "status_label": view.status_label,
            "outcome": case.outcome,
            "outcome_label": view.outcome_label,
            "received_at": case.received_at.isoformat() + "Z",
            "due_at": case.due_date.isoformat(),
            "original_due_at": view.extended_from.isoformat() if view.extended_from else None,
            "paused": view.paused,
            "completed_at": _instant(case.completed_at),
            "result": case.result_text if not view.is_open else "",
            "timeline": [_event(e) for e in view.events],
        }
    )


def _instant(at) -> str | None:
    return at.isoformat() + "Z" if at else None


def _event(event) -> dict:
    item = {
        "at": _instant(event.at),
        "kind": event.kind,
        "status": event.status_to,
        "text": event.body,
    }
    new_date = followup.explained_date(event)
    if new_date:
        item["due_at"] = new_date.isoformat()
    return item
