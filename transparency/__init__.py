"""Public surface for what the organization publishes: the statistics both channels' figures
(ITA), the two handling manuals, open data and the statistics API. HTTP only: the figures and
the rules live in ``casework.publishing``."""

from flask import Blueprint, Flask

bp = Blueprint("transparency", __name__)

from transparency import caselist, opendata, views  # noqa: E402,F401  (routes register on import)


def init_app(app: Flask, *, routes: bool) -> None:
    """Register the published pages and the statistics API when this surface serves them."""
    if not routes:
        return
    from casework.extensions import csrf
    from transparency.api import bp as api_bp
    from transparency.open311 import bp as open311_bp

    app.register_blueprint(bp)
    for api in (api_bp, open311_bp):
        app.register_blueprint(api)
        csrf.exempt(api)
