"""The JSON API: filing, tracking, and every kind of bad input answered with a clear 4xx."""

import io
import json

import pytest
import upload_samples
from answers import api_error as assert_error
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from casework.extensions import db
from casework.models import Attachment, Case, ReporterIdentity

PNG = upload_samples.PNG  # a real picture: an image that does not decode is refused
VALID = {"category": "roads", "subject": "ไฟดับ", "details": "ไฟถนนดับทั้งซอย"}


def case_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id)))


def test_categories(client):
    body = client.get("/api/v1/categories?channel=complaint").get_json()
    roads = next(c for c in body["categories"] if c["code"] == "roads")
    assert roads == {
        "code": "roads",
        "name_th": "ถนน ทางเท้า ท่อระบายน้ำ",
        "name_en": "Roads, footpaths and drains",
        "sla_days": 15,
    }
    tips = client.get("/api/v1/categories?channel=tip").get_json()["categories"]
    assert {c["code"] for c in tips} >= {"bribery", "procurement"}
    assert_error(client.get("/api/v1/categories?channel=nope"), 400, "channel")


def test_file_returns_number_code_and_deadline(client, app):
    r = client.post(
        "/api/v1/complaints",
        json={**VALID, "reporter": {"name": "สมชาย ใจดี", "phone": "081-234-5678"}, "consent": True},
    )
    assert r.status_code == 201
    body = r.get_json()
    assert set(body) == {"case_number", "tracking_code", "status", "received_at", "due_at"}
    assert body["status"] == "received"
    assert len(body["tracking_code"]) == 19 and body["tracking_code"].count("-") == 3
    assert r.headers["Cache-Control"].startswith("no-store")
    with app.app_context():
        assert db.session.scalar(select(func.count(ReporterIdentity.id))) == 1


def test_track_by_code_in_any_form(client):
    code = client.post("/api/v1/complaints", json=VALID).get_json()["tracking_code"]
    for variant in (code, code.lower(), code.replace("-", ""), " ".join(code.split("-"))):
        r = client.post("/api/v1/track", json={"tracking_code": variant})
        assert r.status_code == 200, variant
    body = r.get_json()
    assert body["status"] == "received"
    assert body["timeline"][0]["kind"] == "received"
    assert "tracking_code" not in json.dumps(body)


def test_wrong_and_unknown_codes_get_the_same_answer(client):
    code = client.post("/api/v1/complaints", json=VALID).get_json()["tracking_code"]
    typo = ("1" if code[0] != "1" else "2") + code[1:]
    unknown = "0000-0000-0000-0000"
    answers = [client.post("/api/v1/track", json={"tracking_code": c}) for c in (typo, unknown)]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].get_json() == answers[1].get_json()


def test_multipart_with_attachments(client, app):
    data = {
        "payload": json.dumps(VALID),
        "attachments": [(io.BytesIO(PNG), "photo.png"), (io.BytesIO(b"%PDF-1.4 x"), "a.pdf")],
    }
    r = client.post("/api/v1/complaints", data=data, content_type="multipart/form-data")
    assert r.status_code == 201, r.get_json()
    with app.app_context():
        types = db.session.scalars(select(Attachment.content_type)).all()
    assert sorted(types) == ["application/pdf", "image/png"]


def test_idempotency_key_returns_the_same_case(client, app):
    headers = {"Idempotency-Key": "k" * 32}
    first = client.post("/api/v1/complaints", json=VALID, headers=headers)
    again = client.post("/api/v1/complaints", json=VALID, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json() == again.get_json()
    assert case_count(app) == 1


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, ["category", "subject", "details"]),
        ({**VALID, "category": "no-such"}, ["category"]),
        ({**VALID, "subject": "ก" * 201}, ["subject"]),
        ({**VALID, "details": "ข" * 5001}, ["details"]),
        ({**VALID, "subject": ["a list"]}, ["subject"]),
        ({**VALID, "lat": 200, "lng": 100}, ["lat"]),
        ({**VALID, "lat": 13.7}, ["lng"]),
        ({**VALID, "lat": {"x": 1}, "lng": 1}, ["lat"]),
        ({**VALID, "kind": "rant"}, ["kind"]),
        ({**VALID, "kind": "tip"}, ["kind"]),  # tips come only through the tip channel
        ({**VALID, "occurred_on": "31/12/2569"}, ["occurred_on"]),
        ({**VALID, "occurred_on": "2999-01-01"}, ["occurred_on"]),
        ({**VALID, "reporter": {"email": "not-an-email"}, "consent": True}, ["reporter.email"]),
        ({**VALID, "reporter": {"phone": "12"}, "consent": True}, ["reporter.phone"]),
        ({**VALID, "reporter": {"name": "สมชาย"}}, ["consent"]),
        ({**VALID, "reporter": "สมชาย"}, ["reporter"]),
    ],
)
def test_invalid_fields_are_400_with_field_messages_and_nothing_saved(client, app, body, fields):
    assert_error(client.post("/api/v1/complaints", json=body), 400, *fields)
    assert case_count(app) == 0


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ("null", "application/json"),
        ("\xff\xfe", "application/json"),
        ("[" * 100_000, "application/json"),  # deeper than the parser goes
        ('{"a":' * 50_000 + "1" + "}" * 50_000, "application/json"),
        ('{"category": "roads", "lat": ' + "9" * 5000 + "}", "application/json"),
    ],
    ids=["unclosed", "array", "null", "not-utf8", "deep-array", "deep-object", "huge-int"],
)
def test_malformed_json_is_400_never_500(client, app, data, content_type):
    assert_error(client.post("/api/v1/complaints", data=data, content_type=content_type), 400)
    assert_error(client.post("/api/v1/track", data=data, content_type=content_type), 400)
    assert case_count(app) == 0


def test_wrong_content_type_is_415(client):
    assert_error(client.post("/api/v1/complaints", data="a=b", content_type="text/plain"), 415)
    assert_error(client.post("/api/v1/track", data="x"), 415)


def test_attachment_type_is_checked_by_content(client, app):
    data = {
        "payload": json.dumps(VALID),
        "attachments": [(io.BytesIO(b"MZ\x90\x00 evil"), "scan.pdf")],
    }
    r = client.post("/api/v1/complaints", data=data, content_type="multipart/form-data")
    assert_error(r, 400, "attachments")
    assert "scan.pdf" in r.get_json()["fields"]["attachments"]
    assert case_count(app) == 0


def test_too_many_and_too_large_attachments(client, app):
    six = [(io.BytesIO(PNG), f"{i}.png") for i in range(6)]
    r = client.post(
        "/api/v1/complaints",
        data={"payload": json.dumps(VALID), "attachments": six},
        content_type="multipart/form-data",
    )
    assert_error(r, 400, "attachments")
    # encode_multipart builds the body in memory (the test client's own encoder would spool a
    # body this size to a temporary file it never closes).
    big = FileStorage(io.BytesIO(PNG + b"\x00" * (10 * 1024 * 1024)), "big.png")
    boundary, body = encode_multipart({"payload": json.dumps(VALID), "attachments": big})
    r = client.post(
        "/api/v1/complaints",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert_error(r, 400, "attachments")
    assert case_count(app) == 0


def test_oversize_request_is_413_json(make_app):
    app = make_app({"MAX_CONTENT_LENGTH": 2048})
    with app.app_context():
        from casework import demo

        demo.load()
    r = app.test_client().post("/api/v1/complaints", json={**VALID, "details": "x" * 4000})
    assert_error(r, 413)
    assert case_count(app) == 0


def test_missing_tracking_code_is_400(client):
    assert_error(client.post("/api/v1/track", json={}), 400, "tracking_code")
    assert_error(client.post("/api/v1/track", json={"tracking_code": 5}), 400, "tracking_code")


def test_unknown_api_route_is_json_404(client):
    assert_error(client.get("/api/v1/nothing-here"), 404)
    assert_error(client.get("/api/v1/complaints"), 405)


def test_openapi_document_lists_the_paths(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    assert {"/api/v1/categories", "/api/v1/complaints", "/api/v1/track"} <= set(doc["paths"])
    refs = json.dumps(doc)
    for name in doc["components"]["schemas"]:
        assert f"#/components/schemas/{name}" in refs


def test_a_buddhist_era_year_is_read_as_such(client, app):
    r = client.post("/api/v1/complaints", json={**VALID, "occurred_on": "2569-11-01"})
    assert r.status_code == 201
    with app.app_context():
        assert str(db.session.scalar(select(Case.occurred_on))) == "2026-11-01"


@pytest.mark.parametrize("name", ["name", "phone", "email", "address"])
def test_a_reporter_field_of_the_wrong_type_is_named_in_the_error(client, app, name):
    body = {**VALID, "reporter": {name: ["not", "text"]}, "consent": True}
    assert_error(client.post("/api/v1/complaints", json=body), 400, f"reporter.{name}")
    assert case_count(app) == 0


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("subject", 200),
        ("details", 5000),
        ("location", 300),
        ("reporter.name", 200),
        ("reporter.phone", 32),
        ("reporter.email", 254),
        ("reporter.address", 500),
    ],
)
def test_every_text_field_has_its_length_limit(client, app, field, limit):
    body = {**VALID, "consent": True, "reporter": {"name": "สมชาย"}}
    value = "ก" * (limit + 1)
    if field.startswith("reporter."):
        body["reporter"] = {field.split(".")[1]: value}
    else:
        body[field] = value
    r = client.post("/api/v1/complaints", json=body)
    assert_error(r, 400, field)
    assert str(limit) in r.get_json()["fields"][field] or field in (
        "reporter.email",
        "reporter.phone",
    )
    assert case_count(app) == 0


def test_api_text_is_stored_nfc(client, app):
    decomposed = "\u0e1b\u0e48\u0e39"  # ปู่ typed tone mark first
    r = client.post(
        "/api/v1/complaints",
        json={**VALID, "subject": decomposed, "details": decomposed, "location": decomposed},
    )
    assert r.status_code == 201
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.subject == case.details == case.location == "\u0e1b\u0e39\u0e48"


def test_time_of_day_is_accepted_and_checked(client, app):
    assert client.post("/api/v1/complaints", json={**VALID, "occurred_time": "07:45"}).status_code
    with app.app_context():
        assert db.session.scalar(select(Case.occurred_time)) == "07:45"
    assert_error(
        client.post("/api/v1/complaints", json={**VALID, "occurred_time": "25:00"}),
        400,
        "occurred_time",
    )


def test_multipart_payload_may_be_a_file_part(client, app):
    """``curl -F payload=@complaint.json -F attachments=@photo.png`` sends the JSON as a file."""
    data = {
        "payload": (io.BytesIO(json.dumps(VALID).encode()), "complaint.json", "application/json"),
        "attachments": (io.BytesIO(PNG), "photo.png"),
    }
    r = client.post("/api/v1/complaints", data=data, content_type="multipart/form-data")
    assert r.status_code == 201, r.get_json()
    with app.app_context():
        assert db.session.scalar(select(func.count(Attachment.id))) == 1


def test_files_under_another_name_are_refused_not_dropped(client, app):
    data = {"payload": json.dumps(VALID), "photo": (io.BytesIO(PNG), "photo.png")}
    r = client.post("/api/v1/complaints", data=data, content_type="multipart/form-data")
    assert_error(r, 400, "photo")
    assert case_count(app) == 0


def test_malformed_multipart_payload_is_400(client, app):
    for payload in ("{nope", "[1]"):
        r = client.post(
            "/api/v1/complaints", data={"payload": payload}, content_type="multipart/form-data"
        )
        assert_error(r, 400)
    r = client.post("/api/v1/complaints", data={}, content_type="multipart/form-data")
    assert_error(r, 400, "category", "subject", "details")
    assert case_count(app) == 0


@pytest.mark.parametrize("key", ["short", "k" * 129, "ไทย" * 8, "with space in the key!"])
def test_unusable_idempotency_keys_are_400(client, app, key):
    r = client.post("/api/v1/complaints", json=VALID, headers={"Idempotency-Key": key})
    assert_error(r, 400, "Idempotency-Key")
    assert case_count(app) == 0


def test_a_key_reused_for_another_complaint_never_shows_the_first_code(client, app):
    key = {"Idempotency-Key": "predictable-key-0000001"}
    first = client.post("/api/v1/complaints", json=VALID, headers=key).get_json()
    other = client.post("/api/v1/complaints", json={**VALID, "details": "อีกเรื่อง"}, headers=key)
    assert_error(other, 409, "Idempotency-Key")
    assert first["tracking_code"] not in other.get_data(as_text=True)
    assert case_count(app) == 1


def test_the_stored_idempotency_hash_needs_the_server_key(client, app):
    """A database dump cannot try guesses of a weak key: the stored hash is keyed."""
    from casework.crypto import resubmit

    key = "weak-but-long-key-01"
    client.post("/api/v1/complaints", json=VALID, headers={"Idempotency-Key": key})
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.idempotency_hash != resubmit.token_hash(key)
        assert resubmit.open_sealed(key, case.receipt_sealed) is None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/complaints"),
        ("put", "/api/v1/complaints"),
        ("delete", "/api/v1/complaints"),
        ("get", "/api/v1/track"),
        ("patch", "/api/v1/track"),
        ("post", "/api/v1/categories"),
        ("post", "/api/v1/openapi.json"),
    ],
)
def test_wrong_methods_are_json_405(client, method, path):
    r = getattr(client, method)(path)
    assert_error(r, 405)
    assert "POST" in r.headers["Allow"] or "GET" in r.headers["Allow"]


def test_every_answer_about_a_case_is_never_cached(client):
    code = client.post("/api/v1/complaints", json=VALID).get_json()["tracking_code"]
    answers = [
        client.post("/api/v1/complaints", json={}),
        client.post("/api/v1/complaints", data="{", content_type="application/json"),
        client.post("/api/v1/track", json={"tracking_code": code}),
        client.post("/api/v1/track", json={"tracking_code": "0000-0000-0000-0000"}),
        client.post("/api/v1/track", json={}),
        client.post("/api/v1/track", data="x", content_type="text/plain"),
    ]
    for r in answers:
        assert r.headers["Cache-Control"].startswith("no-store"), r.status_code


def test_a_deeply_nested_multipart_payload_is_400(client, app):
    r = client.post(
        "/api/v1/complaints", data={"payload": "[" * 100_000}, content_type="multipart/form-data"
    )
    assert_error(r, 400)
    assert case_count(app) == 0


def test_lone_surrogates_and_nul_characters_are_dropped_not_a_500(client, app):
    r = client.post(
        "/api/v1/complaints",
        data='{"category": "roads", "subject": "\\ud800", "details": "a\\u0000b"}',
        content_type="application/json",
    )
    assert_error(r, 400, "subject")  # nothing left of the subject once cleaned
    r = client.post(
        "/api/v1/complaints",
        data='{"category": "roads", "subject": "ok\\udfff", "details": "a\\u0000b"}',
        content_type="application/json",
    )
    assert r.status_code == 201
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert (case.subject, case.details) == ("ok", "ab")


def test_an_implausibly_old_date_is_refused(client, app):
    r = client.post("/api/v1/complaints", json={**VALID, "occurred_on": "0001-01-01"})
    assert_error(r, 400, "occurred_on")
    assert case_count(app) == 0
