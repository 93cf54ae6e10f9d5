"""HTTP protections of the public surface, each with a test."""

import logging
import re

import pytest


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


def test_tracking_pages_are_not_cached(client):
    for r in (
        client.get("/complaints/track"),
        client.post("/complaints/track", data={"tracking_code": "x"}),
    ):
        assert r.headers["Cache-Control"].startswith("no-store")


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
