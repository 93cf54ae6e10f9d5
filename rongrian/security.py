"""HTTP hardening shared by every surface: headers (HSTS over HTTPS), no-store pages, and the
refusal of requests another website's page made the browser send."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request
from flask_babel import gettext as _

from casework import tipline
from rongrian import maps
from rongrian.errors import api_error, wants_json

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src {images}; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
#: The policy of every page without a map: images from our own site (and data: URIs) only.
CSP = POLICY.format(images="'self' data:")
NO_STORE = "no-store, max-age=0"
HSTS = "max-age=31536000; includeSubDomains"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def no_store(view):
    """Mark a view's responses as never to be cached (receipts, tracking, anything with codes)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        from flask import make_response

        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = NO_STORE
        response.headers["Pragma"] = "no-cache"
        return response

    return wrapper


def foreign_header() -> str | None:
    """The header showing that another website's page made the browser send this request, or
    None when it came from our own pages, was typed, or came from a server-side client.

    ``Sec-Fetch-Site``, which current browsers always send, decides when present: ``cross-site``
    is refused everywhere, ``same-site`` (a sibling host under the same domain) on the tip
    channel; ``same-origin`` and ``none`` (typed, bookmarked) pass. ``Origin`` is not weighed
    then: our own tip pages' forms send ``Origin: null`` (their Referrer-Policy is no-referrer).
    Without it (an old browser), ``Origin`` decides: a foreign host, or ``null`` (a sandboxed
    frame, a ``data:`` page), is refused. Server-side clients send neither and pass."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        allowed = ("same-origin", "none")
        if not tipline.is_public_path(request.path):
            allowed += ("same-site",)
        return None if site in allowed else "Sec-Fetch-Site"
    origin = request.headers.get("Origin")
    if origin is None:
        return None
    if origin == "null" or urlsplit(origin).netloc.lower() != request.host.lower():
        return "Origin"
    return None


def refuse_cross_site():
    """Before every request: refuse a state-changing one that another website's page made the
    browser send (403; JSON ``{error, fields}`` on the API, naming the header). It runs before
    the rate limits, so a hostile page spends none of its visitor's budget."""
    if request.method in SAFE_METHODS:
        return None
    header = foreign_header()
    if header is None:
        return None
    if wants_json():
        return api_error(
            403,
            _("Requests sent from another website's page are not accepted."),
            {header: _("This request came from another website.")},
        )
    abort(403)


#: The largest request header field (name, ": " and value) the app answers: gunicorn's own
#: default limit. gunicorn.conf.py lets larger fields through (up to its
#: limit_request_field_size) so that the app refuses them here, in JSON on the API; only a
#: field beyond gunicorn's limit still gets gunicorn's plain-text 431.
MAX_HEADER_FIELD = 8190


def refuse_large_headers():
    """Before every request: a header field over MAX_HEADER_FIELD is 431 (JSON ``{error,
    fields}`` on the API, naming the header)."""
    for name, value in request.headers.items():
        if len(name) + 2 + len(value) > MAX_HEADER_FIELD:
            if wants_json():
                return api_error(
                    431,
                    _("A request header is too large."),
                    {name: _("At most %(n)d bytes.", n=MAX_HEADER_FIELD)},
                )
            abort(431)
    return None


def _headers(response: Response) -> Response:
    h = response.headers
    # Images from our own site only, plus the tile server on a page with a map (rongrian.maps).
    h.setdefault("Content-Security-Policy", POLICY.format(images=maps.image_sources()))
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:  # behind nginx, ProxyFix (TRUSTED_PROXIES) makes this right
        h.setdefault("Strict-Transport-Security", HSTS)
    if tipline.is_public_path(request.path):
        h["Referrer-Policy"] = "no-referrer"
        h["Cache-Control"] = NO_STORE
        h["Pragma"] = "no-cache"
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    elif request.method == "POST" or "Set-Cookie" in h:
        h.setdefault("Cache-Control", NO_STORE)
    return response


def init_app(app: Flask) -> None:
    app.before_request(refuse_large_headers)
    app.before_request(refuse_cross_site)
    app.after_request(_headers)
