"""User management for the system administrator (no case contents here). Changes to custodian,
integrity and supervisor accounts wait for a second person (casework.staff.changes; the
approvals page is admin.approvals)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from admin.forms import UserForm, options
from admin.guard import require
from casework import organization
from casework.dates import clock
from casework.models import User
from casework.staff import accounts, changes, roles
from rongrian.formkit import attach_errors, chosen_id
from rongrian.i18n import localized
from rongrian.tenancy import current_org


def _departments(org):
    rows = organization.departments(org.id)
    return options([("", _("— none —"))] + [(str(d.id), localized(d)) for d in rows])


def _user(user_id: int) -> User:
    user = accounts.get(current_org().id, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users")
@require("admin.users")
def users():
    org = current_org()
    rows = accounts.listing(org.id)
    return render_template(
        "admin/users.html",
        users=rows,
        now=clock.utcnow(),
        roles=roles.ROLES,
        waiting=changes.pending_targets(org.id),
    )


def _saved(change, done: str):
    """Back to the users page, saying whether the change applied or waits for approval."""
    if change is None:
        flash(done, "success")
    else:
        flash(
            _(
                "A second person must approve this change (a custodian for custodian "
                "accounts; a supervisor or a custodian otherwise). It waits under Approvals."
            ),
            "warning",
        )
    return redirect(url_for("admin.users"))


@bp.route("/users/new", methods=["GET", "POST"])
@require("admin.users")
def user_new():
    org = current_org()
    form = UserForm()
    form.department.choices = _departments(org)
    if form.validate_on_submit():
        try:
            change = changes.create(
                org.id,
                current_user,
                form.email.data,
                form.role.data,
                password=form.password.data or "",
                department_id=chosen_id(form.department.data),
                name=form.name.data or "",
            )
        except accounts.StaffError as error:
            attach_errors(form, error)
        else:
            return _saved(change, _("The account was created."))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require("admin.users")
def user_edit(user_id: int):
    org = current_org()
    user = _user(user_id)
    form = UserForm(obj=None if request.method == "POST" else user)
    form.department.choices = _departments(org)
    if request.method == "GET":
        form.department.data = str(user.department_id or "")
    if form.validate_on_submit():
        try:
            change = changes.update(
                user,
                current_user,
                email=form.email.data,
                name=form.name.data or "",
                role=form.role.data,
                department_id=chosen_id(form.department.data),
                active=form.active.data,
                password=form.password.data or "",
            )
        except accounts.StaffError as error:
            attach_errors(form, error)
        else:
            return _saved(change, _("The account was saved."))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        guarded=user.role in changes.GUARDED,
        waiting=user.id in changes.pending_targets(org.id),
    ), status


@bp.post("/users/<int:user_id>/reset-2fa")
@require("admin.users")
def user_reset_totp(user_id: int):
    try:
        change = changes.reset_totp(_user(user_id), current_user)
    except accounts.StaffError as error:
        for message in error.fields.values():
            flash(message, "error")
        return redirect(url_for("admin.user_edit", user_id=user_id))
    return _saved(
        change, _("Two-factor authentication was reset; the user sets it up at the next sign-in.")
    )


@bp.post("/users/<int:user_id>/sign-out")
@require("admin.users")
def user_sign_out(user_id: int):
    accounts.sign_out_everywhere(_user(user_id), current_user.id)
    flash(_("The user was signed out on every device."), "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))


@bp.post("/users/<int:user_id>/unlock")
@require("admin.users")
def user_unlock(user_id: int):
    accounts.unlock(_user(user_id), current_user.id)
    flash(_("The account was unlocked."), "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))
