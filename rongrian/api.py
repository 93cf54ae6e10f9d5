"""The JSON API's shared parts (/api/v1): categories, the OpenAPI document, body parsing.

Input that cannot be accepted raises ``FieldErrors`` (casework.cases.errors); the one handler in
rongrian.errors answers it as ``{"error": message, "fields": {...}}`` with the error's status.
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from casework.cases import attachments
from casework.cases.errors import FieldErrors
from casework.dates import clock
from casework.extensions import db
from casework.models import Category
from casework.models.organization import CHANNELS
from casework.tipline import filing
from rongrian import openapi
from rongrian.tenancy import current_org

bp = Blueprint("api", __name__, url_prefix="/api/v1")


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list) -> dict:
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def parse_object(raw: bytes | str, malformed: str) -> dict:
    """A JSON object from ``raw`` (UTF-8), or FieldErrors 400 with ``malformed``. A key given
    twice in one object is refused naming it: with "last one wins", what a client thinks it
    sent and what is filed could differ."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as duplicate:
        raise FieldErrors({duplicate.key: _("This key is given twice.")}) from None
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        data = None
    if not isinstance(data, dict):
        raise FieldErrors(message=malformed)
    return data


def json_object() -> dict:
    """The request's JSON object, or FieldErrors (415 for another content type, 400 if
    malformed)."""
    if not request.is_json:
        raise FieldErrors(message=_("Send JSON (Content-Type: application/json)."), status=415)
    return parse_object(_body(), _("The body is not a valid JSON object."))


def _body() -> bytes:
    """The whole body, or 413. A chunked body has no Content-Length for werkzeug to check
    first: its stream stops at MAX_CONTENT_LENGTH without saying so, and what was read would
    be parsed (and refused) as a truncated document."""
    raw = request.get_data()
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(raw) >= limit:
        raise RequestEntityTooLarge()
    return raw


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
    if raw is None:
        raw = request.form.get("payload", "{}")
    else:
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raw = "\ufffd"
    # Werkzeug decodes a form field's bytes with "replace", so invalid UTF-8 arrives as U+FFFD.
    # Text that has already lost characters is refused, not filed.
    if "\ufffd" in raw:
        raise FieldErrors({"payload": _("The payload part is not valid UTF-8 text.")})
    data = parse_object(raw, _("The payload part must be a JSON object."))
    return data, attachments.from_file_storage(request.files.getlist("attachments"))


def text_field(
    data: dict, name: str, fields: dict, report_as: str | None = None, limit: int | None = None
) -> str:
    """``data[name]`` as text; a number, list, object or boolean is reported in ``fields``
    (under ``report_as``, e.g. ``reporter.name``, when the value sits in a nested object), and
    so is text longer than ``limit`` as sent: the OpenAPI document's maxLength counts what the
    client sent, before the spaces and invisible characters that cleaning drops."""
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        fields[report_as or name] = _("Must be a string.")
        return ""
    if limit is not None and len(value) > limit:
        fields[report_as or name] = _("At most %(n)d characters.", n=limit)
    return value


def object_field(data: dict, name: str, fields: dict) -> dict:
    """``data[name]`` as an object (absent or null is empty); anything else is reported."""
    value = data.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        fields[name] = _("Must be an object.")
        return {}
    return value


def number_field(data: dict, name: str, fields: dict) -> int | float | None:
    """``data[name]`` as a JSON number (or null); text or a boolean is reported in ``fields``."""
    value = data.get(name)
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    fields[name] = _("Must be a number.")
    return None


def flag_field(data: dict, name: str, fields: dict) -> bool:
    """``data[name]`` as true or false (absent or null is false); anything else is reported."""
    value = data.get(name)
    if value is None or isinstance(value, bool):
        return bool(value)
    fields[name] = _("Must be true or false.")
    return False


def _active_categories(channel: str) -> list[Category]:
    return list(
        db.session.scalars(
            select(Category)
            .filter_by(organization_id=current_org().id, channel=channel, active=True)
            .order_by(Category.sort_order, Category.id)
        )
    )


@bp.get("/categories")
def categories():
    channel = request.args.get("channel", "complaint")
    if channel not in CHANNELS:
        raise FieldErrors({"channel": _("Use complaint or tip.")}, _("Unknown channel."))
    rows = _active_categories(channel)
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
    """The document as it holds for this organization today (rongrian.openapi.document)."""
    return jsonify(
        openapi.document(
            [c.code for c in _active_categories("complaint")],
            [c.code for c in _active_categories("tip")],
            confidential=filing.confidential_available(current_org().id),
            today=clock.today(),
        )
    )
