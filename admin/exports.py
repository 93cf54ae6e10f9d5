"""CSV and XLSX exports of the (filtered) case list; identity only for roles allowed, audited."""

from __future__ import annotations

from flask import Response, abort, request
from flask_login import current_user

from admin import bp
from admin.guard import require
from casework.dates import clock
from casework.general import access, exports, queries
from rongrian.tenancy import current_org

TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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
    body = exports.export(current_user, org, filters, fmt, with_identity=want_identity)
    name = exports.file_name(clock.today(), fmt, with_identity=want_identity)
    return Response(
        body,
        mimetype=TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
