"""The tipster's title (คำนำหน้าชื่อ) in the optional identity: asked as the complaint form
asks it, sealed to the custodians with the rest of the identity, and shown where the name
shows (the custodians' reveal view)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from test_tip_channel import PASS, TIP_TEXT, _dump, tip_payload

from casework.cases import identity
from casework.cases.textinput import LIMITS
from casework.extensions import db
from casework.models import Case, TipIdentity
from casework.staff.roles import CUSTODIAN, INTEGRITY

TITLE = "ว่าที่ร้อยตรีหญิง"  # typed: not one of the offered titles
NAME = "พยานลับ ผู้กล้าหาญยิ่ง"


def _datalist(html: str) -> list[str]:
    found = re.search(r'<datalist id="title-choices">(.*?)</datalist>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)">', found)


def test_the_tip_form_and_the_staff_register_ask_the_title_from_the_complaint_forms_list(
    client, signed_in
):
    for html in (
        client.get("/whistleblow/new").get_data(as_text=True),
        client.get("/complaints/").get_data(as_text=True),
        signed_in(INTEGRITY, "มานะ อดทน")[0].get("/admin/tips/register").get_data(as_text=True),
    ):
        assert _datalist(html) == list(identity.TITLES)
        field = re.search(r'<input[^>]*name="title"[^>]*>', html).group(0)
        assert 'list="title-choices"' in field and f'maxlength="{LIMITS["title"]}"' in field
    tip_form = client.get("/whistleblow/new").get_data(as_text=True)
    assert "คำนำหน้าชื่อ" in tip_form and 'autocomplete="off"' in re.search(
        r'<input[^>]*name="title"[^>]*>', tip_form
    ).group(0)  # a shared computer must not offer it to the next person


@pytest.mark.real_commits
def test_a_tipsters_title_is_sealed_to_the_custodians_and_shown_where_the_name_is(
    app, client, backend, signed_in
):
    staff, _officer = signed_in(INTEGRITY, "มานะ อดทน")
    cust, _keeper = signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    r = client.post(
        "/whistleblow/new",
        data={
            "category": "bribery",
            "what": TIP_TEXT,
            "accused_role": "staff",
            "reported_elsewhere": "no",
            "confidential": "yes",
            "title": TITLE,
            "name": NAME,
            "consent": "y",
            "form_token": "v" * 40,
        },
    )
    assert r.status_code == 200, r.get_data(as_text=True)
    dump = _dump(app, backend)
    for secret in (TITLE, NAME):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert secret.encode(encoding) not in dump, secret
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).filter_by(channel="tip"))
        assert db.session.scalar(select(TipIdentity.id).filter_by(case_id=case_id))
    staff.post(f"/admin/tips/{case_id}/assign", data={})
    staff.post(f"/admin/tips/{case_id}/reveal", data={"reason": "ต้องเชิญมาให้ถ้อยคำ"})
    assert TITLE not in staff.get(f"/admin/tips/{case_id}").get_data(as_text=True)
    with app.app_context():
        from casework.models import RevealRequest

        request_id = db.session.scalar(select(RevealRequest.id))
    html = cust.post(
        f"/admin/tips/reveals/{request_id}/approve", data={"passphrase": PASS}
    ).get_data(as_text=True)
    shown = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    assert shown[:2] == [("คำนำหน้าชื่อ", TITLE), ("ชื่อ", NAME)]


def test_the_tip_api_takes_the_title_as_its_document_says(app, client, signed_in):
    signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    doc = client.get("/api/v1/openapi.json").get_json()
    schema = doc["components"]["schemas"]
    tip = next(s for s in schema.values() if "identity" in s.get("properties", {}))
    declared = tip["properties"]["identity"]["properties"]["title"]
    assert declared["maxLength"] == LIMITS["title"] and "pattern" not in declared

    def send(title):
        identity_ = {"title": title, "name": NAME}
        body = tip_payload(confidential=True, consent=True, identity=identity_)
        return client.post("/api/v1/tips", json=body)

    too_long = send("ก" * (LIMITS["title"] + 1))
    assert too_long.status_code == 400
    assert set(too_long.get_json()["fields"]) == {"identity.title"}
    assert set(send(123).get_json()["fields"]) == {"identity.title"}  # a string or nothing
    assert send("ก" * LIMITS["title"]).status_code == 201
    # Anonymous means no identity at all: a title alone is refused as the name would be.
    alone = client.post("/api/v1/tips", json=tip_payload(identity={"title": "นาย"}))
    assert alone.status_code == 400 and "confidential" in alone.get_json()["fields"]
