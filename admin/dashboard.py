"""The back office's landing page: what needs attention, for each role."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import func, select

from admin import bp
from casework.cases import sla
from casework.extensions import db
from casework.general import access, queries
from rongrian.tenancy import current_org


@bp.get("/")
def index():
    org = current_org()
    counts = {}
    if access.can(current_user, "inbox.view"):
        base = access.visible_cases(current_user)
        for due in (sla.OVERDUE, sla.DUE_SOON, sla.PAUSED):
            query = queries.apply(base, queries.Filters(due=due), org)
            counts[due] = db.session.scalar(select(func.count()).select_from(query.subquery()))
        counts["new"] = db.session.scalar(
            select(func.count()).select_from(
                queries.apply(base, queries.Filters(status="received"), org).subquery()
            )
        )
    return render_template("admin/index.html", counts=counts, can=access.can, user=current_user)
