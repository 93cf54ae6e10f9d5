"""The inbox: filter by status, channel, category, department and due state; search text."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from admin import bp
from admin.forms import CHANNEL_LABELS
from admin.guard import require
from casework import access, casequery, clock, lifecycle, sla
from casework.extensions import db
from casework.models import Case, Category, Department
from casework.tenancy import current_org

PER_PAGE = 50
DUE_LABELS = {
    sla.OVERDUE: _l("Overdue"),
    sla.DUE_SOON: _l("Due soon"),
    sla.ON_TIME: _l("On time"),
    sla.PAUSED: _l("Paused (waiting for the citizen)"),
    sla.DONE: _l("Completed"),
}


def filter_choices(org):
    return {
        "statuses": list(lifecycle.COMPLAINT_STATES.values()),
        "channels": CHANNEL_LABELS,
        "categories": db.session.scalars(
            select(Category)
            .filter_by(organization_id=org.id, channel="complaint")
            .order_by(Category.sort_order, Category.id)
        ).all(),
        "departments": db.session.scalars(
            select(Department).filter_by(organization_id=org.id).order_by(Department.id)
        ).all(),
    }


@bp.get("/inbox")
@require("inbox.view")
def inbox():
    org = current_org()
    filters = casequery.Filters.from_args(request.args)
    query = casequery.apply(access.visible_cases(current_user), filters, org).order_by(
        Case.completed_at.is_not(None), Case.due_date, Case.id
    )
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    cal = sla.work_calendar(org)
    today = clock.today()
    rows = [(case, sla.due_state(case, org, today, cal)) for case in page.items]
    return render_template(
        "admin/inbox.html",
        rows=rows,
        page=page,
        filters=filters,
        choices=filter_choices(org),
        due_labels=DUE_LABELS,
        can_export=access.can(current_user, "export.cases"),
        args={k: v for k, v in request.args.items() if k != "page"},
    )
