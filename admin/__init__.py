"""Staff blueprint: triage, assignment, SLA board, reports, users and key custody.

Every route here needs a signed-in staff member (``admin.guard``); what each role may see and
do is decided in ``casework.general.access``.
"""

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin")

from admin import (  # noqa: E402,F401  (routes register on import)
    approvals,  # second-person approval of custodian, integrity and supervisor accounts
    audit_views,
    auth,
    board,
    case_photos,  # officers' "after" photos (a panel of the case page)
    case_views,
    dashboard,
    exports,
    guard,
    inbox,
    intake,
    notices,
    open311_keys,
    outbox_views,
    recurrence,
    settings,
    summaries,
    survey,
    tip_claims,  # custodians confirm receipts claimed for transferred complaints
    tip_custody,  # the corruption-tip channel's identity custodians' pages
    tip_labels,  # the lists officers keep: penalty kinds, kinds of retaliation
    tip_register,  # integrity officers register tips that came by letter, phone, visit, ...
    tip_watch,  # tips' stage deadlines, reports of retaliation, executives' figures
    tips,  # the corruption-tip channel's staff pages
    users,
)


def init_app(app: Flask, *, routes: bool) -> None:
    """Register the back office when this surface serves it; its commands (users, outbox, sla,
    audit) always, since operators run them on whichever host they are on."""
    from admin.cli import init_app as commands

    commands(app)
    if routes:
        app.register_blueprint(bp)
