"""Cleaning what people type: Unicode NFC, one order for Thai marks, line endings, control
characters, text that shows nothing, and the length limits every text field has.

**Thai marks.** A Thai syllable is a base letter followed by marks above or below it, and
keyboards let those marks be typed in any order: ที่ can arrive as ท + ี + ่ or as ท + ่ + ี, and
the two look alike on screen. NFC reorders only the vowels below the letter (ุ ู ฺ) against the
tone marks; everything above the letter is left as typed. So after NFC, every run of marks that
follows one base letter is put in this order (:func:`thai_order`):

1. the vowels above and below, and MAITAIKHU: ั ิ ี ึ ื ุ ู ฺ ็ (U+0E31, U+0E34–U+0E3A, U+0E47);
2. then the tone marks: ่ ้ ๊ ๋ (U+0E48–U+0E4B);
3. then THANTHAKHAT, NIKHAHIT and YAMAKKAN: ์ ํ ๎ (U+0E4C–U+0E4E);
4. SARA AM (ำ, U+0E33) last: typed as NIKHAHIT + SARA AA (ํ + า) it becomes ำ, and a tone mark
   typed after it moves before it (น + ำ + ้ becomes น้ำ, as every Thai keyboard layout and the
   Unicode standard spell it).

Marks keep their relative order inside each group, and a mark repeated within one run counts
once (ก + ่ + ่ is ก่). The result is stable under NFC and under cleaning again, so the same
words typed in different orders are stored, matched and searched as one text.
"""

from __future__ import annotations

import re
import unicodedata

LIMITS = {
    "subject": 200,
    "details": 5000,
    "location": 300,
    "title": 40,
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

SARA_AM = "\u0e33"
_VOWELS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47"
_TONES = "\u0e48\u0e49\u0e4a\u0e4b"
_LAST = "\u0e4c\u0e4d\u0e4e"
_RANK = {**dict.fromkeys(_VOWELS, 0), **dict.fromkeys(_TONES, 1), **dict.fromkeys(_LAST, 2)}
_MARK_RUN = re.compile(f"[{_VOWELS}{_TONES}{_LAST}{SARA_AM}]{{2,}}")
# NIKHAHIT + SARA AA is SARA AM spelt in two characters, with or without a tone typed between.
_SPLIT_AM = re.compile(f"\u0e4d([{_TONES}]*)\u0e32")

# Characters with a letter's or symbol's category that nevertheless show nothing: the Hangul
# fillers, the braille blank, and the rest of Unicode's default-ignorable code points that are
# not format or combining characters.
SHOWS_NOTHING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5")


def thai_order(text: str) -> str:
    """Put the Thai marks after each base letter in the documented order (module docstring)."""
    text = _MARK_RUN.sub(_order_run, text)
    text = _SPLIT_AM.sub(lambda m: m.group(1) + SARA_AM, text)
    return _MARK_RUN.sub(_order_run, text)


def _order_run(match: re.Match) -> str:
    run = match.group(0)
    marks = sorted((ch for ch in run if ch != SARA_AM), key=_RANK.__getitem__)
    kept = "".join(dict.fromkeys(marks))  # a mark repeated within one run counts once
    return kept + (SARA_AM if SARA_AM in run else "")


def fold(text: str) -> str:
    """NFC with Thai marks in one order: how text is compared, matched and stored."""
    text = unicodedata.normalize("NFC", text)
    return unicodedata.normalize("NFC", thai_order(text))


def blank(text: str) -> bool:
    """True when nothing in ``text`` shows: only spaces, format characters (zero-width
    joiners, word joiners, soft hyphens, bidi controls), variation selectors, or marks with no
    letter to sit on."""
    return not any(_shows(ch) for ch in text)


def _shows(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNPS" and ch not in SHOWS_NOTHING


def clean(value: object, *, multiline: bool = False) -> str:
    """Fold (NFC, Thai mark order), drop control characters, trim; single-line fields lose
    line breaks; text that shows nothing becomes empty, so a required field made only of
    invisible characters is missing, not filled."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = fold(_CONTROL.sub("", text))
    if not multiline:
        text = " ".join(text.split())
    text = text.strip()
    return "" if blank(text) else text


def too_long(field: str, text: str) -> bool:
    return len(text) > LIMITS[field]
