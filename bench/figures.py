"""How long one fiscal year's published figures take to compute, straight from the domain (no
HTTP): counted from the cases (casework.cases.figures, as /stats did before the rollup) and read
from the rollup (casework.cases.rollup, what /stats does now), and whether the two are equal.
Prints JSON; the median of ``BENCH_FIGURE_RUNS`` (default 5) runs of each.

    python bench/figures.py FISCAL_YEAR   (DATABASE_URL as for the app)
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time


def main(fiscal_year: int) -> dict:
    from casework.cases import figures, rollup
    from casework.dates import clock, periods
    from casework.extensions import db
    from casework.models import Case
    from rongrian import create_app
    from rongrian.tenancy import current_org

    runs = int(os.environ.get("BENCH_FIGURE_RUNS", "5"))
    app = create_app(surface="public")
    with app.test_request_context():
        org, today = current_org(), clock.today()
        period = periods.period(fiscal_year, periods.YEAR)
        start, end = period.utc_bounds()
        cases = db.session.query(Case).filter(
            Case.organization_id == org.id, Case.received_at >= start, Case.received_at < end
        )

        def timed(call) -> float:
            times = []
            for _ in range(runs):
                begun = time.perf_counter()
                call()
                times.append(time.perf_counter() - begun)
                db.session.rollback()
            return round(statistics.median(times) * 1000, 1)

        live = figures.period_figures(org.id, start, end, today)
        kept = rollup.period_figures(org.id, period.first, period.last, today)
        return {
            "fiscal_year": fiscal_year,
            "rollup_equals_live_count": live == kept,
            "cases_in_year": cases.count(),
            "rollup_rows": db.session.scalar(
                db.select(db.func.count()).select_from(rollup.R).filter_by(organization_id=org.id)
            ),
            "live_ms": timed(lambda: figures.period_figures(org.id, start, end, today)),
            "rollup_ms": timed(
                lambda: rollup.period_figures(org.id, period.first, period.last, today)
            ),
        }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
