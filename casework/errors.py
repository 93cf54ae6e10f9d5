"""Errors people can act on: JSON ``{error, fields}`` for the API, a friendly page elsewhere."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException


def wants_json() -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, message: str, fields: dict | None = None):
    response = jsonify({"error": message, "fields": fields or {}})
    response.status_code = status
    return response


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have permission to do that."),
        404: _("Not found."),
        405: _("That method is not allowed here."),
        413: _(
            "What you sent is too large. Each file may be at most 10 MB, and at most 5 files "
            "can be attached. Go back, remove or shrink a file, and send again."
        ),
        415: _("That content type is not supported."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("Something went wrong on our side. Nothing was saved; please try again."),
        503: _("The service is not available right now."),
    }


def _with_org() -> None:
    """Error pages show the organization's name when the database can say it."""
    from casework.extensions import db
    from casework.tenancy import current_org

    try:
        current_org()
    except Exception:  # noqa: BLE001 - an error page must render whatever else is broken
        db.session.rollback()


def _handle(error: HTTPException):
    status = error.code or 500
    message = _messages().get(status, error.description or "")
    if wants_json():
        return api_error(status, message)
    if status < 500:
        _with_org()
    return render_template("errors.html", status=status, message=message), status


def _handle_unexpected(error: Exception):
    from casework.extensions import db

    db.session.rollback()
    if wants_json():
        return api_error(500, _messages()[500])
    return render_template("errors.html", status=500, message=_messages()[500]), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle)
    if not (app.testing or app.config.get("PROPAGATE_EXCEPTIONS")):
        app.register_error_handler(Exception, _handle_unexpected)
