"""The two-person rule for the accounts that hold the corruption channel's protection.

The system administrator cannot, alone, create a custodian, integrity-officer or supervisor
account, change one (its role to or from one of these, its activation, its password, its name
or email, which conflict-of-interest checks read), or reset its two-step verification. Such a
change becomes a pending ``AccountChange`` that a second person approves:

- a custodian whose key is approved, when a custodian account is involved (before or after);
- otherwise a supervisor or such a custodian (integrity officers and supervisors).

Supervisors are on the list because they approve integrity accounts: an administrator who
could make supervisors alone could approve their own requests through one. Nobody approves a
request they made, or one about their own account. Every request and decision goes to the
audit trail and is emailed to all custodians (casework.tipline.custody.notify_custodians).

Changes to other accounts apply at once (casework.staff.accounts). The command line creates
custodian, integrity and supervisor accounts only while the organization has not held its
first-key ceremony (``bootstrap_create``): the first custodians are created on the server, and
everyone after them through the back office and a second person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework import audit
from casework.dates import clock
from casework.extensions import db, owned, transaction
from casework.models import AccountChange, Department, User
from casework.staff import accounts, passwords, roles
from casework.tipline import custody

GUARDED = frozenset({roles.CUSTODIAN, roles.INTEGRITY, roles.SUPERVISOR})
PENDING, APPROVED, REFUSED, WITHDRAWN = "pending", "approved", "refused", "withdrawn"
CREATE, UPDATE, RESET_TOTP = "create", "update", "reset_totp"
ACTIONS = {
    CREATE: _l("Create the account"),
    UPDATE: _l("Change the account"),
    RESET_TOTP: _l("Reset two-step verification"),
}
STATUSES = {
    PENDING: _l("Waiting for approval"),
    APPROVED: _l("Approved and applied"),
    REFUSED: _l("Refused"),
    WITHDRAWN: _l("Withdrawn"),
}
RECENT = 50


def _department(department_id: int | None) -> Department | None:
    return db.session.get(Department, department_id) if department_id else None


def _roles(change: AccountChange) -> set[str]:
    """The roles a change touches: the account's role before and after."""
    found = {change.payload.get("role")}
    if change.target_id is not None:
        found.add(db.session.get(User, change.target_id).role)
    return {r for r in found if r}


def approver_roles(involved: set[str]) -> frozenset[str]:
    """Who may approve a change touching ``involved`` roles."""
    if roles.CUSTODIAN in involved:
        return frozenset({roles.CUSTODIAN})
    return frozenset({roles.SUPERVISOR, roles.CUSTODIAN})


def can_approve(user: User, change: AccountChange) -> bool:
    """Whether ``user`` may approve or refuse ``change`` (never their own request, never a
    change to their own account; a custodian only with an approved key)."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not user.active
        or user.organization_id != change.organization_id
        or change.status != PENDING
        or user.id in (change.requested_by, change.target_id)
        or user.role not in approver_roles(_roles(change))
    ):
        return False
    return user.role != roles.CUSTODIAN or custody.active_key_of(user) is not None


def _approvers_exist(organization_id: int, involved: set[str], requester: User) -> bool:
    allowed = approver_roles(involved)
    for user in db.session.scalars(
        select(User).where(
            User.organization_id == organization_id,
            User.active.is_(True),
            User.role.in_(allowed),
            User.id != requester.id,
        )
    ):
        if user.role != roles.CUSTODIAN or custody.active_key_of(user) is not None:
            return True
    return False


def _nobody_to_approve(involved: set[str]) -> accounts.StaffError:
    if roles.CUSTODIAN in involved:
        message = _l(
            "No custodian with an approved key can approve this change. The organization's "
            "first custodians are created on the server (flask users create)."
        )
    else:
        message = _l("No supervisor or custodian can approve this change yet.")
    return accounts.StaffError({"role": message})


def _waiting(target: User) -> None:
    if db.session.scalar(
        select(AccountChange.id).filter_by(target_id=target.id, status=PENDING).limit(1)
    ):
        raise accounts.StaffError(
            {"role": _l("A change to this account is already waiting for approval.")}
        )


def _describe(change: AccountChange) -> dict:
    """What the custodians' email says about the account (staff only, never a tip)."""
    target = db.session.get(User, change.target_id) if change.target_id else None
    return {
        "change": change.action,
        "account": change.payload.get("email") or (target.email if target else ""),
        "role": change.payload.get("role") or (target.role if target else ""),
    }


def _request(
    organization_id: int, actor: User, action: str, target: User | None, payload: dict
) -> AccountChange:
    change = AccountChange(
        organization_id=organization_id,
        action=action,
        target_id=target.id if target else None,
        payload=payload,
        requested_by=actor.id,
        status=PENDING,
    )
    involved = _roles(change)
    if not _approvers_exist(organization_id, involved, actor):
        raise _nobody_to_approve(involved)
    with transaction():
        db.session.add(change)
        db.session.flush()
        audit.record(
            organization_id,
            "account_change.requested",
            actor_id=actor.id,
            target=_describe(change)["account"],
            data={"change": change.id, "action": action, "roles": sorted(involved)},
        )
        custody.notify_custodians(
            organization_id, "account_change_requested", actor, **_describe(change)
        )
    return change


def create(
    organization_id: int, actor: User, email: str, role: str, **account
) -> AccountChange | None:
    """The administrator creates an account (``account``: password, department_id, name, as
    ``accounts.create`` takes them): at once (None), or, for a guarded role, as a request
    waiting for a second person (returned). Commits; StaffError."""
    department_id, password = account.get("department_id"), account.get("password", "")
    email = accounts.check_create(organization_id, email, role, department_id, password)
    if role not in GUARDED:
        accounts.create(organization_id, email, role, actor_id=actor.id, **account)
        return None
    if any(
        c.payload.get("email") == email
        for c in db.session.scalars(
            select(AccountChange).filter_by(
                organization_id=organization_id, action=CREATE, status=PENDING
            )
        )
    ):
        raise accounts.StaffError(
            {"email": _l("An account with this email is already waiting for approval.")}
        )
    payload = {
        "email": email,
        "name": (account.get("name") or "").strip(),
        "role": role,
        "department_id": department_id,
        "password_hash": passwords.hash_password(password),
    }
    return _request(organization_id, actor, CREATE, None, payload)


def update(user: User, actor: User, **fields) -> AccountChange | None:
    """The administrator changes an account (``fields``: email, name, role, department_id,
    active, password, as ``accounts.update`` takes them): at once (None), or, when the account
    is or becomes a guarded role, as a request waiting for a second person (returned).
    Commits; StaffError."""
    if user.role not in GUARDED and fields["role"] not in GUARDED:
        accounts.update(user, actor_id=actor.id, **fields)
        return None
    email = accounts.check_update(
        user, actor_id=actor.id, **{k: v for k, v in fields.items() if k != "name"}
    )
    _waiting(user)
    password = fields.get("password") or ""
    payload = {
        "email": email,
        "name": (fields.get("name") or "").strip(),
        "role": fields["role"],
        "department_id": fields["department_id"],
        "active": bool(fields["active"]),
        "password_hash": passwords.hash_password(password) if password else None,
        "before": {
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "department_id": user.department_id,
            "active": user.active,
        },
    }
    return _request(user.organization_id, actor, UPDATE, user, payload)


def reset_totp(user: User, actor: User) -> AccountChange | None:
    """The administrator resets an account's two-step verification: at once (None), or for
    a guarded account as a request waiting for a second person (returned). Commits."""
    if user.role not in GUARDED:
        accounts.reset_totp(user, actor.id)
        return None
    _waiting(user)
    return _request(user.organization_id, actor, RESET_TOTP, user, {})


def bootstrap_allowed(organization_id: int, role: str) -> bool:
    """Whether the command line may create an account of ``role`` on its own: any role that
    needs no second person; a guarded one only before the first-key ceremony."""
    return role not in GUARDED or custody.ceremony_of(organization_id) is None


def bootstrap_create(organization_id: int, email: str, role: str, **account) -> User:
    """``flask users create``: the first sysadmin, and the first custodians (and integrity
    officers and supervisors) of an organization that has no custodian key yet; ``account``
    is what ``accounts.create`` takes (password, department_id, name). Commits; StaffError
    when a second person must approve the account instead."""
    if not bootstrap_allowed(organization_id, role):
        raise accounts.StaffError(
            {
                "role": _l(
                    "This organization already has custodians: a custodian, integrity officer "
                    "or supervisor account is created in the back office and approved by a "
                    "second person."
                )
            }
        )
    user = accounts.create(organization_id, email, role, **account)
    if role in GUARDED:
        with transaction():
            custody.notify_custodians(
                organization_id,
                "account_change_direct",
                None,
                change=CREATE,
                account=user.email,
                role=role,
            )
    return user


def _apply(change: AccountChange, approver: User) -> None:
    payload = change.payload
    if change.action == CREATE:
        email = (payload["email"] or "").strip().lower()
        errors = accounts.check_fields(
            change.organization_id, email, payload["role"], payload["department_id"]
        )
        if errors:
            raise accounts.StaffError(errors)
        accounts.add(
            change.organization_id,
            email,
            payload["role"],
            password_hash=payload["password_hash"],
            department_id=payload["department_id"],
            name=payload["name"],
            actor_id=change.requested_by,
            approved_by=approver.id,
        )
        return
    target = db.session.get(User, change.target_id)
    if change.action == RESET_TOTP:
        accounts.apply_reset_totp(target, change.requested_by, approved_by=approver.id)
        return
    errors = accounts.check_fields(
        change.organization_id,
        payload["email"],
        payload["role"],
        payload["department_id"],
        user_id=target.id,
    )
    if errors:
        raise accounts.StaffError(errors)
    accounts.apply_update(
        target,
        email=payload["email"],
        name=payload["name"],
        role=payload["role"],
        department_id=payload["department_id"],
        active=payload["active"],
        password_hash=payload.get("password_hash"),
        actor_id=change.requested_by,
        approved_by=approver.id,
    )


def _decide(change: AccountChange, approver: User, status: str, reason: str = "") -> None:
    change.status = status
    change.decided_by = approver.id
    change.decided_at = clock.utcnow()
    change.reason = reason
    # The new password's hash is dropped; that one was set stays visible.
    payload = dict(change.payload)
    if payload.pop("password_hash", None):
        payload["password"] = True
    change.payload = payload
    audit.record(
        change.organization_id,
        f"account_change.{status}",
        actor_id=approver.id,
        target=_describe(change)["account"],
        data={"change": change.id, "action": change.action},
    )


def _refusal(message) -> accounts.StaffError:
    return accounts.StaffError({"decision": message})


def approve(change: AccountChange, approver: User) -> None:
    """A second person approves a pending change: it is applied, audited, and every
    custodian is told. Commits; StaffError."""
    if not can_approve(approver, change):
        raise _refusal(_l("You cannot approve this change."))
    with transaction():
        _apply(change, approver)
        _decide(change, approver, APPROVED)
        custody.notify_custodians(
            change.organization_id, "account_change_approved", approver, **_describe(change)
        )


def refuse(change: AccountChange, approver: User, reason: str) -> None:
    """A second person refuses a pending change, saying why. Commits; StaffError."""
    reason = " ".join((reason or "").split())
    if not can_approve(approver, change):
        raise _refusal(_l("You cannot decide this change."))
    if not reason:
        raise _refusal(_l("Say why you refuse the change."))
    if len(reason) > 500:
        raise _refusal(_l("At most %(n)d characters.", n=500))
    with transaction():
        _decide(change, approver, REFUSED, reason)
        custody.notify_custodians(
            change.organization_id, "account_change_refused", approver, **_describe(change)
        )


def withdraw(change: AccountChange, requester: User) -> None:
    """The person who asked withdraws a pending change. Commits; StaffError."""
    if change.status != PENDING or change.requested_by != requester.id:
        raise _refusal(_l("You cannot withdraw this change."))
    with transaction():
        _decide(change, requester, WITHDRAWN)


def change_for(user: User, change_id: int) -> AccountChange | None:
    """A change of the user's organization, or None."""
    return owned(AccountChange, user.organization_id, change_id)


@dataclass
class Item:
    """A change as the approvals page shows it."""

    change: AccountChange
    target: User | None
    requester: User
    decider: User | None
    roles: list[str]
    approvable: bool  # the reader may approve or refuse it
    withdrawable: bool  # the reader asked for it and it still waits

    @property
    def account(self) -> str:
        return self.change.payload.get("email") or (self.target.email if self.target else "")

    @property
    def requested_at(self) -> datetime:
        return self.change.requested_at

    @property
    def differences(self) -> list[tuple[str, object, object]]:
        """``(field, before, after)`` for what the change sets: every field of a new
        account, the changed fields of a change, nothing for a reset of two-step
        verification; ``password`` is only ever ``(None, True)``."""
        payload = self.change.payload
        fields = ("email", "name", "role", "department_id", "active")
        if self.change.action == CREATE:
            found = [(f, None, payload.get(f)) for f in fields[:4]]
        elif self.change.action == UPDATE:
            before = payload.get("before", {})
            found = [(f, before.get(f), payload.get(f)) for f in fields]
            found = [d for d in found if d[1] != d[2]]
        else:
            return []
        if payload.get("password_hash") or payload.get("password"):
            found.append(("password", None, True))
        return [
            (f, _department(b), _department(a)) if f == "department_id" else (f, b, a)
            for f, b, a in found
        ]


def listing(user: User) -> list[Item]:
    """The organization's account changes, waiting ones first, for the approvals page."""
    rows = db.session.scalars(
        select(AccountChange)
        .filter_by(organization_id=user.organization_id)
        .order_by(AccountChange.status != PENDING, AccountChange.id.desc())
        .limit(RECENT)
    )
    items = []
    for change in rows:
        items.append(
            Item(
                change=change,
                target=db.session.get(User, change.target_id) if change.target_id else None,
                requester=db.session.get(User, change.requested_by),
                decider=db.session.get(User, change.decided_by) if change.decided_by else None,
                roles=sorted(_roles(change)),
                approvable=can_approve(user, change),
                withdrawable=change.status == PENDING and change.requested_by == user.id,
            )
        )
    return items


def waiting_for(user: User) -> int:
    """How many pending changes ``user`` may approve (for the back office's front page)."""
    pending = db.session.scalars(
        select(AccountChange).filter_by(organization_id=user.organization_id, status=PENDING)
    )
    return sum(1 for change in pending if can_approve(user, change))


def pending_targets(organization_id: int) -> set[int]:
    """Accounts with a change waiting for approval (the users page marks them)."""
    return set(
        db.session.scalars(
            select(AccountChange.target_id).where(
                AccountChange.organization_id == organization_id,
                AccountChange.status == PENDING,
                AccountChange.target_id.is_not(None),
            )
        )
    )
