"""How a case reached the organization (received via), named for people: the back office, the
exports and the published figures all say the same."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from casework.models.case import RECEIVED_VIA

RECEIVED_VIA_LABELS = {
    "phone": _l("Phone"),
    "letter": _l("Letter"),
    "walk_in": _l("In person (walk-in)"),
    "complaint_box": _l("Complaint box"),
    "facebook": _l("Facebook message"),
    "email": _l("Email"),
    "other": _l("Other"),
    "web": _l("Website"),
    "line": _l("LINE"),
    "open311": _l("App (Open311)"),
}
assert set(RECEIVED_VIA_LABELS) == set(RECEIVED_VIA)


def label(code: str) -> str:
    return str(RECEIVED_VIA_LABELS.get(code, code))
