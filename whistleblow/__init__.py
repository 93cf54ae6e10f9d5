"""Public blueprint for corruption tips (แจ้งเบาะแสการทุจริต), separate from general complaints.

The tip pages set no cookie (whistleblow.nocookie): no session, so no CSRF token; cross-site
POSTs are refused by origin instead, as on every route (rongrian.security.refuse_cross_site)."""

from flask import Blueprint, Flask

from casework.extensions import csrf
from rongrian.i18n import carry_language
from whistleblow import nocookie

bp = Blueprint("whistleblow", __name__, url_prefix="/whistleblow")
bp.record_once(nocookie.install)
bp.url_defaults(carry_language)  # a language chosen here travels in the links, not a cookie
bp.app_context_processor(nocookie.referrer_policy)
csrf.exempt(bp)

from whistleblow import views  # noqa: E402,F401  (routes register on import)


def init_app(app: Flask, *, routes: bool) -> None:
    """Register the tip pages and the tip API when this surface serves them; the ``receipts``
    command (checking a proof of submission) always."""
    from whistleblow.cli import receipts_cli

    app.cli.add_command(receipts_cli)
    if not routes:
        return
    from whistleblow.api import bp as api_bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)
