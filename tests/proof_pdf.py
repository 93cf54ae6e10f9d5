"""Reading the tip channel's proof of submission PDF in tests (page and browser tests alike)."""

from __future__ import annotations

import io
import json
import os
import re

import pikepdf
import pypdf
import pytest

from casework.crypto import signing
from rongrian import fonts

A4 = (595.28, 841.89)
TIP_WORDS = ("เบาะแส", "ป.ป.ช.")


def check_proof_pdf(data: bytes, receipt: str) -> dict:
    """Assert that ``data`` is the readable proof; return the signed proof attached to it."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (
        round(A4[0], 1),
        round(A4[1], 1),
    )
    text = reader.pages[0].extract_text()
    for word in TIP_WORDS:
        assert word in text, word
    assert re.search(r"T\d{4}/\d{5}", text)
    assert receipt not in text and receipt.replace("-", "") not in data.decode("latin-1")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        attached = pdf.attachments["proof.json"].get_file().read_bytes()
        xobjects = pdf.pages[0].Resources.get("/XObject", {})
        assert any(x.get("/Subtype") == "/Image" for x in xobjects.values()), "a QR code"
    doc = json.loads(attached)
    claims = signing.verify_proof(doc)
    assert claims["case_number"] in text
    return doc


def need_thai_font() -> None:
    """Skip without a Thai font (scripts/ensure-fonts installs one), except under CI=true."""
    if fonts.installed(fonts.THAI_REGULAR) is None:
        message = "no Thai font: run scripts/ensure-fonts (apt-get install fonts-noto-core)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
