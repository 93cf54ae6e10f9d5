"""Checks on the contact details people give: complainants, tipsters and staff alike."""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from casework.crypto.blindindex import normalize_phone

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
BAD_EMAIL = _l("Enter an email address like name@example.com.")
BAD_PHONE = _l("Enter a Thai phone number, e.g. 081 234 5678.")


def problems(details: Mapping[str, str], prefix: str) -> dict[str, object]:
    """Messages for an email or a phone number in ``details`` that cannot be right, under
    ``<prefix>.email`` and ``<prefix>.phone``; an empty value is not checked."""
    errors: dict[str, object] = {}
    email = details.get("email", "")
    if email and not EMAIL.match(email):
        errors[f"{prefix}.email"] = BAD_EMAIL
    phone = details.get("phone", "")
    if phone and not 9 <= len(normalize_phone(phone)) <= 10:
        errors[f"{prefix}.phone"] = BAD_PHONE
    return errors
