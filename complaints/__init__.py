"""Public blueprint for general complaints (ร้องเรียน/ร้องทุกข์): the form, receipt and tracking."""

from flask import Blueprint

bp = Blueprint("complaints", __name__, url_prefix="/complaints")

from complaints import views  # noqa: E402,F401  (routes register on import)
