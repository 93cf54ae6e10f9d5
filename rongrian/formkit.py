"""Helpers every blueprint's web forms share: choice lists and putting field errors from the
casework rules beside the fields they belong to."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from casework.cases import attachments, held, values
from casework.cases.categories import active_categories
from casework.cases.errors import FieldErrors
from casework.models import Organization
from rongrian.i18n import localized, switched


def options(pairs) -> list[SelectChoice]:
    """WTForms 3.3 wants SelectChoice objects rather than (value, label) tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


def category_options(org: Organization, channel: str) -> list[SelectChoice]:
    """The active categories of one channel, in the current language, after a blank choice."""
    rows = active_categories(org, channel)
    return options([("", _("— choose —"))] + [(c.code, localized(c)) for c in rows])


def chosen_id(value) -> int | None:
    """The id a select list's choice names, or None for the blank choice."""
    return values.record_id(value)  # "²" and 10**40 pass str.isdigit(); no row has them


def attach_errors(form, error: FieldErrors) -> None:
    """Show each of the error's ``field -> message`` beside the form field of that name; nested
    names such as ``reporter.email`` or ``identity.email`` land on the flat ``email`` field."""
    for name, message in error.fields.items():
        flat = name.split(".", 1)[1] if "." in name else name
        target = getattr(form, flat, None)
        if target is not None:
            target.errors = [*list(target.errors or []), message]


class FormFiles:
    """The files of a web form that was sent (perhaps again): those kept for it across an
    earlier error (casework.cases.held) and those just chosen. On an error page, ``keep`` holds
    what can be kept and puts the reasons for the rest beside the attachments field."""

    def __init__(self, org: Organization, channel: str, form):
        self.org, self.channel, self.form = org, channel, form
        self.token = form.held_token.data if held.usable(form.held_token.data) else None
        self.chosen = attachments.from_file_storage(request.files.getlist("attachments"))
        gathered = held.gather(
            org,
            channel,
            self.token,
            shown=request.form.getlist("held_file"),
            remove=request.form.getlist("held_remove"),
        )
        self.uploads = gathered.uploads + self.chosen
        self.expired = gathered.expired

    def keep(self, errors: dict, prepare=None) -> held.Kept:
        """Keep the chosen files for the page that reports ``errors`` (changed in place)."""
        kept = held.keep(self.org, self.channel, self.token, self.chosen, prepare=prepare)
        self.form.held_token.data = kept.token
        problems = list(kept.refused)
        if self.expired:
            problems.insert(
                0,
                _("Files attached earlier were kept too long and were deleted: attach them again."),
            )
        errors.pop("attachments", None)
        self.form.attachments.errors = problems
        if problems:
            errors["attachments"] = " ".join(problems)
        return kept


def switching_language(form) -> bool:
    """The form was sent only to be shown again in the other language (the switch on its page,
    blank or reporting an error: rongrian.i18n.switched): nothing is filed and nothing typed is
    judged again. Only the form's own CSRF token is checked (``form.csrf_token.errors``), as on
    any sending."""
    if switched() is None:
        return False
    token = getattr(form, "csrf_token", None)
    if token is not None:
        token.validate(form)
    return True
