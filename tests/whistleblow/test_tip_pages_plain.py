"""The tip pages say what is protected, not how; they list the national hotlines, can be left
quickly, and show the identity fields only to a tipster who chooses to give them."""

from __future__ import annotations

import re

import pytest

TIP_TEXT = "ปลัดเทศบาลเรียกรับเงินสามแสนบาทจากผู้รับเหมาโครงการถนนสายบ้านดอน"
# Words of how, not what: cryptography has no place on a tipster's page (Thai and English).
HOW_WORDS = (
    "Ed25519",
    "SHA-256",
    "base64",
    "public key",
    "encrypt",
    "sealed",
    "signed",
    "กุญแจสาธารณะ",
    "ลายมือชื่ออิเล็กทรอนิกส์",
    "เข้ารหัส",
    "ปิดผนึก",
    "ลายนิ้วมือ",
)


def _tip(client) -> tuple[str, str]:
    r = client.post(
        "/whistleblow/new",
        data={"category": "bribery", "what": TIP_TEXT, "form_token": "r" * 43},
    )
    html = r.get_data(as_text=True)
    return re.search(r'class="code">([0-9A-Z-]{24})<', html).group(1), html


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("lang", ["th", "en"])
def test_no_cryptography_words_on_the_tipsters_pages(client, lang):
    client.get(f"/lang/{lang}")
    receipt, receipt_page = _tip(client)
    pages = [
        client.get("/whistleblow/").get_data(as_text=True),
        client.get("/whistleblow/new").get_data(as_text=True),
        client.get("/whistleblow/status").get_data(as_text=True),
        receipt_page,
        client.post("/whistleblow/status", data={"receipt": receipt}).get_data(as_text=True),
    ]
    for html in pages:
        text = _main(html)
        for word in HOW_WORDS:
            assert not re.search(rf"(?<![a-z]){re.escape(word.lower())}", text.lower()), word


def test_the_national_channels_are_listed_with_their_hotlines(client):
    html = client.get("/whistleblow/").get_data(as_text=True)
    for body, number in (("ป.ป.ช.", "1205"), ("ป.ป.ท.", "1206"), ("ศูนย์ดำรงธรรม", "1567")):
        assert re.search(re.escape(body) + r"[^<]*" + number, html), body


def test_every_tip_page_can_be_left_quickly(client, app):
    receipt, receipt_page = _tip(client)
    for html in (
        client.get("/whistleblow/").get_data(as_text=True),
        client.get("/whistleblow/new").get_data(as_text=True),
        receipt_page,
        client.post("/whistleblow/status", data={"receipt": receipt}).get_data(as_text=True),
    ):
        assert 'href="/whistleblow/leave" data-quick-exit' in html
    r = client.get("/whistleblow/leave")
    assert r.status_code == 303 and r.headers["Location"] == app.config["QUICK_EXIT_URL"]
    assert "Set-Cookie" not in r.headers and r.headers["Referrer-Policy"] == "no-referrer"


def test_identity_fields_are_marked_to_show_only_when_chosen(client):
    html = client.get("/whistleblow/new").get_data(as_text=True)
    block = html.split('class="identity-fields', 1)[1]
    assert block.startswith('"') and 'name="name"' in block  # hidden by CSS until "yes"
    r = client.post(  # anonymous, but details given: shown with the error, to be emptied
        "/whistleblow/new",
        data={"category": "bribery", "what": TIP_TEXT, "confidential": "no", "name": "สมชาย"},
    )
    assert 'class="identity-fields shown"' in r.get_data(as_text=True)
