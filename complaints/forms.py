"""The complaint web forms. Flask-WTF gives CSRF and keeps what was typed; the rules that decide
whether a complaint can be filed live in casework.general.intake, shared with the API and LINE."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)

from casework.cases import attachments
from casework.cases.textinput import LIMITS
from casework.general import intake
from rongrian.formkit import FormFiles, options


def _max(name: str) -> dict:
    return {"maxlength": LIMITS[name]}


def _files() -> dict:
    """A file input that forms.js checks before anything is uploaded (the server checks again):
    a phone on a slow connection should not send 50 MB only to hear that one file was too big.
    ``{name}`` in the messages is replaced by the file's name."""
    return {
        "accept": "image/jpeg,image/png,application/pdf",
        "multiple": True,
        "data-max-files": attachments.MAX_FILES,
        "data-max-bytes": attachments.MAX_BYTES,
        "data-types": "image/jpeg image/png application/pdf",
        "data-too-many": _l("Attach at most %(n)d files.", n=attachments.MAX_FILES),
        "data-too-large": _l("%(name)s is larger than 10 MB.", name="{name}"),
        "data-wrong-type": _l("%(name)s is not a JPEG, PNG or PDF file.", name="{name}"),
    }


def kind_field(question, complaint, grievance, suggestion) -> RadioField:
    """Complaint, grievance or suggestion: one question, worded for who fills the form in."""
    choices = [("complaint", complaint), ("grievance", grievance), ("suggestion", suggestion)]
    return RadioField(question, choices=options(choices), default="complaint")


class ComplaintForm(FlaskForm):
    form_token = HiddenField()
    held_token = HiddenField()  # files kept across a form error (rongrian.formkit.FormFiles)
    kind = kind_field(
        _l("What kind of matter is it?"),
        _l("Complaint (ร้องเรียน): something is wrong and should be fixed"),
        _l("Grievance (ร้องทุกข์): you are suffering harm or hardship"),
        _l("Suggestion (เสนอแนะ): an idea or opinion"),
    )
    # Not checked against the list here: casework.general.intake checks the category (active,
    # of this channel), so sending a form need not load the list; showing one does.
    category = SelectField(_l("Category"), choices=[], validate_choice=False)
    subject = StringField(_l("Subject"), render_kw=_max("subject"))
    details = TextAreaField(_l("What happened?"), render_kw=_max("details") | {"rows": 8})
    location = StringField(_l("Where?"), render_kw=_max("location"))
    lat = StringField(_l("Latitude"), render_kw={"inputmode": "decimal"})
    lng = StringField(_l("Longitude"), render_kw={"inputmode": "decimal"})
    occurred_on = StringField(_l("Date it happened"), render_kw={"type": "date"})
    occurred_time = StringField(_l("Time (optional)"), render_kw={"type": "time"})
    attachments = MultipleFileField(_l("Photos or documents"), render_kw=_files())
    title = StringField(
        _l("Title"),
        render_kw=_max("title") | {"autocomplete": "honorific-prefix", "list": "title-choices"},
    )
    name = StringField(_l("Full name"), render_kw=_max("name") | {"autocomplete": "name"})
    phone = StringField(
        _l("Phone"), render_kw=_max("phone") | {"type": "tel", "autocomplete": "tel"}
    )
    email = StringField(
        _l("Email"), render_kw=_max("email") | {"type": "email", "autocomplete": "email"}
    )
    address = TextAreaField(
        _l("Address for letters"),
        render_kw=_max("address") | {"rows": 3, "autocomplete": "street-address"},
    )
    consent = BooleanField(
        _l("I agree that the municipality may use my contact details to handle this matter.")
    )


class TrackForm(FlaskForm):
    tracking_code = StringField(
        _l("Tracking code"),
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "maxlength": LIMITS["tracking_code"],
        },
    )


class InfoForm(FlaskForm):
    tracking_code = HiddenField()
    message = TextAreaField(_l("More information"), render_kw=_max("message") | {"rows": 5})
    attachments = MultipleFileField(_l("More photos or documents"), render_kw=_files())


class RatingForm(FlaskForm):
    """Once the case is completed: has it been fixed (แก้ไขแล้วหรือยัง), and the rating. "Not
    fixed" with a reason reopens it (casework.general.followup.not_fixed)."""

    tracking_code = HiddenField()
    form_token = HiddenField()  # a repeated "not fixed" after the window files one new case
    fixed = RadioField(
        _l("Has the problem been fixed?"),
        choices=options([("yes", _l("Yes, it has been fixed")), ("no", _l("No, not fixed yet"))]),
        validate_choice=False,
    )
    rating = RadioField(
        _l("How satisfied are you with how your case was handled?"),
        choices=options(
            [
                ("5", _l("5 — Very satisfied")),
                ("4", _l("4 — Satisfied")),
                ("3", _l("3 — Neutral")),
                ("2", _l("2 — Dissatisfied")),
                ("1", _l("1 — Very dissatisfied")),
            ]
        ),
    )
    comment = TextAreaField(
        _l("Comment (optional)"), render_kw=_max("rating_comment") | {"rows": 3}
    )


def complaint_submission(form, files: FormFiles, **extra) -> intake.ComplaintSubmission:
    """What a complaint form (the public one, or the clerk's offline one) asks casework to file,
    with the files kept from its earlier sends and those just chosen."""
    return intake.ComplaintSubmission(
        category=form.category.data or "",
        kind=form.kind.data or "complaint",
        subject=form.subject.data,
        details=form.details.data,
        location=form.location.data,
        lat=form.lat.data,
        lng=form.lng.data,
        occurred_on=form.occurred_on.data,
        occurred_time=form.occurred_time.data,
        reporter={k: getattr(form, k).data for k in intake.CONTACT_FIELDS},
        consent=form.consent.data,
        uploads=files.uploads,
        held_token=files.token,
        # A tampered token is dropped, not refused: the person still files, just once-only
        # protection is lost for that form.
        idempotency_token=form.form_token.data
        if intake.usable_token(form.form_token.data)
        else None,
        changed_form_is_new=True,
        **extra,
    )
