"""Cleaning what people type: Unicode NFC (Thai vowels and tone marks compose in more than one
way), line endings, control characters, and the length limits every text field has."""

from __future__ import annotations

import re
import unicodedata

LIMITS = {
    "subject": 200,
    "details": 5000,
    "location": 300,
    "name": 200,
    "phone": 32,
    "email": 254,
    "address": 500,
    "national_id": 17,
    "message": 5000,
    "rating_comment": 1000,
    "tracking_code": 64,
}

# Control characters, zero-width and line/paragraph separators, and lone UTF-16 surrogates
# (JSON can spell "\ud800"; no database or encoder accepts it).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2028\u2029\ufeff\ud800-\udfff]")


def clean(value: object, *, multiline: bool = False) -> str:
    """NFC-normalise, drop control characters, trim; single-line fields lose line breaks."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


def too_long(field: str, text: str) -> bool:
    return len(text) > LIMITS[field]
