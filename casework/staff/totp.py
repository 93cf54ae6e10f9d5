"""Two-factor authentication with TOTP (RFC 6238, cryptography's implementation).

The shared secret is sealed with AES-GCM under the AAD ``totp:{org_id}:{user_id}`` (registered
in casework.crypto.rotation). Each accepted code's time step is remembered, so a code cannot be used
twice. Enrolment shows the ``otpauth://`` URI as a QR code in a ``data:`` URI (the CSP allows
``img-src data:``).
"""

from __future__ import annotations

import base64
import io
import os
from datetime import UTC

import qrcode
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor import InvalidToken
from cryptography.hazmat.primitives.twofactor.totp import TOTP

from casework.crypto import fields, keys
from casework.dates import clock
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


def _aad(user: User) -> bytes:
    return f"totp:{user.organization_id}:{user.id}".encode()


def seal_for(user: User, secret: bytes) -> None:
    user.totp_sealed = fields.encrypt(keys.keyring(), secret, _aad(user))
    user.totp_last_step = None


def secret_of(user: User) -> bytes | None:
    if user.totp_sealed is None:
        return None
    return fields.decrypt(keys.keyring(), user.totp_sealed, _aad(user))


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


def check(user: User, code: str) -> bool:
    """Verify a code for an enrolled user and remember its step (the caller commits)."""
    secret = secret_of(user)
    if secret is None:
        return False
    step = matching_step(secret, code, user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def provisioning_uri(secret: bytes, account: str, issuer: str = ISSUER) -> str:
    return _totp(secret).get_provisioning_uri(account, issuer)


def secret_text(secret: bytes) -> str:
    """The base32 secret, grouped, for typing into an app by hand."""
    raw = base64.b32encode(secret).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
