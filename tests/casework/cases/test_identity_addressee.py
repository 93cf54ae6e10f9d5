"""How letters and emails address a complainant: a Thai title against the name, another title
with a space, the name alone when it already starts with its title, and "ผู้ร้องเรียน" when no
name was given."""

from __future__ import annotations

import pytest

from casework.cases import identity


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"title": "นาง", "name": "สมหญิง ใจดี"}, "นางสมหญิง ใจดี"),
        ({"title": "นางสาว", "name": "สมศรี มีสุข"}, "นางสาวสมศรี มีสุข"),
        ({"title": "ดร.", "name": "สมชาย ใจดี"}, "ดร. สมชาย ใจดี"),
        ({"title": "นาย", "name": "นายสมชาย ใจดี"}, "นายสมชาย ใจดี"),
        ({"title": "", "name": "สมชาย ใจดี"}, "สมชาย ใจดี"),
        ({"title": "นาย", "name": ""}, "ผู้ร้องเรียน"),
        ({}, "ผู้ร้องเรียน"),
    ],
)
def test_addressee(values, expected):
    assert identity.addressee(values) == expected


def test_the_title_is_sealed_with_the_rest_of_the_identity():
    assert "title" in identity.FIELDS
