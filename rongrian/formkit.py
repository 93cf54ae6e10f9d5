"""Helpers every blueprint's web forms share: choice lists and putting field errors from the
casework rules beside the fields they belong to."""

from __future__ import annotations

from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from casework.cases import values
from casework.cases.categories import active_categories
from casework.cases.errors import FieldErrors
from casework.models import Organization
from rongrian.i18n import localized


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
