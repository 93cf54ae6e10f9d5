"""Keyed blind indexes for contact details.

``HMAC-SHA256(index_key, kind + ":" + normalized value)`` lets staff find earlier cases by the
same phone number or e-mail address without storing either in plaintext. The key lives in the
keyring, outside the database, so a database dump alone cannot be brute-forced.
"""

from __future__ import annotations

import hashlib
import hmac

from casework.crypto.keyring import Keyring

KINDS = frozenset({"phone", "email"})
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def normalize_phone(value: str) -> str:
    """Digits only, Thai digits folded, Thai +66/0066 numbers rewritten to the 0 trunk form."""
    digits = "".join(ch for ch in value.translate(_THAI_DIGITS) if "0" <= ch <= "9")
    if digits.startswith("0066"):
        digits = digits[2:]
    if digits.startswith("66"):
        rest = digits[2:]
        if rest.startswith("0"):  # "+66 0 81 ..." written with the trunk prefix
            rest = rest[1:]
        if len(rest) in (8, 9):  # landline 0X-XXX-XXXX or mobile 0XX-XXX-XXXX
            return "0" + rest
    return digits


def normalize_email(value: str) -> str:
    """Strip surrounding whitespace and lowercase."""
    return value.strip().lower()


def blind_index(keyring: Keyring, kind: str, value: str) -> str | None:
    """Hex HMAC-SHA256 index of a normalized phone or e-mail; None when it normalizes empty."""
    if kind not in KINDS:
        raise ValueError(f"unknown blind index kind {kind!r}")
    if not value:
        return None
    normalized = normalize_phone(value) if kind == "phone" else normalize_email(value)
    if not normalized:
        return None
    message = f"{kind}:{normalized}".encode()
    return hmac.new(keyring.index_key, message, hashlib.sha256).hexdigest()


def keyed_tag(keyring: Keyring, purpose: str, *parts: object) -> str:
    """Hex ``HMAC-SHA256(index_key, purpose ":" part ":" …)``: a value the database can match
    on (who is excluded from a tip, which tip a transferred complaint became) without holding
    it, and that nobody can recompute without the key file."""
    if not purpose or ":" in purpose:
        raise ValueError("a tag purpose is a non-empty word without ':'")
    message = ":".join([purpose, *(str(p) for p in parts)]).encode()
    return hmac.new(keyring.index_key, message, hashlib.sha256).hexdigest()
