"""Categories of both channels: finding one by its code, and the one rule for codes.

A code is what API clients file by, so it is plain: 2 to 32 lowercase English letters, digits
or ``_``, starting with a letter, and unique within the organization's channel whatever the
case. What an administrator types is stripped and lower-cased first.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from casework.cases.errors import FieldErrors
from casework.extensions import db
from casework.models import Category, Organization

CODE = re.compile(r"[a-z][a-z0-9_]{1,31}")
CODE_MAX = 32


class CategoryError(FieldErrors):
    """A category that cannot be saved as given (its code, under ``code``)."""


def find_category(org: Organization, code: str, channel: str) -> Category | None:
    """The organization's active category of ``channel`` with exactly this code, or None.

    Its unit and the organization's row come in the same round trip: filing reads the
    organization's settings next (the deadline's calendar) and the receipt shows both names."""
    row = db.session.execute(_BY_CODE, {"org": org.id, "channel": channel, "code": code}).first()
    return row[0] if row else None


# Built once: every filing runs it (building a statement costs more than running it here).
_BY_CODE = (
    select(Category, Organization)
    .join(Organization, Organization.id == Category.organization_id)
    .filter(
        Category.organization_id == bindparam("org"),
        Category.channel == bindparam("channel"),
        Category.code == bindparam("code"),
        Category.active.is_(True),
    )
    .options(joinedload(Category.department))
)


def active_categories(org: Organization, channel: str) -> list[Category]:
    """The organization's active categories of ``channel``, in their set order."""
    return list(
        db.session.scalars(
            select(Category)
            .filter_by(organization_id=org.id, channel=channel, active=True)
            .order_by(Category.sort_order, Category.id)
        )
    )


def clean_code(
    organization_id: int, channel: str, typed: str | None, current: Category | None = None
) -> str:
    """The code as it will be stored, or CategoryError under ``code``.

    Editing ``current`` without changing its code keeps it as it is, even when it was made
    before this rule: API clients may file by it.
    """
    code = (typed or "").strip()
    if current is not None and code == current.code:
        return code
    code = code.lower()
    if not code:
        problem = _l("This field is required.")
    elif not CODE.fullmatch(code):
        problem = _l(
            "Use 2 to %(n)d lowercase English letters, digits or _, starting with a letter.",
            n=CODE_MAX,
        )
    elif _taken(organization_id, channel, code, current):
        problem = _l("Another category already uses this code.")
    else:
        return code
    raise CategoryError({"code": problem})


def _taken(organization_id: int, channel: str, code: str, current: Category | None) -> bool:
    query = select(Category.id).where(
        Category.organization_id == organization_id,
        Category.channel == channel,
        func.lower(Category.code) == code,
    )
    if current is not None:
        query = query.where(Category.id != current.id)
    return db.session.scalar(query.limit(1)) is not None
