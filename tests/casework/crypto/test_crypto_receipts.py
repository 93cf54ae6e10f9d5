"""Tests for casework.crypto.receipts."""

import hashlib
import math
import re

import pytest
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from casework.crypto.receipts import (
    FAST_TEST_COST,
    RECEIPT_LENGTH,
    KdfCost,
    generate_receipt,
    lookup_hash,
    normalize_receipt,
    receipt_key,
)
from casework.crypto.tracking import ALPHABET, normalize_code

PEPPER = bytes(range(32))


def test_defaults():
    assert RECEIPT_LENGTH == 20
    assert KdfCost() == KdfCost(n=2**15, r=8, p=1)
    assert (FAST_TEST_COST.n, FAST_TEST_COST.r, FAST_TEST_COST.p) == (16, 1, 1)
    assert (RECEIPT_LENGTH - 1) * math.log2(len(ALPHABET)) >= 95


def test_generate_receipt_shape():
    receipts = [generate_receipt() for _ in range(30)]
    assert len(set(receipts)) == 30
    for receipt in receipts:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}", receipt)
        assert normalize_receipt(receipt) == receipt.replace("-", "")


def test_normalize_receipt():
    receipt = generate_receipt()
    canonical = receipt.replace("-", "")
    assert normalize_receipt(receipt.lower().replace("-", " ")) == canonical
    assert normalize_receipt(canonical[:-1]) is None
    assert normalize_receipt(canonical[:16]) is None  # a tracking-code length is not a receipt
    bad = ALPHABET[(ALPHABET.index(canonical[3]) + 1) % 32]
    assert normalize_receipt(canonical[:3] + bad + canonical[4:]) is None
    # Tracking codes and receipts never normalize as each other.
    assert normalize_code(receipt) is None


def test_lookup_hash_and_key_are_deterministic_and_independent():
    canonical = normalize_receipt(generate_receipt())
    h1 = lookup_hash(PEPPER, canonical, FAST_TEST_COST)
    assert h1 == lookup_hash(PEPPER, canonical, FAST_TEST_COST)
    assert re.fullmatch(r"[0-9a-f]{64}", h1)
    k1 = receipt_key(PEPPER, canonical, FAST_TEST_COST)
    assert k1 == receipt_key(PEPPER, canonical, FAST_TEST_COST)
    assert isinstance(k1, bytes) and len(k1) == 32
    assert k1.hex() != h1


def test_outputs_depend_on_receipt_pepper_and_cost():
    a = normalize_receipt(generate_receipt())
    b = normalize_receipt(generate_receipt())
    assert lookup_hash(PEPPER, a, FAST_TEST_COST) != lookup_hash(PEPPER, b, FAST_TEST_COST)
    assert lookup_hash(PEPPER, a, FAST_TEST_COST) != lookup_hash(bytes(32), a, FAST_TEST_COST)
    assert receipt_key(PEPPER, a, FAST_TEST_COST) != receipt_key(bytes(32), a, FAST_TEST_COST)
    other = KdfCost(n=2**5, r=1, p=1)
    assert lookup_hash(PEPPER, a, FAST_TEST_COST) != lookup_hash(PEPPER, a, other)


def test_matches_specified_construction():
    canonical = normalize_receipt(generate_receipt())
    salt = hashlib.sha256(b"rongrian-receipt-lookup-v1" + PEPPER).digest()
    expected = Scrypt(salt=salt, length=32, n=16, r=1, p=1).derive(canonical.encode())
    assert lookup_hash(PEPPER, canonical, FAST_TEST_COST) == expected.hex()
    salt = hashlib.sha256(b"rongrian-receipt-key-v1" + PEPPER).digest()
    expected = Scrypt(salt=salt, length=32, n=16, r=1, p=1).derive(canonical.encode())
    assert receipt_key(PEPPER, canonical, FAST_TEST_COST) == expected


def test_invalid_cost_rejected():
    with pytest.raises(ValueError):
        lookup_hash(PEPPER, "X" * 20, KdfCost(n=3, r=1, p=1))
