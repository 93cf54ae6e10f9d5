"""Which organization this deployment serves. One for now; every row already carries its own.

The organization is looked up once per process (per app): only its id is kept, which never
changes. Each request then gets the row of that id as an instance whose columns are not loaded
yet: a request that needs only the id (a tracking lookup, a filing) costs no query for it, and
one that reads a setting or a name loads the row then, in its own transaction, so a change made
in the back office shows at once in every worker of every host. Nothing about the organization
but its id is ever cached across requests.
"""

from __future__ import annotations

from flask import abort, current_app, g
from sqlalchemy import select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from casework.extensions import db
from casework.models import Organization

_CACHE = "rongrian_org_id"


def current_org() -> Organization:
    org = g.get("rongrian_org")
    if org is None:
        org = g.rongrian_org = _instance(_org_id())
    return org


def _org_id() -> int:
    org_id = current_app.extensions.get(_CACHE)
    if org_id is None:
        slug = current_app.config.get("RONGRIAN_ORG")
        query = select(Organization.id)
        query = query.filter_by(slug=slug) if slug else query.order_by(Organization.id)
        org_id = db.session.scalar(query.limit(1))
        if org_id is None:
            abort(
                503, description="No organization is set up yet: run `flask --app wsgi demo load`."
            )
        current_app.extensions[_CACHE] = org_id
    return org_id


def _instance(org_id: int) -> Organization:
    """The session's instance of the organization: the one it holds already, or a new one that
    loads its columns on first use (SQLAlchemy marks the columns not given as expired)."""
    session = db.session()
    held = session.identity_map.get(identity_key(Organization, org_id))
    if held is not None:
        return held
    org = Organization(id=org_id)
    make_transient_to_detached(org)
    session.add(org)
    return org
