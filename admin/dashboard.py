"""The back office's landing page: what needs attention, for each role."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from admin import bp
from casework.general import access, queries
from rongrian.tenancy import current_org


@bp.get("/")
def index():
    org = current_org()
    counts = {}
    if access.can(current_user, "inbox.view"):
        counts = queries.attention(access.visible_cases(current_user), org)
    return render_template("admin/index.html", counts=counts, can=access.can, user=current_user)
