"""Staff pages that watch over tips: each stage's deadline (integrity officers), the
tipsters' reports of retaliation (integrity officers and custodians handle them; executives
follow the list), and the figures on tips for executives. The rules live in
casework.tipline.deadlines, retaliation and figures; these views hold HTTP and forms only."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from admin.forms import RetaliationCloseForm
from admin.inbox import DUE_LABELS
from casework.cases import attachments
from casework.cases.errors import FieldErrors
from casework.dates import clock
from casework.publishing import stats
from casework.staff.roles import EXECUTIVE
from casework.tipline import access, deadlines, retaliation
from casework.tipline import figures as tip_figures
from rongrian.formkit import attach_errors
from rongrian.tenancy import current_org


@bp.route("/tips/deadlines", methods=["GET", "POST"])
def tip_deadlines():
    """The days each stage of a tip, and a report of retaliation, may take."""
    if not access.is_integrity(current_user):
        abort(403)
    org_id = current_user.organization_id
    errors: dict[str, str] = {}
    values = {s.stage: "" if s.days is None else str(s.days) for s in deadlines.settings(org_id)}
    if request.method == "POST":
        values = {s: request.form.get(s, "") for s in deadlines.stages()}
        try:
            deadlines.save(org_id, current_user.id, values)
        except deadlines.DeadlineError as error:
            errors = error.fields
        else:
            flash(_("Saved. The new days apply from each tip's next stage."), "success")
            return redirect(url_for("admin.tip_deadlines"))
    return render_template(
        "admin/tips/deadlines.html",
        rows=deadlines.settings(org_id),
        values=values,
        errors=errors,
        retaliation_default=deadlines.RETALIATION_DAYS,
    ), 400 if errors else 200


@bp.get("/tips/retaliation")
def tip_retaliations():
    if not retaliation.may_list(current_user):
        abort(403)
    return render_template(
        "admin/tips/retaliation_list.html",
        rows=retaliation.register(current_user),
        labels=DUE_LABELS,
    )


def _report_or_404(report_id: int) -> retaliation.Row:
    if not retaliation.may_list(current_user):
        abort(403)
    row = retaliation.report_for(current_user, report_id)
    if row is None:
        abort(404)
    return row


def _report_page(row: retaliation.Row, form: RetaliationCloseForm, status: int = 200):
    readable = retaliation.can_handle(current_user, row.case)
    return render_template(
        "admin/tips/retaliation.html",
        row=row,
        form=form,
        readable=readable,
        contents=retaliation.contents(row, current_user) if readable else None,
        labels=DUE_LABELS,
        filename=lambda att: attachments.filename(att, row.case),
    ), status


@bp.get("/tips/retaliation/<int(signed=True):report_id>")
def tip_retaliation(report_id: int):
    return _report_page(_report_or_404(report_id), RetaliationCloseForm(formdata=None))


@bp.post("/tips/retaliation/<int(signed=True):report_id>/close")
def tip_retaliation_close(report_id: int):
    row = _report_or_404(report_id)
    if not retaliation.can_handle(current_user, row.case):
        abort(403)
    form = RetaliationCloseForm()
    if not form.validate_on_submit():
        return _report_page(row, form, 400)
    try:
        retaliation.close(
            row, current_user, action=form.action.data, public_note=form.public_note.data
        )
    except retaliation.HandlingError as error:
        attach_errors(form, error)
        return _report_page(row, form, 400)
    flash(_("The report is closed. The tipster sees your note on their status page."), "success")
    return redirect(url_for("admin.tip_retaliation", report_id=report_id))


@bp.get("/tips/retaliation/<int(signed=True):report_id>/files/<int(signed=True):file_id>")
def tip_retaliation_file(report_id: int, file_id: int):
    row = _report_or_404(report_id)
    if not retaliation.can_handle(current_user, row.case):
        abort(403)
    att = retaliation.file_for(row, file_id, current_user)
    if att is None:
        abort(404)
    ext = attachments.EXTENSIONS.get(att.content_type, "bin")
    return Response(
        attachments.content(att, row.case),
        mimetype=att.content_type,
        headers={"Content-Disposition": f'attachment; filename="retaliation-file-{att.id}.{ext}"'},
    )


@bp.get("/tips/figures")
def tip_figures_page():
    """Figures on tips by fiscal year and half-year, small counts suppressed (executives)."""
    if current_user.role != EXECUTIVE:
        abort(403)
    today = clock.today()
    years = stats.recent_years(today)
    status = 200
    try:
        period = stats.period_asked(request.args.get("fiscal_year"), None, today)
    except FieldErrors as error:
        for message in error.fields.values():
            flash(message, "error")
        period, status = stats.period_asked(None, None, today), 400
    return render_template(
        "admin/tips/figures.html",
        rows=tip_figures.fiscal_year_figures(current_org().id, period.fiscal_year),
        fiscal_year=period.fiscal_year,
        years=years,
        k=stats.K,
    ), status
