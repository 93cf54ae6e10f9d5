"""The audit trail is an HMAC-SHA256 chain; `flask audit verify` finds a row changed behind its
back, and `audit checkpoint` pins the chain's head in a signed file kept off the host."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from casework import audit
from casework.extensions import db
from casework.models import AuditEntry, Organization


def _org_id():
    return db.session.scalars(db.select(Organization.id)).first()


def test_verify_cli_catches_a_modified_row(app):
    with app.app_context():
        org_id = _org_id()
        for n in range(5):
            audit.record(org_id, "test.event", target=f"t{n}", data={"n": n})
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "ok, 5 entries" in result.output

    with app.app_context():
        third = db.session.scalar(db.select(AuditEntry).filter_by(seq=3))
        db.session.execute(
            text("UPDATE audit_entries SET target = 'forged' WHERE id = :id"), {"id": third.id}
        )
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN at entry #3" in result.output and "changed" in result.output


def test_verify_catches_a_deleted_row_and_the_orm_refuses_changes(app):
    with app.app_context():
        org_id = _org_id()
        for n in range(3):
            audit.record(org_id, "test.event", data={"n": n})
        db.session.commit()
        entry = db.session.scalar(db.select(AuditEntry).filter_by(seq=2))
        entry.target = "changed"
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.commit()
        db.session.rollback()
        db.session.execute(text("DELETE FROM audit_entries WHERE seq = 2"))
        db.session.commit()
        verdict = audit.verify(org_id)
        assert not verdict.ok and verdict.broken_seq == 2


def test_users_create_reads_the_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "Admin@Example.go.th", "--role", "sysadmin"],
        input="correct horse battery staple\n",
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["users", "create", "o@example.go.th", "--role", "officer", "--department", "nope"],
        input="correct horse battery staple\n",
    )
    assert result.exit_code != 0 and "no department" in result.output
    with app.app_context():
        from casework.models import User
        from casework.staff import passwords

        user = db.session.scalar(db.select(User).filter_by(email="admin@example.go.th"))
        assert user.role == "sysadmin"
        assert user.password_hash.startswith("$argon2id$")
        assert passwords.verify("correct horse battery staple", user.password_hash)
        assert db.session.scalar(db.select(AuditEntry).filter_by(action="user.create"))


def _write_entries(app, n: int) -> int:
    with app.app_context():
        org_id = _org_id()
        for i in range(n):
            audit.record(org_id, "custody.change", target=f"c{i}", data={"n": i})
        db.session.commit()
        return org_id


def test_deleting_entries_and_recomputing_the_chain_without_the_key_fails_verify(
    app, rewrite_audit_chain
):
    org_id = _write_entries(app, 10)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    # The insider's attack: drop entries, renumber, recompute every hash after them.
    rewrite_audit_chain(org_id, delete=(4, 5, 6), keyed=False)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1, result.output
    assert "BROKEN at entry #4" in result.output and "without the key" in result.output
    assert "3 entries before it are intact" in result.output


def test_a_checkpoint_catches_a_rewrite_made_with_the_key(app, tmp_path, rewrite_audit_chain):
    org_id = _write_entries(app, 10)
    runner = app.test_cli_runner()
    path = tmp_path / "checkpoint.json"
    result = runner.invoke(args=["audit", "checkpoint", str(path)])
    assert result.exit_code == 0, result.output
    doc = json.loads(path.read_text())
    assert doc["claims"]["chains"]["main"]["seq"] == 10
    assert "signature" in doc and "public_key" in doc
    result = runner.invoke(args=["audit", "verify", "--checkpoint", str(path)])
    assert result.exit_code == 0, result.output
    assert "matches the checkpoint" in result.output

    _write_entries(app, 2)  # the trail goes on
    assert runner.invoke(args=["audit", "verify", "--checkpoint", str(path)]).exit_code == 0

    # The insider also has the keyring: delete, renumber, recompute with the key.
    rewrite_audit_chain(org_id, delete=(4, 5, 6), keyed=True)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0  # the key alone cannot tell: that is what checkpoints are for
    result = runner.invoke(args=["audit", "verify", "--checkpoint", str(path)])
    assert result.exit_code == 1, result.output
    assert "BROKEN at entry #10" in result.output and "checkpoint" in result.output


def test_verify_refuses_a_forged_checkpoint(app, tmp_path):
    _write_entries(app, 3)
    runner = app.test_cli_runner()
    path = tmp_path / "checkpoint.json"
    assert runner.invoke(args=["audit", "checkpoint", str(path)]).exit_code == 0
    doc = json.loads(path.read_text())
    doc["claims"]["chains"]["main"]["seq"] = 2
    path.write_text(json.dumps(doc))
    result = runner.invoke(args=["audit", "verify", "--checkpoint", str(path)])
    assert result.exit_code == 1 and "checkpoint" in result.output
    path.write_text("not json")
    assert runner.invoke(args=["audit", "verify", "--checkpoint", str(path)]).exit_code == 1


def test_no_checkpoint_of_a_broken_chain(app, tmp_path, rewrite_audit_chain):
    org_id = _write_entries(app, 3)
    rewrite_audit_chain(org_id, delete=(2,), keyed=False)
    path = tmp_path / "checkpoint.json"
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint", str(path)])
    assert result.exit_code == 1 and "BROKEN at entry #2" in result.output
    assert not path.exists()
