"""The rich menu (an image the project draws with a font the machine has, created through the
Messaging API) and the simulator people without a LINE channel chat with."""

from __future__ import annotations

import io
import os
import re

import pytest
from flask_babel import force_locale
from PIL import Image

from lineoa import messages, richmenu


def _thai_font():
    try:
        return richmenu.find_font()
    except richmenu.NoThaiFont:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("no Thai font installed (scripts/ensure-fonts installs one)")


def test_every_button_label_fits_lines_twenty_characters(app):
    with app.test_request_context():
        for locale in ("th", "en"):
            with force_locale(locale):
                too_long = [str(label) for label in messages.LABELS if len(str(label)) > 20]
                assert too_long == [], locale


def test_the_rich_menu_image_is_drawn_here(app):
    _thai_font()
    with app.test_request_context():
        png = richmenu.build_image()
    assert len(png) < 1024 * 1024  # LINE's limit
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (2500, 1686)
        # each area is painted in its own colour
        colours = {
            image.getpixel((x + 20, y + 20)) for x, y, _w, _h in (a.box for a in richmenu.AREAS)
        }
        assert len(colours) == len(richmenu.AREAS)


def test_line_richmenu_creates_the_default_menu(app, httpserver):
    _thai_font()
    import json

    from werkzeug import Response

    calls = []

    def record(request):
        calls.append((request.method, request.path, request.headers.get("Content-Type")))
        if request.path == "/v2/bot/richmenu":
            body = json.loads(request.get_data())
            assert [a["action"]["data"] for a in body["areas"]] == [
                "a=file", "a=track", "a=mine", "a=tip", "a=contact"
            ]  # fmt: skip
            return Response('{"richMenuId": "richmenu-new"}', content_type="application/json")
        if request.path == "/v2/bot/richmenu/list":
            menus = [
                {"richMenuId": "richmenu-old", "name": "rongrian", **body_of_menu()},
                {"richMenuId": "richmenu-new", "name": "rongrian", **body_of_menu()},
                {"richMenuId": "someone-elses", "name": "campaign", **body_of_menu()},
            ]
            return Response(json.dumps({"richmenus": menus}), content_type="application/json")
        return Response("{}", content_type="application/json")

    httpserver.expect_request(re.compile(".*")).respond_with_handler(record)
    result = app.test_cli_runner().invoke(args=["line", "richmenu"])
    assert result.exit_code == 0, result.output
    assert "richmenu-new" in result.output
    assert ("POST", "/v2/bot/richmenu", "application/json") in calls
    assert ("POST", "/v2/bot/richmenu/richmenu-new/content", "image/png") in calls
    assert ("POST", "/v2/bot/user/all/richmenu/richmenu-new", None) in [
        c[:2] + (None,) for c in calls
    ]
    assert ("DELETE", "/v2/bot/richmenu/richmenu-old", None) in [c[:2] + (None,) for c in calls]
    assert not any(c[1].endswith("someone-elses") for c in calls)


def body_of_menu() -> dict:
    return {
        "size": {"width": 2500, "height": 1686},
        "selected": True,
        "chatBarText": "menu",
        "areas": [],
    }


def test_line_richmenu_output_writes_the_picture_only(app, tmp_path):
    _thai_font()
    out = tmp_path / "menu.png"
    result = app.test_cli_runner().invoke(args=["line", "richmenu", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")


def test_the_simulator_files_a_complaint(app):
    script = "\n".join(
        [
            "#1",  # file a complaint
            "#1",  # the first category
            "ไฟถนนดับทั้งซอยมาสามคืนแล้ว",
            "/photo",
            "#3",  # next
            "/location",
            "#1",  # stay anonymous
            "#1",  # send
            "/sticker",
            "/group สวัสดีทุกคน",
            "/unknown",
            "/redeliver",
            "/badsig",
            "/quit",
        ]
    )
    result = app.test_cli_runner().invoke(args=["line", "simulate"], input=script)
    assert result.exit_code == 0, result.output
    out = result.output
    assert re.search(r"2\d{3}/0000\d\d", out)  # the case number in the receipt
    assert "รหัสติดตามเรื่อง" in out
    assert "(webhook answered 400)" in out
    from casework.extensions import db
    from casework.models import Attachment, Case

    with app.app_context():
        case = db.session.scalar(db.select(Case))
        assert case.received_via == "line" and case.lat is not None
        assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 1
