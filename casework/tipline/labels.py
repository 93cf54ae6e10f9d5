"""An organization's list of labels in the tip channel that its integrity officers keep: the
kinds of disciplinary penalty (casework.tipline.penalties) and the kinds of retaliation a
tipster can report (casework.tipline.retaliation). Each is one table with a code, Thai and
English names, an order and ``active``; this module holds what they share.

An organization's list is first filled with the usual kinds (``defaults``) when it has none.
Only the names are shown, so a kind added gets a made-up code. A kind in use is never removed,
only taken off the list (``active``). Each change goes to the tips trail
(``tip.<trail>_created`` / ``tip.<trail>_updated``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework.cases.errors import FieldErrors
from casework.extensions import db, owned, transaction
from casework.models import User
from casework.tipline import trail

NAME_MAX = 200


@dataclass
class Settings:
    name_th: str
    name_en: str = ""
    sort_order: int | None = 0
    active: bool = True


@dataclass(frozen=True)
class LabelList:
    """One list of labels: its table (``model``), its usual kinds (code, Thai, English), the
    name of its trail entries and the error it raises."""

    model: type
    defaults: tuple[tuple[str, str, str], ...]
    trail: str
    error: type[FieldErrors] = FieldErrors

    def seed(self, organization_id: int) -> None:
        """Add the usual kinds to an organization that has none yet (a step: the caller
        commits)."""
        if db.session.scalar(select(self.model.id).filter_by(organization_id=organization_id)):
            return
        for order, (code, th, en) in enumerate(self.defaults):
            db.session.add(
                self.model(
                    organization_id=organization_id,
                    code=code,
                    name_th=th,
                    name_en=en,
                    sort_order=order,
                )
            )
        db.session.flush()

    def listing(self, organization_id: int, *, active_only: bool = False) -> list:
        """The organization's kinds in their order (the usual ones are added on first use)."""
        model = self.model
        query = select(model).filter_by(organization_id=organization_id)
        if db.session.scalar(query.with_only_columns(model.id).limit(1)) is None:
            with transaction():
                self.seed(organization_id)
        if active_only:
            query = query.filter_by(active=True)
        return list(db.session.scalars(query.order_by(model.sort_order, model.id)))

    def by_code(self, organization_id: int, code: str):
        """An active kind of the organization, by code."""
        if not code:
            return None
        return db.session.scalar(
            select(self.model).filter_by(organization_id=organization_id, code=code, active=True)
        )

    def kind_for(self, user: User, kind_id: int | None):
        """A kind of ``user``'s organization, or None."""
        return owned(self.model, user.organization_id, kind_id) if kind_id else None

    def _check(self, settings: Settings) -> None:
        settings.name_th = " ".join((settings.name_th or "").split())
        settings.name_en = " ".join((settings.name_en or "").split())
        errors = {}
        if not settings.name_th:
            errors["name_th"] = _l("This field is required.")
        for name in ("name_th", "name_en"):
            if len(getattr(settings, name)) > NAME_MAX:
                errors[name] = _l("At most %(n)d characters.", n=NAME_MAX)
        if errors:
            raise self.error(errors)

    def create(self, organization_id: int, actor_id: int, settings: Settings):
        """Add a kind (its code is made here). Commits; ``error`` with field messages."""
        self._check(settings)
        with transaction():
            self.seed(organization_id)
            count = db.session.scalar(
                select(func.count(self.model.id)).filter_by(organization_id=organization_id)
            )
            row = self.model(organization_id=organization_id, code=f"kind{count + 1}")
            _apply(row, settings)
            db.session.add(row)
            trail.record_channel(organization_id, f"{self.trail}_created", actor_id, row.code)
        return row

    def update(self, row, actor_id: int, settings: Settings) -> None:
        """Rename, reorder, or take off (or put back on) the list. Commits; ``error``."""
        self._check(settings)
        with transaction():
            _apply(row, settings)
            trail.record_channel(
                row.organization_id,
                f"{self.trail}_updated",
                actor_id,
                row.code,
                active=row.active,
            )


def _apply(row, settings: Settings) -> None:
    row.name_th = settings.name_th
    row.name_en = settings.name_en
    row.sort_order = settings.sort_order or 0
    row.active = settings.active
