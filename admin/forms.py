"""Back-office forms (Flask-WTF: CSRF, and what was typed is kept when something is wrong)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FileField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from casework.cases.categories import CODE_MAX
from casework.cases.contact import EMAIL
from casework.cases.received import RECEIVED_VIA_LABELS
from casework.cases.textinput import LIMITS
from casework.dates.workdays import MODES
from casework.general.workflow import AGENCIES
from casework.models.case import RECEIVED_VIA
from casework.publishing.caselist import GRID_MAX_M, GRID_MIN_M
from casework.staff import roles
from complaints.forms import ComplaintForm, kind_field
from rongrian.formkit import options

_REQUIRED = _l("This field is required.")


class LoginForm(FlaskForm):
    email = StringField(
        _l("Email"),
        validators=[DataRequired(_REQUIRED), Length(max=254)],
        render_kw={"type": "email", "autocomplete": "username", "maxlength": 254},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("6-digit code from your authenticator app"),
        validators=[DataRequired(_REQUIRED), Length(max=12)],
        render_kw={
            "inputmode": "numeric",
            "autocomplete": "one-time-code",
            "pattern": "[0-9 ]*",
            "maxlength": 12,
        },
    )


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(_REQUIRED)],
        render_kw={"autocomplete": "new-password"},
    )


class TextForm(FlaskForm):
    """One text box: internal note, public update or a request for information."""

    body = TextAreaField(_l("Text"), render_kw={"rows": 4, "maxlength": LIMITS["message"]})


class AssignForm(FlaskForm):
    department = SelectField(_l("Responsible unit"), choices=[], validate_choice=False)
    assignee = SelectField(_l("Officer"), choices=[], validate_choice=False)


class ForwardForm(FlaskForm):
    agency = SelectField(_l("Agency"), choices=options(AGENCIES.items()), validate_choice=False)
    agency_name = StringField(_l("Agency name (for another agency)"), render_kw={"maxlength": 200})
    reference = StringField(_l("Their reference number"), render_kw={"maxlength": 100})
    follow_up_on = StringField(_l("Follow up on"), render_kw={"type": "date"})
    note = TextAreaField(_l("Note to the complainant (optional)"), render_kw={"rows": 3})


class CompleteForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=[], validate_choice=False)
    result_text = TextAreaField(
        _l("Result, as the complainant will read it"),
        render_kw={"rows": 5, "maxlength": LIMITS["message"]},
    )
    delay_explanation = TextAreaField(
        _l("Why the case took longer than its deadline"),
        render_kw={"rows": 3, "maxlength": LIMITS["message"]},
    )


class ExplainForm(FlaskForm):
    body = TextAreaField(
        _l("Why the case needs more time"),
        render_kw={"rows": 4, "maxlength": LIMITS["message"]},
    )
    new_date = StringField(_l("New expected date"), render_kw={"type": "date"})


class MergeForm(FlaskForm):
    target = StringField(
        _l("Number of the case this one duplicates"),
        render_kw={"placeholder": "2570/000123", "maxlength": 24},
    )


# A clerk may register what came in a LINE chat (the account's chat screen) too; the website
# and Open311 clients file by themselves.
OFFLINE_RECEIVED_VIA = [c for c in RECEIVED_VIA if c not in ("web", "open311")]


class OfflineIntakeForm(ComplaintForm):
    """The public complaint form plus how and when the complaint actually arrived, worded for
    the clerk who registers it (the form speaks of the complainant, not to them)."""

    kind = kind_field(
        _l("Is it a complaint, a grievance or a suggestion?"),
        _l("Complaint: something is wrong and should be fixed"),
        _l("Grievance: the complainant suffers harm or hardship"),
        _l("Suggestion: an idea or opinion"),
    )

    received_via = RadioField(
        _l("How did the complaint arrive?"),
        choices=options([(c, RECEIVED_VIA_LABELS[c]) for c in OFFLINE_RECEIVED_VIA]),
        default="phone",
    )
    received_on = StringField(_l("Date received"), render_kw={"type": "date"})
    received_time = StringField(_l("Time received (optional)"), render_kw={"type": "time"})


class UserForm(FlaskForm):
    email = StringField(
        _l("Email"),
        validators=[
            DataRequired(_REQUIRED),
            Regexp(EMAIL, message=_l("Enter an email address like name@example.com.")),
            Length(max=254),
        ],
        render_kw={"type": "email", "maxlength": 254},
    )
    name = StringField(_l("Name"), validators=[Length(max=200)], render_kw={"maxlength": 200})
    role = SelectField(_l("Role"), choices=options(roles.ROLES.items()))
    department = SelectField(_l("Department"), choices=[], validate_choice=False)
    active = BooleanField(_l("Account is active"), default=True)
    password = PasswordField(
        _l("Password (leave empty to keep it)"), render_kw={"autocomplete": "new-password"}
    )


class DepartmentForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(_REQUIRED), Length(max=32)],
        render_kw={"maxlength": 32},
    )
    name_th = StringField(_l("Name in Thai"), validators=[DataRequired(_REQUIRED), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[Length(max=200)])
    email = StringField(
        _l("Unit email"),
        validators=[
            Optional(),
            Regexp(EMAIL, message=_l("Enter an email address like name@example.com.")),
            Length(max=254),
        ],
    )
    phone = StringField(_l("Unit phone"), validators=[Length(max=64)], render_kw={"maxlength": 64})
    head_name = StringField(
        _l("Name of the head of the unit"),
        validators=[Length(max=200)],
        render_kw={"maxlength": 200},
    )
    head_title = TextAreaField(
        _l("Position of the head of the unit"),
        validators=[Length(max=300)],
        render_kw={"rows": 2, "maxlength": 300},
    )
    active = BooleanField(_l("Active"), default=True)


class CategoryForm(FlaskForm):
    # the rule for codes is casework.cases.categories.clean_code, shared by both channels
    code = StringField(
        _l("Code"), validators=[DataRequired(_REQUIRED)], render_kw={"maxlength": CODE_MAX}
    )
    name_th = StringField(_l("Name in Thai"), validators=[DataRequired(_REQUIRED), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[Length(max=200)])
    sla_days = IntegerField(
        _l("Days to resolve"),
        default=15,
        validators=[
            InputRequired(_REQUIRED),
            NumberRange(1, 365, _l("Between %(min)s and %(max)s days.")),
        ],
    )
    department = SelectField(_l("Default responsible unit"), choices=[], validate_choice=False)
    sort_order = IntegerField(_l("Order in the list"), default=0, validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)


class SlaSettingsForm(FlaskForm):
    sla_mode = RadioField(
        _l("How deadlines count days"),
        choices=options(
            [
                (MODES[0], _l("Calendar days (every day counts)")),
                (MODES[1], _l("Working days (weekends and holidays do not count)")),
            ]
        ),
    )
    due_soon_days = IntegerField(
        _l("Warn this many days before the deadline"),
        validators=[
            InputRequired(_REQUIRED),
            NumberRange(0, 30, _l("Between %(min)s and %(max)s.")),
        ],
    )
    reopen_window_days = IntegerField(
        _l("Days after completion in which “not fixed” reopens a case"),
        validators=[
            InputRequired(_REQUIRED),
            NumberRange(0, 365, _l("Between %(min)s and %(max)s.")),
        ],
    )
    letter_prefix = StringField(_l("Letter reference prefix (ที่ …)"), validators=[Length(max=64)])
    signatory_name = StringField(
        _l("Name of the person who signs letters"),
        validators=[Length(max=200)],
        render_kw={"maxlength": 200},
    )
    signatory_title = TextAreaField(
        _l("Position of the person who signs letters"),
        validators=[Length(max=300)],
        render_kw={"rows": 2, "maxlength": 300},
    )


class SealForm(FlaskForm):
    seal = FileField(_l("Seal picture (PNG or JPEG)"), render_kw={"accept": "image/png,image/jpeg"})
    remove = BooleanField(_l("Remove the seal"))


class ContactSettingsForm(FlaskForm):
    """What the handling manuals and the site's footer publish about the office."""

    address_th = TextAreaField(
        _l("Office address in Thai"),
        validators=[Length(max=500)],
        render_kw={"rows": 3, "maxlength": 500},
    )
    address_en = TextAreaField(
        _l("Office address in English"),
        validators=[Length(max=500)],
        render_kw={"rows": 3, "maxlength": 500},
    )
    phone = StringField(_l("Phone"), validators=[Length(max=64)], render_kw={"maxlength": 64})
    email = StringField(
        _l("Email"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(EMAIL, message=_l("Enter an email address like name@example.com.")),
        ],
        render_kw={"maxlength": 254},
    )
    office_hours_th = TextAreaField(
        _l("Office hours in Thai"), validators=[Length(max=300)], render_kw={"rows": 2}
    )
    office_hours_en = TextAreaField(
        _l("Office hours in English"), validators=[Length(max=300)], render_kw={"rows": 2}
    )
    publish_case_list = BooleanField(_l("Publish the list and map of general complaints"))
    public_grid_m = IntegerField(
        _l("Show places on a grid of this many metres"),
        validators=[
            InputRequired(_REQUIRED),
            NumberRange(GRID_MIN_M, GRID_MAX_M, _l("Between %(min)s and %(max)s.")),
        ],
    )
    recurrence_radius_m = IntegerField(
        _l("Complaints this many metres apart are at the same place"),
        validators=[
            InputRequired(_REQUIRED),
            NumberRange(10, 2000, _l("Between %(min)s and %(max)s.")),
        ],
    )


class HolidayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter a date."))])
    name_th = StringField(_l("Name in Thai"), validators=[DataRequired(_REQUIRED), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[Length(max=200)])


class RetaliationCloseForm(FlaskForm):
    """How a report of retaliation was handled, and what the tipster is told."""

    action = TextAreaField(
        _l("What was done to protect the tipster (officers only)"),
        render_kw={"maxlength": LIMITS["message"], "rows": 4},
    )
    public_note = TextAreaField(
        _l("Note for the tipster (shown on their status page; name nobody)"),
        render_kw={"maxlength": LIMITS["message"], "rows": 3},
    )
