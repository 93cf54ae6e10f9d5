"""The JSON API's shared parts (/api/v1): categories, the OpenAPI document, body parsing."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select

from casework.extensions import db
from casework.models import Category
from casework.models.organization import CHANNELS
from rongrian import openapi
from rongrian.errors import api_error
from rongrian.tenancy import current_org

bp = Blueprint("api", __name__, url_prefix="/api/v1")


class BadBody(ValueError):
    def __init__(self, status: int, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.fields = status, message, fields or {}


@bp.errorhandler(BadBody)
def _bad_body(error: BadBody):
    return api_error(error.status, error.message, error.fields)


def json_object() -> dict:
    """The request's JSON object, or BadBody (415 for another content type, 400 if malformed)."""
    if not request.is_json:
        raise BadBody(415, _("Send JSON (Content-Type: application/json)."))
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes: malformed, not a crash
        data = None
    if not isinstance(data, dict):
        raise BadBody(400, _("The body is not a valid JSON object."))
    return data


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
        return api_error(400, _("Unknown channel."), {"channel": _("Use complaint or tip.")})
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
