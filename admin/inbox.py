"""The inbox: filter by status, received via, category, department and due state; search text."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from admin import bp
from admin.forms import RECEIVED_VIA_LABELS
from admin.guard import require
from casework import organization
from casework.cases import lifecycle, sla
from casework.general import access, queries
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
        "categories": organization.categories(org.id),
        "departments": organization.departments(org.id),
    }


@bp.get("/inbox")
@require("inbox.view")
def inbox():
    org = current_org()
    filters = queries.Filters.from_args(request.args)
    listed = queries.case_page(
        access.visible_cases(current_user),
        org,
        filters,
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
    )
    return render_template(
        "admin/inbox.html",
        rows=listed.rows,
        assignees=listed.assignees,
        news=listed.news,
        page=listed.page,
        filters=filters,
        choices=filter_choices(org),
        due_labels=DUE_LABELS,
        can_export=access.can(current_user, "export.cases"),
        args={k: v for k, v in request.args.items() if k != "page"},
    )
