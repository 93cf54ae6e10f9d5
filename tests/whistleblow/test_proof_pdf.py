"""The proof of submission as a person can read and print it: one A4 page of Thai text that a
reader can extract, the signed proof attached to it (and drawn as a QR code), no receipt."""

from __future__ import annotations

import io
import json
import re

import pikepdf
import pypdf
from proof_pdf import check_proof_pdf, need_thai_font

TIP_TEXT = "ปลัดเทศบาลเรียกรับเงินสามแสนบาทจากผู้รับเหมาโครงการถนนสายบ้านดอน"


def _tip(client) -> str:
    r = client.post(
        "/whistleblow/new",
        data={"category": "bribery", "what": TIP_TEXT, "form_token": "p" * 43},
    )
    assert r.status_code == 200
    return re.search(r'class="code">([0-9A-Z-]{24})<', r.get_data(as_text=True)).group(1)


def test_the_proof_is_a_one_page_readable_pdf_carrying_the_signed_proof(app, client):
    need_thai_font()
    receipt = _tip(client)
    r = client.post("/whistleblow/proof", data={"receipt": receipt})
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.headers["Cache-Control"].startswith("no-store")
    assert "Set-Cookie" not in r.headers
    doc = check_proof_pdf(r.data, receipt)
    text = pypdf.PdfReader(io.BytesIO(r.data)).pages[0].extract_text()
    assert "ปลัด" not in text and "สามแสน" not in text  # what the tip says is not on it
    as_json = client.post("/whistleblow/proof", data={"receipt": receipt, "format": "json"})
    assert json.loads(as_json.data) == doc  # the same signed proof, as the API has it


def test_the_pdf_keeps_no_time_finer_than_the_day(client):
    need_thai_font()
    receipt = _tip(client)
    data = client.post("/whistleblow/proof", data={"receipt": receipt}).data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        created = str(pdf.docinfo.get("/CreationDate", ""))
    assert re.fullmatch(r"D:\d{8}000000.*", created), created


def test_without_a_thai_font_the_signed_proof_comes_as_data_not_an_error(client, monkeypatch):
    from rongrian import fonts

    def missing(*_names):
        raise fonts.NoThaiFont("no Thai font")

    monkeypatch.setattr(fonts, "thai_font", missing)
    receipt = _tip(client)
    r = client.post("/whistleblow/proof", data={"receipt": receipt})
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert json.loads(r.data)["type"] == "rongrian-proof-of-submission"
