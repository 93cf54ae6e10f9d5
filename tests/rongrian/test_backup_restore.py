"""`flask backup FILE` and `flask restore FILE`: the round trip gives back everything.

An instance with complaints (sealed identities, attachments), tips (receipts, signed proofs,
attachments), audit entries and a rotated keyring is backed up; the archive is restored into an
empty instance (a new database, no keyring), and there: every table holds the same rows, every
identity and attachment decrypts to the same values and bytes, every tip receipt still opens
its tip and its proof, and `audit verify` passes. A wrong passphrase restores nothing, and a
second restore into the now non-empty instance is refused.
"""

from __future__ import annotations

import io
import json
import os

import pytest
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url
from upload_samples import jpeg, png

from casework import audit
from casework.cases import attachments, identity
from casework.crypto import archive, keys
from casework.extensions import db
from casework.models import Attachment, Case
from casework.tipline import filing
from rongrian.tenancy import current_org

PASSPHRASE = "ข้าวหอมมะลิ 2570 horse battery"
FAST = {"BACKUP_KDF_COST": archive.FAST_TEST_COST, "RATELIMIT_ENABLED": False}


def _file(client, path: str, payload: dict, photo: bytes):
    r = client.post(
        path,
        data={"payload": json.dumps(payload), "attachments": [(io.BytesIO(photo), "รูป.jpg")]},
        content_type="multipart/form-data",
    )
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.get_json()


@pytest.fixture
def empty_database(backend, postgres_server, tmp_path):
    """The URL of a database with nothing in it (dropped afterwards on PostgreSQL)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    server = make_url(postgres_server)
    name = f"{server.database}_{os.environ.get('PYTEST_XDIST_WORKER', '')}_restored"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _everything(app, receipts: list[str]) -> dict:
    """What the instance holds, decrypted: rows per table, identities, attachment bytes, what
    each receipt opens."""
    with app.app_context(), app.test_request_context():
        org = current_org()
        with db.engine.connect() as conn:
            tables = sorted(inspect(conn).get_table_names())
            rows = {t: conn.scalar(text(f'SELECT count(*) FROM "{t}"')) for t in tables}  # noqa: S608
        cases = db.session.scalars(select(Case).order_by(Case.id)).all()
        opened = {}
        for receipt in receipts:
            case = filing.find_by_receipt(org, receipt)
            opened[receipt] = (
                case.case_number,
                filing.answers_of(case),
                filing.proof_for(case, receipt),
            )
        files = {}
        for att in db.session.scalars(select(Attachment).order_by(Attachment.id)):
            case = db.session.get(Case, att.case_id)
            files[att.id] = (attachments.filename(att, case), attachments.content(att, case))
        return {
            "rows": rows,
            "identities": {
                c.case_number: identity.reveal(c) for c in cases if c.channel == "complaint"
            },
            "files": files,
            "receipts": opened,
            "audit": audit.verify(org.id).checked,
        }


@pytest.mark.real_commits
def test_backup_then_restore_into_an_empty_instance_gives_everything_back(
    make_app, empty_database, tmp_path
):
    source = make_app(FAST, demo=True)
    client = source.test_client()
    receipts = []
    for n in range(3):
        complaint = {
            "category": "roads",
            "subject": f"ถนนชำรุด {n}",
            "details": "ถนนหน้าบ้านเป็นหลุมลึก",
            "reporter": {"name": f"สมหญิง {n}", "phone": "0812345678"},
            "consent": True,
        }
        _file(client, "/api/v1/complaints", complaint, jpeg((40 + n, 30)))
        tip = {"category": "procurement", "what": f"ฮั้วประมูล {n}", "accused": {"role": "staff"}}
        receipts.append(_file(client, "/api/v1/tips", tip, png((8 + n, 6)))["receipt"])
        if n == 1:  # two data key versions in use or kept
            runner = source.test_cli_runner()
            assert runner.invoke(args=["keys", "rotate"]).exit_code == 0
    with source.app_context():
        org_id = db.session.scalar(select(func.min(Case.organization_id)))
        for n in range(4):
            audit.record(org_id, "test.event", target=f"t{n}", data={"n": n})
        db.session.commit()
    before = _everything(source, receipts)
    assert before["rows"]["cases"] == 6 and len(before["files"]) == 6 and before["audit"] >= 4

    path = tmp_path / "rongrian.backup"
    env = {"RONGRIAN_BACKUP_PASSPHRASE": PASSPHRASE}
    result = source.test_cli_runner().invoke(args=["backup", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert "6 cases" in result.output
    assert "ถนนชำรุด".encode() not in path.read_bytes()  # encrypted
    assert oct(path.stat().st_mode & 0o777) == "0o600"

    target = make_app(
        {
            **FAST,
            "SQLALCHEMY_DATABASE_URI": empty_database,
            "INSTANCE_PATH": str(tmp_path / "restored"),
            "RONGRIAN_KEYRING_FILE": str(tmp_path / "restored" / "keyring.json"),
        }
    )
    runner = target.test_cli_runner()
    wrong = runner.invoke(
        args=["restore", str(path)], env={"RONGRIAN_BACKUP_PASSPHRASE": "not the passphrase"}
    )
    assert wrong.exit_code == 1 and "passphrase is wrong" in wrong.output
    assert not (tmp_path / "restored" / "keyring.json").exists()

    result = runner.invoke(args=["restore", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert target.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
    with target.app_context():
        assert sorted(keys.keyring().data_keys) == [1, 2]
    assert _everything(target, receipts) == before

    again = runner.invoke(args=["restore", str(path)], env=env)
    assert again.exit_code == 1 and "empty instance" in again.output
