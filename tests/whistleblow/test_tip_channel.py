"""The public tip channel end to end: API and web pages, the staff pages, the no-plaintext
database dump, the proof-of-submission CLI."""

from __future__ import annotations

import io
import json
import logging
import pathlib
import re

import pytest
import upload_samples
from sqlalchemy import func, inspect, select, text

from casework.crypto import custodian_keys, sealed
from casework.crypto.fields import DecryptionError
from casework.extensions import db
from casework.models import AuditEntry, Case, CustodianKey, TipDetails, TipIdentity
from casework.staff.roles import (
    CLERK,
    CUSTODIAN,
    EXECUTIVE,
    INTEGRITY,
    OFFICER,
    SUPERVISOR,
    SYSADMIN,
)
from casework.tipline import custody

PASS = "correct horse battery staple"
PNG = upload_samples.PNG  # a real picture: an image that does not decode is refused
TIPSTER = "นางสาวพยานลับ ผู้กล้าหาญ"
TIP_TEXT = "ปลัดเทศบาลเรียกรับเงินสามแสนบาทจากผู้รับเหมาโครงการถนนสายบ้านดอน"
ACCUSED = "นายเจ้าเล่ห์ ฉ้อฉลยิ่ง"


def tip_payload(**extra):
    body = {
        "category": "procurement",
        "accused": {"name": ACCUSED, "position": "ปลัดเทศบาล", "unit": "สำนักปลัด"},
        "what": TIP_TEXT,
        "when": "เมื่อเดือนที่แล้ว",
        "where": "ห้องประชุมเทศบาล",
        "how_known": "witnessed",
        "evidence": "สลิปโอนเงิน",
    }
    body.update(extra)
    return body


def test_api_files_and_follows_a_tip_and_codes_do_not_cross(client):
    r = client.get("/api/v1/categories?channel=tip")
    assert {c["code"] for c in r.get_json()["categories"]} >= {"bribery", "procurement"}
    r = client.post("/api/v1/tips", json=tip_payload())
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["case_number"].startswith("T25") and len(body["receipt"]) == 24
    assert r.headers["Cache-Control"].startswith("no-store")
    assert r.headers["Referrer-Policy"] == "no-referrer"
    receipt = body["receipt"]
    r = client.post("/api/v1/tips/status", json={"receipt": receipt.lower()})
    assert r.status_code == 200 and r.get_json()["status"] == "received"
    assert r.get_json()["messages"] == []
    # Wrong receipt, a valid-looking unknown one, and a missing one.
    wrong = receipt[:-1] + ("0" if receipt[-1] != "0" else "1")  # one in 32 receipts ends in 0
    assert client.post("/api/v1/tips/status", json={"receipt": wrong}).status_code in (404,)
    assert client.post("/api/v1/tips/status", json={"receipt": "X"}).status_code == 404
    assert client.post("/api/v1/tips/status", json={}).status_code == 400
    # A tip receipt opens nothing on the general tracking pages ...
    assert client.post("/api/v1/track", json={"tracking_code": receipt}).status_code == 404
    assert client.post("/complaints/track", data={"tracking_code": receipt}).status_code == 404
    # ... and a complaint's tracking code opens no tip.
    r = client.post(
        "/api/v1/complaints", json={"category": "roads", "subject": "ถนน", "details": "หลุม"}
    )
    code = r.get_json()["tracking_code"]
    assert client.post("/api/v1/tips/status", json={"receipt": code}).status_code == 404
    assert client.post("/whistleblow/status", data={"receipt": code}).status_code == 404
    assert client.post("/whistleblow/status", data={"receipt": receipt}).status_code == 200


def test_a_retry_with_the_same_idempotency_key_gets_the_first_receipt(app, client):
    """A client whose connection broke after its tip was filed sends it again with the same
    Idempotency-Key and gets the first receipt and proof (200), not a second tip; the key with
    another tip is refused (409), a malformed key is refused (400)."""
    key = {"Idempotency-Key": "k" * 12 + "-retry-after-a-broken-connection"}
    first = client.post("/api/v1/tips", json=tip_payload(), headers=key)
    assert first.status_code == 201
    again = client.post("/api/v1/tips", json=tip_payload(), headers=key)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 1
        stored = db.session.scalar(select(Case.receipt_sealed))
        assert first.get_json()["receipt"].encode() not in stored  # sealed, not kept readable
    other = client.post("/api/v1/tips", json=tip_payload(what="เรื่องอื่นโดยสิ้นเชิง"), headers=key)
    assert other.status_code == 409 and "Idempotency-Key" in other.get_json()["fields"]
    short = client.post("/api/v1/tips", json=tip_payload(), headers={"Idempotency-Key": "x"})
    assert short.status_code == 400 and "Idempotency-Key" in short.get_json()["fields"]
    # Without a key, each request is a tip of its own.
    assert client.post("/api/v1/tips", json=tip_payload()).status_code == 201


def test_api_validation_and_confidential_without_custodian(client):
    r = client.post("/api/v1/tips", json={"category": "bribery"})
    assert r.status_code == 400 and "what" in r.get_json()["fields"]
    r = client.post(
        "/api/v1/tips",
        json=tip_payload(confidential=True, consent=True, identity={"name": TIPSTER}),
    )
    assert r.status_code == 400 and "confidential" in r.get_json()["fields"]
    assert client.post("/api/v1/tips", data="x", content_type="text/plain").status_code == 415


def test_messaging_both_ways_through_api_and_staff_pages(app, client, signed_in):
    staff, officer = signed_in(INTEGRITY, "มานะ อดทน")
    receipt = client.post("/api/v1/tips", json=tip_payload()).get_json()["receipt"]
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).filter_by(channel="tip"))
    r = staff.get(f"/admin/tips/{case_id}")
    assert r.status_code == 200 and TIP_TEXT not in r.get_data(as_text=True)  # not assigned
    staff.post(f"/admin/tips/{case_id}/assign", data={"user_id": officer})
    r = staff.get(f"/admin/tips/{case_id}")
    assert TIP_TEXT in r.get_data(as_text=True)
    staff.post(f"/admin/tips/{case_id}/message", data={"message": "ขอทราบวันที่โอนเงิน"})
    r = client.post("/api/v1/tips/status", json={"receipt": receipt})
    (msg,) = r.get_json()["messages"]
    assert msg["from"] == "integrity_officer" and msg["text"] == "ขอทราบวันที่โอนเงิน"
    assert "มานะ" not in r.get_data(as_text=True)
    r = client.post("/api/v1/tips/messages", json={"receipt": receipt, "text": "วันที่ 5"})
    assert r.status_code == 201
    assert (
        client.post("/api/v1/tips/messages", json={"receipt": receipt, "text": ""}).status_code
        == 400
    )
    r = staff.get(f"/admin/tips/{case_id}")
    html = r.get_data(as_text=True)
    with app.app_context():
        pseudonym = db.session.scalar(select(TipDetails.pseudonym))
    assert "วันที่ 5" in html and pseudonym in html
    r = client.post("/whistleblow/reply", data={"receipt": receipt, "message": "เพิ่มเติม"})
    assert r.status_code == 200 and "เพิ่มเติม" in r.get_data(as_text=True)


def test_web_questionnaire_receipt_and_status_pages(client):
    r = client.get("/whistleblow/")
    assert r.status_code == 200 and r.headers["Referrer-Policy"] == "no-referrer"
    r = client.get("/whistleblow/new")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "http://" not in html.split("<body", 1)[1].replace("http://localhost", "")
    r = client.post("/whistleblow/new", data={"category": "bribery", "form_token": "t" * 40})
    assert r.status_code == 400  # "what happened" is needed
    r = client.post(
        "/whistleblow/new",
        data={
            "category": "bribery",
            "what": TIP_TEXT,
            "accused_role": "staff",
            "reported_elsewhere": "no",
            "confidential": "no",
            "form_token": "u" * 40,
        },
    )
    assert r.status_code == 200, r.get_data(as_text=True)
    html = r.get_data(as_text=True)
    assert r.headers["Cache-Control"].startswith("no-store")
    import re

    receipt = re.search(r'class="code">([0-9A-Z-]{24})<', html).group(1)
    r = client.post("/whistleblow/status", data={"receipt": receipt})
    assert r.status_code == 200 and "T25" in r.get_data(as_text=True)
    r = client.post("/whistleblow/proof", data={"receipt": receipt, "format": "json"})
    assert r.status_code == 200 and json.loads(r.data)["type"] == "rongrian-proof-of-submission"
    r = client.post("/whistleblow/proof", data={"receipt": receipt})
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    # The same form sent twice files one tip and does not show the receipt again.
    again = client.post(
        "/whistleblow/new",
        data={"category": "bribery", "what": TIP_TEXT, "form_token": "u" * 40},
    )
    assert receipt not in again.get_data(as_text=True)


def test_reveal_flow_through_staff_pages_and_tipster_sees_it(app, client, signed_in):
    staff, _officer = signed_in(INTEGRITY, "มานะ อดทน")
    cust, _keeper = signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    r = client.post(
        "/api/v1/tips",
        json=tip_payload(confidential=True, consent=True, identity={"name": TIPSTER}),
    )
    receipt = r.get_json()["receipt"]
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).filter_by(channel="tip"))
    staff.post(f"/admin/tips/{case_id}/assign", data={})
    staff.post(f"/admin/tips/{case_id}/reveal", data={"reason": "ต้องเชิญมาให้ถ้อยคำ"})
    assert TIPSTER not in staff.get(f"/admin/tips/{case_id}").get_data(as_text=True)
    assert staff.get("/admin/tips/custody").status_code == 403
    page = cust.get("/admin/tips/custody").get_data(as_text=True)
    assert "ต้องเชิญมาให้ถ้อยคำ" in page
    assert cust.get(f"/admin/tips/{case_id}").status_code == 404  # custodians read no content
    with app.app_context():
        from casework.models import RevealRequest

        request_id = db.session.scalar(select(RevealRequest.id))
    r = cust.post(f"/admin/tips/reveals/{request_id}/approve", data={"passphrase": "wrong one!!"})
    assert TIPSTER not in r.get_data(as_text=True)
    r = cust.post(f"/admin/tips/reveals/{request_id}/approve", data={"passphrase": PASS})
    html = r.get_data(as_text=True)
    assert (
        r.status_code == 200
        and TIPSTER in html
        and r.headers["Cache-Control"].startswith("no-store")
    )
    # Labels in the officer's language, not field names.
    assert "<dt>ชื่อ</dt>" in html and "<dt>name</dt>" not in html
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEntry.action).filter_by(case_id=case_id).order_by(AuditEntry.seq)
        ).all()
    assert "tip.reveal_requested" in actions and "tip.reveal_approved" in actions
    status = client.post("/api/v1/tips/status", json={"receipt": receipt}).get_json()
    assert len(status["identity_accessed_on"]) == 1
    page = client.post("/whistleblow/status", data={"receipt": receipt}).get_data(as_text=True)
    assert "notice-warning" in page


@pytest.mark.parametrize("role", [CLERK, OFFICER, SUPERVISOR, EXECUTIVE, SYSADMIN, CUSTODIAN])
def test_only_integrity_officers_see_tips(app, client, signed_in, role):
    client.post("/api/v1/tips", json=tip_payload())
    staff, _user = signed_in(role, "คนอื่น", "works" if role == OFFICER else None)
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).filter_by(channel="tip"))
    listing = staff.get("/admin/tips/")
    assert listing.status_code in (302, 403)
    assert staff.get(f"/admin/tips/{case_id}").status_code == 404
    assert staff.post(f"/admin/tips/{case_id}/message", data={"message": "x"}).status_code == 404


def _dump(app, backend) -> bytes:
    """Every byte the server keeps: the database (file bytes, or every row of every table as
    text on PostgreSQL) plus config values and every file under the instance folder."""
    with app.app_context():
        db.session.remove()
        if backend == "sqlite":
            db.engine.dispose()
            path = pathlib.Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
            blob = path.read_bytes()
            for extra in (
                path.with_name(path.name + "-wal"),
                path.with_name(path.name + "-journal"),
            ):
                if extra.exists():
                    blob += extra.read_bytes()
        else:
            parts = []
            with db.engine.connect() as conn:
                for table in inspect(conn).get_table_names():
                    for row in conn.execute(text(f'SELECT t::text FROM "{table}" t')):  # noqa: S608
                        parts.append(row[0])
            blob = "\n".join(parts).encode()
    config = repr(sorted((k, repr(v)) for k, v in app.config.items())).encode()
    files = b"".join(
        p.read_bytes() for p in pathlib.Path(app.instance_path).rglob("*") if p.is_file()
    )
    return blob + config + files


@pytest.mark.real_commits
def test_server_alone_reveals_nothing(app, client, backend, caplog, signed_in):
    caplog.set_level(logging.DEBUG)
    signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    r = client.post(
        "/api/v1/tips",
        json=tip_payload(
            confidential=True,
            consent=True,
            identity={"name": TIPSTER, "phone": "0899999999", "email": "brave@example.com"},
        ),
    )
    receipt = r.get_json()["receipt"]
    client.post("/api/v1/tips/messages", json={"receipt": receipt, "text": "ข้อความลับสุดยอด"})
    dump = _dump(app, backend)
    secrets_ = [TIPSTER, "0899999999", "brave@example.com", TIP_TEXT, ACCUSED, "ข้อความลับสุดยอด"]
    for secret in [*secrets_, receipt, receipt.replace("-", "")]:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert secret.encode(encoding) not in dump, secret
        assert json.dumps(secret).encode() not in dump  # \\u-escaped JSON
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in [*secrets_, receipt]:
        assert secret not in logged
    # The sealed identity opens with no key the server holds: not the keyring's keys, not the
    # secret key, not the wrapped custodian key without its passphrase.
    with app.app_context():
        from casework.crypto import keys

        ring = keys.keyring()
        box_row = db.session.scalar(select(TipIdentity))
        key_row = db.session.get(CustodianKey, box_row.custodian_key_id)
        box = sealed.SealedBox.from_bytes(box_row.box)
        aad = f"tip-identity:{key_row.organization_id}:{box_row.case_id}:{key_row.id}".encode()
        candidates = [*ring.data_keys.values(), ring.index_key, ring.tracking_key]
        candidates += [ring.receipt_pepper, ring.signing_key, ring.audit_key]
        for candidate in candidates:
            with pytest.raises(DecryptionError):
                sealed.unseal(candidate, box, aad)
        wrapped = custodian_keys.WrappedKey.from_json(key_row.wrapped)
        for guess in [app.config["SECRET_KEY"], "", *(k.hex() for k in candidates)]:
            with pytest.raises((custodian_keys.WrongPassphrase, ValueError)):
                custodian_keys.unwrap(wrapped, guess)
        # With the custodian's passphrase it opens: the seal is real.
        private = custodian_keys.unwrap(wrapped, PASS)
        assert TIPSTER in sealed.unseal(private, box, aad).decode()


def test_no_time_finer_than_the_day_for_tips(app, client, signed_in):
    signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    receipt = client.post("/api/v1/tips", json=tip_payload()).get_json()["receipt"]
    client.post("/api/v1/tips/messages", json={"receipt": receipt, "text": "อีกเรื่อง"})
    with app.app_context():
        case = db.session.scalar(select(Case).filter_by(channel="tip"))
        stamps = [case.received_at, case.created_at]
        stamps += [e.at for e in case.events] + [m.at for m in case.messages]
        stamps += db.session.scalars(select(AuditEntry.at).filter_by(case_id=case.id)).all()
        assert all((t.hour, t.minute, t.second, t.microsecond) == (0, 0, 0, 0) for t in stamps)
        columns = {
            c.name for t in db.metadata.sorted_tables if t.name.startswith("tip") for c in t.columns
        }
        assert not {"ip", "ip_address", "user_agent", "remote_addr"} & columns


def test_receipts_verify_cli(app, client, tmp_path):
    r = client.post("/api/v1/tips", json=tip_payload())
    proof = r.get_json()["proof"]
    good = tmp_path / "proof.json"
    good.write_text(json.dumps(proof))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["receipts", "verify", str(good)])
    assert result.exit_code == 0 and "VALID" in result.output
    assert r.get_json()["case_number"] in result.output
    proof["claims"]["case_number"] = "T2570/99999"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(proof))
    result = runner.invoke(args=["receipts", "verify", str(bad)])
    assert result.exit_code == 1
    key = client.get("/whistleblow/proof-key").get_json()["public_key"]
    result = runner.invoke(args=["receipts", "verify", str(good), "--public-key", key])
    assert result.exit_code == 0


def test_openapi_lists_the_tip_paths(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/tips", "/api/v1/tips/status", "/api/v1/tips/messages"} <= set(paths)


def test_the_questionnaire_reaches_the_assigned_officer_and_is_anonymous_by_default(
    app, client, signed_in
):
    codes = [
        c["code"] for c in client.get("/api/v1/categories?channel=tip").get_json()["categories"]
    ]
    assert codes == [
        "bribery",
        "procurement",
        "personnel",
        "property",
        "abuse",
        "unfair_service",
        "other",
    ]
    form = client.get("/whistleblow/new").get_data(as_text=True)
    radios = re.findall(r'<input[^>]*name="confidential"[^>]*>', form)
    (chosen,) = [r for r in radios if " checked" in r]
    assert 'value="no"' in chosen  # anonymous unless the tipster chooses otherwise
    answers = {
        "category": "personnel",
        "accused_name": "นายเลื่อนขั้น ไม่ชอบธรรม",
        "accused_position": "ผู้อำนวยการกอง",
        "accused_unit": "กองการเจ้าหน้าที่",
        "accused_role": "staff",
        "what": "เลื่อนขั้นเงินเดือนให้ญาติโดยไม่ผ่านการประเมิน",
        "when": "รอบการประเมินเดือนตุลาคม",
        "occurred_on": "2026-10-01",
        "where": "ห้องประชุมกองการเจ้าหน้าที่",
        "how_known": "documents",
        "how_known_details": "เห็นแบบประเมินที่ถูกแก้ไข",
        "evidence": "สำเนาแบบประเมินสองฉบับ",
        "witnesses": "กรรมการประเมินหนึ่งคน",
        "reported_elsewhere": "yes",
        "reported_where": "ศูนย์ดำรงธรรมจังหวัด เมื่อเดือนที่แล้ว",
    }
    r = client.post("/whistleblow/new", data=answers)
    assert r.status_code == 200
    staff, _officer = signed_in(INTEGRITY, "มานะ อดทน")
    with app.app_context():
        case = db.session.scalar(select(Case).filter_by(channel="tip"))
        assert case.anonymous and not custody.has_identity(case)
        assert case.category.code == "personnel"
    staff.post(f"/admin/tips/{case.id}/assign", data={})
    page = staff.get(f"/admin/tips/{case.id}").get_data(as_text=True)
    for key, value in answers.items():
        if key not in (
            "category",
            "accused_role",
            "how_known",
            "reported_elsewhere",
            "occurred_on",
        ):
            assert value in page, key
    assert "1 ตุลาคม 2569" in page  # the date, in Buddhist Era


def test_attachments_have_the_general_channels_limits(app, client):
    r = client.post(
        "/whistleblow/new",
        data={
            "category": "bribery",
            "what": TIP_TEXT,
            "attachments": (io.BytesIO(b"MZ\x90\x00 not a picture"), "run.exe"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 400 and "attachments-error" in r.get_data(as_text=True)
    too_many = [(io.BytesIO(PNG), f"p{i}.png") for i in range(6)]
    r = client.post(
        "/whistleblow/new",
        data={"category": "bribery", "what": TIP_TEXT, "attachments": too_many},
        content_type="multipart/form-data",
    )
    assert r.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Case.id).filter_by(channel="tip")) is None


def test_a_tip_closed_as_insufficient_tells_the_tipster_why(app, client, signed_in):
    staff, _officer = signed_in(INTEGRITY, "มานะ อดทน")
    receipt = client.post("/api/v1/tips", json={"category": "other", "what": "มีคนโกง"}).get_json()[
        "receipt"
    ]
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).filter_by(channel="tip"))
    staff.post(f"/admin/tips/{case_id}/assign", data={})
    staff.post(
        f"/admin/tips/{case_id}/status", data={"target": "closed", "outcome": "insufficient"}
    )
    assert (
        client.post("/api/v1/tips/status", json={"receipt": receipt}).get_json()["status"]
        == "received"
    )  # refused: no reason given
    reason = "ไม่ระบุว่าผู้ใดกระทำ เมื่อใด และที่ใด จึงไม่อาจตรวจสอบได้"
    staff.post(
        f"/admin/tips/{case_id}/status",
        data={"target": "closed", "outcome": "insufficient", "public_note": reason},
    )
    # Closing without action waits for a second integrity officer, who reads it and approves.
    status = client.post("/api/v1/tips/status", json={"receipt": receipt}).get_json()
    assert status["status"] == "received" and reason not in str(status)
    assert staff.post(f"/admin/tips/{case_id}/closure/approve").status_code == 404
    second, _second = signed_in(INTEGRITY, "วิภา ดีงาม")
    second.post(f"/admin/tips/{case_id}/assign", data={})
    assert second.post(f"/admin/tips/{case_id}/closure/approve").status_code == 302
    status = client.post("/api/v1/tips/status", json={"receipt": receipt}).get_json()
    assert status["status"] == "closed" and status["outcome"] == "insufficient"
    assert status["next_answer_due"] is None
    assert any(step["text"] == reason for step in status["progress"])
    page = client.post("/whistleblow/status", data={"receipt": receipt}).get_data(as_text=True)
    assert reason in page
    assert 'name="message"' not in page  # closed: no more messages


def test_the_public_key_is_published_and_the_proof_names_nobody(client):
    r = client.post(
        "/api/v1/tips",
        json=tip_payload(confidential=False),
    )
    proof = r.get_json()["proof"]
    assert set(proof["claims"]) == {"organization", "case_number", "date", "content_sha256"}
    assert TIP_TEXT not in json.dumps(proof, ensure_ascii=False)
    assert ACCUSED not in json.dumps(proof, ensure_ascii=False)
    key = client.get("/whistleblow/proof-key").get_json()
    assert key["public_key"] == proof["public_key"] and key["algorithm"] == "Ed25519"
    index = client.get("/whistleblow/").get_data(as_text=True)
    assert 'href="/whistleblow/proof-key"' in index  # for agencies; no key words on the page
    assert key["public_key"] not in index and "Ed25519" not in index
