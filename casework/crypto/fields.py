"""AES-256-GCM encryption of database fields and attachment bytes at rest.

Token layout: ``b"\\x01" || key version (2 bytes, big-endian) || 12-byte random nonce ||
ciphertext || 16-byte tag``. The caller's associated data (for example ``b"identity:42"``)
is bound into GCM, so a token copied to another row or column fails to decrypt.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from casework.crypto.keyring import Keyring, KeyringError

TOKEN_FORMAT = 1
NONCE_BYTES = 12
TAG_BYTES = 16
HEADER_BYTES = 3
MIN_TOKEN_BYTES = HEADER_BYTES + NONCE_BYTES + TAG_BYTES


class DecryptionError(Exception):
    """A token is malformed, tampered with, bound to other AAD, or its key is unknown."""


def encrypt(keyring: Keyring, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt ``plaintext`` under the current data key, binding ``aad``."""
    version = keyring.current
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(keyring.data_key(version)).encrypt(nonce, plaintext, aad)
    return bytes([TOKEN_FORMAT]) + version.to_bytes(2, "big") + nonce + sealed


def decrypt(keyring: Keyring, token: bytes, aad: bytes) -> bytes:
    """Decrypt a token made by :func:`encrypt`; DecryptionError on any failure."""
    token = bytes(token)
    version = token_version(token)
    try:
        key = keyring.data_key(version)
    except KeyringError:
        raise DecryptionError(f"unknown data key version {version}") from None
    nonce = token[HEADER_BYTES : HEADER_BYTES + NONCE_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, token[HEADER_BYTES + NONCE_BYTES :], aad)
    except InvalidTag:
        raise DecryptionError("token failed authentication (tampered or wrong AAD)") from None


def encrypt_text(keyring: Keyring, text: str, aad: bytes) -> bytes:
    """Encrypt a string as UTF-8."""
    return encrypt(keyring, text.encode("utf-8"), aad)


def decrypt_text(keyring: Keyring, token: bytes, aad: bytes) -> str:
    """Decrypt a token made by :func:`encrypt_text`."""
    try:
        return decrypt(keyring, token, aad).decode("utf-8")
    except UnicodeDecodeError:
        raise DecryptionError("decrypted field is not UTF-8 text") from None


def encrypt_json(keyring: Keyring, obj: Any, aad: bytes) -> bytes:
    """Encrypt ``obj`` as compact JSON (non-ASCII kept as UTF-8)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return encrypt_text(keyring, text, aad)


def decrypt_json(keyring: Keyring, token: bytes, aad: bytes) -> Any:
    """Decrypt a token made by :func:`encrypt_json`."""
    try:
        return json.loads(decrypt_text(keyring, token, aad))
    except ValueError:
        raise DecryptionError("decrypted field is not valid JSON") from None


def token_version(token: bytes) -> int:
    """Return the data key version recorded in a token's header."""
    token = bytes(token)
    if len(token) < MIN_TOKEN_BYTES:
        raise DecryptionError("token is too short")
    if token[0] != TOKEN_FORMAT:
        raise DecryptionError(f"unknown token format {token[0]}")
    return int.from_bytes(token[1:HEADER_BYTES], "big")


def reencrypt(keyring: Keyring, token: bytes, aad: bytes) -> bytes:
    """Decrypt with the token's own key version and encrypt again with the current one."""
    return encrypt(keyring, decrypt(keyring, token, aad), aad)
