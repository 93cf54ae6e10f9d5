"""Tests for casework.crypto.signing."""

import base64
import copy
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from casework.crypto.signing import (
    InvalidProof,
    content_digest,
    public_key_bytes,
    sign_proof,
    verify_proof,
)

SEED = bytes(range(32))
CLAIMS = {
    "receipt_hash": "ab" * 32,
    "received_at": "2025-03-01T10:15:00+07:00",
    "organisation": "เทศบาลตำบลตัวอย่าง",
    "content_digest": content_digest([b"tip text", b"attachment"]),
    "attachments": 1,
    "categories": ["procurement", "bribery"],
}


@pytest.fixture
def proof() -> dict:
    return sign_proof(SEED, CLAIMS)


def test_public_key_bytes():
    public = public_key_bytes(SEED)
    assert len(public) == 32
    Ed25519PublicKey.from_public_bytes(public)  # valid point
    assert public_key_bytes(bytes(32)) != public


def test_content_digest_is_length_prefixed():
    assert content_digest([b"ab", b"c"]) != content_digest([b"a", b"bc"])
    assert content_digest([b"", b"x"]) != content_digest([b"x"])
    assert content_digest([]) == hashlib.sha256(b"").hexdigest()
    expected = hashlib.sha256((2).to_bytes(8, "big") + b"ab").hexdigest()
    assert content_digest([b"ab"]) == expected


def test_proof_document_shape(proof):
    assert set(proof) == {"type", "version", "claims", "public_key", "signature"}
    assert proof["type"] == "rongrian-proof-of-submission"
    assert proof["version"] == 1
    assert proof["claims"] == CLAIMS
    assert base64.b64decode(proof["public_key"]) == public_key_bytes(SEED)
    assert len(base64.b64decode(proof["signature"])) == 64


def test_signature_over_canonical_json(proof):
    body = {"type": proof["type"], "version": 1, "claims": CLAIMS}
    message = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    Ed25519PublicKey.from_public_bytes(public_key_bytes(SEED)).verify(
        base64.b64decode(proof["signature"]), message.encode("utf-8")
    )


def test_verify_ok(proof):
    assert verify_proof(proof) == CLAIMS
    assert verify_proof(proof, public_key_bytes(SEED)) == CLAIMS


def test_verify_after_json_round_trip(proof):
    shipped = json.loads(json.dumps(proof, indent=4, ensure_ascii=True))
    assert verify_proof(shipped, public_key_bytes(SEED)) == CLAIMS


def test_claims_are_copied_and_tuples_normalised():
    claims = {"ids": (1, 2), "n": 1}
    proof = sign_proof(SEED, claims)
    claims["n"] = 2
    assert proof["claims"] == {"ids": [1, 2], "n": 1}
    assert verify_proof(proof) == {"ids": [1, 2], "n": 1}


@pytest.mark.parametrize("key", sorted(CLAIMS))
def test_tampering_any_claim_fails(proof, key):
    tampered = copy.deepcopy(proof)
    value = tampered["claims"][key]
    if isinstance(value, str):
        tampered["claims"][key] = value[:-1] + ("0" if value[-1] != "0" else "1")
    elif isinstance(value, int):
        tampered["claims"][key] = value + 1
    else:
        tampered["claims"][key] = list(reversed(value))
    with pytest.raises(InvalidProof, match="signature"):
        verify_proof(tampered)


def test_added_or_removed_claims_fail(proof):
    added = copy.deepcopy(proof)
    added["claims"]["extra"] = "x"
    removed = copy.deepcopy(proof)
    del removed["claims"]["attachments"]
    for doc in (added, removed):
        with pytest.raises(InvalidProof):
            verify_proof(doc)


def test_wrong_trusted_key_fails(proof):
    with pytest.raises(InvalidProof, match="trusted"):
        verify_proof(proof, public_key_bytes(bytes(32)))


def test_resigned_by_attacker_fails_against_trusted_key():
    forged = sign_proof(bytes(32), CLAIMS)
    assert verify_proof(forged) == CLAIMS  # self-consistent only
    with pytest.raises(InvalidProof, match="trusted"):
        verify_proof(forged, public_key_bytes(SEED))


def test_swapped_public_key_fails(proof):
    doc = dict(proof, public_key=base64.b64encode(public_key_bytes(bytes(32))).decode())
    with pytest.raises(InvalidProof, match="signature"):
        verify_proof(doc)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(type="other"), "type"),
        (lambda d: d.update(version=2), "version"),
        (lambda d: d.update(version=True), "version"),
        (lambda d: d.update(version="1"), "version"),
        (lambda d: d.update(claims=[]), "claims"),
        (lambda d: d.update(signature="***"), "base64"),
        (lambda d: d.update(signature=base64.b64encode(b"x" * 63).decode()), "64 bytes"),
        (lambda d: d.update(public_key=None), "public_key"),
        (lambda d: d.pop("signature"), "fields"),
        (lambda d: d.update(note="unsigned extra field"), "fields"),
    ],
)
def test_malformed_documents(proof, mutate, message):
    doc = copy.deepcopy(proof)
    mutate(doc)
    with pytest.raises(InvalidProof, match=message):
        verify_proof(doc)


@pytest.mark.parametrize("doc", [None, [], "proof", 1])
def test_non_object_documents(doc):
    with pytest.raises(InvalidProof):
        verify_proof(doc)


def test_non_canonical_claims_fail(proof):
    doc = copy.deepcopy(proof)
    doc["claims"]["n"] = float("nan")
    with pytest.raises(InvalidProof):
        verify_proof(doc)


def test_sign_rejects_non_dict_and_nan():
    with pytest.raises(TypeError):
        sign_proof(SEED, ["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        sign_proof(SEED, {"x": float("inf")})
