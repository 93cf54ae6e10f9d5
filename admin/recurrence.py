"""Recurring problems, for the complaint working group and the executive: the top categories,
units and places of a period against the period before, and the places that keep coming back
(casework.general.recurrence)."""

from __future__ import annotations

from flask import render_template, request

from admin import bp
from admin.guard import require
from casework.dates import clock, periods
from casework.general import recurrence
from casework.publishing import stats as published_stats
from rongrian.i18n import current_locale
from rongrian.tenancy import current_org


@bp.get("/recurrence")
@require("recurrence.view")
def recurrence_view():
    today = clock.today()
    period = published_stats.period_asked(
        request.args.get("fiscal_year"), request.args.get("period"), today
    )
    found = recurrence.analyse(current_org(), period, today)
    return render_template(
        "admin/recurrence.html",
        analysis=found,
        label=lambda p: p.label(current_locale()),
        years=published_stats.recent_years(today),
        periods=[
            (code, periods.period(period.fiscal_year, code).label(current_locale()))
            for code in ("year", "h1", "h2", "q1", "q2", "q3", "q4")
        ],
    )
