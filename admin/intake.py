"""Offline intake: the clerk registers a phone, letter, box, walk-in, Facebook or email case and
prints the receipt slip with its tracking code (shown once, never stored in plain text)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from admin.forms import RECEIVED_VIA_LABELS, OfflineIntakeForm
from admin.guard import require
from casework.cases import held
from casework.cases.errors import FieldErrors
from casework.dates import clock
from casework.general import intake, offline
from casework.tipline import access
from complaints.forms import complaint_submission
from rongrian.formkit import FormFiles, attach_errors, category_options, switching_language
from rongrian.security import no_store
from rongrian.tenancy import current_org


def _form(org, formdata=True):
    form = OfflineIntakeForm() if formdata else OfflineIntakeForm(formdata=None)
    form.category.choices = category_options(org, "complaint")
    return form


@bp.get("/intake")
@require("intake.register")
def intake_new():
    return _blank(current_org())


def _blank(org, **shown):
    """The blank intake form: received today, with a new one-time token."""
    form = _form(org, formdata=False)
    form.received_on.data = clock.today().isoformat()
    form.form_token.data = intake.new_form_token()
    return _intake_page(form, {}, org, None, 200, **shown)


@bp.post("/intake")
@require("intake.register")
@no_store
def intake_submit():
    org = current_org()
    if request.form.get("corruption"):
        return _corruption_report(org)
    form = _form(org)
    files = FormFiles(org, "complaint", form)
    errors: dict[str, str] = {}
    if switching_language(form):  # the page's language switch: the same form, unfiled
        kept = files.keep(errors)
        return _intake_page(form, errors, org, kept, 200)
    if not form.validate():
        errors = {name: "; ".join(map(str, errs)) for name, errs in form.errors.items()}
    received_at, date_errors = offline.received_instant(
        form.received_on.data or "", (form.received_time.data or "").strip()
    )
    errors.update(date_errors)
    if not errors and not files.expired:
        submission = complaint_submission(
            form,
            files,
            received_via=form.received_via.data or "",
            received_at=received_at,
        )
        try:
            filed = offline.register(org, submission, current_user)
        except intake.IntakeError as error:
            errors = error.fields
        else:
            return render_template(
                "admin/slip.html",
                filed=filed,
                case=filed.case,
                org=org,
                received_via_label=RECEIVED_VIA_LABELS.get(filed.case.received_via, ""),
            )
    if "received_at" in errors:
        errors["received_on"] = errors.pop("received_at")
    attach_errors(form, FieldErrors({k: v for k, v in errors.items() if k != "csrf_token"}))
    if "csrf_token" in errors:
        errors["csrf_token"] = _("This form had expired. Check the answers and send again.")
    form.form_token.data = form.form_token.data or intake.new_form_token()
    kept = files.keep(errors)
    return _intake_page(form, errors, org, kept, 400)


def _intake_page(form, errors, org, kept, status, **shown):
    """The intake form, with what was typed and the files kept for it; its language switch
    sends what was typed (and files nothing)."""
    page = render_template(
        "admin/intake.html",
        form=form,
        errors=errors,
        org=org,
        kept=kept,
        lang_switch_form="intake-form",
        **shown,
    )
    return page, status


def _corruption_report(org):
    """The clerk pressed "This is a corruption report": nothing is registered here and nothing
    typed is kept. An integrity officer goes on to the tip channel's own form; anyone else is
    told to hand the report to the integrity officers."""
    held.forget(org, "complaint", request.form.get("held_token"))
    if access.is_integrity(current_user):
        return redirect(url_for("admin.tip_register"))
    return _blank(org, corruption_handed_over=True)
