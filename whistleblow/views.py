"""Web pages for corruption tips: the guided questionnaire, the once-only receipt, the status
page opened with the receipt (POST only: a receipt never appears in a URL), messages, and the
signed proof of submission. Rules live in casework.tipline. Lookups and submissions share the
tip channel's per-client budgets (rongrian.ratelimits) with the tip API, apart from the
complaint pages'."""

from __future__ import annotations

import base64
import hashlib
import json

from flask import (
    Response,
    abort,
    current_app,
    make_response,
    render_template,
    request,
    url_for,
)

from casework.cases import attachments, lifecycle
from casework.crypto import keys, signing
from casework.general import intake
from casework.tipline import claims, filing, messages, retaliation, reveal, standing
from rongrian import ratelimits
from rongrian.fonts import NoThaiFont
from rongrian.formkit import FormFiles, attach_errors, category_options, switching_language
from rongrian.i18n import localized
from rongrian.security import no_store
from rongrian.tenancy import current_org
from whistleblow import bp, proofpdf
from whistleblow.forms import (
    ClaimForm,
    ReceiptForm,
    ReplyForm,
    RetaliationForm,
    TipForm,
    tip_submission,
)


def _categories(org):
    return category_options(org, "tip")


def _form_page(form, errors, status=200, kept=None):
    org = current_org()
    return (
        render_template(
            "whistleblow/new.html",
            form=form,
            errors=errors,
            org=org,
            confidential_ok=filing.confidential_available(org.id),
            kept=kept,
            lang_switch_form="tip-form",  # the switch sends what was typed (and files nothing)
        ),
        status,
    )


@bp.get("/")
def index():
    return render_template("whistleblow/index.html", org=current_org(), key=_public_key())


@bp.get("/new")
def new():
    form = TipForm()
    form.category.choices = _categories(current_org())
    form.form_token.data = intake.new_form_token()
    return _form_page(form, {})


@bp.post("/new")
@ratelimits.tip_submissions
@no_store
def submit():
    org = current_org()
    form = TipForm()
    form.category.choices = _categories(org)
    form.form_token.data = form.form_token.data or intake.new_form_token()
    files = FormFiles(org, "tip", form)
    if switching_language(form):  # the page's language switch: the same form, unfiled
        errors: dict[str, str] = {}
        kept = files.keep(errors, prepare=filing.scrubbed_copy)
        return _form_page(form, errors, 200, kept)
    sub = tip_submission(form, files)
    try:
        if files.expired:
            raise intake.IntakeError({})  # say so rather than file without them
        filed = filing.file_tip(org, sub)
    except intake.IntakeError as error:
        attach_errors(form, error)
        errors = dict(error.fields)
        kept = files.keep(errors, prepare=filing.scrubbed_copy)
        return _form_page(form, errors, error.status, kept)
    return _receipt(filed, org)


def _receipt(filed, org):
    return render_template(
        "whistleblow/receipt.html",
        filed=filed,
        case=filed.case,
        org=org,
        key=_public_key(),
        lang_switch=_switch("whistleblow.receipt", filed.receipt),
    )


def _switch(endpoint: str, receipt: str | None) -> dict | None:
    """The language switch of a page that shows the receipt: the same page again, the receipt
    in the POST body (never the address); the language holds for that page only (no cookie)."""
    return {"action": url_for(endpoint), "fields": {"receipt": receipt}} if receipt else None


@bp.post("/receipt")
@ratelimits.tip_lookups
@no_store
def receipt():
    """The receipt page again, in the language the tipster switched to."""
    form = ReceiptForm()
    case = _case_for(form.receipt.data)
    proof = filing.proof_for(case, form.receipt.data)
    return _receipt(filing.FiledTip(case, form.receipt.data, proof), current_org())


@bp.get("/status")
@no_store
def track():
    return render_template("whistleblow/track.html", form=ReceiptForm(), not_found=False)


def _not_found():
    return render_template(
        "whistleblow/track.html", form=ReceiptForm(formdata=None), not_found=True
    ), 404


def _retaliation_form(case, receipt: str, form=None) -> RetaliationForm:
    form = form or RetaliationForm(formdata=None)
    form.receipt.data = receipt
    form.kind.choices = [(k.code, localized(k)) for k in retaliation.kinds(case.organization_id)]
    return form


def _status_page(
    case, receipt: str, reply_form=None, status=200, *, retaliation_form=None, reported=False
):
    reply_form = reply_form or ReplyForm(formdata=None)
    reply_form.receipt.data = receipt
    st = lifecycle.state("tip", case.status)
    return (
        render_template(
            "whistleblow/status.html",
            case=case,
            state=st,
            outcome=lifecycle.outcome_label("tip", case.outcome),
            standing=standing.standing(case),
            events=messages.progress(case),
            thread=messages.thread(case),
            accessed=reveal.access_days(case),
            reply_form=reply_form,
            retaliation_form=_retaliation_form(case, receipt, retaliation_form),
            retaliations=retaliation.for_tipster(case),
            reported=reported,
            receipt=receipt,
            org=current_org(),
            lang_switch=_switch("whistleblow.status", receipt),
        ),
        status,
    )


def _case_for(receipt):
    case = filing.find_by_receipt(current_org(), receipt)
    if case is None:
        abort(make_response(_not_found()))
    return case


@bp.post("/status")
@ratelimits.tip_lookups
@no_store
def status():
    form = ReceiptForm()
    case = _case_for(form.receipt.data)
    return _status_page(case, form.receipt.data)


@bp.post("/reply")
@ratelimits.tip_lookups
@no_store
def reply():
    form = ReplyForm()
    case = _case_for(form.receipt.data)
    uploads = attachments.from_file_storage(request.files.getlist("attachments"))
    try:
        messages.from_tipster(case, form.message.data, uploads)
    except messages.FollowUpError as error:
        attach_errors(form, error)
        return _status_page(case, form.receipt.data, reply_form=form, status=400)
    return _status_page(case, form.receipt.data)


@bp.post("/retaliation")
@ratelimits.tip_lookups
@no_store
def report_retaliation():
    """The tipster reports retaliation with their receipt (POST only, like every lookup)."""
    form = RetaliationForm()
    case = _case_for(form.receipt.data)
    uploads = attachments.from_file_storage(request.files.getlist("attachments"))
    try:
        retaliation.report(case, form.kind.data or "", form.text.data, uploads)
    except retaliation.RetaliationError as error:
        form = _retaliation_form(case, form.receipt.data, form)
        attach_errors(form, error)
        return _status_page(case, form.receipt.data, status=400, retaliation_form=form)
    return _status_page(case, form.receipt.data, reported=True)


@bp.post("/proof")
@ratelimits.tip_lookups
@no_store
def proof():
    """The proof of submission: a printable one-page PDF carrying the signed proof, or the
    signed proof itself as JSON (``format=json``; the tip API returns it at filing)."""
    form = ReceiptForm()
    case = _case_for(form.receipt.data)
    doc = filing.proof_for(case, form.receipt.data)
    if doc is None:
        abort(404)
    stem = "proof-" + case.case_number.replace("/", "-")
    pdf = None
    if request.form.get("format") != "json":
        try:
            key_url = url_for("whistleblow.proof_key", _external=True)
            pdf = proofpdf.render(current_org(), case, doc, key_url)
        except NoThaiFont:  # a server without a Thai font: the proof itself, never a 500
            current_app.logger.error("no Thai font for the proof PDF: run scripts/ensure-fonts")
    if pdf is not None:
        body, mimetype, name = pdf, "application/pdf", stem + ".pdf"
    else:
        body, mimetype, name = (
            json.dumps(doc, ensure_ascii=False, indent=2),
            "application/json",
            stem + ".json",
        )
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _public_key() -> dict:
    public = signing.public_key_bytes(keys.keyring().signing_key)
    return {
        "algorithm": "Ed25519",
        "public_key": base64.b64encode(public).decode("ascii"),
        "sha256": hashlib.sha256(public).hexdigest(),
    }


@bp.get("/proof-key")
def proof_key():
    """The organization's Ed25519 public key, for anyone checking a proof of submission."""
    return {**_public_key(), "organization": current_org().name_th}


@bp.get("/leave")
def leave():
    """Where "leave this page quickly" goes: on to a page that says nothing (QUICK_EXIT_URL).
    Through here, so that no tip page links to another site."""
    url = current_app.config["QUICK_EXIT_URL"]
    return Response("", status=303, mimetype="text/plain", headers={"Location": url})


@bp.get("/claim")
@no_store
def claim_form():
    form = ClaimForm()
    form.form_token.data = intake.new_form_token()
    return render_template("whistleblow/claim.html", form=form, outcome=None)


@bp.post("/claim")
@ratelimits.tip_lookups
@no_store
def claim():
    form = ClaimForm()
    claimed = claims.claim(current_org(), form.tracking_code.data, form.form_token.data)
    if claimed is None or claimed.receipt is None:
        again = ClaimForm(formdata=None)
        again.form_token.data = intake.new_form_token()
        outcome = claimed.outcome if claimed else "not_found"
        status = {"not_found": 404, "disputed": 409}.get(outcome, 200)
        return render_template(
            "whistleblow/claim.html", form=again, outcome=outcome, org=current_org()
        ), status
    return render_template(
        "whistleblow/receipt.html",
        filed=filing.FiledTip(claimed.case, claimed.receipt, None),
        case=claimed.case,
        org=current_org(),
        key=_public_key(),
        check=claimed.check,
    )
