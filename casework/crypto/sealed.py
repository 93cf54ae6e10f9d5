"""Anonymous sealed boxes to an X25519 public key (tipster identity sealed to custodians).

``seal`` makes a fresh ephemeral X25519 key, derives
``HKDF-SHA256(shared, salt = ephemeral_pub || recipient_pub, info = "rongrian-sealed-v1")``
and encrypts with AES-256-GCM under the caller's AAD. Only the holder of the recipient's
private key can open the box; the server that sealed it cannot.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from casework.crypto.fields import DecryptionError

BOX_FORMAT = 1
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
_INFO = b"rongrian-sealed-v1"


@dataclass(frozen=True)
class SealedBox:
    """Ephemeral public key, nonce and AES-GCM ciphertext (with tag)."""

    ephemeral_public: bytes
    nonce: bytes
    ciphertext: bytes

    def to_bytes(self) -> bytes:
        """``b"\\x01" || ephemeral_public (32) || nonce (12) || ciphertext``."""
        return bytes([BOX_FORMAT]) + self.ephemeral_public + self.nonce + self.ciphertext

    @classmethod
    def from_bytes(cls, data: bytes) -> SealedBox:
        """Parse :meth:`to_bytes` output; DecryptionError if malformed."""
        data = bytes(data)
        if len(data) < 1 + KEY_BYTES + NONCE_BYTES + TAG_BYTES:
            raise DecryptionError("sealed box is too short")
        if data[0] != BOX_FORMAT:
            raise DecryptionError(f"unknown sealed box format {data[0]}")
        nonce_at = 1 + KEY_BYTES
        return cls(
            ephemeral_public=data[1:nonce_at],
            nonce=data[nonce_at : nonce_at + NONCE_BYTES],
            ciphertext=data[nonce_at + NONCE_BYTES :],
        )


def seal(recipient_public: bytes, plaintext: bytes, aad: bytes) -> SealedBox:
    """Encrypt ``plaintext`` so that only ``recipient_public``'s owner can open it."""
    recipient = X25519PublicKey.from_public_bytes(recipient_public)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    key = _box_key(ephemeral.exchange(recipient), ephemeral_public, recipient_public)
    nonce = secrets.token_bytes(NONCE_BYTES)
    return SealedBox(ephemeral_public, nonce, AESGCM(key).encrypt(nonce, plaintext, aad))


def unseal(recipient_private: bytes, box: SealedBox, aad: bytes) -> bytes:
    """Open a box with the recipient's raw private key; DecryptionError on any failure."""
    private = X25519PrivateKey.from_private_bytes(recipient_private)
    recipient_public = private.public_key().public_bytes_raw()
    if len(box.ephemeral_public) != KEY_BYTES or len(box.nonce) != NONCE_BYTES:
        raise DecryptionError("sealed box has malformed key or nonce")
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(box.ephemeral_public))
    except ValueError:  # low-order ephemeral key: all-zero shared secret
        raise DecryptionError("sealed box has an invalid ephemeral key") from None
    key = _box_key(shared, box.ephemeral_public, recipient_public)
    try:
        return AESGCM(key).decrypt(box.nonce, box.ciphertext, aad)
    except InvalidTag:
        raise DecryptionError("sealed box failed authentication") from None


def _box_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral_public + recipient_public,
        info=_INFO,
    )
    return hkdf.derive(shared)
