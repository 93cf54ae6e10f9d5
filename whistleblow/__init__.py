"""Public blueprint for corruption tips (แจ้งเบาะแสการทุจริต), separate from general complaints.

The tip pages set no cookie (whistleblow.nocookie): no session, so no CSRF token; cross-site
POSTs are refused by origin instead."""

from flask import Blueprint

from casework.extensions import csrf
from whistleblow import nocookie

bp = Blueprint("whistleblow", __name__, url_prefix="/whistleblow")
bp.record_once(nocookie.install)
bp.before_request(nocookie.same_origin_posts)
bp.app_context_processor(nocookie.referrer_policy)
csrf.exempt(bp)

from whistleblow import views  # noqa: E402,F401  (routes register on import)
