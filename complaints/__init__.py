"""Public blueprint for general complaints (ร้องเรียน/ร้องทุกข์): the form, receipt and tracking."""

from flask import Blueprint, Flask

bp = Blueprint("complaints", __name__, url_prefix="/complaints")

from complaints import views  # noqa: E402,F401  (routes register on import)


def init_app(app: Flask, *, routes: bool) -> None:
    """Register the form and tracking pages and the complaint API when this surface serves them."""
    if not routes:
        return
    from casework.extensions import csrf
    from complaints.api import bp as api_bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)
