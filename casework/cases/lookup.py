"""Finding a general complaint by the tracking code its complainant holds (the tracking page,
the API, and a transferred complainant claiming the tip's receipt)."""

from __future__ import annotations

from sqlalchemy import select

from casework.cases.textinput import LIMITS
from casework.crypto import keys, tracking
from casework.extensions import db
from casework.models import Case, Organization


def find_by_code(org: Organization, text: str | None) -> Case | None:
    """The general complaint a tracking code opens, or None (wrong, unknown or a tip alike).

    Every answer costs the same work: a mistyped, malformed or empty code is hashed and looked
    up too (as a value no code can hash to), so neither the page nor its timing tells a wrong
    code from an unknown one.
    """
    text = text if isinstance(text, str) else ""
    canonical = tracking.normalize_code(text) if len(text) <= LIMITS["tracking_code"] else None
    digest = tracking.hash_code(keys.keyring().tracking_key, canonical or "!")
    case = db.session.scalar(
        select(Case).filter_by(organization_id=org.id, channel="complaint", tracking_hash=digest)
    )
    return case if canonical else None
