"""JSON API for corruption tips (/api/v1/tips…): file one, follow it and exchange messages with
the receipt. The receipt travels only in request bodies, never in a URL."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from casework.cases import lifecycle
from casework.cases.errors import FieldErrors
from casework.dates.thaidate import local_date
from casework.general import intake
from casework.tipline import filing, messages, reveal, standing
from rongrian import ratelimits
from rongrian.api import flag_field, json_object, object_field, payload, text_field
from rongrian.security import no_store
from rongrian.tenancy import current_org

bp = Blueprint("tips_api", __name__, url_prefix="/api/v1/tips")

ANSWERS = (
    "category",
    "what",
    "when",
    "occurred_on",
    "where",
    "how_known",
    "how_known_details",
    "evidence",
    "witnesses",
    "reported_elsewhere",
    "reported_where",
)


def _submission(data: dict, uploads: list) -> filing.TipSubmission:
    fields: dict[str, str] = {}
    accused = object_field(data, "accused", fields)
    identity = object_field(data, "identity", fields)
    limits = filing.ANSWER_LIMITS
    values = {name: text_field(data, name, fields, limit=limits.get(name)) for name in ANSWERS}
    sub = filing.TipSubmission(
        **values,
        **{
            f"accused_{k}": text_field(accused, k, fields, f"accused.{k}", limits[f"accused_{k}"])
            for k in ("name", "position", "unit")
        },
        accused_role=text_field(accused, "role", fields) or "unknown",
        confidential=flag_field(data, "confidential", fields),
        identity={
            k: text_field(identity, k, fields, f"identity.{k}", limit)
            for k, limit in filing.IDENTITY_LIMITS.items()
        },
        consent=flag_field(data, "consent", fields),
        uploads=uploads,
        idempotency_token=request.headers.get("Idempotency-Key"),
        reshow_receipt=True,
    )
    if sub.idempotency_token is not None and not intake.usable_token(sub.idempotency_token):
        fields["Idempotency-Key"] = str(intake.BAD_TOKEN)
    sub.reported_elsewhere = sub.reported_elsewhere or "no"
    if fields:
        raise FieldErrors(fields)
    return sub


@bp.post("")
@ratelimits.tip_submissions
@no_store
def file_tip():
    data, uploads = payload()
    try:
        filed = filing.file_tip(current_org(), _submission(data, uploads))
    except filing.IntakeError as error:
        if "idempotency_token" in error.fields:  # the client sent it as a header
            error.fields["Idempotency-Key"] = error.fields.pop("idempotency_token")
        raise
    return jsonify(
        {"case_number": filed.case.case_number, "receipt": filed.receipt, "proof": filed.proof}
    ), 200 if filed.repeated else 201


def _case_from_body(data: dict):
    receipt = data.get("receipt")
    if not isinstance(receipt, str) or not receipt.strip():
        raise FieldErrors({"receipt": _("Give your receipt.")})
    case = filing.find_by_receipt(current_org(), receipt)
    if case is None:
        raise FieldErrors(message=_("No report matches that receipt."), status=404)
    return case


def _standing_body(case) -> dict:
    """Where the tip stands in general terms, as the status page shows it (standing.py): the
    stages, the outside body it went to, the closing day; nobody named."""
    found = standing.standing(case)
    return {
        "stages": [
            {
                "code": stage.code,
                "label": stage.label,
                "reached_on": stage.reached_on.isoformat() if stage.reached_on else None,
                "current": stage.current,
            }
            for stage in found.stages
        ],
        "referred": None
        if found.referred is None
        else {
            "body": found.referred.body,
            "referred_on": found.referred.referred_on.isoformat()
            if found.referred.referred_on
            else None,
        },
        "closed_on": found.closed_on.isoformat() if found.closed_on else None,
    }


def _status_body(case) -> dict:
    return {
        "case_number": case.case_number,
        "status": case.status,
        "status_label": lifecycle.status_label("tip", case.status),
        "outcome": case.outcome,
        "received_on": local_date(case.received_at).isoformat(),
        "next_answer_due": None
        if lifecycle.state("tip", case.status).final
        else case.due_date.isoformat(),
        "identity_accessed_on": [d.isoformat() for d in reveal.access_days(case)],
        **_standing_body(case),
        "progress": [
            {
                "on": local_date(step.event.at).isoformat(),
                "event": step.event.kind,
                "status": step.event.status_to,
                "text": step.text,
                "new_date": step.new_date.isoformat() if step.new_date else None,
            }
            for step in messages.progress(case)
        ],
        "messages": [
            {
                "from": "tipster" if m.direction == "from_citizen" else "integrity_officer",
                "on": local_date(m.at).isoformat(),
                "text": m.text,
                "files": len(m.files),
            }
            for m in messages.thread(case)
        ],
    }


@bp.post("/status")
@ratelimits.tip_lookups
@no_store
def status():
    return jsonify(_status_body(_case_from_body(json_object())))


@bp.post("/messages")
@ratelimits.tip_lookups
@no_store
def post_message():
    data, uploads = payload()
    case = _case_from_body(data)
    text = data.get("text", "")
    if not isinstance(text, str):
        raise FieldErrors({"text": _("Must be a string.")})
    messages.from_tipster(case, text, uploads)
    return jsonify(_status_body(case)), 201
