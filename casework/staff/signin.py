"""Signing in and out: the password (Argon2id), then a TOTP code; failures counted, and the
account locked for LOGIN_LOCK_MINUTES after LOGIN_MAX_FAILURES wrong passwords or codes.

An unknown email, a wrong password and a locked or disabled account all give the caller the
same answer (``None``) after the same work, so the login page cannot tell who has an account.
Every function that changes an account commits the change with its audit entry, in one
transaction. Sessions live on the server (casework.staff.sessions); the cookie that carries their
id, redirects and rate limits are the web layer's business.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework import audit
from casework.dates import clock
from casework.extensions import db, transaction
from casework.models import User
from casework.staff import accounts, passwords, sessions, totp


def locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > clock.utcnow()


def _find(org_id: int, email: str) -> User | None:
    email = (email or "").strip().lower()
    return db.session.scalar(
        select(User).where(User.organization_id == org_id, func.lower(User.email) == email)
    )


def _count_failure(user: User, reason: str) -> None:
    user.failed_logins += 1
    data: dict[str, object] = {"reason": reason}
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = clock.utcnow() + timedelta(
            minutes=current_app.config["LOGIN_LOCK_MINUTES"]
        )
        user.failed_logins = 0
        data["locked"] = True
    audit.record(
        user.organization_id, "login.failure", actor_id=user.id, target=user.email, data=data
    )


def check_password(org_id: int, email: str, password: str) -> User | None:
    """The account, when it may sign in and the password is right; None otherwise.

    A refused attempt on a locked or disabled account and a wrong password are audited; wrong
    passwords count towards the lock. A hash made with older parameters is upgraded."""
    user = _find(org_id, email)
    with transaction():
        if user is None or not user.active or locked(user):
            passwords.verify(password, None)  # same work, same time
            if user is not None:
                audit.record(
                    org_id,
                    "login.refused",
                    actor_id=user.id,
                    target=user.email,
                    data={"reason": "locked" if locked(user) else "inactive"},
                )
            return None
        if not passwords.verify(password, user.password_hash):
            _count_failure(user, "password")
            return None
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
    return user


def pending(org_id: int, user_id: int, epoch: int) -> User | None:
    """The account between the password and the code: still active, unlocked, and not signed
    out everywhere since (its session epoch unchanged)."""
    user = accounts.get(org_id, user_id)
    if user is None or not user.active or user.session_epoch != epoch or locked(user):
        return None
    return user


def needs_code(user: User) -> bool:
    return user.totp_sealed is not None


def complete(user: User, how: str) -> None:
    """The account is signed in (``how``: the second factor used): failures forgotten,
    audited."""
    with transaction():
        _succeeded(user, how)


def _succeeded(user: User, how: str) -> None:
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = clock.utcnow()
    audit.record(
        user.organization_id,
        "login.success",
        actor_id=user.id,
        target=user.email,
        data={"second_factor": how},
    )


def check_code(user: User, code: str) -> bool:
    """The second step for an enrolled account: a right code (never one used before) signs
    it in; a wrong one counts towards the lock."""
    with transaction():
        if totp.check(user, code):
            _succeeded(user, "totp")
            return True
        _count_failure(user, "totp")
    return False


def enrolment_secret(user: User) -> bytes:
    """First sign-in: the secret to show for the authenticator app. It waits, sealed, in the
    account's row (the same one on every visit) until a code from it matches."""
    with transaction():
        return totp.pending_secret(user)


def enrol(user: User, code: str) -> bool:
    """First sign-in: keep the pending secret once a code from it matches (once), and sign
    in. False (nothing kept) when the code does not match or the account is enrolled already."""
    if user.totp_pending_sealed is None:
        return False
    secret = totp.pending_secret(user)
    step = totp.matching_step(secret, code)
    if step is None:
        return False
    with transaction():
        if not totp.claim_step(user, step, User.totp_sealed.is_(None)):
            return False
        totp.seal_for(user, secret)
        audit.record(user.organization_id, "totp.enrolled", actor_id=user.id, target=user.email)
        _succeeded(user, "totp-enrolled")
    return True


def sign_out(user: User, session_id: str | None) -> None:
    """End the session ``session_id`` names, for every copy of its cookie; audited."""
    with transaction():
        sessions.end(session_id)
        audit.record(user.organization_id, "logout", actor_id=user.id)


def change_password(user: User, current: str, new: str) -> None:
    """The user's own password change; other devices must sign in again. Raises
    ``accounts.StaffError`` when the current password is wrong or the new one too weak."""
    problem = passwords.problem(new)
    if not passwords.verify(current, user.password_hash):
        raise accounts.StaffError({"current": _l("The current password is not correct.")})
    if problem:
        raise accounts.StaffError({"new": problem})
    with transaction():
        user.password_hash = passwords.hash_password(new)
        user.session_epoch += 1
        audit.record(user.organization_id, "password.changed", actor_id=user.id)
