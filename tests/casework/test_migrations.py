"""The Alembic migrations build exactly the schema the models describe."""

import hashlib
from datetime import datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from casework import audit
from casework.extensions import db
from casework.models import AuditEntry


@pytest.fixture
def bare(make_app):
    """In the context of an app whose database has no tables, not even Alembic's."""
    app = make_app()
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        yield app


def test_upgrade_from_empty_matches_the_models_and_downgrades_cleanly(bare):
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == [], "models and migrations differ: run `flask --app wsgi db migrate`"
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()


def test_the_migration_that_keys_the_audit_chain_pins_the_entries_before_it(bare):
    upgrade(revision="f1df7c7baa92")
    # Three entries as the code before it wrote them: plain SHA-256.
    db.session.execute(
        text(
            "INSERT INTO organizations (slug, name_th, name_en, kind, address_th, address_en, "
            "phone, email, website, sla_mode, due_soon_days, letter_prefix, signatory_name, "
            "signatory_title, created_at) VALUES ('x', 'x', 'x', 'municipality', '', '', '', "
            "'', '', 'calendar', 3, '', '', '', :now)"
        ).bindparams(sa.bindparam("now", type_=sa.DateTime)),
        {"now": datetime(2026, 1, 1)},
    )
    org_id = db.session.scalar(text("SELECT id FROM organizations"))
    prev = audit.GENESIS
    for seq in (1, 2, 3):
        fields = {
            "organization_id": org_id,
            "seq": seq,
            "at": datetime(2026, 1, seq, 9, 30),
            "actor_id": None,
            "action": "login.success",
            "case_id": None,
            "target": "someone",
            "data": None,
            "prev_hash": prev,
            "chain": "main",
        }
        prev = hashlib.sha256(audit.canonical(fields)).hexdigest()
        db.session.execute(
            text(
                "INSERT INTO audit_entries (organization_id, chain, seq, at, action, "
                "target, prev_hash, hash) VALUES (:organization_id, :chain, :seq, :at, "
                ":action, :target, :prev_hash, :hash)"
            ).bindparams(sa.bindparam("at", type_=sa.DateTime)),
            {**fields, "hash": prev},
        )
    db.session.execute(
        text(
            "INSERT INTO audit_heads (organization_id, chain, seq, hash) VALUES (:o, 'main', 3, :h)"
        ),
        {"o": org_id, "h": prev},
    )
    db.session.commit()
    assert not audit.verify(org_id).ok  # not pinned: anyone could have written these

    upgrade()
    verdict = audit.verify(org_id)
    assert verdict.ok and verdict.checked == 4 and verdict.unkeyed == 3
    pin = db.session.scalar(db.select(AuditEntry).filter_by(seq=4))
    assert pin.action == audit.KEYED and pin.prev_hash == prev
