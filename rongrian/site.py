"""The shared shell: home page linking both channels, language switch, health check."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from casework import organization
from casework.extensions import csrf, database_answers
from casework.publishing import manuals
from rongrian.i18n import keep
from rongrian.security import no_store
from rongrian.tenancy import current_org

bp = Blueprint("site", __name__)


@bp.get("/")
def home():
    org = current_org()
    return render_template("home.html", org=org, frame=manuals.time_frame(org))


@bp.route("/lang/<code>", methods=["GET", "POST"])
@csrf.exempt  # choosing a language changes nothing; cross-site POSTs are refused anyway
def set_language(code: str):
    """Switch language and go back. A page reached by a POST has no address to go back to:
    its switch posts ``next`` (its path), and the nearest page above it that answers a GET is
    shown (``/complaints/track/info`` → ``/complaints/track``)."""
    target = request.values.get("next", "/")
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        target = "/"
    return keep(redirect(answers_get(parsed.path if target != "/" else "/")), code)


def answers_get(path: str) -> str:
    adapter = current_app.url_map.bind("localhost")
    while path not in ("", "/"):
        try:
            adapter.match(path, method="GET")
            return path
        except RequestRedirect as moved:
            return urlparse(moved.new_url).path
        except HTTPException:
            path = path.rstrip("/").rsplit("/", 1)[0] or "/"
    return "/"


@bp.get("/favicon.ico")
def favicon():
    """For the requests browsers make on their own (a PDF, a JSON answer): the page icon."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.get("/seal.png")
def seal():
    """The organization's seal (set in the back office's settings), for pages and letters."""
    png = organization.seal_png(current_org())
    if png is None:
        abort(404)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400"  # its address names its version
    return response


@bp.get("/healthz")
@no_store
def healthz():
    """For load balancers: 200 while the database answers, 503 otherwise."""
    if not database_answers():
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
