"""The JSON API's shared parts (/api/v1): categories, the OpenAPI document, body parsing.

Input that cannot be accepted raises ``FieldErrors`` (casework.cases.errors); the one handler in
rongrian.errors answers it as ``{"error": message, "fields": {...}}`` with the error's status.
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select

from casework.cases import attachments
from casework.cases.errors import FieldErrors
from casework.extensions import db
from casework.models import Category
from casework.models.organization import CHANNELS
from rongrian import openapi
from rongrian.tenancy import current_org

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def json_object() -> dict:
    """The request's JSON object, or FieldErrors (415 for another content type, 400 if
    malformed)."""
    if not request.is_json:
        raise FieldErrors(message=_("Send JSON (Content-Type: application/json)."), status=415)
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes: malformed, not a crash
        data = None
    if not isinstance(data, dict):
        raise FieldErrors(message=_("The body is not a valid JSON object."))
    return data


def payload() -> tuple[dict, list]:
    """JSON body, or multipart with a ``payload`` JSON part and ``attachments`` files.

    The payload part may come as a plain field or as a file part (``curl -F payload=@c.json``).
    Files under any other name are refused, never silently dropped.
    """
    if request.mimetype != "multipart/form-data":
        return json_object(), []
    stray = sorted(set(request.files) - {"attachments", "payload"})
    if stray:
        raise FieldErrors({name: _("Send files in parts named attachments.") for name in stray})
    part = request.files.get("payload")
    raw = part.stream.read(current_app.config["MAX_FORM_MEMORY_SIZE"] + 1) if part else None
    if raw is not None and len(raw) > current_app.config["MAX_FORM_MEMORY_SIZE"]:
        raise FieldErrors(message=_("The payload part is too large."), status=413)
    try:
        data = json.loads(raw if raw is not None else request.form.get("payload", "{}"))
    except (ValueError, RecursionError):
        raise FieldErrors(message=_("The payload part is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise FieldErrors(message=_("The payload part must be a JSON object."))
    return data, attachments.from_file_storage(request.files.getlist("attachments"))


def text_field(data: dict, name: str, fields: dict, report_as: str | None = None) -> str:
    """``data[name]`` as text; a list, object or boolean is reported in ``fields`` (under
    ``report_as``, e.g. ``reporter.name``, when the value sits in a nested object)."""
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        fields[report_as or name] = _("Must be a string.")
        return ""
    return str(value)


@bp.get("/categories")
def categories():
    channel = request.args.get("channel", "complaint")
    if channel not in CHANNELS:
        raise FieldErrors({"channel": _("Use complaint or tip.")}, _("Unknown channel."))
    rows = db.session.scalars(
        select(Category)
        .filter_by(organization_id=current_org().id, channel=channel, active=True)
        .order_by(Category.sort_order, Category.id)
    )
    return jsonify(
        {
            "categories": [
                {"code": c.code, "name_th": c.name_th, "name_en": c.name_en, "sla_days": c.sla_days}
                for c in rows
            ]
        }
    )


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())
