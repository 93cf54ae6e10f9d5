"""The tip channel's categories and the days each stage may take (default 15). Integrity
officers keep them; tips have no responsible department. A code follows the rule both channels
share (casework.cases.categories); API clients file by code, so it stays as it was created.
Each change goes to the tips trail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from casework.cases.categories import CategoryError, clean_code
from casework.extensions import db
from casework.models import Category, User
from casework.tipline import trail

__all__ = ["CategoryError"]


@dataclass
class Settings:
    """What an officer may set on a category (the code only when creating it)."""

    name_th: str
    name_en: str | None = ""
    sla_days: int = 15
    sort_order: int | None = 0
    active: bool = True


def listing(organization_id: int) -> list[Category]:
    """The channel's categories, in the order the tip form lists them."""
    return list(
        db.session.scalars(
            select(Category)
            .filter_by(organization_id=organization_id, channel="tip")
            .order_by(Category.sort_order, Category.id)
        )
    )


def category_for(user: User, category_id: int) -> Category | None:
    """A tip category of ``user``'s organization, or None (a complaint category, another
    organization's, or none)."""
    category = db.session.get(Category, category_id)
    if category is None or category.channel != "tip":
        return None
    return category if category.organization_id == user.organization_id else None


def create(organization_id: int, actor_id: int, code: str, settings: Settings) -> Category:
    """Add a category. Commits; CategoryError on a malformed or taken code."""
    code = clean_code(organization_id, "tip", code)
    category = Category(organization_id=organization_id, channel="tip", code=code)
    try:
        _apply(category, settings)
        db.session.add(category)
        trail.record_channel(
            organization_id, "category_created", actor_id, code, sla_days=category.sla_days
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return category


def update(category: Category, actor_id: int, settings: Settings) -> None:
    """Change a category (its code stays). Commits. The new number of days applies from each
    tip's next stage."""
    before = category.sla_days
    try:
        _apply(category, settings)
        trail.record_channel(
            category.organization_id,
            "category_updated",
            actor_id,
            category.code,
            sla_days=[before, category.sla_days],
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def _apply(category: Category, settings: Settings) -> None:
    category.name_th = (settings.name_th or "").strip()
    category.name_en = (settings.name_en or "").strip()
    category.sla_days = settings.sla_days
    category.sort_order = settings.sort_order or 0
    category.active = settings.active
