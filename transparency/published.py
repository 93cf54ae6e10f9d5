"""The published figures a request asks for, from a short per-process cache: /stats, its API
and the open-data files are read far more often than the figures change, and each answer says
the date it stands on."""

from __future__ import annotations

import time

from flask import current_app, request

from casework.dates import clock
from casework.publishing import stats as published_stats
from rongrian.tenancy import current_org

_cache: dict[tuple, tuple[float, published_stats.Stats]] = {}


def asked() -> published_stats.Stats:
    """The figures of ``?fiscal_year=&period=`` (FieldErrors for a bad value)."""
    today = clock.today()
    period = published_stats.period_asked(
        request.args.get("fiscal_year"), request.args.get("period"), today
    )
    return figures_of(period, today)


def figures_of(period, today) -> published_stats.Stats:
    config = current_app.config
    org = current_org()
    k, min_sample = config["PUBLISH_K"], config["PUBLISH_MIN_SAMPLE"]
    ttl = config["STATS_CACHE_SECONDS"]
    # One app's figures are never another's (tests build many apps in one process).
    app = (id(current_app._get_current_object()), config["SQLALCHEMY_DATABASE_URI"])
    key = (app, org.id, period, today, k, min_sample)
    now = time.monotonic()
    hit = _cache.get(key) if ttl > 0 else None
    if hit and hit[0] > now:
        return hit[1]
    found = published_stats.published(org, period, today, k=k, min_sample=min_sample)
    if ttl > 0:
        if len(_cache) > 512:  # periods are few; a full cache is simply emptied
            _cache.clear()
        _cache[key] = (now + ttl, found)
    return found
