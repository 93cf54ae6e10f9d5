"""The shared shell: home page linking both channels, language switch, health check."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, redirect, render_template, request

from casework.extensions import database_answers
from casework.publishing import manuals
from rongrian.i18n import COOKIE, LOCALES
from rongrian.security import no_store
from rongrian.tenancy import current_org

bp = Blueprint("site", __name__)


@bp.get("/")
def home():
    org = current_org()
    return render_template("home.html", org=org, frame=manuals.time_frame(org))


@bp.get("/lang/<code>")
def set_language(code: str):
    target = request.args.get("next", "/")
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = redirect(target)
    if code in LOCALES:
        response.set_cookie(
            COOKIE,
            code,
            max_age=365 * 86400,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    return response


@bp.get("/healthz")
@no_store
def healthz():
    """For load balancers: 200 while the database answers, 503 otherwise."""
    if not database_answers():
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
