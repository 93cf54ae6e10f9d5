"""User management for the system administrator (no case contents here)."""

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
from casework.staff import accounts, roles
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
    return render_template("admin/users.html", users=rows, now=clock.utcnow(), roles=roles.ROLES)


@bp.route("/users/new", methods=["GET", "POST"])
@require("admin.users")
def user_new():
    org = current_org()
    form = UserForm()
    form.department.choices = _departments(org)
    if form.validate_on_submit():
        try:
            accounts.create(
                org.id,
                form.email.data,
                form.role.data,
                password=form.password.data or "",
                department_id=chosen_id(form.department.data),
                name=form.name.data or "",
                actor_id=current_user.id,
            )
        except accounts.StaffError as error:
            attach_errors(form, error)
        else:
            flash(_("The account was created."), "success")
            return redirect(url_for("admin.users"))
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
            accounts.update(
                user,
                email=form.email.data,
                name=form.name.data or "",
                role=form.role.data,
                department_id=chosen_id(form.department.data),
                active=form.active.data,
                password=form.password.data or "",
                actor_id=current_user.id,
            )
        except accounts.StaffError as error:
            attach_errors(form, error)
        else:
            flash(_("The account was saved."), "success")
            return redirect(url_for("admin.users"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.post("/users/<int:user_id>/reset-2fa")
@require("admin.users")
def user_reset_totp(user_id: int):
    accounts.reset_totp(_user(user_id), current_user.id)
    flash(_("Two-factor authentication was reset; the user sets it up at the next sign-in."))
    return redirect(url_for("admin.user_edit", user_id=user_id))


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
