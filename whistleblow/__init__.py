"""Public blueprint for corruption tips (แจ้งเบาะแสการทุจริต), separate from general complaints."""

from flask import Blueprint

bp = Blueprint("whistleblow", __name__, url_prefix="/whistleblow")

from whistleblow import views  # noqa: E402,F401  (routes register on import)
