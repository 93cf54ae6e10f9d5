"""Organization settings for the system administrator: SLA mode and warning days, letter
prefix, departments, categories (days to resolve) and declared holidays. The rules, and the
audit entry each change gets, live in casework.organization."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from admin.forms import (
    CategoryForm,
    ContactSettingsForm,
    DepartmentForm,
    HolidayForm,
    SealForm,
    SlaSettingsForm,
    options,
)
from admin.guard import require
from casework import organization
from casework.cases.errors import FieldErrors
from casework.dates import clock
from casework.notify import line
from rongrian.formkit import attach_errors, chosen_id
from rongrian.i18n import localized
from rongrian.tenancy import current_org

SEAL_READ = organization.SEAL_MAX_BYTES + 1  # one byte more: too large is told, not cut


def _found(row):
    if row is None:
        abort(404)
    return row


def _status() -> int:
    return 400 if request.method == "POST" else 200


@bp.route("/settings", methods=["GET", "POST"])
@require("admin.settings")
def settings():
    org = current_org()
    form = SlaSettingsForm(obj=org)
    if form.validate_on_submit():
        organization.save_settings(org, form.data, current_user.id)
        flash(
            _("Settings saved. New deadlines use them; existing deadlines stay as they were."),
            "success",
        )
        return redirect(url_for("admin.settings"))
    return _settings_page(org, form, SealForm(formdata=None), _status())


def _settings_page(org, form, seal_form, status):
    return (
        render_template(
            "admin/settings.html",
            form=form,
            seal_form=seal_form,
            org=org,
            line_on=line.configured(),
        ),
        status,
    )


@bp.post("/settings/seal")
@require("admin.settings")
def seal_settings():
    """Upload the organization's seal, shown in the page header, on letters and reports."""
    org = current_org()
    form = SealForm()
    if form.validate_on_submit():
        upload = request.files.get("seal")
        data = None if form.remove.data else (upload.read(SEAL_READ) if upload else b"")
        try:
            organization.save_seal(org, data, current_user.id)
        except FieldErrors as error:
            attach_errors(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.settings"))
    return _settings_page(org, SlaSettingsForm(obj=org), form, 400)


@bp.route("/settings/contact", methods=["GET", "POST"])
@require("admin.settings")
def contact_settings():
    """The office's address, phone, email and hours, as the handling manuals publish them; and
    whether the list and map of general complaints are published, on which grid."""
    org = current_org()
    form = ContactSettingsForm(obj=org)
    if form.validate_on_submit():
        organization.save_contact(org, form.data, current_user.id)
        flash(_("Saved. The handling manuals show the new details."), "success")
        return redirect(url_for("admin.contact_settings"))
    return render_template("admin/contact_settings.html", form=form), _status()


@bp.route("/departments", methods=["GET", "POST"])
@require("admin.settings")
def departments():
    org = current_org()
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            organization.create_department(org.id, form.data, current_user.id)
        except FieldErrors as error:
            attach_errors(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.departments"))
    rows = organization.departments(org.id)
    return render_template("admin/departments.html", form=form, rows=rows), _status()


@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
@require("admin.settings")
def department_edit(department_id: int):
    dept = _found(organization.department(current_org().id, department_id))
    form = DepartmentForm(obj=dept)
    if form.validate_on_submit():
        try:
            organization.update_department(dept, form.data, current_user.id)
        except FieldErrors as error:
            attach_errors(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.departments"))
    return render_template("admin/department_form.html", form=form, dept=dept), _status()


def _category_form(org, obj=None) -> CategoryForm:
    form = CategoryForm(obj=obj)
    form.department.choices = options(
        [("", _("— none —"))]
        + [(str(d.id), localized(d)) for d in organization.departments(org.id)]
    )
    if obj is not None and request.method == "GET":
        form.department.data = str(obj.department_id or "")
    return form


def _category_data(form: CategoryForm) -> dict:
    return {**form.data, "department_id": chosen_id(form.department.data)}


@bp.route("/categories", methods=["GET", "POST"])
@require("admin.settings")
def categories():
    """General-complaint categories and their days to resolve (default 15)."""
    org = current_org()
    form = _category_form(org)
    if form.validate_on_submit():
        try:
            organization.create_category(org.id, _category_data(form), current_user.id)
        except FieldErrors as error:
            attach_errors(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.categories"))
    rows = organization.categories(org.id)
    return render_template("admin/categories.html", form=form, rows=rows), _status()


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@require("admin.settings")
def category_edit(category_id: int):
    org = current_org()
    # (the corruption channel's categories belong to the tip channel's settings: 404 here)
    category = _found(organization.category(org.id, category_id))
    form = _category_form(org, category)
    if form.validate_on_submit():
        try:
            organization.update_category(category, _category_data(form), current_user.id)
        except FieldErrors as error:
            attach_errors(form, error)
        else:
            flash(_("Saved. The new number of days applies to new cases."), "success")
            return redirect(url_for("admin.categories"))
    return render_template("admin/category_form.html", form=form, category=category), _status()


@bp.route("/holidays", methods=["GET", "POST"])
@require("admin.settings")
def holidays():
    """Holidays declared at short notice, on top of the Thai public holidays."""
    org = current_org()
    form = HolidayForm()
    if form.validate_on_submit():
        try:
            organization.declare_holiday(
                org.id, form.day.data, form.name_th.data, form.name_en.data, current_user.id
            )
        except FieldErrors as error:
            attach_errors(form, error)
        else:
            flash(
                _("Saved. Deadlines of new cases and paused cases count this day off."), "success"
            )
            return redirect(url_for("admin.holidays"))
    today = clock.today()
    rows = organization.declared_holidays(org.id, since=today.replace(month=1, day=1))
    upcoming = organization.upcoming_public_holidays(today)
    return render_template(
        "admin/holidays.html", form=form, rows=rows, upcoming=upcoming
    ), _status()


@bp.post("/holidays/<int:holiday_id>/delete")
@require("admin.settings")
def holiday_delete(holiday_id: int):
    row = _found(organization.holiday(current_org().id, holiday_id))
    organization.remove_holiday(row, current_user.id)
    flash(_("The declared holiday was removed."), "success")
    return redirect(url_for("admin.holidays"))
