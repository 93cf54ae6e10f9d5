"""Tip receipts, following the SecureDrop pattern: the receipt itself is never stored.

A receipt is 19 random Crockford base32 symbols (95 bits) plus a Luhn mod 32 check symbol.
The server keeps only ``lookup_hash`` (scrypt of the receipt, salted with a hash of the
keyring's pepper) to find the tip, and can derive an independent ``receipt_key`` with a
different salt, so the stored lookup hash reveals nothing about the key the receipt unlocks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from casework.crypto.tracking import generate_code, normalize_code

RECEIPT_LENGTH = 20
_LOOKUP_DOMAIN = b"rongrian-receipt-lookup-v1"
_KEY_DOMAIN = b"rongrian-receipt-key-v1"


@dataclass(frozen=True)
class KdfCost:
    """scrypt parameters (the default uses 32 MiB and roughly 0.1 s)."""

    n: int = 2**15
    r: int = 8
    p: int = 1


FAST_TEST_COST = KdfCost(n=2**4, r=1, p=1)


def generate_receipt() -> str:
    """Fresh receipt, formatted as 5 groups of 4 symbols."""
    return generate_code(RECEIPT_LENGTH - 1)


def normalize_receipt(text: str) -> str | None:
    """Canonical receipt if ``text`` is a well-formed receipt with a valid check, else None."""
    return normalize_code(text, RECEIPT_LENGTH)


def lookup_hash(pepper: bytes, canonical: str, cost: KdfCost) -> str:
    """Hex scrypt hash used to look a tip up by its receipt."""
    return _derive(_LOOKUP_DOMAIN, pepper, canonical, cost).hex()


def receipt_key(pepper: bytes, canonical: str, cost: KdfCost) -> bytes:
    """32-byte key the receipt unlocks, independent of :func:`lookup_hash`."""
    return _derive(_KEY_DOMAIN, pepper, canonical, cost)


def _derive(domain: bytes, pepper: bytes, canonical: str, cost: KdfCost) -> bytes:
    salt = hashlib.sha256(domain + pepper).digest()
    kdf = Scrypt(salt=salt, length=32, n=cost.n, r=cost.r, p=cost.p)
    return kdf.derive(canonical.encode("ascii"))
