"""Ed25519-signed proof of submission (and, in the same shape, audit checkpoints).

The organisation signs ``{"type", "version", "claims"}`` serialised as canonical JSON
(sorted keys, no whitespace, UTF-8). A tipster can hand the resulting document to an outside
body, which checks it against the organisation's published public key; the claims need not
say who the tipster is.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PROOF_TYPE = "rongrian-proof-of-submission"
PROOF_VERSION = 1
_DOC_KEYS = frozenset({"type", "version", "claims", "public_key", "signature"})


class InvalidProof(Exception):
    """A signed document (a proof of submission, an audit checkpoint) is malformed, tampered
    with, or signed by an untrusted key."""


def public_key_bytes(seed: bytes) -> bytes:
    """Raw 32-byte Ed25519 public key for a 32-byte private seed."""
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()


def content_digest(parts: list[bytes]) -> str:
    """Hex SHA-256 over the parts, each prefixed with its 8-byte big-endian length."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def sign_proof(seed: bytes, claims: dict[str, Any]) -> dict[str, Any]:
    """Sign ``claims`` (JSON-serialisable) and return the proof document."""
    return sign_document(seed, PROOF_TYPE, PROOF_VERSION, claims)


def verify_proof(doc: dict[str, Any], trusted_public_key: bytes | None = None) -> dict[str, Any]:
    """Return the claims of a valid proof; InvalidProof otherwise.

    Without ``trusted_public_key`` this only shows the document is self-consistent; pass the
    organisation's published key to show the organisation signed it.
    """
    return verify_document(doc, PROOF_TYPE, PROOF_VERSION, trusted_public_key)


def sign_document(seed: bytes, doc_type: str, version: int, claims: dict[str, Any]) -> dict:
    """Sign ``{"type", "version", "claims"}`` and return the document with the public key and
    the signature (the shape of a proof of submission, for any ``doc_type``)."""
    if not isinstance(claims, dict):
        raise TypeError("claims must be a dict")
    message = _canonical(doc_type, version, claims)
    private = Ed25519PrivateKey.from_private_bytes(seed)
    return {
        "type": doc_type,
        "version": version,
        "claims": json.loads(message)["claims"],  # exactly what was signed
        "public_key": _b64(private.public_key().public_bytes_raw()),
        "signature": _b64(private.sign(message)),
    }


def verify_document(
    doc: object, doc_type: str, version: int, trusted_public_key: bytes | None = None
) -> dict[str, Any]:
    """The claims of a valid ``doc_type`` document; InvalidProof otherwise."""
    if not isinstance(doc, dict):
        raise InvalidProof(f"a {doc_type} must be a JSON object")
    if set(doc) != _DOC_KEYS:
        raise InvalidProof(f"a {doc_type} must have exactly the fields {sorted(_DOC_KEYS)}")
    if doc["type"] != doc_type:
        raise InvalidProof(f"not a {doc_type} (type {doc['type']!r})")
    if type(doc["version"]) is not int or doc["version"] != version:
        raise InvalidProof(f"unsupported {doc_type} version {doc['version']!r}")
    claims = doc["claims"]
    if not isinstance(claims, dict):
        raise InvalidProof(f"the {doc_type} claims must be an object")
    public = _unb64(doc["public_key"], "public_key", 32)
    signature = _unb64(doc["signature"], "signature", 64)
    if trusted_public_key is not None and not hmac.compare_digest(public, trusted_public_key):
        raise InvalidProof(f"the {doc_type} is signed by a key other than the trusted key")
    try:
        message = _canonical(doc_type, version, claims)
    except (TypeError, ValueError):
        raise InvalidProof(f"the {doc_type} claims are not canonical JSON") from None
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        raise InvalidProof(f"the signature does not match the {doc_type} contents") from None
    return claims


def _canonical(proof_type: str, version: int, claims: dict[str, Any]) -> bytes:
    body = {"type": proof_type, "version": version, "claims": claims}
    text = json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object, name: str, length: int) -> bytes:
    if not isinstance(value, str):
        raise InvalidProof(f"the {name} must be a base64 string")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidProof(f"the {name} is not valid base64") from None
    if len(raw) != length:
        raise InvalidProof(f"the {name} must be {length} bytes")
    return raw
