"""Cleaning what people type: one stored spelling whatever order Thai marks were typed in, and
nothing a reader cannot see is taken for an answer."""

from __future__ import annotations

import unicodedata

import pytest

from casework.cases.textinput import blank, clean, fold

MAI_EK, MAI_THO = "\u0e48", "\u0e49"
SARA_I, SARA_II, SARA_U, MAI_HAN_AKAT = "\u0e34", "\u0e35", "\u0e38", "\u0e31"
NIKHAHIT, SARA_AA, SARA_AM = "\u0e4d", "\u0e32", "\u0e33"
THANTHAKHAT = "\u0e4c"


@pytest.mark.parametrize(
    ("canonical", "typed"),
    [
        # ที่: the above vowel before the tone mark (NFC leaves these two as typed).
        ("ท" + SARA_II + MAI_EK, ["ท" + MAI_EK + SARA_II]),
        # ปั้น: MAI HAN-AKAT before the tone.
        ("ป" + MAI_HAN_AKAT + MAI_THO + "น", ["ป" + MAI_THO + MAI_HAN_AKAT + "น"]),
        # กุ้ง: a below vowel before the tone (NFC alone already does this one).
        ("ก" + SARA_U + MAI_THO + "ง", ["ก" + MAI_THO + SARA_U + "ง"]),
        # น้ำ: the tone before SARA AM, and SARA AM typed as NIKHAHIT + SARA AA in either order.
        (
            "น" + MAI_THO + SARA_AM,
            [
                "น" + SARA_AM + MAI_THO,
                "น" + MAI_THO + NIKHAHIT + SARA_AA,
                "น" + NIKHAHIT + MAI_THO + SARA_AA,
            ],
        ),
        # ศักดิ์: the vowel before THANTHAKHAT.
        ("ศักด" + SARA_I + THANTHAKHAT, ["ศักด" + THANTHAKHAT + SARA_I]),
        # A mark pressed twice counts once.
        ("ก" + MAI_EK + "า", ["ก" + MAI_EK + MAI_EK + "า"]),
        ("ท" + SARA_II + MAI_EK, ["ท" + SARA_II + SARA_II + MAI_EK + MAI_EK]),
    ],
)
def test_thai_marks_typed_in_any_order_are_stored_the_same(canonical, typed):
    assert clean(canonical) == canonical
    for variant in typed:
        assert variant != canonical
        assert clean(variant) == canonical, [hex(ord(c)) for c in clean(variant)]
        assert fold(variant) == fold(canonical)


def test_the_thai_order_is_stable_under_nfc_and_cleaning_twice():
    text = "ชาวบ้านที่" + MAI_EK + "ปั้นน้ำ กุ้ง ศักดิ์ " + "น" + NIKHAHIT + MAI_THO + SARA_AA
    once = clean(text)
    assert clean(once) == once
    assert unicodedata.normalize("NFC", once) == once


@pytest.mark.parametrize(
    "text",
    [
        "\u200c",
        "\u2060\u2060",
        "\u00ad",
        "\u200c\u2060\u00ad\u200d",
        MAI_EK + MAI_THO,  # Thai marks with no base letter
        " " + SARA_I + " " + MAI_EK,
        "\u3164",  # Hangul filler: a "letter" that shows nothing
        "\ufe0f\u034f",
    ],
)
def test_text_made_only_of_invisible_characters_is_empty(text):
    assert blank(text)
    assert clean(text) == ""
    assert clean(text, multiline=True) == ""


@pytest.mark.parametrize("text", ["ก", "a", "1", ".", "ถนน" + "\u200c", "👍"])
def test_visible_text_is_kept(text):
    assert not blank(text)
    assert clean(text)


def test_a_name_typed_in_another_order_still_matches_the_staff_member():
    from casework.tipline import access, referral

    staff_name = "ปิ" + MAI_EK + "น แก" + MAI_THO + "วมณี"  # ปิ่น แก้วมณี, standard order
    typed = "ป" + MAI_EK + SARA_I + "น แ" + "ก" + MAI_THO + "วมณี"  # tone typed before the vowel
    assert access.names_match(staff_name, typed)
    assert access.names_match(typed, staff_name)
    # The referral rule reads the position the same way whatever the order.
    deputy = "รองนายกเทศมนตร" + SARA_II  # รองนายกเทศมนตรี
    assert referral.detect({"position": deputy}) == "deputy_mayor"
    mayor = "นายกเทศมนตร" + SARA_II
    assert referral.detect({"position": mayor}) == "mayor"
    clerk_typed = "ปล" + MAI_HAN_AKAT + "ด"  # ปลัด has no tone; a doubled mark is still read
    assert referral.detect({"position": "ปล" + MAI_HAN_AKAT + MAI_HAN_AKAT + "ด"}) == "clerk"
    assert referral.detect({"position": clerk_typed}) == "clerk"
