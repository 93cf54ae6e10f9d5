"""Switching language on a page reached by a POST keeps the person where they are, with no
tracking code or receipt in any address: the switch posts the page's request again."""

from __future__ import annotations

import re

from casework.extensions import db
from casework.models import Organization
from tests import tip_helpers


def _code(client) -> str:
    r = client.post(
        "/api/v1/complaints", json={"category": "roads", "subject": "ถนน", "details": "หลุมลึก"}
    )
    return r.get_json()["tracking_code"]


def _switch_form(html: str) -> tuple[str, dict[str, str]]:
    form = re.search(
        r'<form method="post" action="([^"]+)" class="lang-form">(.*?)</form>', html, re.S
    )
    fields = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2))
    )
    button = re.search(r'name="switch_language" value="(\w+)"', form.group(2))
    if button:
        fields["switch_language"] = button.group(1)
    return form.group(1), fields


def test_the_tracking_page_switches_language_in_place(client):
    code = _code(client)
    html = client.post("/complaints/track", data={"tracking_code": code}).get_data(as_text=True)
    action, fields = _switch_form(html)
    assert action == "/complaints/track" and code not in action
    assert fields["tracking_code"] == code and fields["switch_language"] == "en"
    switched = client.post(action, data=fields)
    assert switched.status_code == 200
    html = switched.get_data(as_text=True)
    assert '<html lang="en">' in html and code in html
    assert "lang=en" in switched.headers["Set-Cookie"]


def test_after_adding_information_the_switch_does_not_add_it_again(client):
    code = _code(client)
    html = client.post(
        "/complaints/track/info", data={"tracking_code": code, "message": "ส่งรูปเพิ่ม"}
    ).get_data(as_text=True)
    action, fields = _switch_form(html)
    assert action == "/complaints/track"  # the lookup, not the form that added it
    html = client.post(action, data=fields).get_data(as_text=True)
    assert '<html lang="en">' in html
    assert html.count("You added information") == 1  # added once, not again by the switch


def test_the_receipt_keeps_its_language_link_and_code(client):
    html = client.post(
        "/complaints/",
        data={
            "category": "roads",
            "subject": "ไฟทางดับ",
            "details": "ไฟทางดับทั้งซอย",
            "form_token": "r" * 40,
        },
    ).get_data(as_text=True)
    code = re.search(r'<span class="code">([0-9A-Z-]+)</span>', html).group(1)
    action, fields = _switch_form(html)
    assert action == "/complaints/receipt" and fields["tracking_code"] == code
    html = client.post(action, data=fields).get_data(as_text=True)
    assert '<html lang="en">' in html and f'<span class="code">{code}</span>' in html


def test_a_post_page_without_a_way_back_switches_to_the_page_above(client):
    r = client.post("/lang/en", data={"next": "/complaints/track/info"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/complaints/track")
    assert "lang=en" in r.headers["Set-Cookie"]


def test_the_tip_status_page_switches_without_a_cookie(app, client):
    with app.test_request_context():
        receipt = tip_helpers.file(db.session.scalars(db.select(Organization)).first()).receipt
    html = client.post("/whistleblow/status", data={"receipt": receipt}).get_data(as_text=True)
    action, fields = _switch_form(html)
    assert action == "/whistleblow/status" and fields["receipt"] == receipt
    switched = client.post(action, data=fields)
    assert '<html lang="en">' in switched.get_data(as_text=True)
    assert "Set-Cookie" not in switched.headers
