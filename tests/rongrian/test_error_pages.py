"""Error pages: a friendly 413 in the user's language, a 405 that says what is allowed."""

import pytest


def test_friendly_413_page(make_app):
    app = make_app({"MAX_CONTENT_LENGTH": 1024})
    with app.app_context():
        from casework import demo

        demo.load()
    r = app.test_client().post("/complaints/", data={"details": "x" * 5000})
    assert r.status_code == 413
    html = r.get_data(as_text=True)
    assert "10 MB" in html and "<html" in html


@pytest.mark.parametrize(
    ("lang", "title", "back"),
    [
        ("th", "ไฟล์หรือข้อมูลมีขนาดใหญ่เกินไป", "กลับไปที่แบบฟอร์ม"),
        ("en", "Too large to send", "Back to the form"),
    ],
)
def test_the_413_page_speaks_the_users_language_and_leads_back(make_app, lang, title, back):
    app = make_app({"MAX_CONTENT_LENGTH": 1024})
    with app.app_context():
        from casework import demo

        demo.load()
    client = app.test_client()
    client.get(f"/lang/{lang}")
    for path in ("/complaints/", "/complaints/track"):
        r = client.post(path, data={"details": "x" * 5000})
        assert r.status_code == 413
        html = r.get_data(as_text=True)
        assert f'<html lang="{lang}">' in html
        assert f"<h1>{title}</h1>" in html
        assert f'<a class="button" href="{path}">{back}</a>' in html
        assert "413" in html
    r = client.post("/complaints/track/info", data={"message": "x" * 5000})
    assert r.status_code == 413 and 'class="button"' not in r.get_data(as_text=True)


def test_a_wrong_method_is_405_with_allow(client):
    r = client.get("/complaints/track/info")
    assert r.status_code == 405
    allowed = {m.strip() for m in r.headers["Allow"].split(",")}
    assert "POST" in allowed and "GET" not in allowed
    assert "<html" in r.get_data(as_text=True)
