"""HTTP hardening shared by every surface: headers, no-store pages, cookie flags."""

from __future__ import annotations

from functools import wraps

from flask import Flask, Response, request

from casework import tipline

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
NO_STORE = "no-store, max-age=0"


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


def _headers(response: Response) -> Response:
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if tipline.is_public_path(request.path):
        h["Referrer-Policy"] = "no-referrer"
        h["Cache-Control"] = NO_STORE
        h["Pragma"] = "no-cache"
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    elif request.method == "POST" or "Set-Cookie" in h:
        h.setdefault("Cache-Control", NO_STORE)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_headers)
