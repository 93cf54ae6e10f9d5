"""Reading the server's answers in tests: an API error body, and a form field's block."""

from __future__ import annotations

import re


def api_error(response, status, *fields):
    """Assert a JSON error ``{"error", "fields"}`` with ``status`` naming each of ``fields``;
    returns the body."""
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    body = response.get_json()
    assert set(body) == {"error", "fields"}
    assert body["error"]
    for name in fields:
        assert name in body["fields"], body
    return body


def field_block(html, name):
    """The <div class="field"> that holds input ``name``."""
    match = re.search(
        r'<div class="field[^"]*">(?:(?!<div class="field).)*?(?:id|for)="'
        + re.escape(name)
        + r'".*?</div>',
        html,
        re.S,
    )
    assert match, f"no field block for {name}"
    return match.group(0)
