"""Staff sessions, kept on the server.

Signing in starts a session: a random 256-bit id that the cookie carries and the database keeps
only as a SHA-256 hash, with the account, its organization and the account's session epoch at
that moment. A request resumes the session only while it has not ended, its organization is the
one asked about, the account is active with the same epoch (so "log out everywhere", a password
change, a 2FA reset, a role change and deactivation all end it), and its last request was
within STAFF_IDLE_MINUTES. Logging out ends it for every copy of the cookie.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import delete, or_, select

from casework.dates import clock
from casework.extensions import db, transaction
from casework.models import StaffSession, User

TOKEN_BYTES = 32  # 256 bits


class Resumed(NamedTuple):
    user: User | None
    idle: bool  # the session ended just now, after STAFF_IDLE_MINUTES without a request


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _idle_since(now: datetime) -> datetime:
    return now - timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])


def start(user: User) -> str:
    """A new session for ``user`` (who has just signed in): the id for the cookie. The
    account's sessions that are over are forgotten."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = clock.utcnow()
    with transaction():
        db.session.execute(
            delete(StaffSession).where(
                StaffSession.user_id == user.id,
                or_(
                    StaffSession.ended_at.is_not(None),
                    StaffSession.epoch != user.session_epoch,
                    StaffSession.last_seen_at < _idle_since(now),
                ),
            )
        )
        db.session.add(
            StaffSession(
                token_hash=_hash(token),
                user_id=user.id,
                organization_id=user.organization_id,
                epoch=user.session_epoch,
                created_at=now,
                last_seen_at=now,
            )
        )
    return token


def _open(token: str | None) -> StaffSession | None:
    if not token:
        return None
    row = db.session.scalar(select(StaffSession).where(StaffSession.token_hash == _hash(token)))
    return row if row is not None and row.ended_at is None else None


def resume(token: str | None, org_id: int) -> Resumed:
    """The account whose session ``token`` names, at organization ``org_id``, when the
    session still holds (its last request is now); else no account."""
    row = _open(token)
    if row is None or row.organization_id != org_id:
        return Resumed(None, False)
    user = db.session.get(User, row.user_id)
    now = clock.utcnow()
    with transaction():
        if user is None or not user.active or user.session_epoch != row.epoch:
            row.ended_at = now
            return Resumed(None, False)
        if user.organization_id != org_id:
            return Resumed(None, False)
        if row.last_seen_at < _idle_since(now):
            row.ended_at = now
            return Resumed(None, True)
        row.last_seen_at = now
    return Resumed(user, False)


def end(token: str | None) -> None:
    """End the session ``token`` names (the caller commits)."""
    row = _open(token)
    if row is not None:
        row.ended_at = clock.utcnow()
