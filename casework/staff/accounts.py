"""Creating and changing staff accounts; every permission change is audited."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework import audit
from casework.cases.contact import BAD_EMAIL, EMAIL
from casework.cases.errors import FieldErrors
from casework.extensions import db, owned, transaction
from casework.models import Department, User
from casework.staff import passwords, roles


class StaffError(FieldErrors):
    """An account that cannot be created or changed as given."""


def get(org_id: int, user_id: int | None) -> User | None:
    """The organization's account with this id, or None."""
    return owned(User, org_id, user_id)


def listing(org_id: int) -> list[User]:
    """Every account of the organization, by role then email."""
    return list(
        db.session.scalars(
            select(User).filter_by(organization_id=org_id).order_by(User.role, User.email)
        )
    )


def by_id(org_id: int) -> dict[int, User]:
    """The organization's accounts by id, to name the people on a page."""
    return {u.id: u for u in db.session.scalars(select(User).filter_by(organization_id=org_id))}


def _check(org_id, email, role, department_id, password, *, user_id=None, new=False) -> dict:
    errors: dict[str, object] = {}
    if not EMAIL.match(email or ""):
        errors["email"] = BAD_EMAIL
    else:
        clash = db.session.scalar(
            select(User).where(User.organization_id == org_id, func.lower(User.email) == email)
        )
        if clash is not None and clash.id != user_id:
            errors["email"] = _l("Another account already uses this email.")
    if role not in roles.ROLES:
        errors["role"] = _l("Choose a role from the list.")
    if role == roles.OFFICER and department_id is None:
        errors["department"] = _l("A department officer needs a department.")
    if department_id is not None:
        dept = db.session.get(Department, department_id)
        if dept is None or dept.organization_id != org_id:
            errors["department"] = _l("Choose a department from the list.")
    if password or new:
        problem = passwords.problem(password or "")
        if problem:
            errors["password"] = problem
    return errors


def check_fields(
    org_id: int, email: str, role: str, department_id: int | None, *, user_id: int | None = None
) -> dict:
    """The field errors of an account's email, role and department (password aside)."""
    return {
        k: str(v)
        for k, v in _check(org_id, email, role, department_id, "", user_id=user_id).items()
    }


def check_create(
    org_id: int, email: str, role: str, department_id: int | None, password: str
) -> str:
    """The normalized email of a new account; StaffError naming each field that is wrong."""
    email = (email or "").strip().lower()
    errors = _check(org_id, email, role, department_id, password, new=True)
    if errors:
        raise StaffError(errors)
    return email


def add(
    org_id: int,
    email: str,
    role: str,
    *,
    password_hash: str,
    department_id: int | None = None,
    name: str = "",
    actor_id: int | None = None,
    approved_by: int | None = None,
) -> User:
    """Add a checked account with its audit entry (a step: the caller commits)."""
    user = User(
        organization_id=org_id,
        email=email,
        name=(name or "").strip(),
        role=role,
        department_id=department_id,
        password_hash=password_hash,
    )
    db.session.add(user)
    db.session.flush()
    data = {"user_id": user.id, "role": role, "department_id": department_id}
    if approved_by is not None:
        data["approved_by"] = approved_by
    audit.record(org_id, "user.create", actor_id=actor_id, target=email, data=data)
    return user


def create(org_id: int, email: str, role: str, *, password: str, **account) -> User:
    """Create an account at once, audited (``account``: department_id, name, actor_id, as
    ``add`` takes them). Commits; StaffError. (The back office and the command line go
    through casework.staff.changes, which decides when a second person must approve first.)"""
    email = check_create(org_id, email, role, account.get("department_id"), password)
    with transaction():
        user = add(org_id, email, role, password_hash=passwords.hash_password(password), **account)
    return user


def check_update(
    user: User,
    *,
    email: str,
    role: str,
    department_id: int | None,
    active: bool,
    password: str = "",
    actor_id: int,
) -> str:
    """The normalized email of a changed account; StaffError naming each field that is wrong
    (an administrator never removes their own access)."""
    email = (email or "").strip().lower()
    errors = _check(user.organization_id, email, role, department_id, password, user_id=user.id)
    if user.id == actor_id and (role != user.role or not active):
        errors["role"] = _l("You cannot remove your own administrator access.")
    if errors:
        raise StaffError(errors)
    return email


def apply_update(
    user: User,
    *,
    email: str,
    name: str,
    role: str,
    department_id: int | None,
    active: bool,
    password_hash: str | None = None,
    actor_id: int,
    approved_by: int | None = None,
) -> None:
    """Apply a checked change with its audit entry (a step: the caller commits)."""
    before = {"role": user.role, "department_id": user.department_id, "active": user.active}
    after = {"role": role, "department_id": department_id, "active": active}
    user.email, user.name = email, (name or "").strip()
    user.role, user.department_id, user.active = role, department_id, active
    if before != after or password_hash:
        user.session_epoch += 1  # new permissions take effect on the next sign-in
    if password_hash:
        user.password_hash = password_hash
    data = {"user_id": user.id, "before": before, "after": after, "password": bool(password_hash)}
    if approved_by is not None:
        data["approved_by"] = approved_by
    audit.record(user.organization_id, "user.update", actor_id=actor_id, target=email, data=data)


def update(user: User, *, password: str = "", actor_id: int, **fields) -> None:
    """Change an account at once, audited (``fields``: email, name, role, department_id,
    active). Commits; StaffError."""
    checked = {k: v for k, v in fields.items() if k != "name"}
    email = check_update(user, password=password, actor_id=actor_id, **checked)
    with transaction():
        apply_update(
            user,
            **{**fields, "email": email},
            password_hash=passwords.hash_password(password) if password else None,
            actor_id=actor_id,
        )


def _security(user: User, action: str, actor_id: int, **changes) -> None:
    """Apply a security change to an account, audit it and commit."""
    with transaction():
        _change(user, action, actor_id, None, **changes)


def _change(user: User, action: str, actor_id: int, approved_by: int | None, **changes) -> None:
    for name, value in changes.items():
        setattr(user, name, value)
    data = {"user_id": user.id}
    if approved_by is not None:
        data["approved_by"] = approved_by
    audit.record(user.organization_id, action, actor_id=actor_id, target=user.email, data=data)


def apply_reset_totp(user: User, actor_id: int, approved_by: int | None = None) -> None:
    """Forget the TOTP secret, audited (a step: the caller commits)."""
    _change(
        user,
        "totp.reset",
        actor_id,
        approved_by,
        totp_sealed=None,
        totp_pending_sealed=None,
        totp_last_step=None,
        session_epoch=user.session_epoch + 1,
    )


def reset_totp(user: User, actor_id: int) -> None:
    """Forget the TOTP secret (lost phone): the user enrols again at the next sign-in."""
    with transaction():
        apply_reset_totp(user, actor_id)


def sign_out_everywhere(user: User, actor_id: int) -> None:
    _security(user, "logout.everywhere", actor_id, session_epoch=user.session_epoch + 1)


def unlock(user: User, actor_id: int) -> None:
    _security(user, "user.unlock", actor_id, locked_until=None, failed_logins=0)
