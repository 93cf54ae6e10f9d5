"""Web pages for general complaints: the form, the receipt, and tracking by code (POST only)."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from casework.cases import attachments, lookup
from casework.cases.textinput import LIMITS
from casework.extensions import csrf
from casework.general import followup, intake
from complaints import bp
from complaints.forms import ComplaintForm, InfoForm, RatingForm, TrackForm, complaint_submission
from rongrian import maps, ratelimits
from rongrian.formkit import FormFiles, attach_errors, category_options, switching_language
from rongrian.security import no_store
from rongrian.tenancy import current_org


def EXPIRED() -> str:  # noqa: N802 - reads as a constant, translated per request
    return _("This form had expired. Nothing was lost: check your answers and send again.")


def _expired(form) -> bool:
    """The form's own CSRF check failed. The public forms check CSRF themselves (they are
    exempt from the global check) so that an expired form keeps what was typed."""
    return bool(getattr(form, "csrf_token", None) and form.csrf_token.errors)


def _categories(org):
    return category_options(org, "complaint")


@bp.get("/")
@maps.shows_map
def new():
    org = current_org()
    form = ComplaintForm()
    form.category.choices = _categories(org)
    form.form_token.data = intake.new_form_token()
    return render_template(
        "complaints/new.html",
        form=form,
        errors={},
        org=org,
        lang_switch_form="complaint-form",  # the switch sends what was typed (and files nothing)
    )


@bp.post("/")
@csrf.exempt  # the form checks its own token so an expired one keeps what was typed
@ratelimits.complaint_submissions
@no_store
@maps.shows_map
def submit():
    org = current_org()
    form = ComplaintForm()
    files = FormFiles(org, "complaint", form)
    if switching_language(form):  # the page's language switch: the same form, unfiled
        errors = {"csrf_token": EXPIRED()} if _expired(form) else {}
        form.form_token.data = form.form_token.data or intake.new_form_token()
        return _form_again(form, errors, org, files, 400 if errors else 200)
    if not form.validate() or files.expired:
        errors = {"csrf_token": EXPIRED()} if _expired(form) else {}
        form.form_token.data = form.form_token.data or intake.new_form_token()
        return _form_again(form, errors, org, files)
    try:
        filed = intake.file_complaint(org, complaint_submission(form, files))
    except intake.IntakeError as error:
        attach_errors(form, error)
        return _form_again(form, error.fields, org, files, error.status)
    return _receipt(filed, org)


def _receipt(filed, org):
    return render_template(
        "complaints/receipt.html",
        filed=filed,
        case=filed.case,
        org=org,
        files=intake.receipt_files(filed),
        emailed=intake.receipt_emailed(filed),
        lang_switch=_switch("complaints.receipt", filed.tracking_code),
    )


def _switch(endpoint: str, code: str | None) -> dict | None:
    """The language switch of a page that shows a code: the same page again, the code in the
    POST body (never the address). None: the plain switch, back to the form."""
    if not code:
        return None
    return {
        "action": url_for(endpoint),
        "fields": {"tracking_code": code, "csrf_token": generate_csrf()},
    }


@bp.post("/receipt")
@csrf.exempt
@ratelimits.complaint_lookups
@no_store
def receipt():
    """The receipt again (its language switched): it is shown from the tracking code it holds."""
    form = TrackForm()
    case = lookup.find_by_code(current_org(), form.tracking_code.data, for_page=True)
    if case is None or (not form.validate() and _expired(form)):
        return _not_found(form)
    return _receipt(intake.Filed(case, form.tracking_code.data), current_org())


def _form_again(form, errors: dict, org, files: FormFiles, status: int = 400):
    """The form, with what was typed, the files kept for it, and what to correct."""
    form.category.choices = _categories(org)
    errors = dict(errors)
    kept = files.keep(errors)
    page = render_template(
        "complaints/new.html",
        form=form,
        errors=errors,
        org=org,
        kept=kept,
        lang_switch_form="complaint-form",
    )
    return page, status


@bp.get("/track")
@no_store
def track():
    return render_template("complaints/track.html", form=TrackForm(), not_found=False)


def _status_page(case, info_form=None, rating_form=None, code="", status=200, notice="", done=""):
    view = followup.public_view(case)
    # The page shows one of its two forms: adding information while the case is open, the
    # view of the result once it is closed.
    if view.is_open:
        info_form = info_form or InfoForm(formdata=None)
        info_form.tracking_code.data = code
    else:
        rating_form = rating_form or RatingForm(formdata=None)
        rating_form.tracking_code.data = code
        rating_form.form_token.data = rating_form.form_token.data or intake.new_form_token()
    return (
        render_template(
            "complaints/status.html",
            view=view,
            case=case,
            info_form=info_form,
            rating_form=rating_form,
            org=current_org(),
            notice=notice,
            done=done,
            limits=LIMITS,
            explained_date=followup.explained_date,
            lang_switch=_switch("complaints.track_lookup", code),
            photos=followup.photos(case),
        ),
        status,
    )


def _not_found(form):
    return render_template("complaints/track.html", form=form, not_found=True), 404


@bp.post("/track")
@csrf.exempt
@ratelimits.complaint_lookups
@no_store
def track_lookup():
    form = TrackForm()
    if not form.validate() and _expired(form):
        return render_template("complaints/track.html", form=form, notice=EXPIRED()), 400
    case = lookup.find_by_code(current_org(), form.tracking_code.data, for_page=True)
    if case is None:
        return _not_found(form)
    return _status_page(case, code=form.tracking_code.data)


@bp.post("/track/info")
@csrf.exempt
@ratelimits.complaint_lookups
@no_store
def add_info():
    form = InfoForm()
    case = lookup.find_by_code(current_org(), form.tracking_code.data, for_page=True)
    if case is None:
        return _not_found(TrackForm(formdata=None))
    if not form.validate() and _expired(form):
        return _status_page(
            case, info_form=form, code=form.tracking_code.data, status=400, notice=EXPIRED()
        )
    uploads = attachments.from_file_storage(request.files.getlist("attachments"))
    try:
        followup.add_information(case, form.message.data, uploads)
    except followup.FollowUpError as error:
        attach_errors(form, error)
        return _status_page(case, info_form=form, code=form.tracking_code.data, status=400)
    return _status_page(
        case,
        code=form.tracking_code.data,
        done=_("Thank you. Your information was added to the case and the officers will see it."),
    )


@bp.post("/track/rate")
@csrf.exempt
@ratelimits.complaint_lookups
@no_store
def rate():
    form = RatingForm()
    case = lookup.find_by_code(current_org(), form.tracking_code.data, for_page=True)
    if case is None:
        return _not_found(TrackForm(formdata=None))
    if not form.validate() and _expired(form):
        return _status_page(
            case, rating_form=form, code=form.tracking_code.data, status=400, notice=EXPIRED()
        )
    if form.fixed.data == "yes" and case.rating is not None:  # rated before: nothing to add
        return _status_page(
            case, code=form.tracking_code.data, done=_("Thank you for letting us know.")
        )
    try:
        if form.fixed.data == "no":
            done = followup.not_fixed(
                case,
                form.comment.data,
                form.rating.data,
                token=form.form_token.data,
            )
        else:
            followup.rate(case, form.rating.data, form.comment.data)
            done = None
    except followup.FollowUpError as error:
        attach_errors(form, error)
        return _status_page(case, rating_form=form, code=form.tracking_code.data, status=400)
    if done is not None and done.filed is not None:
        return render_template(
            "complaints/receipt.html",
            filed=done.filed,
            case=done.case,
            org=current_org(),
            files=0,
            emailed=intake.receipt_emailed(done.filed),
            follows=case,
        )
    if done is not None:
        return _status_page(
            case,
            code=form.tracking_code.data,
            done=_(
                "The case was reopened and the officers will work on it again. A new "
                "deadline runs from today."
            ),
        )
    return _status_page(case, code=form.tracking_code.data)
