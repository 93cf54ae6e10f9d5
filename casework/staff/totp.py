"""Two-factor authentication with TOTP (RFC 6238, cryptography's implementation).

The shared secret is sealed with AES-GCM under the AAD ``totp:{org_id}:{user_id}`` (registered
in casework.crypto.rotation); during enrolment the new secret waits in the user's row, sealed the
same way under ``totp-pending:{org_id}:{user_id}``, never in a cookie. Each accepted code's time
step is recorded with one conditional UPDATE, so a code cannot be used twice, even by two
sign-ins at the same moment. Enrolment shows the ``otpauth://`` URI as a QR code in a ``data:``
URI (the CSP allows ``img-src data:``).
"""

from __future__ import annotations

import base64
import io
import os
from datetime import UTC

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor import InvalidToken
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from sqlalchemy import or_, update
from sqlalchemy.orm.attributes import set_committed_value

from casework.crypto import fields, keys
from casework.dates import clock
from casework.extensions import db
from casework.models import User

DIGITS = 6
STEP = 30
WINDOW = 1  # accept one step either side for clock drift
ISSUER = "Rongrian"


def new_secret() -> bytes:
    return os.urandom(20)


def _totp(secret: bytes) -> TOTP:
    # RFC 6238 authenticator apps use HMAC-SHA1; HMAC-SHA1 is not affected by SHA-1 collisions.
    return TOTP(secret, DIGITS, SHA1(), STEP, enforce_key_length=False)  # noqa: S303


def _aad(user: User, purpose: str = "totp") -> bytes:
    return f"{purpose}:{user.organization_id}:{user.id}".encode()


def pending_aad(user: User) -> bytes:
    return _aad(user, "totp-pending")


def seal_for(user: User, secret: bytes) -> None:
    """Keep ``secret`` as the user's authenticator (the enrolment's pending secret goes)."""
    user.totp_sealed = fields.encrypt(keys.keyring(), secret, _aad(user))
    user.totp_pending_sealed = None


def secret_of(user: User) -> bytes | None:
    if user.totp_sealed is None:
        return None
    return fields.decrypt(keys.keyring(), user.totp_sealed, _aad(user))


def pending_secret(user: User) -> bytes:
    """The secret offered during enrolment: the one already waiting, or a new one (sealed into
    the row; the caller commits)."""
    if user.totp_pending_sealed is not None:
        return fields.decrypt(keys.keyring(), user.totp_pending_sealed, pending_aad(user))
    secret = new_secret()
    user.totp_pending_sealed = fields.encrypt(keys.keyring(), secret, pending_aad(user))
    return secret


def now_seconds() -> int:
    return int(clock.utcnow().replace(tzinfo=UTC).timestamp())


def code_at(secret: bytes, at_seconds: int) -> str:
    return _totp(secret).generate(at_seconds).decode()


def matching_step(secret: bytes, code: str, last_step: int | None = None) -> int | None:
    """The time step ``code`` belongs to (within the drift window), or None."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != DIGITS:
        return None
    now = now_seconds()
    totp = _totp(secret)
    for offset in range(-WINDOW, WINDOW + 1):
        step = now // STEP + offset
        if last_step is not None and step <= last_step:
            continue
        try:
            totp.verify(code.encode(), step * STEP)
        except InvalidToken:
            continue
        return step
    return None


def claim_step(user: User, step: int, *conditions) -> bool:
    """Record ``step`` as the user's last used time step, atomically: False when it (or a
    later one) was recorded already, by this request or a concurrent one, or when one of the
    extra ``conditions`` on the row fails. The caller commits."""
    result = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
            *conditions,
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def check(user: User, code: str) -> bool:
    """Verify a code for an enrolled user and record its step (the caller commits)."""
    secret = secret_of(user)
    if secret is None:
        return False
    step = matching_step(secret, code, user.totp_last_step)
    return step is not None and claim_step(user, step)


def provisioning_uri(secret: bytes, account: str, issuer: str = ISSUER) -> str:
    return _totp(secret).get_provisioning_uri(account, issuer)


def secret_text(secret: bytes) -> str:
    """The base32 secret, grouped, for typing into an app by hand."""
    raw = base64.b32encode(secret).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_data_uri(text: str) -> str:
    import qrcode  # loaded on first use (enrolment only), not in every worker at boot

    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
