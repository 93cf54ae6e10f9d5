"""HSTS: sent when the request came over HTTPS (directly, or as a trusted proxy says), never
over plain HTTP, where a browser would ignore it and a stripped connection would be unhelped."""

from __future__ import annotations

import pytest

HSTS = "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("path", ["/", "/whistleblow/", "/api/v1/categories", "/no-such-page"])
def test_hsts_over_https_only(client, path):
    assert (
        client.get(path, base_url="https://localhost").headers["Strict-Transport-Security"] == HSTS
    )
    assert "Strict-Transport-Security" not in client.get(path).headers


def test_behind_a_trusted_proxy_its_forwarded_scheme_decides(make_app):
    https = {"X-Forwarded-Proto": "https"}
    proxied = make_app({"TRUSTED_PROXIES": 1}).test_client()
    assert proxied.get("/", headers=https).headers["Strict-Transport-Security"] == HSTS
    assert "Strict-Transport-Security" not in proxied.get("/").headers
    # With no trusted proxy, anyone could send the header: it is ignored.
    direct = make_app().test_client()
    assert "Strict-Transport-Security" not in direct.get("/", headers=https).headers
