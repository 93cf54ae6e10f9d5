"""A database dump of a used instance reveals no reporter, tracking code or attachment bytes."""

import io
import json
from pathlib import Path

import pytest
import upload_samples
from sqlalchemy import select, text

from casework.cases import identity
from casework.extensions import db
from casework.models import Case

NAME = "นางสาวสมใจ ลับสุดยอด"
PHONE = "0812345678"
EMAIL = "somjai.secret@example.com"
ADDRESS = "99/9 หมู่ 9 ซอยลับ"
ATTACHMENT_MARK = b"ATTACHMENT-BYTES-MUST-NOT-LEAK-7f3a"
PNG = upload_samples.png_carrying(ATTACHMENT_MARK * 50)  # a real picture: images must decode


def dump(app, backend) -> bytes:
    """Everything the database holds, as bytes."""
    with app.app_context():
        db.session.remove()
        if backend == "sqlite":
            path = Path(db.engine.url.database)
            data = path.read_bytes()
            wal = path.with_name(path.name + "-wal")
            return data + (wal.read_bytes() if wal.exists() else b"")
        chunks = []
        for table in db.metadata.sorted_tables:
            query = f'SELECT t::text FROM "{table.name}" t'  # noqa: S608 - our own table names
            rows = db.session.execute(text(query))
            chunks.extend(r[0].encode() for r in rows)
            # bytea columns print as hex: decode them so a plaintext blob would show
            for column in table.columns:
                if column.type.python_type is bytes:
                    for (blob,) in db.session.execute(select(column)):
                        chunks.append(bytes(blob or b""))
        return b"\n".join(chunks)


@pytest.fixture
def used_instance(client, app):
    r = client.post(
        "/complaints/",
        data={
            "kind": "complaint",
            "category": "roads",
            "subject": "ถนนพัง",
            "details": "หน้าบ้าน",
            "name": NAME,
            "phone": PHONE,
            "email": EMAIL,
            "address": ADDRESS,
            "consent": "y",
            "form_token": "t" * 43,
            "attachments": [(io.BytesIO(PNG), "evidence-photo.png")],
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    code = html.split('<span class="code">')[1].split("</span>")[0]
    api = client.post(
        "/api/v1/complaints",
        json={
            "category": "waste",
            "subject": "ขยะ",
            "details": "ไม่เก็บขยะ",
            "reporter": {"name": NAME, "phone": "+66 81 234 5678", "email": EMAIL.upper()},
            "consent": True,
        },
    ).get_json()
    return [code, api["tracking_code"]]


def test_dump_reveals_no_identity_codes_or_attachment_bytes(app, backend, used_instance):
    data = dump(app, backend)
    secrets = [NAME, PHONE, "812345678", EMAIL, EMAIL.upper(), ADDRESS, "evidence-photo.png"]
    for code in used_instance:
        secrets += [code, code.replace("-", "")]
    for secret in secrets:
        assert secret.encode() not in data, secret
        assert json.dumps(secret).encode() not in data, secret  # JSON-escaped Thai
    assert ATTACHMENT_MARK not in data
    # the case itself is there: the dump is real
    assert "ถนนพัง".encode() in data


def test_identity_is_readable_through_the_app_and_earlier_cases_are_found(app, used_instance):
    with app.app_context():
        first, second = db.session.scalars(select(Case).order_by(Case.id)).all()
        assert identity.reveal(first) == {
            "name": NAME,
            "phone": PHONE,
            "email": EMAIL,
            "address": ADDRESS,
        }
        # "+66 81 234 5678" and "0812345678" are the same phone; email case is ignored
        assert identity.earlier_cases(second) == [first]
