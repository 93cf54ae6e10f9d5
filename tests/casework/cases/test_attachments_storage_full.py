"""The disk fills up while a case's attachment is saved: the person gets a clear error beside the
attachments field (503, "try again later"), with what they typed kept, and no part of the case
is left behind; the register takes up where it was once there is room again.

On SQLite the database really runs out of room (``PRAGMA max_page_count`` a few pages above its
size: SQLite answers SQLITE_FULL, "database or disk is full", as on a full disk). On PostgreSQL
the driver raises what the server says on a full disk (SQLSTATE 53100, disk_full) for every
INSERT.
"""

from __future__ import annotations

import io
import json

import pytest
from answers import api_error, field_block
from sqlalchemy import event, func, select
from upload_samples import jpeg

from casework.cases import attachments
from casework.extensions import db
from casework.models import Attachment, Case, CaseCounter, CaseEvent

SUBJECT, DETAILS = "ถนนทรุดตัว", "ถนนหน้าตลาดสดทรุดตัวเป็นแอ่งลึก"
TIP_TEXT = "หัวหน้าฝ่ายพัสดุรับเงินจากผู้รับเหมาเพื่อให้ชนะการประกวดราคา"
NO_ROOM = "พื้นที่จัดเก็บของระบบเต็ม"  # in the Thai message of attachments.NO_ROOM


@pytest.fixture
def disk_full(app, backend, monkeypatch):
    """``disk_full(True)``: from now on the database has no room for an attachment;
    ``disk_full(False)``: room again."""
    if backend == "sqlite":
        return _sqlite_full(app)
    return _postgresql_full(monkeypatch)


def _sqlite_full(app):
    def cap(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 4}")

    def fill(full: bool) -> None:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()  # connections opened from now on get the cap, or not
            if full:
                event.listen(db.engine, "connect", cap)
            elif event.contains(db.engine, "connect", cap):
                event.remove(db.engine, "connect", cap)

    return fill


def _postgresql_full(monkeypatch):
    import psycopg
    from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

    original = PGDialect_psycopg.do_execute

    def execute(self, cursor, statement, parameters, context=None):
        if statement.lstrip().upper().startswith("INSERT INTO"):  # a full disk takes no row
            raise psycopg.errors.DiskFull("could not extend file: No space left on device")
        return original(self, cursor, statement, parameters, context)

    def fill(full: bool) -> None:
        if full:
            monkeypatch.setattr(PGDialect_psycopg, "do_execute", execute)
        else:
            monkeypatch.undo()

    return fill


def _nothing_left(app) -> None:
    with app.app_context():
        for model in (Case, Attachment, CaseEvent, CaseCounter):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0, model


def _photo():
    return (io.BytesIO(jpeg((480, 360))), "หลุม.jpg")


def test_a_full_disk_refuses_the_complaint_form_beside_its_files(client, app, disk_full):
    disk_full(True)
    form = {
        "kind": "complaint",
        "category": "roads",
        "subject": SUBJECT,
        "details": DETAILS,
        "form_token": "d" * 40,
        "attachments": [_photo()],
    }
    r = client.post("/complaints/", data=form, content_type="multipart/form-data")
    assert r.status_code == 503
    html = r.get_data(as_text=True)
    assert NO_ROOM in field_block(html, "attachments")
    assert SUBJECT in html and DETAILS in html
    _nothing_left(app)

    disk_full(False)
    form["attachments"] = [_photo()]
    r = client.post("/complaints/", data=form, content_type="multipart/form-data")
    assert r.status_code == 200
    with app.app_context():
        case = db.session.scalars(select(Case)).one()
        assert case.case_number.endswith("/000001")  # the refused one took no number
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1


def test_a_full_disk_refuses_the_complaint_api_with_the_field(client, app, disk_full):
    disk_full(True)
    r = client.post(
        "/api/v1/complaints",
        data={
            "payload": json.dumps({"category": "roads", "subject": SUBJECT, "details": DETAILS}),
            "attachments": [_photo()],
        },
        content_type="multipart/form-data",
    )
    body = api_error(r, 503, "attachments")
    assert body["fields"]["attachments"] == str(attachments.NO_ROOM) or NO_ROOM in body["error"]
    assert r.headers["Content-Type"].startswith("application/json")
    _nothing_left(app)


def test_a_full_disk_refuses_the_tip_form_and_files_nothing(client, app, disk_full):
    disk_full(True)
    form = {
        "category": "procurement",
        "what": TIP_TEXT,
        "accused_role": "staff",
        "reported_elsewhere": "no",
        "confidential": "no",
        "form_token": "t" * 40,
        "attachments": [_photo()],
    }
    r = client.post("/whistleblow/new", data=form, content_type="multipart/form-data")
    assert r.status_code == 503
    html = r.get_data(as_text=True)
    assert NO_ROOM in field_block(html, "attachments") and TIP_TEXT in html
    _nothing_left(app)
