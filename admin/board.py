"""The SLA board (open cases by department, overdue first, with this fiscal year's figures per
department) and the working group's report for any fiscal year. Figures come from
``casework.general.reports`` over the cases the user may reach."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from admin import bp
from admin.forms import RECEIVED_VIA_LABELS
from admin.guard import require
from casework.cases import values
from casework.dates import clock
from casework.general import access, reports
from rongrian.tenancy import current_org


def _fiscal_year(visible) -> tuple[int, list[int]]:
    years = reports.fiscal_years(visible)
    asked = values.record_id(request.args.get("fy", ""))
    fy = asked if asked in years else reports.current_fiscal_year()
    return fy, years


@bp.get("/board")
@require("board.view")
def board():
    org = current_org()
    visible = access.visible_cases(current_user)
    fy, years = _fiscal_year(visible)
    return render_template(
        "admin/board.html",
        report=reports.fiscal_report(visible, org, fy),
        years=years,
        groups=reports.open_by_department(visible, org),
        today=clock.today(),
    )


@bp.get("/reports")
@require("reports.view")
def report():
    """The working group's report for one fiscal year: by month, unit, category and received via."""
    org = current_org()
    visible = access.visible_cases(current_user)
    fy, years = _fiscal_year(visible)
    return render_template(
        "admin/reports.html",
        report=reports.fiscal_report(visible, org, fy),
        years=years,
        received_via_labels=RECEIVED_VIA_LABELS,
        target=reports.TARGET_PCT,
    )
