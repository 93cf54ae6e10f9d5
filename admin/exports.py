"""CSV and XLSX exports of the (filtered) case list; identity only for roles allowed, audited."""

from __future__ import annotations

from flask import Response, abort, request
from flask_login import current_user

from admin import bp
from admin.guard import require
from casework import audit
from casework.dates import clock
from casework.extensions import db
from casework.general import access, exports, queries
from casework.models import Case
from rongrian.tenancy import current_org

TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _filters_used(filters: queries.Filters) -> dict:
    """The filters as the audit trail keeps them: a search text may name a complainant, so
    only the fact that there was one is kept."""
    used = {k: v for k, v in vars(filters).items() if v and k != "q"}
    if filters.q:
        used["search"] = True
    return used


@bp.get("/exports/cases.<fmt>")
@require("export.cases")
def export_cases(fmt: str):
    if fmt not in TYPES:
        abort(404)
    org = current_org()
    want_identity = request.args.get("identity") == "1"
    if want_identity and not access.can(current_user, "export.identity"):
        abort(403)
    filters = queries.Filters.from_args(request.args)
    query = queries.apply(access.visible_cases(current_user), filters, org).order_by(Case.id)
    cases = db.session.scalars(query).all()
    body = (exports.to_csv if fmt == "csv" else exports.to_xlsx)(cases, want_identity)
    audit.record(
        org.id,
        "export.identity" if want_identity else "export.cases",
        actor_id=current_user.id,
        target=fmt,
        data={"rows": len(cases), "identity": want_identity, "filters": _filters_used(filters)},
    )
    db.session.commit()
    name = f"cases-{clock.today().isoformat()}.{fmt}"
    return Response(
        body,
        mimetype=TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
