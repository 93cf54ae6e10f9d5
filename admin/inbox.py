"""The inbox: filter by status, received via, category, department and due state; search text."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from admin import bp
from admin.forms import RECEIVED_VIA_LABELS
from admin.guard import require
from casework.cases import lifecycle, sla
from casework.dates import clock
from casework.extensions import db
from casework.general import access, queries
from casework.models import Category, Department, User
from rongrian.tenancy import current_org

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
        "received_via": RECEIVED_VIA_LABELS,
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
    filters = queries.Filters.from_args(request.args)
    query = queries.most_urgent_first(
        queries.apply(access.visible_cases(current_user), filters, org), org
    )
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    cal = sla.work_calendar(org)
    today = clock.today()
    rows = [(case, sla.due_state(case, org, today, cal)) for case in page.items]
    assignee_ids = {case.assignee_id for case in page.items if case.assignee_id}
    assignees = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(assignee_ids)))}
    return render_template(
        "admin/inbox.html",
        rows=rows,
        assignees=assignees,
        page=page,
        filters=filters,
        choices=filter_choices(org),
        due_labels=DUE_LABELS,
        can_export=access.can(current_user, "export.cases"),
        args={k: v for k, v in request.args.items() if k != "page"},
    )
