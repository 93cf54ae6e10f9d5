"""The tip pages set no cookie and read none of the site's.

A session cookie would be a handle on the tipster: the same browser's complaint pages, or a
staff member's signed-in back-office session, would travel with every tip request. So on the
tip pages and API (``casework.tipline.PUBLIC_PATHS``) the session is always empty and never
saved: no ``Set-Cookie``, and a signed-in officer is nobody there.

Without a session there is no CSRF token either; and without a cookie there is nothing for a
forged cross-site request to borrow (the receipt is typed, never remembered). Cross-site POSTs
are still refused, here as on every route, by ``rongrian.security.refuse_cross_site``: the
browser's own ``Sec-Fetch-Site`` header, or ``Origin`` where that is missing.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface

from casework.tipline import is_public_path


class TipPagesSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request):
        if is_public_path(request.path):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        if is_public_path(request.path):
            return None
        return super().save_session(app, session, response)


def install(state) -> None:
    """Blueprint hook: the app's sessions skip the tip pages."""
    app = state.app
    if type(app.session_interface) is SecureCookieSessionInterface:
        app.session_interface = TipPagesSessionInterface()
    elif not isinstance(app.session_interface, TipPagesSessionInterface):
        raise RuntimeError("the tip pages need TipPagesSessionInterface; merge it into yours")


def referrer_policy() -> dict:
    """Templates on the tip paths (error pages too) say no-referrer in their meta tag as well:
    a page's meta tag would otherwise override the header."""
    if has_request_context() and is_public_path(request.path):
        return {"referrer_policy": "no-referrer"}
    return {}
