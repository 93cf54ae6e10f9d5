"""Integrity officers register a tip that came another way than the public form (a letter, an
anonymous letter, a call, a visit, a referral in, an inspection or audit, the media), with the
same questionnaire, the same sealing and the same evidence path (casework.tipline.filing), and
print the receipt slip for a person who came in. Rules live in casework.tipline."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, RadioField, SelectField, StringField

from admin import bp
from casework.cases.errors import FieldErrors
from casework.dates import clock
from casework.general import intake
from casework.tipline import access, filing, origins, referral
from rongrian.formkit import (
    FormFiles,
    attach_errors,
    category_options,
    options,
    switching_language,
)
from rongrian.security import no_store
from rongrian.tenancy import current_org
from whistleblow.forms import TipForm, tip_submission


class TipRegisterForm(TipForm):
    """The tip questionnaire for an officer writing down what arrived, with how and when."""

    class Meta:
        @property
        def csrf(self) -> bool:
            """The back office has a session, so a token (the public form has none)."""
            return current_app.config.get("WTF_CSRF_ENABLED", True)

    origin = RadioField(
        _l("How did the tip arrive?"),
        choices=options([(c, origins.ORIGINS[c]) for c in origins.STAFF_ORIGINS]),
        default="letter",
        validate_choice=False,
    )
    received_on = StringField(_l("Date received"), render_kw={"type": "date"})
    origin_body = SelectField(
        _l("Referred by"),
        choices=options([("", "—"), *referral.BODIES.items()]),
        validate_choice=False,
    )
    origin_body_name = StringField(_l("Name of the agency"), render_kw={"maxlength": 200})
    origin_reference = StringField(_l("Their reference number"), render_kw={"maxlength": 100})
    receipt = BooleanField(_l("Give the person who brought it a receipt for the tip status page"))


def _integrity_only() -> None:
    if not access.is_integrity(current_user):
        abort(403)


def register_page(form: TipRegisterForm, errors: dict, status: int = 200, kept=None):
    org = current_org()
    form.category.choices = category_options(org, "tip")
    return (
        render_template(
            "admin/tips/register.html",
            form=form,
            errors=errors,
            org=org,
            confidential_ok=filing.confidential_available(org.id),
            kept=kept,
            lang_switch_form="tip-register-form",  # the switch sends what was typed, unfiled
        ),
        status,
    )


def new_form() -> TipRegisterForm:
    form = TipRegisterForm(formdata=None)
    form.received_on.data = clock.today().isoformat()
    form.form_token.data = intake.new_form_token()
    return form


@bp.get("/tips/register")
def tip_register():
    _integrity_only()
    return register_page(new_form(), {})


@bp.post("/tips/register")
@no_store
def tip_register_submit():
    _integrity_only()
    org = current_org()
    form = TipRegisterForm()
    form.form_token.data = form.form_token.data or intake.new_form_token()
    files = FormFiles(org, "tip", form)
    errors: dict[str, str] = {}
    if switching_language(form):  # the page's language switch: the same form, unfiled
        kept = files.keep(errors, prepare=filing.scrubbed_copy)
        return register_page(form, errors, 200, kept)
    if not form.validate():
        errors = {name: "; ".join(map(str, errs)) for name, errs in form.errors.items()}
    if not errors and not files.expired:
        origin = filing.Origin(
            code=form.origin.data or "",
            received_on=form.received_on.data or "",
            body=form.origin_body.data or "",
            body_name=form.origin_body_name.data or "",
            reference=form.origin_reference.data or "",
        )
        try:
            filed = filing.register(
                org,
                tip_submission(form, files),
                origin,
                current_user,
                receipt=bool(form.receipt.data),
            )
        except FieldErrors as error:
            errors = error.fields
        else:
            if filed.receipt or filed.repeated:
                return render_template(
                    "admin/tips/slip.html", filed=filed, case=filed.case, org=org
                )
            flash(_("The tip was registered."), "success")
            return redirect(url_for("admin.tip", case_id=filed.case.id))
    attach_errors(form, FieldErrors({k: v for k, v in errors.items() if k != "csrf_token"}))
    if "csrf_token" in errors:
        errors["csrf_token"] = _("This form had expired. Check the answers and send again.")
    kept = files.keep(errors, prepare=filing.scrubbed_copy)
    return register_page(form, errors, 400, kept)
