"""No filing from other websites: a browser request that another site's page made is refused
on every state-changing route (403 JSON ``{error, fields}`` on the API), before it spends the
visitor's rate-limit budget. Same-origin pages, typed addresses and server-side clients that
send neither header keep working."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from casework.extensions import db
from casework.models import Case

RECEIPT = {"receipt": "ABCD-EFGH-JKMN-PQRS-TVW0"}
API_POSTS = [
    ("/api/v1/complaints", {"json": {"category": "roads", "subject": "ถนน", "details": "หลุม"}}),
    ("/api/v1/track", {"json": {"tracking_code": "7KQ4M2XD9HBT0RZP"}}),
    ("/api/v1/tips", {"json": {"category": "procurement", "what": "รับเงินทอนจากผู้รับเหมา"}}),
    ("/api/v1/tips/status", {"json": RECEIPT}),
    ("/api/v1/tips/messages", {"json": {**RECEIPT, "text": "เพิ่มเติม"}}),
]
FOREIGN = [
    ({"Sec-Fetch-Site": "cross-site"}, "Sec-Fetch-Site"),
    ({"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"}, "Sec-Fetch-Site"),
    ({"Origin": "https://evil.example"}, "Origin"),
    ({"Origin": "null"}, "Origin"),  # a sandboxed frame, or a page with no origin to give
    ({"Origin": "http://localhost.evil.example"}, "Origin"),
]
OWN = [
    {},  # curl, a server, a mobile app: neither header
    {"Sec-Fetch-Site": "same-origin"},
    {"Sec-Fetch-Site": "same-origin", "Origin": "null"},  # our no-referrer pages' own forms
    {"Sec-Fetch-Site": "none"},  # typed or bookmarked
    {"Origin": "http://localhost"},  # a browser too old for Sec-Fetch-Site
]


@pytest.mark.parametrize(("path", "body"), API_POSTS)
@pytest.mark.parametrize(("headers", "named"), FOREIGN)
def test_api_refuses_requests_from_other_websites(app, client, path, body, headers, named):
    r = client.post(path, headers=headers, **body)
    assert r.status_code == 403
    answer = r.get_json()
    assert set(answer) == {"error", "fields"} and named in answer["fields"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0


@pytest.mark.parametrize(("path", "body"), API_POSTS)
@pytest.mark.parametrize("headers", OWN)
def test_api_serves_its_own_pages_and_server_side_clients(client, path, body, headers):
    r = client.post(path, headers=headers, **body)
    assert r.status_code in (200, 201, 404), (r.status_code, r.get_json())


def test_sibling_sites_may_use_the_complaint_api_but_not_the_tip_channel(client):
    sibling = {"Sec-Fetch-Site": "same-site"}
    complaint = dict(API_POSTS[0][1])
    assert client.post("/api/v1/complaints", headers=sibling, **complaint).status_code == 201
    assert client.post("/api/v1/tips/status", headers=sibling, json=RECEIPT).status_code == 403


def test_a_refused_request_spends_no_rate_limit_budget(app, client):
    app.config["TRACK_RATE_LIMIT"] = "1 per minute"
    lookup = {"json": {"tracking_code": "7KQ4M2XD9HBT0RZP"}}
    for _ in range(3):
        r = client.post("/api/v1/track", headers={"Sec-Fetch-Site": "cross-site"}, **lookup)
        assert r.status_code == 403
    assert client.post("/api/v1/track", **lookup).status_code == 404


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/complaints/", {"category": "roads"}),
        ("/complaints/track", {"tracking_code": "x"}),
        ("/admin/login", {"email": "a@b.c", "password": "x"}),
    ],
)
def test_every_other_form_refuses_other_websites_too(client, path, data):
    r = client.post(path, data=data, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403 and r.mimetype == "text/html"


def test_the_openapi_document_names_the_403_on_every_post(client):
    for path, operations in client.get("/api/v1/openapi.json").get_json()["paths"].items():
        for method, operation in operations.items():
            if method == "post":
                assert "403" in operation["responses"], path
                assert "Sec-Fetch-Site" in operation["responses"]["403"]["description"], path
