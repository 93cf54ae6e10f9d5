"""Open311 api_keys: the system administrator issues one per client app (shown once) and
revokes it. Audited in casework.publishing.open311."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from admin.guard import require
from casework.cases.errors import FieldErrors
from casework.publishing import open311
from rongrian.tenancy import current_org


@bp.route("/open311", methods=["GET", "POST"])
@require("admin.settings")
def open311_keys():
    org = current_org()
    issued, error, status = None, None, 200
    if request.method == "POST":
        try:
            row, key = open311.issue_key(org, request.form.get("name", ""), current_user)
        except FieldErrors as refused:
            error, status = refused.fields.get("name"), 400
        else:
            issued = (row, key)
    return (
        render_template(
            "admin/open311_keys.html",
            rows=open311.keys(org),
            issued=issued,
            error=error,
            name=request.form.get("name", ""),
        ),
        status,
    )


@bp.post("/open311/<int:open311_key_id>/revoke")
@require("admin.settings")
def open311_key_revoke(open311_key_id: int):
    if not open311.revoke_key(current_org(), open311_key_id, current_user):
        abort(404)
    flash(_("The key no longer works."), "success")
    return redirect(url_for("admin.open311_keys"))
