"""Tests for casework.crypto.tracking (Crockford base32 codes with a Luhn mod 32 check)."""

import hashlib
import hmac
import math
import re

import pytest

from casework.crypto.tracking import (
    ALPHABET,
    check_char,
    format_code,
    generate_code,
    hash_code,
    normalize_code,
)

SAMPLE = [generate_code() for _ in range(40)]


def _canonical(code: str) -> str:
    return code.replace("-", "")


def test_alphabet_is_crockford():
    assert ALPHABET == "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    assert len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)


def test_generated_code_shape_and_entropy():
    for code in SAMPLE:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code)
        canonical = _canonical(code)
        assert len(canonical) == 16
        assert normalize_code(code) == canonical
        assert check_char(canonical[:15]) == canonical[15]
    assert 15 * math.log2(len(ALPHABET)) >= 75
    assert len(set(SAMPLE)) == len(SAMPLE)


def test_generated_symbols_cover_alphabet():
    seen = set("".join(_canonical(generate_code())[:15] for _ in range(200)))
    assert seen == set(ALPHABET)


def test_generate_other_lengths():
    code = generate_code(19)
    assert len(code.split("-")) == 5
    assert normalize_code(code, 20) == _canonical(code)
    with pytest.raises(ValueError):
        generate_code(0)


def test_check_char_known_values():
    # Luhn mod N: from the right, double every other value starting with the rightmost data
    # symbol, fold with (x // 32 + x % 32), then the check value makes the total divisible by 32.
    assert check_char("0") == "0"
    assert check_char("1") == ALPHABET[30]  # 2*1 = 2 -> (32-2) % 32 = 30
    assert check_char("Z") == ALPHABET[1]  # 2*31 = 62 -> 1+30 = 31 -> 1
    assert check_char("10") == ALPHABET[31]  # 1*1 + 2*0 = 1 -> 31
    with pytest.raises(ValueError):
        check_char("0U")


def test_check_char_property_total_divisible_by_32():
    for code in SAMPLE:
        canonical = _canonical(code)
        total = 0
        for i, ch in enumerate(reversed(canonical)):
            v = ALPHABET.index(ch) * (2 if i % 2 else 1)
            total += v // 32 + v % 32
        assert total % 32 == 0


@pytest.mark.parametrize(
    "transform",
    [
        str.lower,
        lambda c: c.replace("-", " "),
        lambda c: c.replace("-", ""),
        lambda c: " " + c.replace("-", ".") + "\n",
        lambda c: c.replace("-", "_"),
        lambda c: " ".join(c.replace("-", "")),
        lambda c: c.replace("-", "\u00a0"),
        lambda c: c.replace("-", "\u200b"),
    ],
)
def test_normalize_accepts_formatting_variants(transform):
    for code in SAMPLE:
        assert normalize_code(transform(code)) == _canonical(code)


def test_normalize_accepts_confusables():
    canonical = "0" * 15 + check_char("0" * 15)
    assert normalize_code("OOOO-oooo-OoOo-" + canonical[12:]) == canonical
    ones = "1" * 15 + check_char("1" * 15)
    assert normalize_code("IiLl-1111-lLiI-111" + ones[15]) == ones


def test_normalize_rejects_wrong_length_and_bad_symbols():
    code = SAMPLE[0]
    canonical = _canonical(code)
    assert normalize_code(canonical[:-1]) is None
    assert normalize_code(canonical + "0") is None
    assert normalize_code("") is None
    assert normalize_code(canonical[:8] + "U" + canonical[9:]) is None
    assert normalize_code(canonical[:8] + "*" + canonical[9:]) is None
    assert normalize_code(canonical[:8] + "ก" + canonical[9:]) is None
    assert normalize_code("ß" * 8) is None  # "ß".upper() == "SS" must not sneak through
    assert normalize_code(code * 100) is None
    assert normalize_code(None) is None  # type: ignore[arg-type]


def test_every_single_substitution_is_rejected():
    for code in SAMPLE:
        canonical = _canonical(code)
        for i, original in enumerate(canonical):
            for replacement in ALPHABET:
                if replacement == original:
                    continue
                typo = canonical[:i] + replacement + canonical[i + 1 :]
                assert normalize_code(typo) is None, (canonical, i, replacement)


def test_adjacent_transpositions_rejected_except_0_z():
    # Luhn mod 32 detects every swap of two adjacent different symbols except the pair
    # whose values are 0 and 31 ("0" and "Z"), where doubling leaves the sum unchanged.
    for code in SAMPLE:
        canonical = _canonical(code)
        for i in range(len(canonical) - 1):
            a, b = canonical[i], canonical[i + 1]
            if a == b:
                continue
            swapped = canonical[:i] + b + a + canonical[i + 2 :]
            if {a, b} == {"0", "Z"}:
                assert normalize_code(swapped) == swapped
            else:
                assert normalize_code(swapped) is None, (canonical, i)


def test_transposition_guarantee_exhaustively():
    # Every ordered pair of symbols at every adjacent position, including data/check swaps.
    undetected = set()
    for a in ALPHABET:
        for b in ALPHABET:
            for i in range(14):
                data = "7" * i + a + b + "7" * (13 - i)
                canonical = data + check_char(data)
                swapped = canonical[:i] + b + a + canonical[i + 2 :]
                if a != b and normalize_code(swapped) is not None:
                    undetected.add(frozenset((a, b)))
            data = "7" * 14 + a
            canonical = data + check_char(data)
            c = canonical[15]
            if a != c and normalize_code(data[:14] + c + a) is not None:
                undetected.add(frozenset((a, c)))
    assert undetected == {frozenset("0Z")}


def test_format_code():
    assert format_code("7KQ4M2XD9HBT0RZP") == "7KQ4-M2XD-9HBT-0RZP"
    assert format_code("ABCDEFGHJKMNPQRSTVWX") == "ABCD-EFGH-JKMN-PQRS-TVWX"


def test_hash_code():
    key = bytes(range(32))
    canonical = _canonical(SAMPLE[0])
    expected = hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()
    assert hash_code(key, canonical) == expected
    assert len(expected) == 64
    assert hash_code(bytes(32), canonical) != expected
    assert hash_code(key, _canonical(SAMPLE[1])) != expected
