"""Tests for casework.crypto.blindindex."""

import hashlib
import hmac

import pytest

from casework.crypto.blindindex import blind_index, normalize_email, normalize_phone
from casework.crypto.keyring import Keyring


@pytest.fixture
def ring() -> Keyring:
    return Keyring.generate()


@pytest.mark.parametrize(
    "value",
    [
        "0812345678",
        "081-234-5678",
        "081 234 5678",
        "(081) 234-5678",
        "+66 81 234 5678",
        "+66812345678",
        "66812345678",
        "+66 (0) 81 234 5678",
        "0066 81 234 5678",
        "๐๘๑-๒๓๔-๕๖๗๘",
        "+๖๖ ๘๑ ๒๓๔ ๕๖๗๘",
        " 081.234.5678 ",
    ],
)
def test_normalize_phone_variants(value):
    assert normalize_phone(value) == "0812345678"


def test_normalize_phone_landline_and_short_numbers():
    assert normalize_phone("+66 2 123 4567") == "021234567"
    assert normalize_phone("02-123-4567") == "021234567"
    assert normalize_phone("1111") == "1111"
    assert normalize_phone("โทร: ") == ""


def test_normalize_email():
    assert normalize_email("  Somchai.J@Example.CO.TH \n") == "somchai.j@example.co.th"


def test_blind_index_equal_across_formats(ring):
    a = blind_index(ring, "phone", "081-234-5678")
    assert a == blind_index(ring, "phone", "+66812345678")
    assert a == blind_index(ring, "phone", "๐๘๑๒๓๔๕๖๗๘")
    assert len(a) == 64 and int(a, 16) >= 0
    assert blind_index(ring, "email", "A@B.th") == blind_index(ring, "email", " a@b.TH ")


def test_blind_index_matches_spec(ring):
    expected = hmac.new(ring.index_key, b"phone:0812345678", hashlib.sha256).hexdigest()
    assert blind_index(ring, "phone", "+66 81 234 5678") == expected


def test_blind_index_differs_across_kinds_values_and_keys(ring):
    assert blind_index(ring, "phone", "12345") != blind_index(ring, "email", "12345")
    assert blind_index(ring, "phone", "0812345678") != blind_index(ring, "phone", "0812345679")
    other = Keyring.generate()
    assert blind_index(ring, "email", "a@b.th") != blind_index(other, "email", "a@b.th")


@pytest.mark.parametrize(("kind", "value"), [("phone", ""), ("phone", " - "), ("email", "  ")])
def test_blind_index_none_for_empty(ring, kind, value):
    assert blind_index(ring, kind, value) is None


def test_blind_index_unknown_kind(ring):
    with pytest.raises(ValueError, match="kind"):
        blind_index(ring, "name", "สมชาย")
