"""Tests for casework.crypto.custodian_keys."""

import base64
import json
import unicodedata

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from casework.crypto import custodian_keys
from casework.crypto.custodian_keys import (
    FAST_TEST_COST,
    PassphraseCost,
    WrappedKey,
    WrongPassphrase,
    rewrap,
    unwrap,
)
from casework.crypto.sealed import seal, unseal

PASS = "ม้าลาย กินหญ้า 7 ต้น"


@pytest.fixture
def wrapped() -> WrappedKey:
    return custodian_keys.generate(PASS, FAST_TEST_COST)


def test_defaults_and_fast_cost():
    assert PassphraseCost() == PassphraseCost(memory_cost_kib=65536, iterations=3, lanes=1)
    # The smallest values the library accepts: memory_cost >= 8 * lanes KiB.
    cost = FAST_TEST_COST
    assert (cost.memory_cost_kib, cost.iterations, cost.lanes) == (8, 1, 1)
    with pytest.raises(ValueError):
        custodian_keys.generate(PASS, PassphraseCost(memory_cost_kib=7, iterations=1, lanes=1))
    with pytest.raises(ValueError):
        custodian_keys.generate(PASS, PassphraseCost(memory_cost_kib=8, iterations=0, lanes=1))


def test_generate_and_unwrap(wrapped):
    assert len(wrapped.public_key) == 32
    assert len(wrapped.salt) == 16
    assert len(wrapped.nonce) == 12
    assert wrapped.cost == FAST_TEST_COST
    private = unwrap(wrapped, PASS)
    assert len(private) == 32
    derived = X25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw()
    assert derived == wrapped.public_key


def test_unwrapped_key_opens_sealed_boxes(wrapped):
    box = seal(wrapped.public_key, b"identity", b"aad")
    assert unseal(unwrap(wrapped, PASS), box, b"aad") == b"identity"


@pytest.mark.parametrize("guess", ["", "wrong", PASS + " ", PASS.upper() + "x"])
def test_wrong_passphrase(wrapped, guess):
    with pytest.raises(WrongPassphrase):
        unwrap(wrapped, guess)


def test_passphrase_is_nfc_normalised():
    decomposed = unicodedata.normalize("NFD", "café ลับ")
    composed = unicodedata.normalize("NFC", "café ลับ")
    assert decomposed != composed
    wrapped = custodian_keys.generate(decomposed, FAST_TEST_COST)
    assert unwrap(wrapped, composed) == unwrap(wrapped, decomposed)


def test_empty_passphrase_rejected():
    with pytest.raises(ValueError):
        custodian_keys.generate("", FAST_TEST_COST)


def test_tampering_detected(wrapped):
    other = custodian_keys.generate(PASS, FAST_TEST_COST)
    swapped = WrappedKey(
        other.public_key, wrapped.salt, wrapped.nonce, wrapped.wrapped_private, wrapped.cost
    )
    with pytest.raises(WrongPassphrase):
        unwrap(swapped, PASS)
    flipped = bytearray(wrapped.wrapped_private)
    flipped[0] ^= 1
    with pytest.raises(WrongPassphrase):
        unwrap(
            WrappedKey(
                wrapped.public_key, wrapped.salt, wrapped.nonce, bytes(flipped), wrapped.cost
            ),
            PASS,
        )


def test_rewrap(wrapped):
    private = unwrap(wrapped, PASS)
    new = rewrap(wrapped, PASS, "new passphrase ใหม่")
    assert new.public_key == wrapped.public_key
    assert new.salt != wrapped.salt
    assert new.wrapped_private != wrapped.wrapped_private
    assert new.cost == wrapped.cost
    assert unwrap(new, "new passphrase ใหม่") == private
    with pytest.raises(WrongPassphrase):
        unwrap(new, PASS)
    with pytest.raises(WrongPassphrase):
        rewrap(wrapped, "not it", "whatever")


def test_json_round_trip_holds_no_raw_private_key(wrapped):
    text = wrapped.to_json()
    assert WrappedKey.from_json(text) == wrapped
    private = unwrap(wrapped, PASS)
    doc = json.loads(text)
    assert doc["kdf"] == "argon2id"
    assert doc["cost"] == {"memory_cost_kib": 8, "iterations": 1, "lanes": 1}
    for encoded in (base64.b64encode(private).decode(), private.hex(), private.hex().upper()):
        assert encoded not in text
    for value in doc.values():
        if isinstance(value, str) and value != "argon2id":
            assert private not in base64.b64decode(value)
    assert unwrap(WrappedKey.from_json(text), PASS) == private


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(format=2),
        lambda d: d.update(kdf="pbkdf2"),
        lambda d: d.pop("salt"),
        lambda d: d.update(nonce="!!"),
        lambda d: d.update(public_key=base64.b64encode(b"short").decode()),
        lambda d: d.update(cost="cheap"),
        lambda d: d["cost"].update(lanes=True),
        lambda d: d["cost"].update(memory_cost_kib=4),
    ],
)
def test_from_json_rejects_malformed(wrapped, mutate):
    doc = json.loads(wrapped.to_json())
    mutate(doc)
    with pytest.raises(ValueError):
        WrappedKey.from_json(json.dumps(doc))


def test_from_json_rejects_non_json():
    with pytest.raises(ValueError):
        WrappedKey.from_json("not json")
