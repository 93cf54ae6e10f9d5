"""Staff blueprint: triage, assignment, SLA board, reports, users and key custody.

Every route here needs a signed-in staff member (``admin.guard``); what each role may see and
do is decided in ``casework.access``.
"""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from admin import (  # noqa: E402,F401  (routes register on import)
    audit_views,
    auth,
    board,
    case_views,
    dashboard,
    exports,
    guard,
    inbox,
    intake,
    notices,
    outbox_views,
    settings,
    tip_custody,  # the corruption-tip channel's identity custodians' pages
    tips,  # the corruption-tip channel's staff pages
    users,
)
