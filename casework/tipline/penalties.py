"""The kinds of disciplinary penalty an organization's orders impose: one list per organization,
kept by integrity officers, first filled with the usual ones for local officials (the
penalties of the Local Personnel Standards: ภาคทัณฑ์, ตัดเงินเดือน, ลดขั้นเงินเดือน, ปลดออก,
ไล่ออก). A kind in use is never removed, only taken off the list (``active``). Each change goes
to the tips trail."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework.cases.errors import FieldErrors
from casework.extensions import db, owned, transaction
from casework.models import PenaltyKind, User
from casework.tipline import trail

DEFAULTS = (
    ("probation", "ภาคทัณฑ์", "Written reprimand (probation)"),
    ("salary_cut", "ตัดเงินเดือน", "Salary cut"),
    ("step_down", "ลดขั้นเงินเดือน", "Salary step reduction"),
    ("discharge", "ปลดออก", "Discharge"),
    ("dismissal", "ไล่ออก", "Dismissal"),
)
NAME_MAX = 200


class PenaltyError(FieldErrors):
    """A penalty kind that cannot be saved as given."""


@dataclass
class Settings:
    name_th: str
    name_en: str = ""
    sort_order: int | None = 0
    active: bool = True


def seed(organization_id: int) -> None:
    """Add the usual kinds to an organization that has none yet (a step: the caller commits)."""
    if db.session.scalar(select(PenaltyKind.id).filter_by(organization_id=organization_id)):
        return
    for order, (code, th, en) in enumerate(DEFAULTS):
        db.session.add(
            PenaltyKind(
                organization_id=organization_id, code=code, name_th=th, name_en=en, sort_order=order
            )
        )
    db.session.flush()


def listing(organization_id: int, *, active_only: bool = False) -> list[PenaltyKind]:
    """The organization's kinds in their order (the usual ones are added on first use)."""
    query = select(PenaltyKind).filter_by(organization_id=organization_id)
    if db.session.scalar(query.with_only_columns(PenaltyKind.id).limit(1)) is None:
        with transaction():
            seed(organization_id)
    if active_only:
        query = query.filter_by(active=True)
    return list(db.session.scalars(query.order_by(PenaltyKind.sort_order, PenaltyKind.id)))


def by_code(organization_id: int, code: str) -> PenaltyKind | None:
    """An active kind of the organization, by code."""
    if not code:
        return None
    return db.session.scalar(
        select(PenaltyKind).filter_by(organization_id=organization_id, code=code, active=True)
    )


def kind_for(user: User, kind_id: int) -> PenaltyKind | None:
    """A kind of ``user``'s organization, or None."""
    return owned(PenaltyKind, user.organization_id, kind_id)


def _check(settings: Settings) -> None:
    settings.name_th = " ".join((settings.name_th or "").split())
    settings.name_en = " ".join((settings.name_en or "").split())
    errors = {}
    if not settings.name_th:
        errors["name_th"] = _l("This field is required.")
    for name in ("name_th", "name_en"):
        if len(getattr(settings, name)) > NAME_MAX:
            errors[name] = _l("At most %(n)d characters.", n=NAME_MAX)
    if errors:
        raise PenaltyError(errors)


def create(organization_id: int, actor_id: int, settings: Settings) -> PenaltyKind:
    """Add a kind (its code is made here: only the names are shown). Commits; PenaltyError."""
    _check(settings)
    with transaction():
        seed(organization_id)
        count = db.session.scalar(
            select(func.count(PenaltyKind.id)).filter_by(organization_id=organization_id)
        )
        row = PenaltyKind(organization_id=organization_id, code=f"kind{count + 1}")
        _apply(row, settings)
        db.session.add(row)
        trail.record_channel(organization_id, "penalty_kind_created", actor_id, row.code)
    return row


def update(row: PenaltyKind, actor_id: int, settings: Settings) -> None:
    """Rename, reorder, or take off (or put back on) the list. Commits; PenaltyError."""
    _check(settings)
    with transaction():
        _apply(row, settings)
        trail.record_channel(
            row.organization_id, "penalty_kind_updated", actor_id, row.code, active=row.active
        )


def _apply(row: PenaltyKind, settings: Settings) -> None:
    row.name_th = settings.name_th
    row.name_en = settings.name_en
    row.sort_order = settings.sort_order or 0
    row.active = settings.active
