"""The audit trail for the system administrator: recent entries and the chain's health."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import select

from admin import bp
from admin.guard import require
from casework import audit
from casework.extensions import db
from casework.models import AuditEntry, User
from casework.tenancy import current_org

PER_PAGE = 100


@bp.get("/audit")
@require("admin.audit")
def audit_log():
    org = current_org()
    query = select(AuditEntry).where(AuditEntry.organization_id == org.id)
    action = (request.args.get("action") or "").strip()[:48]
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    page = db.paginate(query.order_by(AuditEntry.seq.desc()), per_page=PER_PAGE, error_out=False)
    users = {u.id: u for u in db.session.scalars(select(User).filter_by(organization_id=org.id))}
    verdict = audit.verify(org.id) if request.args.get("verify") == "1" else None
    return render_template(
        "admin/audit.html", page=page, users=users, verdict=verdict, action=action
    )
