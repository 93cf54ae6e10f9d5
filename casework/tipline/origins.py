"""How a tip reached the organization (ที่มาของเรื่อง): the one table of these labels.

The public form and API file tips as ``web``. Integrity officers register the others
(casework.tipline.filing.register): a letter, an anonymous letter, a phone call, a visit, a
referral in from an outside body (casework.tipline.referral.BODIES, with the body's reference
number), what an inspection or internal audit found, or a media report. Each origin maps onto
the ``received_via`` every case has (casework.models.case.RECEIVED_VIA), so the figures that
count cases by how they arrived need nothing of this channel.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ORIGINS = {
    "web": _l("Website (the tip form)"),
    "letter": _l("Letter"),
    "anonymous_letter": _l("Anonymous letter"),
    "phone": _l("Phone"),
    "visit": _l("In person (visit)"),
    "referral_in": _l("Referred by an outside body"),
    "inspection": _l("Found by an inspection or internal audit"),
    "media": _l("Media report"),
}
# What staff register: every origin but the public form.
STAFF_ORIGINS = tuple(code for code in ORIGINS if code != "web")
RECEIVED_VIA = {
    "web": "web",
    "letter": "letter",
    "anonymous_letter": "letter",
    "phone": "phone",
    "visit": "walk_in",
    "referral_in": "other",
    "inspection": "other",
    "media": "other",
}
# Someone who can be handed (or told) a receipt for the public status page.
WITH_RECEIPT = frozenset({"letter", "phone", "visit"})
# A general complaint's way of arrival, as the origin a clerk most likely meant.
FROM_RECEIVED_VIA = {"letter": "letter", "phone": "phone", "walk_in": "visit"}
assert set(RECEIVED_VIA) == set(ORIGINS)


def label(code: str | None) -> str:
    return str(ORIGINS.get(code or "", code or ""))
