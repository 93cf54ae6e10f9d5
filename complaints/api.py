"""JSON API for general complaints: file one, and follow it by tracking code."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _

from casework.cases import attachments
from casework.general import followup, intake
from rongrian import ratelimits
from rongrian.api import BadBody, json_object, text_field
from rongrian.errors import api_error
from rongrian.security import no_store
from rongrian.tenancy import current_org

bp = Blueprint("complaints_api", __name__, url_prefix="/api/v1")


@bp.errorhandler(BadBody)
def _bad_body(error: BadBody):
    return api_error(error.status, error.message, error.fields)


def _payload() -> tuple[dict, list]:
    """JSON body, or multipart with a ``payload`` JSON part and ``attachments`` files.

    The payload part may come as a plain field or as a file part (``curl -F payload=@c.json``).
    Files under any other name are refused, never silently dropped.
    """
    if request.mimetype != "multipart/form-data":
        return json_object(), []
    stray = sorted(set(request.files) - {"attachments", "payload"})
    if stray:
        raise BadBody(
            400,
            _("Some fields are not valid."),
            {name: _("Send files in parts named attachments.") for name in stray},
        )
    part = request.files.get("payload")
    raw = part.stream.read(current_app.config["MAX_FORM_MEMORY_SIZE"] + 1) if part else None
    if raw is not None and len(raw) > current_app.config["MAX_FORM_MEMORY_SIZE"]:
        raise BadBody(413, _("The payload part is too large."))
    try:
        data = json.loads(raw if raw is not None else request.form.get("payload", "{}"))
    except (ValueError, RecursionError):
        raise BadBody(400, _("The payload part is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise BadBody(400, _("The payload part must be a JSON object."))
    return data, attachments.from_file_storage(request.files.getlist("attachments"))


def _submission(data: dict, uploads: list) -> intake.ComplaintSubmission:
    fields: dict[str, str] = {}
    reporter = data.get("reporter") or {}
    if not isinstance(reporter, dict):
        fields["reporter"] = _("Must be an object.")
        reporter = {}
    sub = intake.ComplaintSubmission(
        category=text_field(data, "category", fields),
        subject=text_field(data, "subject", fields),
        details=text_field(data, "details", fields),
        kind=text_field(data, "kind", fields) or "complaint",
        location=text_field(data, "location", fields),
        lat=data.get("lat") if not isinstance(data.get("lat"), (dict, list, bool)) else "x",
        lng=data.get("lng") if not isinstance(data.get("lng"), (dict, list, bool)) else "x",
        occurred_on=text_field(data, "occurred_on", fields) or None,
        occurred_time=text_field(data, "occurred_time", fields),
        reporter={
            k: text_field(reporter, k, fields, f"reporter.{k}")
            for k in ("name", "phone", "email", "address")
        },
        consent=data.get("consent") is True,
        uploads=uploads,
        received_via="web",
        idempotency_token=request.headers.get("Idempotency-Key") or None,
    )
    if fields:
        raise BadBody(400, _("Some fields are not valid."), fields)
    return sub


@bp.post("/complaints")
@ratelimits.complaint_submissions
@no_store
def file_complaint():
    data, uploads = _payload()
    submission = _submission(data, uploads)
    try:
        filed = intake.file_complaint(current_org(), submission)
    except intake.IntakeError as error:
        fields = dict(error.fields)
        if "idempotency_token" in fields:  # the client sent it as a header
            fields["Idempotency-Key"] = fields.pop("idempotency_token")
        return api_error(400, _("Some fields are not valid."), fields)
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
        return api_error(
            400, _("Some fields are not valid."), {"tracking_code": _("Give a tracking code.")}
        )
    case = followup.find_by_code(current_org(), code)
    if case is None:
        return api_error(404, _("No case matches that code."))
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
