"""Re-showing a receipt after a double click or a refresh, without storing the code readably.

The web form carries a one-time random token. The case stores only SHA-256(token) (to spot the
second submission) and the tracking code sealed with AES-GCM under HKDF(token): only the browser
that holds the token can open it again, and a database dump cannot.
"""

from __future__ import annotations

import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

INFO = b"rongrian-resubmit-v1"


def token_hash(token: str) -> str:
    return hashlib.sha256(b"rongrian-idempotency:" + token.encode()).hexdigest()


def _key(token: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(token.encode())


def seal(token: str, plaintext: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(_key(token)).encrypt(nonce, plaintext.encode(), INFO)


def open_sealed(token: str, sealed: bytes) -> str | None:
    try:
        return AESGCM(_key(token)).decrypt(sealed[:12], sealed[12:], INFO).decode()
    except (InvalidTag, ValueError):
        return None
