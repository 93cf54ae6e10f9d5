"""Per-client rate limits, one budget per channel: complaints and tips never share one (a
flood of complaint lookups must not lock a tipster out, nor the other way round). Within a
channel, the web pages, the API and the follow-up forms share it. The client is the address
the trusted proxies vouch for (TRUSTED_PROXIES), an IPv6 client its /64
(casework.extensions.client_key)."""

from __future__ import annotations

from flask import current_app

from casework.extensions import limiter


def _budget(setting: str, scope: str):
    return limiter.shared_limit(lambda: current_app.config[setting], scope=scope)


complaint_lookups = _budget("TRACK_RATE_LIMIT", "complaint-lookup")
complaint_submissions = _budget("SUBMIT_RATE_LIMIT", "complaint-submission")
tip_lookups = _budget("TRACK_RATE_LIMIT", "tip-lookup")
tip_submissions = _budget("SUBMIT_RATE_LIMIT", "tip-submission")
# Open311 clients file for many people from one server; a key's holder gets its own budget.
open311_submissions = _budget("OPEN311_RATE_LIMIT", "open311-submission")
