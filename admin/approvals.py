"""The approvals page: changes to custodian, integrity and supervisor accounts that the system
administrator asked for, waiting for a second person (casework.staff.changes decides who)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from admin import bp
from admin.guard import require
from casework.models import AccountChange
from casework.staff import accounts, changes, roles
from rongrian.i18n import localized

LABELS = {
    "email": _l("Email"),
    "name": _l("Name"),
    "role": _l("Role"),
    "department_id": _l("Department"),
    "active": _l("Account is active"),
    "password": _l("Password"),
}


def _show(field: str, value) -> str:
    """One value of an account as the approver reads it."""
    if field == "role":
        return str(roles.ROLES.get(value, value or "—"))
    if field == "active":
        return _("Yes") if value else _("No")
    if field == "department_id":
        return localized(value) if value is not None else "—"
    return value or "—"


def _change_or_404(change_id: int) -> AccountChange:
    change = changes.change_for(current_user, change_id)
    if change is None:
        abort(404)
    return change


def _decide(decision, done: str):
    try:
        decision()
        flash(done, "success")
    except accounts.StaffError as error:
        for message in error.fields.values():
            flash(message, "error")
    return redirect(url_for("admin.approvals"))


@bp.get("/approvals")
@require("accounts.approvals")
def approvals():
    return render_template(
        "admin/approvals.html",
        items=changes.listing(current_user),
        actions=changes.ACTIONS,
        statuses=changes.STATUSES,
        roles=roles.ROLES,
        labels=LABELS,
        show=_show,
    )


@bp.post("/approvals/<int:change_id>/approve")
@require("accounts.approvals")
def approval_approve(change_id: int):
    change = _change_or_404(change_id)
    return _decide(
        lambda: changes.approve(change, current_user), _("The change was approved and applied.")
    )


@bp.post("/approvals/<int:change_id>/refuse")
@require("accounts.approvals")
def approval_refuse(change_id: int):
    change = _change_or_404(change_id)
    reason = request.form.get("reason", "")
    return _decide(
        lambda: changes.refuse(change, current_user, reason), _("The change was refused.")
    )


@bp.post("/approvals/<int:change_id>/withdraw")
@require("accounts.approvals")
def approval_withdraw(change_id: int):
    change = _change_or_404(change_id)
    return _decide(lambda: changes.withdraw(change, current_user), _("The request was withdrawn."))
