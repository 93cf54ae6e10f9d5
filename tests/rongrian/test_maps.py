"""Maps: Leaflet served by the app itself, the tile host allowed only on pages with a map, and
never anything of a map on the tip channel."""

from __future__ import annotations

import pytest
from flask import g

from casework.cases import casefile
from casework.extensions import db
from casework.models import Case
from rongrian import maps, security

OSM = "https://tile.openstreetmap.org"


def _img_src(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return next(p for p in policy.split("; ") if p.startswith("img-src ")).removeprefix("img-src ")


def test_leaflet_comes_from_the_app_itself(client):
    for path in ("leaflet.js", "leaflet.css", "images/marker-icon.png"):
        with client.get(f"/static/leaflet/{path}") as response:
            assert response.status_code == 200, path
            if path == "leaflet.js":
                assert b"Leaflet" in response.data and response.mimetype == "text/javascript"


def test_the_complaint_form_has_a_pin_picker_and_allows_only_the_tile_host(client):
    response = client.get("/complaints/")
    html = response.get_data(as_text=True)
    assert _img_src(response) == f"'self' data: {OSM}"
    assert "data-map-picker" in html and 'data-lat-input="lat"' in html
    assert f'data-tiles="{OSM}/{{z}}/{{x}}/{{y}}.png"' in html
    assert "openstreetmap.org/copyright" in html and "OpenStreetMap" in html  # attribution
    assert 'src="/static/leaflet/leaflet.js"' in html
    assert 'name="lat"' in html and 'name="lng"' in html  # the boxes stay, for no JavaScript
    assert "ใช้ตำแหน่งปัจจุบันของฉัน" in html
    assert "เบราว์เซอร์ไม่อนุญาตให้ใช้ตำแหน่งของท่าน" in html  # said when location is refused


def test_the_tile_server_is_configurable(make_app):
    app = make_app(
        {"MAP_TILE_URL": "https://{s}.tiles.example.test/{z}/{x}/{y}.png", "MAP_ATTRIBUTION": "X"},
        demo=True,
    )
    response = app.test_client().get("/complaints/")
    assert _img_src(response) == "'self' data: https://*.tiles.example.test"
    assert "openstreetmap" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/complaints/track", "/stats", "/manuals/complaints"])
def test_pages_without_a_map_keep_the_strict_policy(client, path):
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == security.CSP
    assert "tile.openstreetmap.org" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/whistleblow/", "/whistleblow/new", "/whistleblow/status"])
def test_the_tip_channel_never_loads_a_map_or_a_tile(client, path):
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"] == security.CSP
    for trace in ("tile.openstreetmap.org", "openstreetmap", "leaflet", "data-map", "map.js"):
        assert trace not in html.lower(), trace
    assert response.headers["Permissions-Policy"].endswith("geolocation=()")


def test_a_map_asked_for_on_the_tip_channel_is_still_refused(app):
    with app.test_request_context("/whistleblow/new"):
        g.rongrian_map = True
        assert maps.image_sources() == "'self' data:"
    with app.test_request_context("/complaints/"):
        g.rongrian_map = True
        assert maps.image_sources() == f"'self' data: {OSM}"


def test_the_officers_case_page_shows_the_pin_and_a_map_application_link(
    app, client, login_as, file_complaint
):
    placed = file_complaint(lat="13.756331", lng="100.501765")
    unplaced = file_complaint(subject="ไม่มีพิกัด")
    login_as("supervisor")
    response = client.get(f"/admin/cases/{placed.case.id}")
    html = response.get_data(as_text=True)
    assert "data-map-pin" in html and 'data-lat="13.756331"' in html
    assert 'href="geo:13.756331,100.501765"' in html
    assert _img_src(response) == f"'self' data: {OSM}"
    response = client.get(f"/admin/cases/{unplaced.case.id}")
    assert "data-map-pin" not in response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"] == security.CSP


def test_the_public_list_shows_the_cases_on_a_map(app, client, file_complaint):
    filed = file_complaint(lat="13.756331", lng="100.501765")
    with app.app_context():
        case = db.session.get(Case, filed.case.id)
        casefile.change_status(case, "in_progress")
        db.session.commit()
    response = client.get("/cases")
    html = response.get_data(as_text=True)
    assert "data-map-points" in html and "data-map-fallback" in html  # the SVG stays, no JS
    assert _img_src(response) == f"'self' data: {OSM}"
