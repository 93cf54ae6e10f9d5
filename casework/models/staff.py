"""Staff accounts (officers, clerks, supervisors, custodians, admins)."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.extensions import db
from casework.models.base import created_at, org_fk
from casework.models.organization import Department


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("organization_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(32))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    totp_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_last_step: Mapped[int | None]  # the last accepted TOTP time step (no code is used twice)
    totp_pending_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)  # during enrolment
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    session_epoch: Mapped[int] = mapped_column(default=0)
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at()

    department: Mapped[Department | None] = relationship()

    @property
    def is_active(self) -> bool:  # flask-login
        return self.active


class StaffSession(db.Model):
    """A signed-in staff session. The cookie carries only a random id; the server keeps its
    SHA-256 hash, the account, the organization and the session epoch the account had when it
    signed in, so that logging out, "log out everywhere", the idle timeout and deactivation
    end the session for every copy of the cookie."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organization_id: Mapped[int] = org_fk()
    epoch: Mapped[int]
    created_at: Mapped[datetime] = created_at()
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class AccountChange(db.Model):
    """A change to a custodian, integrity or supervisor account that the system administrator
    asked for and a second person must approve (casework.staff.changes): creating the account,
    changing it (role, activation, password, anything else), or resetting its two-step
    verification. ``payload`` holds the proposed values; a new password only as its hash,
    dropped once the request is decided."""

    __tablename__ = "account_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    action: Mapped[str] = mapped_column(String(16))  # create | update | reset_totp
    target_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = created_at()
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was refused
