"""Notification delivery for the system administrator: failures and stuck messages, retry.

Recipients are never shown (they are sealed); the admin sees template, case number, attempts
and the last error.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from admin.guard import require
from casework.notify import mailer, outbox
from rongrian.tenancy import current_org


@bp.get("/outbox")
@require("admin.outbox")
def outbox_status():
    org = current_org()
    return render_template(
        "admin/outbox.html",
        counts=outbox.status_counts(org.id),
        problems=outbox.problems(org.id),
        stuck_before=outbox.stuck_before(),
        mail_configured=mailer.configured(),
        status_label=outbox.status_label,
        describe=outbox.describe,
    )


@bp.post("/outbox/<int:message_id>/retry")
@require("admin.outbox")
def outbox_retry(message_id: int):
    if not outbox.retry(current_org().id, message_id, current_user.id):
        abort(404)
    flash(_("The message will be sent again."), "success")
    return redirect(url_for("admin.outbox_status"))
