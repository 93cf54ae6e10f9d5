"""Complaint tracking codes: random Crockford base32 symbols plus a Luhn mod 32 check character.

Citizens type these codes, so the alphabet avoids I, L, O and U, input is forgiving (any case,
separators, O for 0, I/L for 1), and the check character catches every single mistyped symbol
and every swap of two adjacent different symbols except 0<->Z before any database lookup. The
database stores only ``hash_code(tracking_key, code)``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_N = len(ALPHABET)
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
CODE_LENGTH = 16
GROUP = 4
_SEPARATORS = frozenset("-._\u200b\u200c\u200d\u2060\ufeff")
_CONFUSABLES = {"O": "0", "I": "1", "L": "1"}


def check_char(data: str) -> str:
    """Luhn mod 32 check character for canonical (uppercase Crockford) ``data``."""
    total = 0
    factor = 2
    for ch in reversed(data):
        try:
            addend = factor * _VALUE[ch]
        except KeyError:
            raise ValueError(f"{ch!r} is not a Crockford base32 symbol") from None
        total += addend // _N + addend % _N
        factor = 3 - factor
    return ALPHABET[(_N - total % _N) % _N]


def generate_code(data_chars: int = 15) -> str:
    """Random code of ``data_chars`` symbols (5 bits each) plus a check symbol, grouped by 4."""
    if data_chars < 1:
        raise ValueError("data_chars must be positive")
    data = "".join(secrets.choice(ALPHABET) for _ in range(data_chars))
    return format_code(data + check_char(data))


def normalize_code(text: str, length: int = CODE_LENGTH) -> str | None:
    """Canonical uppercase code if ``text`` has ``length`` symbols and a valid check, else None."""
    if not isinstance(text, str) or len(text) > 4 * length + 64:
        return None
    symbols: list[str] = []
    for ch in text:
        if ch.isspace() or ch in _SEPARATORS:
            continue
        if not ch.isascii():  # str.upper() would turn e.g. "ß" into two valid symbols
            return None
        ch = ch.upper()
        ch = _CONFUSABLES.get(ch, ch)
        if ch not in _VALUE:
            return None
        symbols.append(ch)
    if len(symbols) != length or length < 2:
        return None
    canonical = "".join(symbols)
    if check_char(canonical[:-1]) != canonical[-1]:
        return None
    return canonical


def format_code(canonical: str) -> str:
    """Split a canonical code into groups of four joined by hyphens."""
    return "-".join(canonical[i : i + GROUP] for i in range(0, len(canonical), GROUP))


def hash_code(key: bytes, canonical: str) -> str:
    """Hex HMAC-SHA256 of a canonical code under ``key`` (the keyring's tracking key)."""
    return hmac.new(key, canonical.encode("ascii"), hashlib.sha256).hexdigest()


def typed_hash(key: bytes, text: object, max_length: int) -> tuple[str, bool]:
    """(the hash to look a typed code up by, whether it was a well-formed code).

    A malformed, mistyped or empty text is hashed too (as "!", which no code hashes to), so the
    answer costs the same work whatever was typed and its timing tells nothing."""
    text = text if isinstance(text, str) else ""
    canonical = normalize_code(text) if len(text) <= max_length else None
    return hash_code(key, canonical or "!"), canonical is not None
