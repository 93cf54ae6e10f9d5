"""The tip questionnaire and the receipt forms (Flask-WTF: what was typed is kept). No CSRF
token: the tip pages keep no session to hold one (whistleblow.nocookie)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)

from casework.cases.textinput import LIMITS
from casework.tipline.filing import (
    ACCUSED_ROLES,
    ANSWER_LIMITS,
    HOW_KNOWN,
    IDENTITY_LIMITS,
    REPORTED_ELSEWHERE,
    TipSubmission,
)
from rongrian.formkit import FormFiles, options

FILES = {"accept": "image/jpeg,image/png,application/pdf", "multiple": True}


def _max(limit: int, **extra) -> dict:
    return {"maxlength": limit, **extra}


def _text(label, name, rows=None):
    kw = _max(ANSWER_LIMITS[name])
    if rows:
        return TextAreaField(label, render_kw=kw | {"rows": rows})
    return StringField(label, render_kw=kw)


class _Form(FlaskForm):
    class Meta:
        csrf = False  # no session on the tip pages; cross-site posts are refused by origin


class TipForm(_Form):
    form_token = HiddenField()
    held_token = HiddenField()  # files kept across a form error (rongrian.formkit.FormFiles)
    category = SelectField(_l("What is it about?"), choices=[], validate_choice=False)
    accused_name = _text(_l("Name of the person"), "accused_name")
    accused_position = _text(_l("Their position"), "accused_position")
    accused_unit = _text(_l("Their division or unit"), "accused_unit")
    accused_role = SelectField(
        _l("Who is it?"),
        choices=options(ACCUSED_ROLES.items()),
        default="unknown",
        validate_choice=False,
    )
    what = _text(_l("What happened?"), "what", rows=8)
    when = _text(_l("When? (roughly, if you are not sure)"), "when")
    occurred_on = StringField(_l("Date, if known"), render_kw={"type": "date"})
    where = _text(_l("Where?"), "where")
    how_known = SelectField(
        _l("How do you know?"),
        choices=options([("", "—"), *HOW_KNOWN.items()]),
        validate_choice=False,
    )
    how_known_details = _text(_l("More about how you know (optional)"), "how_known_details", 3)
    evidence = _text(_l("Evidence: documents, photos, recordings"), "evidence", rows=4)
    witnesses = _text(_l("Witnesses (optional)"), "witnesses", rows=3)
    reported_elsewhere = RadioField(
        _l("Have you reported this elsewhere?"),
        choices=options(REPORTED_ELSEWHERE.items()),
        default="no",
        validate_choice=False,
    )
    reported_where = _text(_l("Where, and when?"), "reported_where")
    attachments = MultipleFileField(_l("Photos or documents"), render_kw=FILES)
    confidential = RadioField(
        _l("Do you want to give your identity?"),
        choices=options(
            [
                ("no", _l("No, stay anonymous (recommended)")),
                ("yes", _l("Yes, confidentially: only the identity custodians can open it")),
            ]
        ),
        default="no",
        validate_choice=False,
    )
    # The title as the complaint form asks it: typed, or one of casework.cases.identity.TITLES
    # offered by the template's datalist (macros.title_choices).
    title = StringField(
        _l("Title"), render_kw=_max(LIMITS["title"], autocomplete="off", list="title-choices")
    )
    name = StringField(_l("Full name"), render_kw=_max(LIMITS["name"], autocomplete="off"))
    position = StringField(_l("Your position (if staff)"), render_kw=_max(LIMITS["subject"]))
    phone = StringField(
        _l("Phone"), render_kw=_max(LIMITS["phone"], type="tel", autocomplete="off")
    )
    email = StringField(
        _l("Email"), render_kw=_max(LIMITS["email"], type="email", autocomplete="off")
    )
    address = TextAreaField(_l("Address"), render_kw=_max(LIMITS["address"], rows=2))
    consent = BooleanField(
        _l(
            "I agree that my identity is kept for the municipality's identity custodians, who "
            "open it only when an officer asks with a reason."
        )
    )


class ReceiptForm(_Form):
    receipt = PasswordField(
        _l("Receipt code"),
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "maxlength": LIMITS["tracking_code"],
        },
    )


class ReplyForm(_Form):
    receipt = HiddenField()
    message = TextAreaField(_l("Your reply"), render_kw=_max(LIMITS["message"], rows=5))
    attachments = MultipleFileField(_l("More evidence"), render_kw=FILES)


class RetaliationForm(_Form):
    """A tipster's report of retaliation, sent with their receipt from the status page."""

    receipt = HiddenField()
    kind = RadioField(_l("What happened to you"), choices=[], validate_choice=False)
    text = TextAreaField(
        _l("What happened, when, and who did it if you know"),
        render_kw=_max(LIMITS["message"], rows=5),
    )
    attachments = MultipleFileField(_l("Evidence (optional)"), render_kw=FILES)


class ClaimForm(_Form):
    form_token = HiddenField()  # a refresh of the same form is no second claim
    tracking_code = PasswordField(
        _l("Tracking code of your complaint"),
        render_kw={"autocomplete": "off", "maxlength": LIMITS["tracking_code"]},
    )


def tip_submission(form: TipForm, files: FormFiles) -> TipSubmission:
    """The tip as the form holds it, with its files, those kept across an error included (the
    public form, or staff registering one)."""
    return TipSubmission(
        category=form.category.data or "",
        accused_name=form.accused_name.data,
        accused_position=form.accused_position.data,
        accused_unit=form.accused_unit.data,
        accused_role=form.accused_role.data or "unknown",
        what=form.what.data,
        when=form.when.data,
        occurred_on=form.occurred_on.data,
        where=form.where.data,
        how_known=form.how_known.data or "",
        how_known_details=form.how_known_details.data,
        evidence=form.evidence.data,
        witnesses=form.witnesses.data,
        reported_elsewhere=form.reported_elsewhere.data or "no",
        reported_where=form.reported_where.data,
        confidential=form.confidential.data == "yes",
        identity={k: getattr(form, k).data for k in IDENTITY_LIMITS},
        consent=form.consent.data,
        uploads=files.uploads,
        idempotency_token=form.form_token.data or None,
        held_token=files.token,
    )
