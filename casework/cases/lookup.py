"""Finding a general complaint by the tracking code its complainant holds (the tracking page,
the API, and a transferred complainant claiming the tip's receipt)."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from casework.cases.textinput import LIMITS
from casework.crypto import keys, tracking
from casework.extensions import db
from casework.models import Case, Organization


def find_by_code(org: Organization, text: str | None, *, for_page: bool = False) -> Case | None:
    """The general complaint a tracking code opens, or None (wrong, unknown or a tip alike),
    with its timeline; ``for_page`` brings what the status page names too.

    Every answer costs the same work: a mistyped, malformed or empty code is hashed and looked
    up too (as a value no code can hash to), so neither the page nor its timing tells a wrong
    code from an unknown one.
    """
    digest, well_formed = typed_hash(text)
    statement = _FOR_PAGE if for_page else _WITH_TIMELINE
    row = db.session.execute(statement, {"org": org.id, "digest": digest}).unique().first()
    return row[0] if row and well_formed else None


def typed_hash(text: object) -> tuple[str, bool]:
    """(the tracking hash to look a typed code up by, whether it was a well-formed code); a
    malformed one is hashed too, so the answer costs the same work."""
    return tracking.typed_hash(keys.keyring().tracking_key, text, LIMITS["tracking_code"])


# One round trip each; built once, as every lookup runs one of them. The API answers with the
# case and its timeline; the status page also names its category and unit, shows its photos,
# and the page's header the organization.
_WITH_TIMELINE = (
    select(Case)
    .filter(
        Case.organization_id == bindparam("org"),
        Case.channel == "complaint",
        Case.tracking_hash == bindparam("digest"),
    )
    .options(joinedload(Case.events))
)
_FOR_PAGE = (
    _WITH_TIMELINE.add_columns(Organization)
    .join(Organization, Organization.id == Case.organization_id)
    .options(joinedload(Case.category), joinedload(Case.department), joinedload(Case.attachments))
)
