"""HTTP protections of the public surface, each with a test."""

import logging
import re
from pathlib import Path

import pytest

from rongrian import security

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def csrf_client(make_app):
    app = make_app({"WTF_CSRF_ENABLED": True})
    with app.app_context():
        from casework import demo

        demo.load()
    return app.test_client()


def test_csrf_is_required_and_an_expired_form_keeps_what_was_typed(csrf_client):
    r = csrf_client.post(
        "/complaints/",
        data={"category": "roads", "subject": "ถนนพัง", "details": "รายละเอียดที่พิมพ์ไว้"},
    )
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert 'value="ถนนพัง"' in html and "รายละเอียดที่พิมพ์ไว้" in html
    assert 'name="csrf_token"' in html


def test_csrf_on_tracking_forms_keeps_what_was_typed(csrf_client):
    code = csrf_client.post(
        "/api/v1/complaints", json={"category": "roads", "subject": "ก", "details": "ข"}
    ).get_json()["tracking_code"]
    r = csrf_client.post("/complaints/track", data={"tracking_code": code})
    assert r.status_code == 400
    assert f'value="{code}"' in r.get_data(as_text=True)
    r = csrf_client.post(
        "/complaints/track/info", data={"tracking_code": code, "message": "ข้อความที่พิมพ์ไว้"}
    )
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "ข้อความที่พิมพ์ไว้" in html and 'role="alert"' in html
    assert (
        csrf_client.post("/complaints/track/rate", data={"tracking_code": code}).status_code == 400
    )
    status = csrf_client.post("/api/v1/track", json={"tracking_code": code}).get_json()
    assert [e["kind"] for e in status["timeline"]] == ["received"]  # nothing was added


def test_csrf_token_round_trip_files_the_complaint(csrf_client):
    html = csrf_client.get("/complaints/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    r = csrf_client.post(
        "/complaints/",
        data={
            "csrf_token": token,
            "category": "roads",
            "subject": "ก",
            "details": "ข",
            "kind": "complaint",
        },
    )
    assert r.status_code == 200


def test_session_cookie_flags(csrf_client):
    r = csrf_client.get("/complaints/")
    cookie = r.headers["Set-Cookie"]
    assert "rongrian_session=" in cookie
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_security_headers_on_every_page(client):
    for path in ("/", "/complaints/", "/complaints/track", "/api/v1/categories", "/healthz"):
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


def test_tracking_pages_are_not_cached(client):
    for r in (
        client.get("/complaints/track"),
        client.post("/complaints/track", data={"tracking_code": "x"}),
    ):
        assert r.headers["Cache-Control"].startswith("no-store")


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


def test_rate_limits_say_how_long_to_wait(make_app):
    app = make_app({"SUBMIT_RATE_LIMIT": "1 per hour", "TRACK_RATE_LIMIT": "1 per minute"})
    with app.app_context():
        from casework import demo

        demo.load()
    client = app.test_client()
    client.get("/lang/en")
    body = {"category": "roads", "subject": "ก", "details": "ข"}
    assert client.post("/api/v1/complaints", json=body).status_code == 201
    r = client.post("/api/v1/complaints", json=body)
    assert r.status_code == 429 and r.headers["Retry-After"] == "3600"
    assert "about 60 minutes" in r.get_json()["error"]
    r = client.post("/complaints/", data=body)
    assert r.status_code == 429 and "about 60 minutes" in r.get_data(as_text=True)
    client.post("/complaints/track", data={"tracking_code": "x"})
    r = client.post("/complaints/track", data={"tracking_code": "x"})
    assert r.status_code == 429 and r.headers["Retry-After"] == "60"
    assert "wait a minute" in r.get_data(as_text=True)


def test_healthz(client):
    r = client.get("/healthz")
    assert r.get_json() == {"status": "ok", "database": "ok"}
    assert r.headers["Cache-Control"].startswith("no-store")  # a proxy never caches health
    assert "Set-Cookie" not in r.headers


def test_healthz_reports_an_unreachable_database(tmp_path):
    from rongrian import create_app

    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite",
        }
    )
    r = app.test_client().get("/healthz")
    assert r.status_code == 503
    assert r.get_json()["database"] == "unreachable"
    with app.app_context():
        from casework.extensions import db

        db.engine.dispose()


def test_language_switch_sets_a_cookie_and_refuses_open_redirects(client):
    r = client.get("/lang/en?next=/complaints/")
    assert r.headers["Location"] == "/complaints/"
    assert "lang=en" in r.headers["Set-Cookie"]
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    for target in ("//evil.example", "https://evil.example/", "javascript:alert(1)"):
        assert client.get(f"/lang/th?next={target}").headers["Location"] == "/"


def test_nothing_identifying_is_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    r = client.post(
        "/api/v1/complaints",
        json={
            "category": "roads",
            "subject": "ถนน",
            "details": "รายละเอียดลับ",
            "reporter": {
                "name": "นายลับเฉพาะ นามสกุล",
                "phone": "0891112222",
                "email": "hidden@example.com",
            },
            "consent": True,
        },
    )
    code = r.get_json()["tracking_code"]
    client.post("/api/v1/track", json={"tracking_code": code})
    client.post("/complaints/track", data={"tracking_code": code})
    logged = caplog.text
    for secret in (
        "นายลับเฉพาะ",
        "0891112222",
        "hidden@example.com",
        code,
        code.replace("-", ""),
        "รายละเอียดลับ",
    ):
        assert secret not in logged


def test_tracking_code_never_in_a_url(client):
    code = client.post(
        "/api/v1/complaints", json={"category": "roads", "subject": "a", "details": "b"}
    ).get_json()["tracking_code"]
    assert client.get(f"/complaints/track?tracking_code={code}").status_code == 200
    html = client.post("/complaints/track", data={"tracking_code": code}).get_data(as_text=True)
    urls = " ".join(re.findall(r'(?:href|action|src)="([^"]*)"', html))
    assert code not in urls and code.replace("-", "") not in urls
    # the code travels only in POST bodies: the GET page ignores it entirely
    assert code not in client.get(f"/complaints/track?tracking_code={code}").get_data(as_text=True)


def test_rate_limit_storage_holds_no_client_address(client):
    from casework.extensions import limiter

    client.post(
        "/complaints/track",
        data={"tracking_code": "x"},
        environ_base={"REMOTE_ADDR": "203.0.113.77"},
    )
    keys = " ".join(str(k) for k in limiter._storage.storage)
    assert keys and "203.0.113.77" not in keys


def test_following_up_logs_nothing_identifying_either(client, app, caplog):
    """Adding information, rating, failed lookups and refused input: nothing typed is logged."""
    from casework.cases import casefile
    from casework.extensions import db
    from casework.models import Case

    caplog.set_level(logging.DEBUG)
    code = client.post(
        "/api/v1/complaints", json={"category": "roads", "subject": "ก", "details": "ข"}
    ).get_json()["tracking_code"]
    client.post("/complaints/track/info", data={"tracking_code": code, "message": "ข้อความลับ"})
    client.post("/complaints/track/info", data={"tracking_code": code, "message": "ล" * 6000})
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        casefile.change_status(case, "completed", outcome="resolved", note="เสร็จ")
        db.session.commit()
    client.post(
        "/complaints/track/rate", data={"tracking_code": code, "rating": "5", "comment": "คำชมลับ"}
    )
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    client.post("/api/v1/track", json={"tracking_code": wrong})
    client.post("/api/v1/complaints", json={"subject": "หัวข้อลับ", "reporter": {"name": "ชื่อลับ"}})
    for secret in ("ข้อความลับ", "ลลลลลล", "คำชมลับ", "หัวข้อลับ", "ชื่อลับ", code, wrong):
        assert secret not in caplog.text
        assert secret.replace("-", "") not in caplog.text
