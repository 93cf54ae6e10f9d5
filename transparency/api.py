"""GET /api/v1/stats: the published figures as JSON, keyed by channel (``complaint``, ``tip``).
Documented in rongrian.openapi."""

from __future__ import annotations

from flask import Blueprint, jsonify

from casework.publishing import stats as published_stats
from transparency import published

bp = Blueprint("transparency_api", __name__, url_prefix="/api/v1")


@bp.get("/stats")
def stats():
    response = jsonify(published_stats.as_dict(published.asked()))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
