"""The one rule for category codes, in both channels (casework.cases.categories)."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from casework import demo
from casework.cases.categories import CODE, clean_code, find_category
from casework.cases.errors import FieldErrors
from casework.extensions import db
from casework.models import Organization

CHANNELS = ("complaint", "tip")
TAKEN = "Another category already uses this code."


@pytest.fixture
def en(ctx):
    with ctx.test_request_context(), force_locale("en"):
        yield


def refused(org, code, channel="complaint", current=None) -> str:
    with pytest.raises(FieldErrors) as raised:
        clean_code(org.id, channel, code, current)
    assert set(raised.value.fields) == {"code"}, code
    return raised.value.fields["code"]


def test_codes_are_stripped_and_lower_cased(org, en):
    typed_and_stored = [
        ("trees", "trees"),
        ("  Trees ", "trees"),
        ("ab", "ab"),
        ("a1_b", "a1_b"),
        ("z" * 32, "z" * 32),
    ]
    for channel in CHANNELS:
        for typed, stored in typed_and_stored:
            assert clean_code(org.id, channel, typed) == stored, (channel, typed)


def test_one_rule_for_what_a_code_may_look_like_in_both_channels(org, en):
    for channel in CHANNELS:
        for typed in ("a", "z" * 33, "9lives", "_roads", "ถนน", "road-works", "a b", "roads!"):
            assert refused(org, typed, channel).startswith("Use 2 to 32 lowercase"), typed
        for typed in ("", "   ", None):
            assert refused(org, typed, channel) == "This field is required."


def test_codes_are_unique_within_the_channel_whatever_the_case(org, en):
    assert refused(org, "ROADS", "complaint") == TAKEN
    assert refused(org, " Bribery", "tip") == TAKEN
    assert clean_code(org.id, "tip", "roads") == "roads"  # a complaint code
    other = Organization(slug="other", name_th="เทศบาลอื่น", name_en="Another municipality")
    db.session.add(other)
    db.session.flush()
    assert clean_code(other.id, "complaint", "roads") == "roads"


def test_editing_keeps_or_changes_a_category_own_code(org, en):
    roads = find_category(org, "roads", "complaint")
    assert clean_code(org.id, "complaint", "Roads", roads) == "roads"  # itself is no clash
    assert clean_code(org.id, "complaint", " streets ", roads) == "streets"
    assert refused(org, "lighting", current=roads) == TAKEN


def test_an_unchanged_code_from_before_the_rule_is_kept(org, en):
    """Complaint codes used to take anything; API clients may file by such a code."""
    legacy = find_category(org, "roads", "complaint")
    legacy.code = "Road Works"
    db.session.flush()
    assert clean_code(org.id, "complaint", " Road Works ", legacy) == "Road Works"
    assert refused(org, "Road Works 2", current=legacy).startswith("Use 2 to 32")


def test_messages_are_thai_first(ctx, org):
    with ctx.test_request_context():
        assert refused(org, "ถนน").startswith("กรุณาใช้ตัวอักษรภาษาอังกฤษตัวพิมพ์เล็ก")
        assert refused(org, "roads") == "รหัสนี้มีประเภทเรื่องอื่นใช้แล้ว"


def test_the_demo_categories_follow_the_rule():
    for channel, rows in (("complaint", demo.COMPLAINT_CATEGORIES), ("tip", demo.TIP_CATEGORIES)):
        codes = [row[0] for row in rows]
        assert all(CODE.fullmatch(code) for code in codes), channel
        assert len({code.lower() for code in codes}) == len(codes), channel


def test_find_category_gives_an_active_category_of_the_channel(org):
    assert find_category(org, "bribery", "tip").code == "bribery"
    assert find_category(org, "bribery", "complaint") is None
    find_category(org, "roads", "complaint").active = False
    assert find_category(org, "roads", "complaint") is None
