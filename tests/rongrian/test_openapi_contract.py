"""The OpenAPI 3.1 document at /api/v1/openapi.json is well formed and tells the truth: every
route it lists exists (and the other way round), and what the complaint endpoints and the tip
status really answer, success and error alike, matches the schema documented for that status
code."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta

import pytest
from tip_helpers import staff

from casework.cases import casefile, timeline
from casework.dates import clock
from casework.extensions import db
from casework.models import Case, Organization, User
from casework.staff.roles import INTEGRITY
from casework.tipline import access, followups, referral, standing, workflow

VALID = {"category": "roads", "subject": "ถนนชำรุด", "details": "หลุมลึกหน้าบ้านเลขที่ 12"}
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def doc(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def resolve(doc: dict, ref: str) -> dict:
    assert ref.startswith("#/"), ref
    node = doc
    for part in ref[2:].split("/"):
        assert part in node, f"unresolved $ref {ref}"
        node = node[part]
    return node


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def errors(doc: dict, schema: dict, value, where: str = "$") -> list[str]:
    """A small JSON Schema (2020-12 subset) check: enough for the shapes this API uses."""
    if "$ref" in schema:
        return errors(doc, resolve(doc, schema["$ref"]), value, where)
    found: list[str] = []
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        python = {
            "string": str,
            "integer": int,
            "number": (int, float),
            "boolean": bool,
            "object": dict,
            "array": list,
            "null": type(None),
        }
        ok = any(
            isinstance(value, python[t]) and not (t in ("integer", "number") and value is True)
            for t in types
        )
        if not ok:
            return [f"{where}: {value!r} is not {types}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", len(value)):
            found.append(f"{where}: longer than {schema['maxLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{where}: {value!r} does not match {schema['pattern']}")
        fmt = schema.get("format")
        try:
            if fmt == "date":
                date.fromisoformat(value)
            elif fmt == "date-time":
                assert value.endswith("Z"), "date-times are UTC with a Z"
                datetime.fromisoformat(value[:-1])
        except (ValueError, AssertionError) as error:
            found.append(f"{where}: {value!r} is not a {fmt}: {error}")
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if number and not schema.get("minimum", value) <= value <= schema.get("maximum", value):
        found.append(f"{where}: {value} out of range")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{where}: missing {name}")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                found += errors(doc, properties[name], item, f"{where}.{name}")
            elif extra is False:
                found.append(f"{where}: undocumented property {name}")
            elif isinstance(extra, dict):
                found += errors(doc, extra, item, f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += errors(doc, schema["items"], item, f"{where}[{i}]")
    return found


def conforms(doc: dict, path: str, method: str, response) -> None:
    """``response`` is documented for this operation and its JSON body matches the schema."""
    operation = doc["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method.upper()} {path} answered {status}"
    documented = operation["responses"][status]
    schema = documented["content"]["application/json"]["schema"]
    assert response.mimetype == "application/json"
    problems = errors(doc, schema, response.get_json())
    assert not problems, problems


def test_document_is_structurally_valid_openapi_3_1(doc):
    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["title"] and doc["info"]["version"]
    for ref in refs(doc):
        resolve(doc, ref)
    for path, item in doc["paths"].items():
        assert path.startswith("/api/v1/"), path
        for method, operation in item.items():
            assert method in METHODS, (path, method)
            responses = operation["responses"]
            assert any(code.startswith("2") for code in responses), (path, method)
            for code, response in responses.items():
                assert re.fullmatch(r"[1-5]\d\d", code), code
                assert response["description"], (path, method, code)
                for media in response.get("content", {}).values():
                    assert "schema" in media, (path, method, code)
                if code.startswith("4"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}
            body = operation.get("requestBody")
            if body:
                assert body["content"], (path, method)
                for media in body["content"].values():
                    assert "schema" in media, (path, method)
            for parameter in operation.get("parameters", []):
                assert parameter["in"] in {"query", "header", "path", "cookie"}
                assert "schema" in parameter
    # every component schema is used somewhere
    used = set(refs(doc))
    for name in doc["components"]["schemas"]:
        assert f"#/components/schemas/{name}" in used, name


def test_every_api_route_is_documented_and_every_documented_route_exists(app, doc):
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.rule != "/api/v1/openapi.json":
            served |= {(rule.rule, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, m) for path, item in doc["paths"].items() for m in item}
    assert served == documented


def test_filing_answers_match_the_document(client, doc):
    path = "/api/v1/complaints"
    conforms(doc, path, "post", client.post(path, json=VALID))
    full = {
        **VALID,
        "kind": "grievance",
        "location": "ซอย 3",
        "lat": 13.75,
        "lng": 100.5,
        "occurred_on": "2026-01-02",
        "occurred_time": "08:30",
        "reporter": {"name": "สมชาย", "phone": "0812345678", "email": "s@example.com"},
        "consent": True,
    }
    key = {"Idempotency-Key": "contract-test-key-0001"}
    first = client.post(path, json=full, headers=key)
    again = client.post(path, json=full, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    conforms(doc, path, "post", first)
    conforms(doc, path, "post", again)
    multipart = client.post(
        path,
        data={
            "payload": json.dumps(VALID),
            "attachments": [(io.BytesIO(b"%PDF-1.4 contract"), "a.pdf")],
        },
        content_type="multipart/form-data",
    )
    conforms(doc, path, "post", multipart)
    for bad in (
        client.post(path, json={}),
        client.post(path, data="{", content_type="application/json"),
        client.post(path, data="x", content_type="text/plain"),
        client.post(path, json={**full, "subject": "other"}, headers=key),
    ):
        conforms(doc, path, "post", bad)


def test_categories_answer_matches_the_document(client, doc):
    for channel in ("complaint", "tip"):
        conforms(
            doc, "/api/v1/categories", "get", client.get(f"/api/v1/categories?channel={channel}")
        )
    conforms(doc, "/api/v1/categories", "get", client.get("/api/v1/categories?channel=x"))


def test_tracking_answers_match_the_document_at_every_stage(client, app, doc, frozen):
    path = "/api/v1/track"
    frozen(datetime(2026, 11, 2, 3, 0))
    code = client.post("/api/v1/complaints", json=VALID).get_json()["tracking_code"]

    def track():
        response = client.post(path, json={"tracking_code": code})
        conforms(doc, path, "post", response)
        return response.get_json()

    assert track()["original_due_at"] is None
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        casefile.change_status(case, "awaiting_info", note="ขอภาพถ่าย")
        db.session.commit()
    assert track()["paused"] is True
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        casefile.change_status(case, "in_progress")
        first_due = case.due_date
        case.original_due_date, case.due_date = first_due, first_due + timedelta(days=10)
        timeline.record(
            case,
            "explanation",
            public=True,
            body="รองบประมาณ",
            data={"new_date": case.due_date.isoformat(), "old_date": first_due.isoformat()},
        )
        db.session.commit()
    body = track()
    assert body["original_due_at"] == first_due.isoformat()
    explained = [e for e in body["timeline"] if e["kind"] == "explanation"]
    assert explained[0]["due_at"] == body["due_at"]
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        casefile.change_status(case, "completed", outcome="resolved", note="ซ่อมแล้ว")
        db.session.commit()
    body = track()
    assert body["result"] == "ซ่อมแล้ว" and body["completed_at"]
    assert clock.utcnow()  # the frozen clock stayed in force
    for bad in (
        client.post(path, json={"tracking_code": "0000-0000-0000-0000"}),
        client.post(path, json={}),
        client.post(path, data="x", content_type="text/plain"),
    ):
        conforms(doc, path, "post", bad)


def test_oversize_and_rate_limited_answers_match_the_document(make_app):
    app = make_app({"MAX_CONTENT_LENGTH": 4096, "TRACK_RATE_LIMIT": "1 per minute"})
    with app.app_context():
        from casework import demo

        demo.load()
    client = app.test_client()
    doc = client.get("/api/v1/openapi.json").get_json()
    big = client.post("/api/v1/complaints", json={**VALID, "details": "x" * 8000})
    conforms(doc, "/api/v1/complaints", "post", big)
    client.post("/api/v1/track", json={"tracking_code": "x"})
    limited = client.post("/api/v1/track", json={"tracking_code": "x"})
    assert limited.status_code == 429
    conforms(doc, "/api/v1/track", "post", limited)


def test_statistics_answers_match_the_document(client, doc, frozen):
    """The figures, every period code, and the refusals; the document's fiscal-year range is
    the one the server keeps (B.E. 2500 to the current fiscal year)."""
    frozen(datetime(2027, 1, 15, 3, 0))
    client.post("/api/v1/complaints", json=VALID)
    path = "/api/v1/stats"
    parameters = {p["name"]: p["schema"] for p in doc["paths"][path]["get"]["parameters"]}
    year = parameters["fiscal_year"]
    assert (year["minimum"], year["maximum"]) == (2500, 2570)
    for code in parameters["period"]["enum"]:
        conforms(doc, path, "get", client.get(f"{path}?fiscal_year=2570&period={code}"))
    conforms(doc, path, "get", client.get(path))
    for fiscal_year in (year["minimum"], year["maximum"]):
        assert client.get(f"{path}?fiscal_year={fiscal_year}").status_code == 200
    for bad in (year["minimum"] - 1, year["maximum"] + 1, "x"):
        response = client.get(f"{path}?fiscal_year={bad}")
        assert response.status_code == 400
        conforms(doc, path, "get", response)
    response = client.get(f"{path}?period=q9")
    assert response.status_code == 400 and "period" in response.get_json()["fields"]
    conforms(doc, path, "get", response)


def test_tip_status_answers_show_the_status_page_stages_and_match_the_document(
    client, app, doc, frozen
):
    """/api/v1/tips/status shows the stages the status page shows (casework.tipline.standing),
    the outside body by its institution, and the closing day; nobody named; and every answer
    matches the document, which allows nothing more."""
    path = "/api/v1/tips/status"
    officer_name, reference = "มานะ อดทน", "ปช 0099/1234"
    frozen(datetime(2027, 3, 1, 3, 0))
    body = {
        "category": "bribery",
        "accused": {"name": "นายเจ้าเล่ห์ ฉ้อฉลยิ่ง", "position": "ผู้อำนวยการกองคลัง"},
        "what": "เรียกรับเงินจากผู้รับเหมา",
    }
    receipt = client.post("/api/v1/tips", json=body).get_json()["receipt"]

    def status(case_id: int) -> dict:
        response = client.post(path, json={"receipt": receipt})
        conforms(doc, path, "post", response)
        answer = response.get_json()
        with app.app_context(), app.test_request_context():
            shown = standing.standing(db.session.get(Case, case_id))
        assert answer["stages"] == [
            {
                "code": s.code,
                "label": s.label,
                "reached_on": s.reached_on.isoformat() if s.reached_on else None,
                "current": s.current,
            }
            for s in shown.stages
        ]
        text = json.dumps(answer, ensure_ascii=False)
        for secret in (officer_name, reference, "เจ้าเล่ห์", "ผู้รับเหมา"):
            assert secret not in text, secret
        return answer

    with app.app_context():
        case_id = db.session.scalar(db.select(Case.id).filter_by(channel="tip"))
        org = db.session.scalar(db.select(Organization))
        officer_id = staff(org, INTEGRITY, officer_name, "mana@staff.test").id
    answer = status(case_id)
    assert [s["code"] for s in answer["stages"]] == list(standing.PATH)
    assert [s["current"] for s in answer["stages"]] == [True] + [False] * 5
    assert answer["stages"][0]["reached_on"] == "2027-03-01"
    assert answer["stages"][1]["reached_on"] is None  # the way ahead
    assert answer["referred"] is None and answer["closed_on"] is None

    frozen(datetime(2027, 3, 3, 3, 0))
    with app.app_context(), app.test_request_context():
        case = db.session.get(Case, case_id)
        access.assign(case, db.session.get(User, officer_id))
        workflow.change(case, "preliminary_review", actor_id=officer_id, fact_finder=officer_name)
        referral.record(
            case, actor_id=officer_id, body="nacc", reference_number=reference, referred_on=None
        )
        workflow.change(case, "referred_out", actor_id=officer_id)
    answer = status(case_id)
    assert [s["code"] for s in answer["stages"]] == [
        "received",
        "preliminary_review",
        "referred_out",
        "closed",
    ]
    assert answer["referred"]["referred_on"] == "2027-03-03"
    assert "(ป.ป.ช.)" in answer["referred"]["body"]  # the institution, in the reader's language

    with app.app_context(), app.test_request_context():
        case = db.session.get(Case, case_id)
        followups.record_decision(
            case, actor_id=officer_id, decision="รับไว้ไต่สวน", decided_on=clock.today()
        )
    answer = status(case_id)
    assert answer["closed_on"] == "2027-03-03" and answer["outcome"] == "referred"
    assert all(s["reached_on"] for s in answer["stages"])
    assert "ไต่สวน" not in json.dumps(answer, ensure_ascii=False)
