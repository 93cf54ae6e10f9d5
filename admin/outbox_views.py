"""Notification delivery for the system administrator: failures and stuck messages, retry.

Recipients are never shown (they are sealed); the admin sees template, case number, attempts
and the last error.
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from admin import bp
from admin.guard import require
from casework import audit
from casework.dates import clock
from casework.extensions import db
from casework.models import OutboxMessage
from casework.notify import mailer, outbox
from rongrian.tenancy import current_org

STUCK_AFTER = timedelta(minutes=15)


@bp.get("/outbox")
@require("admin.outbox")
def outbox_status():
    org = current_org()
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.organization_id == org.id)
            .group_by(OutboxMessage.status)
        ).all()
    )
    problems = db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.organization_id == org.id,
            (OutboxMessage.status == outbox.FAILED)
            | (OutboxMessage.status == outbox.SENDING)
            | ((OutboxMessage.status == outbox.PENDING) & (OutboxMessage.attempts > 0)),
        )
        .order_by(OutboxMessage.id.desc())
        .limit(200)
    ).all()
    return render_template(
        "admin/outbox.html",
        counts=counts,
        problems=problems,
        stuck_before=clock.utcnow() - STUCK_AFTER,
        mail_configured=mailer.configured(),
    )


@bp.post("/outbox/<int:message_id>/retry")
@require("admin.outbox")
def outbox_retry(message_id: int):
    row = db.session.get(OutboxMessage, message_id)
    if row is None or row.organization_id != current_org().id or row.status == outbox.SENT:
        abort(404)
    outbox.requeue(row)
    audit.record(row.organization_id, "outbox.retry", actor_id=current_user.id, target=str(row.id))
    db.session.commit()
    flash(_("The message will be sent again."), "success")
    return redirect(url_for("admin.outbox_status"))
