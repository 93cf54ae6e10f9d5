"""Who may see which tip. Only integrity officers see tips at all; only those assigned to a tip
read its content; only custodians open identities; anyone the tip names (or whose unit it
names) is excluded from the case automatically, whatever their role.

Nobody excludes anyone else by hand: beyond the tip's own conflicts, an account is excluded only
when its holder declares a personal conflict, in their own words (``declare_conflict``).
Custodians are never excluded that way, nor the last integrity officer able to act on the tip,
so one officer cannot step everyone else aside and bury a tip. Supervisors and custodians see
every exclusion (``exclusions_for``: accounts and case numbers, never the tip's content) and can
reverse one (``reinstate``).

An exclusion is stored as ``HMAC(index key, case, user)``, never as the account's id, and each
tip carries decoy rows up to a multiple of eight: the database alone shows neither whom a tip
accuses nor how large the unit it names is.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework.cases.errors import FieldErrors
from casework.cases.textinput import LIMITS, clean, fold
from casework.crypto import keys
from casework.crypto.blindindex import keyed_tag
from casework.dates import clock
from casework.dates.thaidate import local_date
from casework.extensions import db, transaction
from casework.models import Case, ConflictExclusion, Department, TipAssignment, User
from casework.staff.roles import CUSTODIAN, INTEGRITY, SUPERVISOR
from casework.tipline import sealing, trail

# Honorifics and ranks stripped before names are compared (Thai and English).
_TITLES = (
    "นางสาว",
    "นาง",
    "นาย",
    "น.ส.",
    "ว่าที่ร้อยตรี",
    "ว่าที่ ร.ต.",
    "ดร.",
    "mrs.",
    "mrs",
    "mr.",
    "mr",
    "ms.",
    "ms",
    "miss",
    "dr.",
)
_SPACE = re.compile(r"[\s.\-·]+")
DECOY_BLOCK = 8


def _squash(text: str) -> str:
    return _SPACE.sub("", fold(text or "").casefold())


def _name_tokens(name: str) -> list[str]:
    tokens = []
    for token in fold(name or "").casefold().split():
        for title in _TITLES:
            if token.startswith(title) and len(token) > len(title) + 1:
                token = token[len(title) :]
                break
        if token not in _TITLES and len(token) >= 2:
            tokens.append(token)
    return tokens


def names_match(staff_name: str, named: str) -> bool:
    """True when every part of a staff member's name (first name and surname) appears in what
    the tipster wrote, ignoring titles, spaces and case."""
    tokens = _name_tokens(staff_name)
    text = _squash(named)
    return bool(tokens) and bool(text) and all(_squash(t) in text for t in tokens)


def unit_matches(dept: Department, named: str) -> bool:
    text = _squash(named)
    if not text:
        return False
    return any(
        candidate and (candidate in text or (len(text) >= 4 and text in candidate))
        for candidate in (_squash(dept.name_th), _squash(dept.name_en), _squash(dept.code))
    )


def conflicts(organization_id: int, accused: dict) -> dict[int, str]:
    """Staff accounts a tip's accused name or unit points at: ``{user_id: "named"|"unit"}``."""
    name = accused.get("name", "")
    unit = accused.get("unit", "")
    found: dict[int, str] = {}
    users = db.session.scalars(select(User).filter_by(organization_id=organization_id))
    departments = {
        d.id: d
        for d in db.session.scalars(select(Department).filter_by(organization_id=organization_id))
    }
    for user in users:
        if name and names_match(user.name, name):
            found[user.id] = "named"
        elif unit and user.department_id and unit_matches(departments[user.department_id], unit):
            found[user.id] = "unit"
    return found


def _user_key(case_id: int, user_id: int) -> str:
    return keyed_tag(keys.keyring(), "tip-exclusion", case_id, user_id)


def _exclusion(case: Case, user_key: str) -> ConflictExclusion:
    row = ConflictExclusion(
        organization_id=case.organization_id,
        case_id=case.id,
        user_key=user_key,
        created_on=local_date(case.received_at),  # the tip's day: rows do not date themselves
    )
    db.session.add(row)
    return row


class ExclusionError(FieldErrors):
    """An exclusion that cannot be declared or reversed as asked."""


def exclude(case: Case, user_id: int, statement: str = "") -> ConflictExclusion | None:
    """Exclude an account from a tip (idempotent; drops any assignment). A decoy row makes way
    for it, so the number of rows stays a multiple of eight. A step of filing's transaction:
    the caller commits (a declared personal conflict is ``declare_conflict``)."""
    if is_excluded(user_id, case):
        return None
    for row in db.session.scalars(
        select(TipAssignment).filter_by(case_id=case.id, user_id=user_id)
    ):
        db.session.delete(row)
    real = {_user_key(case.id, uid) for uid in _staff_ids(case)}
    decoy = db.session.scalar(
        select(ConflictExclusion)
        .filter_by(case_id=case.id)
        .where(ConflictExclusion.user_key.not_in(real))
        .limit(1)
    )
    if decoy is not None:
        db.session.delete(decoy)
    row = _exclusion(case, _user_key(case.id, user_id))
    if statement:
        row.statement_sealed = sealing.seal_text("tip-conflict-statement", case, statement)
    pad_exclusions(case)
    return row


def able_to_act(case: Case) -> list[User]:
    """The active integrity officers the tip does not exclude (who could take it)."""
    return integrity_officers(case.organization_id, case)


def declare_conflict(case: Case, user: User, statement: str) -> None:
    """``user`` declares a personal conflict of interest in the tip, in their own words, and
    steps aside. Never a custodian, and never the last integrity officer able to act on the
    tip. Commits; ExclusionError.

    The trail records that the declarer stepped aside (they are its actor), not the
    statement, which is sealed with the exclusion for supervisors and custodians to read."""
    statement = clean(statement, multiline=True)
    errors = {}
    if user.role == CUSTODIAN:
        errors["statement"] = _l(
            "Custodians cannot be excluded from a tip. If you have a conflict, refuse the "
            "reveal request and say why."
        )
    elif [u.id for u in able_to_act(case)] == [user.id]:
        errors["statement"] = _l(
            "You are the last integrity officer who can act on this tip, so you cannot step "
            "aside. Ask a supervisor or a custodian to have another integrity officer appointed."
        )
    elif not statement:
        errors["statement"] = _l("Say what your conflict of interest is.")
    elif len(statement) > LIMITS["message"]:
        errors["statement"] = _l("At most %(n)d characters.", n=LIMITS["message"])
    if errors:
        raise ExclusionError(errors)
    with transaction():
        if exclude(case, user.id, statement):
            trail.record(case, "excluded", user.id, declared=True)


def can_oversee(user, case: Case | None = None) -> bool:
    """Supervisors and custodians see every exclusion and can reverse one (never on a tip
    that excludes them)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if user.role not in (SUPERVISOR, CUSTODIAN):
        return False
    return case is None or (_in_org(user, case) and not is_excluded(user.id, case))


@dataclass
class Exclusion:
    """One account excluded from a tip, as supervisors and custodians see it."""

    user: User
    declared: bool  # the holder declared a personal conflict (else the tip names them or
    # their unit)
    statement: str  # the declared conflict, in the declarer's words


@dataclass
class TipExclusions:
    case: Case
    excluded: list[Exclusion]
    able: int  # integrity officers still able to act on the tip


def exclusions_of(case: Case) -> list[Exclusion]:
    """The accounts a tip excludes and why, by account."""
    rows = {
        r.user_key: r
        for r in db.session.scalars(select(ConflictExclusion).filter_by(case_id=case.id))
    }
    found = []
    for user in db.session.scalars(
        select(User).filter_by(organization_id=case.organization_id).order_by(User.id)
    ):
        row = rows.get(_user_key(case.id, user.id))
        if row is not None:
            statement = sealing.open_text("tip-conflict-statement", case, row.statement_sealed)
            found.append(Exclusion(user, bool(statement), statement))
    return found


def exclusions_for(user) -> list[TipExclusions]:
    """Every tip of the organization with an exclusion, for a supervisor or a custodian
    (never a tip that excludes them), newest first."""
    if not can_oversee(user):
        return []
    tips = db.session.scalars(
        select(Case)
        .where(Case.organization_id == user.organization_id, Case.channel == "tip")
        .order_by(Case.id.desc())
    )
    found = []
    for case in tips:
        if is_excluded(user.id, case):
            continue
        excluded = exclusions_of(case)
        if excluded:
            found.append(TipExclusions(case, excluded, len(able_to_act(case))))
    return found


def overseen_tip(user, case_id: int) -> Case | None:
    """A tip whose exclusions ``user`` may reverse, or None."""
    case = db.session.get(Case, case_id)
    return case if case is not None and can_oversee(user, case) else None


def reinstate(case: Case, user_id: int, actor: User) -> None:
    """A supervisor or a custodian reverses an exclusion (a decoy takes its row's place).
    Commits; ExclusionError."""
    if not can_oversee(actor, case) or actor.id == user_id or not is_excluded(user_id, case):
        raise ExclusionError({"user_id": str(_l("This exclusion cannot be reversed."))})
    with transaction():
        db.session.execute(
            ConflictExclusion.__table__.delete().where(
                ConflictExclusion.case_id == case.id,
                ConflictExclusion.user_key == _user_key(case.id, user_id),
            )
        )
        pad_exclusions(case)
        trail.record(case, "exclusion_reversed", actor.id)


def pad_exclusions(case: Case) -> None:
    """Decoy rows (random keys no account has) up to a multiple of eight, at least eight."""
    db.session.flush()
    count = db.session.scalar(select(func.count(ConflictExclusion.id)).filter_by(case_id=case.id))
    target = max(DECOY_BLOCK, -(-count // DECOY_BLOCK) * DECOY_BLOCK)
    for _ in range(target - count):
        _exclusion(case, secrets.token_hex(32))


def _staff_ids(case: Case) -> list[int]:
    return list(db.session.scalars(select(User.id).filter_by(organization_id=case.organization_id)))


def excluded_ids(case: Case) -> set[int]:
    stored = set(db.session.scalars(select(ConflictExclusion.user_key).filter_by(case_id=case.id)))
    return {uid for uid in _staff_ids(case) if _user_key(case.id, uid) in stored}


def is_excluded(user_id: int, case: Case) -> bool:
    key = _user_key(case.id, user_id)
    return (
        db.session.scalar(
            select(ConflictExclusion.id).filter_by(case_id=case.id, user_key=key).limit(1)
        )
        is not None
    )


def assigned_ids(case: Case) -> set[int]:
    return set(db.session.scalars(select(TipAssignment.user_id).filter_by(case_id=case.id)))


def _in_org(user, case: Case) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.organization_id == case.organization_id
        and case.channel == "tip"
    )


def is_integrity(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)) and (
        user.role == INTEGRITY
    )


def is_custodian(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)) and (
        user.role == CUSTODIAN
    )


def can_manage(user, case: Case) -> bool:
    """See the tip's register entry (number, category, status) and take or assign it."""
    return _in_org(user, case) and is_integrity(user) and not is_excluded(user.id, case)


def can_read(user, case: Case) -> bool:
    """Read the content (answers, messages, attachments): assigned integrity officers only."""
    return can_manage(user, case) and user.id in assigned_ids(case)


def can_decide_reveal(user, case: Case) -> bool:
    return _in_org(user, case) and is_custodian(user) and not is_excluded(user.id, case)


def assign(case: Case, officer: User, *, actor_id: int | None = None) -> TipAssignment | None:
    """Assign an integrity officer (never one excluded from the case), by ``actor_id`` (the
    officer themselves when not given), with its trail entry. Commits; PermissionError when the
    officer cannot be assigned, None when they already are."""
    if officer.role != INTEGRITY or officer.organization_id != case.organization_id:
        raise PermissionError("only integrity officers of this organization can be assigned")
    if is_excluded(officer.id, case):
        raise PermissionError("this officer is excluded from the case (conflict of interest)")
    if officer.id in assigned_ids(case):
        return None
    try:
        row = add_assignment(case, officer, actor_id=actor_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return row


def add_assignment(case: Case, officer: User, *, actor_id: int | None = None) -> TipAssignment:
    """The assignment row and its trail entry (a step of ``assign`` or of a registration: the
    caller has checked the officer and commits)."""
    row = TipAssignment(
        organization_id=case.organization_id,
        case_id=case.id,
        user_id=officer.id,
        assigned_on=clock.today(),
    )
    db.session.add(row)
    trail.record(case, "assigned", actor_id or officer.id, officer=officer.id)
    return row


def tip_for(user, case_id: int) -> Case | None:
    """The tip ``user`` may manage (see in the register, take, assign), or None: an unknown
    id, another organization's tip, a complaint, a role outside the channel and a tip that
    excludes the user all look the same."""
    case = db.session.get(Case, case_id)
    return case if case is not None and can_manage(user, case) else None


def colleague(case: Case, user_id: int | None) -> User | None:
    """The account ``user_id`` of the tip's organization, or None."""
    user = db.session.get(User, user_id) if user_id else None
    return user if user is not None and user.organization_id == case.organization_id else None


def assigned_officers(case: Case) -> list[User]:
    """The accounts assigned to the tip, in the order they were created."""
    ids = assigned_ids(case)
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))


def visible_tips(user) -> list[Case]:
    """The tip register an integrity officer may see (never the tips they are excluded from)."""
    if not is_integrity(user):
        return []
    tips = list(
        db.session.scalars(
            select(Case)
            .where(Case.organization_id == user.organization_id, Case.channel == "tip")
            .order_by(Case.fiscal_year.desc(), Case.sequence.desc())
        )
    )
    mine = [_user_key(c.id, user.id) for c in tips]
    excluded = set()
    for start in range(0, len(mine), 500):
        chunk = mine[start : start + 500]
        excluded |= set(
            db.session.scalars(
                select(ConflictExclusion.case_id).where(ConflictExclusion.user_key.in_(chunk))
            )
        )
    return [c for c in tips if c.id not in excluded]


def integrity_officers(organization_id: int, case: Case) -> list[User]:
    """Integrity officers who could be assigned to ``case`` (excluded ones left out)."""
    excluded = excluded_ids(case)
    return [
        u
        for u in db.session.scalars(
            select(User)
            .filter_by(organization_id=organization_id, role=INTEGRITY, active=True)
            .order_by(User.name)
        )
        if u.id not in excluded
    ]
