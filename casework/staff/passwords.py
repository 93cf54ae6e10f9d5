"""Staff passwords: Argon2id (RFC 9106) in the PHC string format, via cryptography.

The parameters follow OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane); a stored hash
carries its own parameters, so raising them later only affects new hashes, and
``needs_rehash`` tells the login to upgrade an old one.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from flask_babel import lazy_gettext as _l

MEMORY_KIB = 19456
ITERATIONS = 2
LANES = 1
MIN_LENGTH = 12
MAX_LENGTH = 256
_PARAMS = f"m={MEMORY_KIB},t={ITERATIONS},p={LANES}"
# Verified against when the account does not exist, so both cases cost the same time.
_DUMMY = None


def _kdf() -> Argon2id:
    return Argon2id(
        salt=os.urandom(16),
        length=32,
        iterations=ITERATIONS,
        lanes=LANES,
        memory_cost=MEMORY_KIB,
    )


def hash_password(password: str) -> str:
    return _kdf().derive_phc_encoded(password.encode("utf-8"))


def verify(password: str, encoded: str | None) -> bool:
    """True when ``password`` matches; an empty or missing hash still costs one derivation."""
    global _DUMMY
    if not encoded:
        if _DUMMY is None:
            _DUMMY = hash_password(os.urandom(16).hex())
        encoded, password = _DUMMY, password + "\x00never"
    try:
        Argon2id.verify_phc_encoded(password.encode("utf-8"), encoded)
    except (InvalidKey, ValueError):
        return False
    return True


def needs_rehash(encoded: str) -> bool:
    return f"${_PARAMS}$" not in encoded


def problem(password: str) -> str | None:
    """Why ``password`` is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("At most %(n)d characters.", n=MAX_LENGTH))
    if len(set(password)) < 5:
        return str(_l("This password is too easy to guess."))
    return None
