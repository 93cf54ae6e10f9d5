"""The audit trail is a SHA-256 chain; `flask audit verify` finds a row changed behind its back."""

from __future__ import annotations

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
