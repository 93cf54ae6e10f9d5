"""Errors people can act on: JSON ``{error, fields}`` for the API, a friendly page elsewhere."""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from casework.cases.errors import FieldErrors


def wants_json() -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, message: str, fields: dict | None = None):
    response = jsonify({"error": message, "fields": fields or {}})
    response.status_code = status
    return response


def _texts() -> dict[int, tuple[str, str]]:
    """For each status: a short heading for the error page, and the message saying what to do
    (the API answers with the message alone)."""
    return {
        400: (_("Something in the request was wrong"), _("The request could not be understood.")),
        403: (_("Not allowed"), _("You do not have permission to do that.")),
        404: (_("Page not found"), _("Not found.")),
        405: (_("Not available this way"), _("That method is not allowed here.")),
        413: (
            _("Too large to send"),
            _(
                "What you sent is too large. Each file may be at most 10 MB, and at most 5 "
                "files can be attached. Go back, remove or shrink a file, and send again."
            ),
        ),
        415: (_("Unsupported content"), _("That content type is not supported.")),
        431: (_("Request too large"), _("A request header is too large.")),
        429: (
            _("Please wait a moment"),
            _("Too many attempts. Please wait a minute and try again."),
        ),
        500: (
            _("Something went wrong"),
            _("Something went wrong on our side. Nothing was saved; please try again."),
        ),
        503: (_("Service unavailable"), _("The service is not available right now.")),
    }


# How long a client is asked to wait after the database failed to answer.
DATABASE_RETRY_AFTER = 30


def _message(status: int, default: str = "") -> str:
    return _texts().get(status, ("", default))[1]


def _back() -> str | None:
    """Where "back" goes after a failed POST: the same address, when it has a page to GET."""
    if request.method != "POST":
        return None
    try:
        current_app.url_map.bind_to_environ(request.environ).match(request.path, method="GET")
    except Exception:  # noqa: BLE001 - no page to go back to (404, 405, redirect)
        return None
    return request.path


def _page(status: int, message: str, error_id: str | None = None):
    return (
        render_template(
            "errors.html",
            status=status,
            title=_texts().get(status, (str(status), ""))[0],
            message=message,
            back=_back() if request.url_rule is not None else None,
            error_id=error_id,
        ),
        status,
    )


def _with_org() -> None:
    """Error pages show the organization's name when the database can say it."""
    from casework.extensions import db
    from rongrian.tenancy import current_org

    try:
        current_org().name_th  # noqa: B018 - loaded here, not while the page renders
    except Exception:  # noqa: BLE001 - an error page must render whatever else is broken
        g.pop("rongrian_org", None)
        db.session.rollback()


def _retry_after(error: HTTPException) -> int | None:
    """Seconds until a rate limit's window has passed (Flask-Limiter's limit item)."""
    try:
        return int(error.limit.limit.get_expiry())
    except (AttributeError, TypeError, ValueError):
        return None


def _handle(error: HTTPException):
    status = error.code or 500
    message = _message(status, error.description or "")
    wait = _retry_after(error) if status == 429 else None
    if wait and wait > 60:
        message = _(
            "Too many attempts from your connection. Please try again in about %(minutes)d "
            "minutes.",
            minutes=-(-wait // 60),
        )
    if wants_json():
        response = api_error(status, message)
    else:
        if status < 500:
            _with_org()
        response = make_response(*_page(status, message))
    if wait:
        response.headers["Retry-After"] = str(wait)
    allowed = getattr(error, "valid_methods", None)
    if status == 405 and allowed:  # RFC 9110: a 405 names the methods that would work
        response.headers["Allow"] = ", ".join(sorted(allowed))
    return response


def _handle_field_errors(error: FieldErrors):
    """Input the rules refused that no view caught: the API answers ``{error, fields}`` with the
    error's status; a page shows its message."""
    if wants_json():
        return api_error(error.status, error.message, error.fields)
    _with_org()
    return _page(error.status, error.message)


def _handle_unexpected(error: Exception):
    """Log it (rongrian.errorlog: the route and a random id, nothing of the person) and answer
    with that id, which the person can quote."""
    from casework.extensions import db
    from rongrian import errorlog

    db.session.rollback()
    error_id = errorlog.record(error)
    if wants_json():
        return jsonify({"error": _message(500), "fields": {}, "error_id": error_id}), 500
    return _page(500, _message(500), error_id)


def _handle_database_error(error: DBAPIError):
    """The database did not answer (restarting, failing over, out of connections) or had no
    room left to write: a 503 that says so and asks to try again, never a 500. Nothing was
    saved: the transaction is rolled back. The connection pool checks each connection before
    use (pool_pre_ping) and drops those the error invalidated, so once the database is back the
    next request works, without restarting the app. Any other database error is unexpected."""
    import logging

    from casework.extensions import db, storage_full

    full = storage_full(error)
    if not (full or _unreachable(error)):
        return _unexpected(error)
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the pool replaces it
        db.session.remove()
    g.pop("rongrian_org", None)  # its name would be read from the database the page lacks
    logging.getLogger(__name__).warning(
        "database %s: answered 503", "storage full" if full else "unavailable"
    )
    if full:
        message = _(
            "The system has no room left to save what you sent. Nothing was saved; please try "
            "again later."
        )
    else:
        message = _(
            "The system cannot reach its database right now. Nothing was saved; please try "
            "again in a few minutes."
        )
    response = api_error(503, message) if wants_json() else make_response(*_page(503, message))
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def _unreachable(error: DBAPIError) -> bool:
    """A failure to reach the database rather than of the statement: a connection the driver
    found broken or could not open, PostgreSQL's class 08 (connection exception), 57P
    (shutdown, restart) and 53300 (too many connections), SQLite's busy, locked and cannot
    open."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    if error.connection_invalidated or isinstance(error, InterfaceError):
        return True
    state = getattr(error.orig, "sqlstate", None)
    if state:
        return state.startswith(("08", "57P", "53300"))
    code = getattr(error.orig, "sqlite_errorcode", None)
    if code is not None:
        return code in (5, 6, 14)  # SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN
    # A driver error that no server answered (connection refused, timed out, reset).
    return isinstance(error, OperationalError)


def _unexpected(error: Exception):
    if current_app.testing or current_app.config.get("PROPAGATE_EXCEPTIONS"):
        raise error
    return _handle_unexpected(error)


def init_app(app: Flask) -> None:
    from rongrian import errorlog

    errorlog.init_app(app)
    app.register_error_handler(HTTPException, _handle)
    app.register_error_handler(FieldErrors, _handle_field_errors)
    app.register_error_handler(DBAPIError, _handle_database_error)
    if not (app.testing or app.config.get("PROPAGATE_EXCEPTIONS")):
        app.register_error_handler(Exception, _handle_unexpected)
