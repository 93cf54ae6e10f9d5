"""Custodian X25519 key pairs whose private half is stored only under the custodian's passphrase.

The private key is wrapped with AES-256-GCM under ``Argon2id(passphrase, 16-byte random salt)``
with the public key as associated data. The server keeps the public key (to seal tipster
identities) and the wrapped blob; it cannot open sealed boxes without the passphrase.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

WRAP_FORMAT = 1
SALT_BYTES = 16
NONCE_BYTES = 12
KEY_BYTES = 32


@dataclass(frozen=True)
class PassphraseCost:
    """Argon2id parameters (default: 64 MiB, 3 passes, 1 lane)."""

    memory_cost_kib: int = 65536
    iterations: int = 3
    lanes: int = 1


# The library requires memory_cost >= 8 * lanes KiB, iterations >= 1 and lanes >= 1.
FAST_TEST_COST = PassphraseCost(memory_cost_kib=8, iterations=1, lanes=1)


@dataclass(frozen=True)
class WrappedKey:
    """A custodian's public key plus the passphrase-wrapped private key."""

    public_key: bytes
    salt: bytes
    nonce: bytes
    wrapped_private: bytes
    cost: PassphraseCost

    def to_json(self) -> str:
        """Serialise (binary fields base64); contains no plaintext private key."""
        return json.dumps(
            {
                "format": WRAP_FORMAT,
                "kdf": "argon2id",
                "public_key": _b64(self.public_key),
                "salt": _b64(self.salt),
                "nonce": _b64(self.nonce),
                "wrapped_private": _b64(self.wrapped_private),
                "cost": {
                    "memory_cost_kib": self.cost.memory_cost_kib,
                    "iterations": self.cost.iterations,
                    "lanes": self.cost.lanes,
                },
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> WrappedKey:
        """Parse :meth:`to_json` output; ValueError if malformed."""
        try:
            doc = json.loads(text)
        except (TypeError, ValueError):
            raise ValueError("wrapped key is not valid JSON") from None
        if not isinstance(doc, dict) or doc.get("format") != WRAP_FORMAT:
            raise ValueError("wrapped key JSON has an unsupported format")
        if doc.get("kdf") != "argon2id":
            raise ValueError("wrapped key uses an unsupported KDF")
        raw_cost = doc.get("cost")
        if not isinstance(raw_cost, dict):
            raise ValueError("wrapped key 'cost' must be an object")
        cost = PassphraseCost(
            memory_cost_kib=_int(raw_cost, "memory_cost_kib"),
            iterations=_int(raw_cost, "iterations"),
            lanes=_int(raw_cost, "lanes"),
        )
        if cost.lanes < 1 or cost.iterations < 1 or cost.memory_cost_kib < 8 * cost.lanes:
            raise ValueError("wrapped key 'cost' is below the Argon2id minimums")
        wrapped = cls(
            public_key=_unb64(doc, "public_key"),
            salt=_unb64(doc, "salt"),
            nonce=_unb64(doc, "nonce"),
            wrapped_private=_unb64(doc, "wrapped_private"),
            cost=cost,
        )
        if len(wrapped.public_key) != KEY_BYTES or len(wrapped.nonce) != NONCE_BYTES:
            raise ValueError("wrapped key has a malformed public key or nonce")
        if len(wrapped.salt) < 8:
            raise ValueError("wrapped key salt is too short")
        return wrapped


class WrongPassphrase(Exception):
    """The passphrase does not unwrap this key."""


def generate(passphrase: str, cost: PassphraseCost = PassphraseCost()) -> WrappedKey:
    """Create a new X25519 key pair and wrap its private key under ``passphrase``."""
    private = X25519PrivateKey.generate()
    return _wrap(
        private.private_bytes_raw(), private.public_key().public_bytes_raw(), passphrase, cost
    )


def unwrap(wrapped: WrappedKey, passphrase: str) -> bytes:
    """Return the raw 32-byte private key; WrongPassphrase if the passphrase is wrong."""
    kek = _kek(passphrase, wrapped.salt, wrapped.cost)
    try:
        raw = AESGCM(kek).decrypt(wrapped.nonce, wrapped.wrapped_private, wrapped.public_key)
    except InvalidTag:
        raise WrongPassphrase("wrong passphrase for this custodian key") from None
    derived = X25519PrivateKey.from_private_bytes(raw).public_key().public_bytes_raw()
    if derived != wrapped.public_key:
        raise ValueError("wrapped private key does not match its public key")
    return raw


def rewrap(wrapped: WrappedKey, old: str, new: str) -> WrappedKey:
    """Re-wrap the same key pair under a new passphrase (fresh salt and nonce, same cost)."""
    return _wrap(unwrap(wrapped, old), wrapped.public_key, new, wrapped.cost)


def _wrap(raw: bytes, public: bytes, passphrase: str, cost: PassphraseCost) -> WrappedKey:
    if not passphrase:
        raise ValueError("passphrase must not be empty")
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(_kek(passphrase, salt, cost)).encrypt(nonce, raw, public)
    return WrappedKey(public, salt, nonce, sealed, cost)


def _kek(passphrase: str, salt: bytes, cost: PassphraseCost) -> bytes:
    # NFC so the same passphrase typed on different keyboards/devices derives the same key.
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    kdf = Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=cost.iterations,
        lanes=cost.lanes,
        memory_cost=cost.memory_cost_kib,
    )
    return kdf.derive(secret)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(doc: dict[str, Any], name: str) -> bytes:
    value = doc.get(name)
    if not isinstance(value, str):
        raise ValueError(f"wrapped key '{name}' is missing")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"wrapped key '{name}' is not valid base64") from None


def _int(doc: dict[str, Any], name: str) -> int:
    value = doc.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"wrapped key cost '{name}' must be an integer")
    return value
