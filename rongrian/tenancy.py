"""Which organization this deployment serves. One for now; every row already carries its own."""

from __future__ import annotations

from flask import abort, current_app, g
from sqlalchemy import select

from casework.extensions import db
from casework.models import Organization


def current_org() -> Organization:
    org = g.get("rongrian_org")
    if org is None:
        slug = current_app.config.get("RONGRIAN_ORG")
        query = select(Organization)
        query = query.filter_by(slug=slug) if slug else query.order_by(Organization.id)
        org = db.session.scalars(query.limit(1)).first()
        if org is None:
            abort(
                503, description="No organization is set up yet: run `flask --app wsgi demo load`."
            )
        g.rongrian_org = org
    return org
