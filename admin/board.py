"""The SLA board (open cases by department, overdue first, with this fiscal year's figures per
department) and the working group's report for any fiscal year. Figures come from
``casework.general.reports`` over the cases the user may reach."""

from __future__ import annotations

from collections import defaultdict

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from admin import bp
from admin.forms import RECEIVED_VIA_LABELS
from admin.guard import require
from casework.cases import lifecycle, sla
from casework.dates import clock
from casework.extensions import db
from casework.general import access, queries, reports
from casework.models import Case, Department
from rongrian.tenancy import current_org

ORDER = {sla.OVERDUE: 0, sla.DUE_SOON: 1, sla.ON_TIME: 2, sla.PAUSED: 3, sla.DONE: 4}
OPEN_STATES = [s for s, st in lifecycle.COMPLAINT_STATES.items() if not st.final]


def _fiscal_year(visible) -> tuple[int, list[int]]:
    years = reports.fiscal_years(visible)
    asked = request.args.get("fy", "")
    fy = int(asked) if asked.isdigit() and int(asked) in years else reports.current_fiscal_year()
    return fy, years


@bp.get("/board")
@require("board.view")
def board():
    org = current_org()
    today = clock.today()
    cal = sla.work_calendar(org)
    visible = access.visible_cases(current_user)
    fy, years = _fiscal_year(visible)
    departments = {
        d.id: d for d in db.session.scalars(select(Department).filter_by(organization_id=org.id))
    }
    groups: dict[int | None, list] = defaultdict(list)
    open_cases = db.session.scalars(
        queries.most_urgent_first(visible.where(Case.status.in_(OPEN_STATES)), org)
    )
    for case in open_cases:
        due = sla.due_state(case, org, today, cal)
        groups[case.department_id].append((case, due))
    ordered = sorted(
        groups.items(),
        key=lambda kv: (
            -sum(due == sla.OVERDUE for _, due in kv[1]),
            -len(kv[1]),
            kv[0] is None,
            kv[0] or 0,
        ),
    )
    return render_template(
        "admin/board.html",
        report=reports.fiscal_report(visible, org, fy),
        years=years,
        groups=[(departments.get(k), rows) for k, rows in ordered],
        today=today,
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
