"""/cases: the public list and map of general complaints (casework.publishing.caselist), when
the organization publishes it. The map of the grid cells that have cases is a Leaflet map over
the configured tiles (rongrian.maps); without JavaScript it is an SVG of the same cells."""

from __future__ import annotations

from collections import Counter

from flask import abort, render_template, request

from casework.cases import lifecycle
from casework.dates import clock
from casework.publishing import caselist
from casework.publishing import stats as published_stats
from rongrian import maps
from rongrian.tenancy import current_org
from transparency import bp

PAGE_SIZE = 50
MAP_SIZE = 400


def _map(cases: list[caselist.PublicCase]) -> dict | None:
    """Grid cells with their number of cases, placed in a square SVG."""
    cells = Counter((c.lat, c.lng) for c in cases if c.lat is not None and c.lng is not None)
    if not cells:
        return None
    lats = [lat for lat, _ in cells]
    lngs = [lng for _, lng in cells]
    span = max(max(lats) - min(lats), max(lngs) - min(lngs)) or 0.01
    pad = span * 0.1
    scale = MAP_SIZE / (span + 2 * pad)
    return {
        "size": MAP_SIZE,
        "points": [
            {
                "x": round((lng - min(lngs) + pad) * scale, 1),
                "y": round((max(lats) - lat + pad) * scale, 1),
                "r": min(4 + 2 * n, 16),
                "n": n,
                "lat": lat,
                "lng": lng,
            }
            for (lat, lng), n in sorted(cells.items())
        ],
    }


@bp.get("/cases")
def public_cases():
    org = current_org()
    if not org.publish_case_list:
        abort(404)
    asked = request.args.get("fiscal_year")
    period = published_stats.period_asked(asked, None, clock.today())
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    total = caselist.count(org, period.fiscal_year)
    rows = caselist.public_cases(
        org, period.fiscal_year, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    area = _map(rows)
    if area:
        maps.use()
    return render_template(
        "transparency/cases.html",
        period=period,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        area=area,
        status_label=lambda code: lifecycle.status_label(caselist.CHANNEL, code),
        outcome_label=lambda code: lifecycle.outcome_label(caselist.CHANNEL, code),
        grid=org.public_grid_m,
    )
