"""Per-client rate limits shared across channels: one budget for tracking-code lookups (web
form, API, follow-up forms alike) and one for new submissions."""

from __future__ import annotations

from flask import current_app

from casework.extensions import limiter

tracking_lookups = limiter.shared_limit(
    lambda: current_app.config["TRACK_RATE_LIMIT"], scope="tracking-lookup"
)
submissions = limiter.shared_limit(
    lambda: current_app.config["SUBMIT_RATE_LIMIT"], scope="submission"
)
