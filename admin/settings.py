"""Organization settings for the system administrator: SLA mode and warning days, letter
prefix, departments, categories (days to resolve) and declared holidays. All audited."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from admin import bp
from admin.forms import CategoryForm, DepartmentForm, HolidayForm, SlaSettingsForm, options
from admin.guard import require
from casework import audit
from casework.cases.categories import clean_code
from casework.cases.errors import FieldErrors
from casework.dates import clock
from casework.dates.workdays import WorkCalendar
from casework.extensions import db
from casework.models import Category, DeclaredHoliday, Department
from rongrian.formkit import attach_errors
from rongrian.i18n import localized
from rongrian.tenancy import current_org


def _audit(action: str, target: str, data: dict | None = None) -> None:
    audit.record(current_org().id, action, actor_id=current_user.id, target=target, data=data)
    db.session.commit()


def _own(model, row_id: int):
    row = db.session.get(model, row_id)
    if row is None or row.organization_id != current_org().id:
        abort(404)
    return row


def _letter_settings(org) -> dict:
    return {
        "sla_mode": org.sla_mode,
        "due_soon_days": org.due_soon_days,
        "letter_prefix": org.letter_prefix,
        "signatory_name": org.signatory_name,
        "signatory_title": org.signatory_title,
    }


@bp.route("/settings", methods=["GET", "POST"])
@require("admin.settings")
def settings():
    org = current_org()
    form = SlaSettingsForm(obj=org)
    if form.validate_on_submit():
        before = _letter_settings(org)
        org.sla_mode = form.sla_mode.data
        org.due_soon_days = form.due_soon_days.data
        org.letter_prefix = (form.letter_prefix.data or "").strip()
        org.signatory_name = (form.signatory_name.data or "").strip()
        org.signatory_title = (form.signatory_title.data or "").strip()
        _audit("settings.sla", org.slug, {"before": before, "after": _letter_settings(org)})
        flash(
            _("Settings saved. New deadlines use them; existing deadlines stay as they were."),
            "success",
        )
        return redirect(url_for("admin.settings"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/settings.html", form=form, org=org), status


def _unique(model, org_id: int, code: str, row_id=None, **extra) -> bool:
    clash = db.session.scalar(
        select(model)
        .filter_by(organization_id=org_id, **extra)
        .where(func.lower(model.code) == code.lower())
    )
    return clash is None or clash.id == row_id


@bp.route("/departments", methods=["GET", "POST"])
@require("admin.settings")
def departments():
    org = current_org()
    form = DepartmentForm()
    if form.validate_on_submit():
        if not _unique(Department, org.id, form.code.data.strip()):
            form.code.errors = [_("Another department already uses this code.")]
        else:
            dept = Department(organization_id=org.id, code=form.code.data.strip())
            form.populate_obj(dept)
            dept.code = dept.code.strip()
            db.session.add(dept)
            db.session.flush()
            _audit("department.create", dept.code)
            flash(_("Saved."), "success")
            return redirect(url_for("admin.departments"))
    rows = db.session.scalars(
        select(Department).filter_by(organization_id=org.id).order_by(Department.id)
    ).all()
    status = 400 if request.method == "POST" else 200
    return render_template("admin/departments.html", form=form, rows=rows), status


@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
@require("admin.settings")
def department_edit(department_id: int):
    org = current_org()
    dept = _own(Department, department_id)
    form = DepartmentForm(obj=dept)
    if form.validate_on_submit():
        if not _unique(Department, org.id, form.code.data.strip(), dept.id):
            form.code.errors = [_("Another department already uses this code.")]
        else:
            form.populate_obj(dept)
            dept.code = dept.code.strip()
            _audit("department.update", dept.code, {"active": dept.active})
            flash(_("Saved."), "success")
            return redirect(url_for("admin.departments"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/department_form.html", form=form, dept=dept), status


def _category_form(org, obj=None) -> CategoryForm:
    form = CategoryForm(obj=obj)
    rows = db.session.scalars(
        select(Department).filter_by(organization_id=org.id).order_by(Department.id)
    )
    form.department.choices = options(
        [("", _("— none —"))] + [(str(d.id), localized(d)) for d in rows]
    )
    if obj is not None and request.method == "GET":
        form.department.data = str(obj.department_id or "")
    return form


def _save_category(form, category, code: str) -> None:
    category.code = code
    category.name_th = form.name_th.data.strip()
    category.name_en = (form.name_en.data or "").strip()
    category.sla_days = form.sla_days.data
    category.sort_order = form.sort_order.data or 0
    category.active = form.active.data
    value = form.department.data
    category.department_id = int(value) if value and value.isdigit() else None


@bp.route("/categories", methods=["GET", "POST"])
@require("admin.settings")
def categories():
    """General-complaint categories and their days to resolve (default 15)."""
    org = current_org()
    form = _category_form(org)
    if form.validate_on_submit():
        try:
            code = clean_code(org.id, "complaint", form.code.data)
        except FieldErrors as error:
            attach_errors(form, error)
        else:
            category = Category(organization_id=org.id, channel="complaint")
            _save_category(form, category, code)
            db.session.add(category)
            db.session.flush()
            _audit("category.create", category.code, {"sla_days": category.sla_days})
            flash(_("Saved."), "success")
            return redirect(url_for("admin.categories"))
    rows = db.session.scalars(
        select(Category)
        .filter_by(organization_id=org.id, channel="complaint")
        .order_by(Category.sort_order, Category.id)
    ).all()
    status = 400 if request.method == "POST" else 200
    return render_template("admin/categories.html", form=form, rows=rows), status


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@require("admin.settings")
def category_edit(category_id: int):
    org = current_org()
    category = _own(Category, category_id)
    if category.channel != "complaint":
        abort(404)  # the corruption channel's categories belong to the tip channel's settings
    form = _category_form(org, category)
    if form.validate_on_submit():
        try:
            code = clean_code(org.id, "complaint", form.code.data, category)
        except FieldErrors as error:
            attach_errors(form, error)
        else:
            before = category.sla_days
            _save_category(form, category, code)
            _audit("category.update", category.code, {"sla_days": [before, category.sla_days]})
            flash(_("Saved. The new number of days applies to new cases."), "success")
            return redirect(url_for("admin.categories"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/category_form.html", form=form, category=category), status


@bp.route("/holidays", methods=["GET", "POST"])
@require("admin.settings")
def holidays():
    """Holidays declared at short notice, on top of the Thai public holidays."""
    org = current_org()
    form = HolidayForm()
    if form.validate_on_submit():
        exists = db.session.scalar(
            select(DeclaredHoliday).filter_by(organization_id=org.id, day=form.day.data)
        )
        if exists:
            form.day.errors = [_("This day is already declared.")]
        else:
            db.session.add(
                DeclaredHoliday(
                    organization_id=org.id,
                    day=form.day.data,
                    name_th=form.name_th.data.strip(),
                    name_en=(form.name_en.data or "").strip(),
                )
            )
            _audit("holiday.declare", form.day.data.isoformat())
            flash(
                _("Saved. Deadlines of new cases and paused cases count this day off."), "success"
            )
            return redirect(url_for("admin.holidays"))
    today = clock.today()
    rows = db.session.scalars(
        select(DeclaredHoliday)
        .filter_by(organization_id=org.id)
        .where(DeclaredHoliday.day >= today.replace(month=1, day=1))
        .order_by(DeclaredHoliday.day)
    ).all()
    cal = WorkCalendar()
    upcoming = [
        (day, cal.holiday_name(day))
        for day in (today + timedelta(days=i) for i in range(120))
        if cal.is_holiday(day)
    ]
    status = 400 if request.method == "POST" else 200
    return render_template("admin/holidays.html", form=form, rows=rows, upcoming=upcoming), status


@bp.post("/holidays/<int:holiday_id>/delete")
@require("admin.settings")
def holiday_delete(holiday_id: int):
    row = _own(DeclaredHoliday, holiday_id)
    day = row.day.isoformat()
    db.session.delete(row)
    _audit("holiday.remove", day)
    flash(_("The declared holiday was removed."), "success")
    return redirect(url_for("admin.holidays"))
