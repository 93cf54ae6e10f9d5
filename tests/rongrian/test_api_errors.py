"""The one handler for FieldErrors: every refusal on /api/ answers ``{"error", "fields"}`` with
the error's status, in both channels; elsewhere a page says the message."""

from __future__ import annotations

import io

from casework.cases.errors import FieldErrors

COMPLAINT = {"category": "roads", "subject": "ไฟดับ", "details": "ไฟถนนดับทั้งซอย"}
MULTIPART = "multipart/form-data"


def answer(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error", "fields"} and body["error"], body
    return body["fields"]


def test_every_api_refusal_has_the_same_shape_and_its_status(client):
    post = client.post
    cases = [  # (response, status, the fields it names)
        (post("/api/v1/complaints", data="a=b", content_type="text/plain"), 415, set()),
        (post("/api/v1/complaints", data="{nope", content_type="application/json"), 400, set()),
        (post("/api/v1/complaints", json={}), 400, {"category", "subject", "details"}),
        (post("/api/v1/complaints", json={**COMPLAINT, "reporter": "สมชาย"}), 400, {"reporter"}),
        (
            post("/api/v1/complaints", json=COMPLAINT, headers={"Idempotency-Key": "short"}),
            400,
            {"Idempotency-Key"},
        ),
        (
            post(
                "/api/v1/complaints",
                data={"payload": "{}", "photo": (io.BytesIO(b"x"), "p.png")},
                content_type=MULTIPART,
            ),
            400,
            {"photo"},
        ),
        (post("/api/v1/complaints", data={"payload": "[1]"}, content_type=MULTIPART), 400, set()),
        (post("/api/v1/track", json={}), 400, {"tracking_code"}),
        (post("/api/v1/track", json={"tracking_code": "ABCD-EFGH-JKMN-PQRS"}), 404, set()),
        (client.get("/api/v1/categories?channel=line"), 400, {"channel"}),
        (post("/api/v1/tips", json={"accused": "x"}), 400, {"accused"}),
        (post("/api/v1/tips", json={}), 400, {"category", "what"}),
        (post("/api/v1/tips", data="x", content_type="text/plain"), 415, set()),
        (post("/api/v1/tips/status", json={}), 400, {"receipt"}),
        (post("/api/v1/tips/status", json={"receipt": "nothing-like-it"}), 404, set()),
        (post("/api/v1/tips/messages", json={"receipt": "nothing-like-it"}), 404, set()),
    ]
    for response, status, fields in cases:
        assert fields <= set(answer(response, status)), response.request.path


def test_a_tipster_message_refused_by_the_rules(client):
    receipt = client.post(
        "/api/v1/tips", json={"category": "bribery", "what": "เรียกเงิน"}
    ).get_json()["receipt"]
    wrong_type = client.post("/api/v1/tips/messages", json={"receipt": receipt, "text": 5})
    assert set(answer(wrong_type, 400)) == {"text"}
    empty = client.post("/api/v1/tips/messages", json={"receipt": receipt, "text": " "})
    assert set(answer(empty, 400)) == {"message"}


def test_any_field_error_reaching_the_shell(app):
    def refuse():
        raise FieldErrors({"target": "Not from this state."}, "Conflict.", status=409)

    app.add_url_rule("/api/v1/_refuse", "api_refusal", refuse)
    app.add_url_rule("/_refuse", "page_refusal", refuse)
    client = app.test_client()
    api = client.get("/api/v1/_refuse")
    assert api.get_json() == {"error": "Conflict.", "fields": {"target": "Not from this state."}}
    assert api.status_code == 409
    page = client.get("/_refuse")
    assert page.status_code == 409 and page.mimetype == "text/html"
    assert "Conflict." in page.get_data(as_text=True)


def test_a_chunked_body_over_the_limit_is_413_not_a_truncated_document(make_app):
    """A chunked body has no Content-Length: werkzeug's stream stops at MAX_CONTENT_LENGTH
    without a word, and the truncated JSON used to be refused as malformed (400)."""
    app = make_app({"MAX_CONTENT_LENGTH": 4096})
    with app.app_context():
        from casework import demo

        demo.load()
    client = app.test_client()
    body = b'{"tracking_code": "' + b"a" * 8192 + b'"}'
    for path in ("/api/v1/track", "/api/v1/complaints", "/api/v1/tips/status"):
        response = client.post(
            path,
            input_stream=io.BytesIO(body),
            content_type="application/json",
            headers={"Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input_terminated": True},
        )
        answer(response, 413)
    small = client.post(
        "/api/v1/track",
        input_stream=io.BytesIO(b'{"tracking_code": "ABCD-EFGH-JKMN-PQRS"}'),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    answer(small, 404)


def test_a_header_over_8_kb_is_431_in_the_apps_own_words(client):
    """gunicorn used to answer such a header with its own HTML; it now lets fields up to 32 KB
    through and the app answers: JSON naming the header on the API, a page elsewhere."""
    big = {"X-Filler": "a" * 8200}
    fields = answer(client.post("/api/v1/track", json={"tracking_code": "x"}, headers=big), 431)
    assert set(fields) == {"X-Filler"}
    page = client.get("/", headers=big)
    assert page.status_code == 431 and page.mimetype == "text/html"
    assert client.get("/api/v1/categories", headers={"X-Filler": "a" * 8000}).status_code == 200


def test_gunicorn_lets_large_header_fields_through_to_the_app():
    import runpy
    from pathlib import Path

    from rongrian.security import MAX_HEADER_FIELD

    conf = runpy.run_path(str(Path(__file__).parents[2] / "gunicorn.conf.py"))
    assert conf["limit_request_field_size"] > MAX_HEADER_FIELD
