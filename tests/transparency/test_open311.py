"""Open311 GeoReport v2 at /open311/v2/, checked field by field against the specification's
lists in JSON and in XML: discovery, services, service definitions, POST requests with an
issued api_key (filed like the web form), GET requests with its filters, requests/{id}; open
and closed; no identity and no text anyone wrote in any answer; tips never."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET  # noqa: S405 - parsing our own answers in a test

import pytest
from figures_direct import bangkok
from sqlalchemy import select

from casework.extensions import db
from casework.models import Case, ReporterIdentity, User

pytestmark = pytest.mark.usefixtures("jan_2027")

# GeoReport v2 (wiki.open311.org/GeoReport_v2), field by field.
SERVICE = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
DEFINITION = ["service_code", "attributes"]
ATTRIBUTE = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]
VALUE = ["key", "name"]
REQUEST = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
POSTED = ["service_request_id", "service_notice", "account_id"]
ERROR = ["code", "description"]
DISCOVERY = ["changeset", "contact", "key_service", "endpoints"]
ENDPOINT = ["specification", "url", "changeset", "type", "formats"]
BASE = "/open311/v2"
SECRETS = ("สมหญิง", "0812345678", "somying@example.com", "ท่อประปาแตก หน้าบ้านเลขที่ 5")


@pytest.fixture
def api_key(app):
    from casework.publishing import open311

    with app.app_context(), app.test_request_context():
        org_id = db.session.scalar(select(User.organization_id)) or 1
        actor = User(organization_id=org_id, email="admin@x.test", role="sysadmin")
        db.session.add(actor)
        db.session.commit()
        from rongrian.tenancy import current_org

        _row, key = open311.issue_key(current_org(), "แอปทดสอบ", actor)
    return key


def xml(response) -> ET.Element:
    assert response.mimetype == "text/xml"
    text = response.get_data(as_text=True)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(text.split("\n", 1)[1])  # noqa: S314 - our own answer


def children(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def post(client, key, **fields):
    data = {
        "api_key": key,
        "service_code": "water",
        "lat": "13.756331",
        "long": "100.501765",
        "description": "ท่อประปาแตก หน้าบ้านเลขที่ 5\nน้ำไหลทั้งคืน",
        "first_name": "สมหญิง",
        "last_name": "ใจดี",
        "phone": "0812345678",
        "email": "somying@example.com",
        "attribute[kind]": "complaint",
    }
    data.update(fields)
    return data


def test_discovery_lists_the_v2_endpoint(client):
    body = client.get(f"{BASE}/discovery.json").get_json()
    assert set(body) == set(DISCOVERY)  # (JSON objects have no order)
    (endpoint,) = body["endpoints"]
    assert set(endpoint) == set(ENDPOINT)
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery" and children(root) == DISCOVERY
    endpoint = root.find("endpoints/endpoint")
    assert children(endpoint) == ENDPOINT
    assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]


def test_services_and_their_definitions(client):
    services = client.get(f"{BASE}/services.json").get_json()
    codes = [s["service_code"] for s in services]
    assert codes[:3] == ["roads", "lighting", "waste"] and "bribery" not in codes  # no tips
    for service in services:
        assert set(service) == set(SERVICE)
        assert service["metadata"] is True and service["type"] == "realtime"
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert [children(s) for s in root] == [SERVICE] * len(services)
    assert root.find("service/metadata").text == "true"
    for code in codes:
        definition = client.get(f"{BASE}/services/{code}.json").get_json()
        assert set(definition) == set(DEFINITION) and definition["service_code"] == code
        kind, title = definition["attributes"]
        for attribute in (kind, title):
            assert set(attribute) == set(ATTRIBUTE) and attribute["required"] is False
        assert (kind["code"], kind["datatype"]) == ("kind", "singlevaluelist")
        assert [set(v) for v in kind["values"]] == [set(VALUE)] * 3
        assert (title["code"], title["datatype"], title["values"]) == ("title", "string", [])
        root = xml(client.get(f"{BASE}/services/{code}.xml"))
        assert root.tag == "service_definition" and children(root) == DEFINITION
        kind, title = root.findall("attributes/attribute")
        assert children(kind) == children(title) == ATTRIBUTE
        assert [children(v) for v in kind.find("values")] == [VALUE] * 3
        assert list(title.find("values")) == []
    missing = client.get(f"{BASE}/services/bribery.json")
    assert missing.status_code == 404
    assert [set(e) for e in missing.get_json()] == [set(ERROR)]
    root = xml(client.get(f"{BASE}/services/nothing.xml"))
    assert root.tag == "errors" and children(root.find("error")) == ERROR
    assert root.find("error/code").text == "404"


def test_post_needs_an_issued_key_and_files_like_the_web_form(app, client, api_key):
    refused = client.post(f"{BASE}/requests.json", data=post(client, "wrong-key"))
    assert refused.status_code == 403
    assert refused.get_json()[0]["code"] == 403 and set(refused.get_json()[0]) == set(ERROR)
    assert xml(client.post(f"{BASE}/requests.xml", data=post(client, ""))).tag == "errors"

    filed = client.post(f"{BASE}/requests.json", data=post(client, api_key))
    assert filed.status_code == 200
    (answer,) = filed.get_json()
    assert set(answer) == set(POSTED)
    assert answer["service_request_id"] == "2570-000001" and answer["account_id"] is None
    assert "2570/000001" in answer["service_notice"]
    again = xml(client.post(f"{BASE}/requests.xml", data=post(client, api_key)))
    assert again.tag == "service_requests"
    assert children(again.find("request")) == POSTED
    with app.app_context():
        case = db.session.scalar(select(Case).order_by(Case.id))
        assert (case.channel, case.received_via, case.category.code) == (
            "complaint",
            "open311",
            "water",
        )
        assert case.subject == "ท่อประปาแตก หน้าบ้านเลขที่ 5" and "น้ำไหลทั้งคืน" in case.details
        assert case.tracking_hash and not case.anonymous
        assert db.session.scalar(select(ReporterIdentity).filter_by(case_id=case.id))

    bad = client.post(
        f"{BASE}/requests.json",
        data=post(client, api_key, description="", lat="", long="", **{"attribute[kind]": "x"}),
    )
    assert bad.status_code == 400
    assert {e["description"].split(":")[0] for e in bad.get_json()} == {
        "description",
        "lat",
        "attribute[kind]",
    }
    unknown = client.post(f"{BASE}/requests.json", data=post(client, api_key, service_code="x"))
    assert unknown.status_code == 404


def test_get_requests_filters_and_hides_identities(app, client, api_key, add_case):
    client.post(f"{BASE}/requests.json", data=post(client, api_key))
    add_case("complaint", "roads", bangkok(2026, 12, 20), "completed", subject="ถนนพัง")
    add_case("complaint", "roads", bangkok(2026, 6, 1), "in_progress")  # over 90 days ago
    add_case("complaint", "lighting", bangkok(2027, 1, 2), "completed", outcome="transferred")
    add_case("tip", "bribery", datetime(2027, 1, 3), "received")

    def ids(query: str) -> list[str]:
        response = client.get(f"{BASE}/requests.json{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        found = response.get_json()
        for item in found:
            assert set(item) == set(REQUEST)
        as_xml = xml(client.get(f"{BASE}/requests.xml{query}"))
        assert as_xml.tag == "service_requests"
        assert [children(r) for r in as_xml] == [REQUEST] * len(found)
        assert [r.find("service_request_id").text for r in as_xml] == [
            i["service_request_id"] for i in found
        ]
        return [i["service_request_id"] for i in found]

    everything = ids("")
    assert everything == ["2570-000001", "2570-000002"]  # newest first; last 90 days only
    assert ids("?status=open") == ["2570-000001"]
    assert ids("?status=closed") == ["2570-000002"]
    assert ids("?status=open,closed") == everything
    assert ids("?service_code=roads") == ["2570-000002"]
    assert ids("?service_code=roads,water") == everything
    assert ids("?start_date=2026-01-01T00:00:00%2B07:00") == [*everything, "2569-000001"]
    assert ids("?start_date=2026-12-21T00:00:00Z&end_date=2027-02-01T00:00:00Z") == ["2570-000001"]
    assert ids("?service_request_id=2569-000001,2570-000002&status=open") == [
        "2570-000002",
        "2569-000001",
    ]
    assert ids("?service_request_id=2570-000003") == []  # transferred: not published
    assert client.get(f"{BASE}/requests.json?status=pending").status_code == 400
    assert client.get(f"{BASE}/requests.json?start_date=yesterday").status_code == 400
    assert client.get(f"{BASE}/requests.json?jurisdiction_id=other").status_code == 404

    one = client.get(f"{BASE}/requests/2570-000002.json").get_json()
    assert len(one) == 1 and one[0]["status"] == "closed"
    assert one[0]["requested_datetime"].endswith("+07:00")
    assert xml(client.get(f"{BASE}/requests/2570-000002.xml")).find("request/status").text == (
        "closed"
    )
    assert client.get(f"{BASE}/requests/T2570-00001.json").status_code == 404
    assert client.get(f"{BASE}/requests/2570-999999.xml").status_code == 404

    mine = client.get(f"{BASE}/requests/2570-000001.json").get_json()[0]
    assert mine["status"] == "open" and mine["description"] == ""
    assert mine["lat"] != 13.756331 and abs(mine["lat"] - 13.756331) < 0.003
    text = client.get(f"{BASE}/requests.json?start_date=2025-01-01T00:00:00Z").get_data(
        as_text=True
    )
    text += client.get(f"{BASE}/requests.xml").get_data(as_text=True)
    for secret in (*SECRETS, "ถนนพัง", "13.756331"):
        assert secret not in text


def test_a_revoked_key_stops_working_and_records_its_last_use(app, client, api_key, login_as):
    from casework.models import Open311Key, Organization
    from casework.publishing import open311

    assert client.post(f"{BASE}/requests.json", data=post(client, api_key)).status_code == 200
    with app.app_context():
        row = db.session.scalar(select(Open311Key))
        assert row.last_used_on is not None and row.revoked_at is None
        key_id = row.id
        other = Organization(slug="other-town", name_th="เทศบาลอื่น", name_en="Other town")
        db.session.add(other)
        db.session.commit()
        actor = db.session.scalar(select(User).filter_by(role="sysadmin"))
        assert open311.revoke_key(other, key_id, actor) is False  # not that organization's key
        assert db.session.get(Open311Key, key_id).revoked_at is None

    login_as("sysadmin", email="keys@staff.test")
    assert client.post(f"/admin/open311/{key_id + 1000}/revoke").status_code == 404
    assert client.post(f"/admin/open311/{key_id}/revoke").status_code == 302
    refused = client.post(f"{BASE}/requests.json", data=post(client, api_key))
    assert refused.status_code == 403


TITLE = "ว่าที่ร้อยตรีหญิง"  # another title than the ones offered


def test_the_title_attribute_is_documented_as_strictly_as_it_is_checked(client, api_key):
    """The service definition says what the server does: optional, any title, at most 40
    characters as sent; a longer one is refused under its attribute's name."""
    from casework.cases import identity
    from casework.cases.textinput import LIMITS

    definition = client.get(f"{BASE}/services/water.json").get_json()
    (title,) = [a for a in definition["attributes"] if a["code"] == "title"]
    assert title["required"] is False and title["datatype"] == "string"
    assert f"{LIMITS['title']} " in title["datatype_description"]
    assert all(t in title["datatype_description"] for t in identity.TITLES)
    limit = LIMITS["title"]
    longest = client.post(
        f"{BASE}/requests.json", data=post(client, api_key, **{"attribute[title]": "ก" * limit})
    )
    assert longest.status_code == 200
    padded = " " + "ก" * limit  # one character more as sent, even if cleaning would drop it
    refused = client.post(
        f"{BASE}/requests.json", data=post(client, api_key, **{"attribute[title]": padded})
    )
    assert refused.status_code == 400
    assert [e["description"].split(":")[0] for e in refused.get_json()] == ["attribute[title]"]
    left_out = client.post(f"{BASE}/requests.json", data=post(client, api_key))
    assert left_out.status_code == 200


@pytest.mark.real_commits
def test_a_posted_title_is_sealed_with_the_name_and_shown_where_the_name_is(
    app, client, api_key, backend, login_as
):
    from casework.cases import identity
    from tests.casework.cases.test_privacy_at_rest import dump

    filed = client.post(
        f"{BASE}/requests.json", data=post(client, api_key, **{"attribute[title]": TITLE})
    )
    assert filed.status_code == 200
    assert TITLE.encode() not in dump(app, backend)
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert identity.reveal(case)["title"] == TITLE
        case_id = case.id
    # Never published: not in the request's answers.
    (answer,) = client.get(f"{BASE}/requests/2570-000001.json").get_json()
    assert TITLE not in str(answer)
    login_as("officer", "works")
    letter = client.get(f"/admin/cases/{case_id}/notices/acknowledgement").get_data(as_text=True)
    assert f"<th>เรียน</th><td>{TITLE} สมหญิง ใจดี</td>" in letter
    shown = client.post(f"/admin/cases/{case_id}/contact").get_data(as_text=True)
    assert f'<dt>คำนำหน้าชื่อ</dt><dd class="pre">{TITLE}</dd>' in shown
