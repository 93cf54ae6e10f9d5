"""The back office's door: every admin route needs a fully signed-in staff member.

Anonymous visitors are sent to the login page; sessions (kept on the server, rongrian.login) end
after STAFF_IDLE_MINUTES without a request; role checks (``require``) answer 403 and a case
outside the user's reach answers 404.
"""

from __future__ import annotations

from datetime import date
from functools import wraps

from flask import abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from admin import bp
from casework.dates import thaidate
from casework.general import access
from casework.models import Case
from rongrian import login
from rongrian.i18n import current_locale
from rongrian.tenancy import current_org

# Endpoints reachable before signing in (the login steps themselves).
OPEN_ENDPOINTS = frozenset({"admin.login", "admin.login_totp", "admin.enrol_totp"})


def end_session() -> None:
    logout_user()
    for key in list(session.keys()):
        if key != "_csrf_token":
            session.pop(key, None)


@bp.before_request
def _guard():
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        if login.session_id() is not None:  # a session that has ended
            end_session()
        if login.timed_out():
            flash(_("You were signed out after a period without activity."), "warning")
        return redirect(url_for("admin.login", next=request.path))
    current_org()  # (the page header names the organization)
    return None


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store, max-age=0"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def require(action: str):
    """Allow the view only to roles that may take ``action`` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not access.can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def case_or_404(case_id: int, action: str = "case.view") -> Case:
    """The case, if the user can reach it (404 otherwise) and may take ``action`` (403)."""
    case = access.visible_case(current_user, case_id)
    if case is None:
        abort(404)
    if not access.can(current_user, action, case):
        abort(403)
    return case


@bp.context_processor
def _staff_context():
    return {
        "staff_can": lambda action: access.can(current_user, action),
        "as_date": lambda text: date.fromisoformat(text) if text else None,
        "fiscal_year_label": lambda fy: thaidate.fiscal_year_label(fy, current_locale()),
        "month_label": lambda year, month: thaidate.format_month(year, month, current_locale()),
    }
