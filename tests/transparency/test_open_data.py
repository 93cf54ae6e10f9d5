"""Open data and the public list: the figures and the list of general complaints as CSV and
JSON, described field by field by datapackage.json; no tip, no text, no identity, no exact
place; the organization can switch the list off."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime
from urllib.parse import urlsplit

import pytest
from figures_direct import bangkok
from sqlalchemy import select

from casework.extensions import db
from casework.models import Organization

pytestmark = pytest.mark.usefixtures("jan_2027")


@pytest.fixture
def listed(add_case):
    """Complaints in every state (one with a place), a transferred one and two tips."""
    ids = {
        "taken": add_case(
            "complaint",
            "roads",
            bangkok(2026, 11, 2),
            "in_progress",
            subject="หลุมหน้าบ้านนายสมชาย",
            details="บ้านเลขที่ 99/1",
            location="ซอยลับ 7",
            lat=13.756331,
            lng=100.501765,
        ),
        "done": add_case("complaint", "waste", bangkok(2026, 12, 1), "completed"),
        "waiting": add_case("complaint", "lighting", bangkok(2026, 12, 3), "received"),
        "moved": add_case(
            "complaint", "service", bangkok(2026, 12, 4), "completed", outcome="transferred"
        ),
        "old": add_case("complaint", "roads", bangkok(2026, 9, 30, 23, 0), "completed"),
    }
    add_case("tip", "bribery", datetime(2026, 11, 5), "preliminary_review")
    add_case("tip", "procurement", datetime(2026, 11, 6), "closed")
    return ids


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_public_list_shows_taken_up_general_complaints_only(client, listed):
    rows = _csv(client.get("/opendata/cases.csv"))
    numbers = [r["case_number"] for r in rows]
    assert len(numbers) == 4 and not any(n.startswith("T") for n in numbers)  # no tip
    statuses = {r["status"] for r in rows}
    assert statuses == {"received", "in_progress", "completed"}
    assert "transferred" not in {r["outcome"] for r in rows}
    assert [r["received_on"] for r in rows] == [
        "2026-12-03",
        "2026-12-01",
        "2026-11-02",
        "2026-09-30",
    ]
    text = client.get("/opendata/cases.csv").get_data(as_text=True)
    text += client.get("/opendata/cases.json").get_data(as_text=True)
    text += client.get("/cases?fiscal_year=2570").get_data(as_text=True)
    for secret in ("สมชาย", "99/1", "ซอยลับ", "13.756331", "100.501765"):
        assert secret not in text
    place = next(r for r in rows if r["area_lat"])
    lat, lng = float(place["area_lat"]), float(place["area_lng"])
    step = 500 / 111_320
    assert abs(lat - 13.756331) <= step / 2 and abs(lng - 100.501765) <= step / 2
    assert math.isclose((lat / step) % 1, 0.5, abs_tol=1e-3)  # the centre of its cell
    this_year = client.get("/opendata/cases.json?fiscal_year=2570").get_json()["cases"]
    assert {c["received_on"] for c in this_year} == {"2026-12-03", "2026-12-01", "2026-11-02"}
    assert client.get("/opendata/cases.json?fiscal_year=x").status_code == 400


def test_public_list_page_and_map(client, listed):
    html = client.get("/cases?fiscal_year=2570").get_data(as_text=True)
    assert "ถนน ทางเท้า ท่อระบายน้ำ" in html and "ขยะและความสะอาด" in html
    assert "ไฟฟ้าสาธารณะ" in html
    assert "การให้บริการของเจ้าหน้าที่" not in html  # the transferred one is not listed
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert html.count('<circle class="map-point"') == 1


def test_the_organization_can_switch_the_list_off(app, client, listed):
    with app.app_context():
        db.session.scalars(select(Organization)).first().publish_case_list = False
        db.session.commit()
    for path in ("/cases", "/opendata/cases.csv", "/opendata/cases.json"):
        assert client.get(path).status_code == 404
    package = client.get("/opendata/datapackage.json").get_json()
    assert [r["name"] for r in package["resources"]] == ["statistics"]
    assert client.get("/opendata/stats.csv").status_code == 200  # figures stay published


def _conforms(field: dict, value: str) -> bool:
    if value == "":
        return not field.get("constraints", {}).get("required")
    if "enum" in field.get("constraints", {}) and value not in field["constraints"]["enum"]:
        return False
    try:
        {
            "integer": int,
            "number": float,
            "date": date.fromisoformat,
            "string": str,
        }[field["type"]](value)
    except ValueError:
        return False
    return True


def test_datapackage_describes_every_file_field_by_field(client, listed):
    package = client.get("/opendata/datapackage.json?fiscal_year=2570").get_json()
    assert package["profile"] == "tabular-data-package" and package["licenses"]
    assert package["name"] == "rongrian-demo-2570"
    assert {r["name"] for r in package["resources"]} == {"statistics", "cases"}
    for resource in package["resources"]:
        url = urlsplit(resource["path"])
        response = client.get(f"{url.path}?{url.query}")
        rows = _csv(response)
        header = response.get_data(as_text=True).splitlines()[0].split(",")
        fields = resource["schema"]["fields"]
        assert header == [f["name"] for f in fields]
        assert rows, resource["name"]
        for row in rows:
            for field in fields:
                assert _conforms(field, row[field["name"]]), (resource["name"], field, row)


def test_statistics_files_equal_the_api(client, listed):
    query = "fiscal_year=2570&period=year"
    api = client.get(f"/api/v1/stats?{query}").get_json()
    assert client.get(f"/opendata/stats.json?{query}").get_json() == api
    rows = _csv(client.get(f"/opendata/stats.csv?{query}"))
    for channel in ("complaint", "tip"):
        total = next(r for r in rows if r["channel"] == channel and r["breakdown"] == "total")
        assert [int(total[k]) for k in ("received", "completed", "in_progress")] == [
            api[channel][k] for k in ("received", "completed", "in_progress")
        ]
        months = [r for r in rows if r["channel"] == channel and r["breakdown"] == "month"]
        assert [int(r["received"]) for r in months] == [
            m[channel]["received"] for m in api["parts"]["months"]
        ]
    tips = {r["key"]: r for r in rows if r["channel"] == "tip" and r["breakdown"] == "category"}
    assert tips["bribery"]["received"] == "" and tips["bribery"]["suppressed"] == "below_k"
    assert tips["bribery"]["completed"] == ""  # tip breakdowns carry the number received only
    assert json.loads(json.dumps(api))  # plain JSON
