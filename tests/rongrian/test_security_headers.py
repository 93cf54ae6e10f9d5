"""Security headers and a strict CSP on every page; templates carry no inline script or style."""

import re
from pathlib import Path

from rongrian import security

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_security_headers_on_every_page(client):
    for path in ("/", "/complaints/track", "/api/v1/categories", "/healthz"):  # no map
        h = client.get(path).headers
        assert h["Content-Security-Policy"] == security.CSP, path
        assert h["X-Content-Type-Options"] == "nosniff", path
        assert h["X-Frame-Options"] == "DENY"
    assert "'unsafe-inline'" not in security.CSP
    assert "script-src 'self'" in security.CSP


def test_templates_have_no_inline_script_or_style():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert not re.search(r"\sstyle=", text), path
        assert not re.search(r"\son[a-z]+=", text), path
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path
