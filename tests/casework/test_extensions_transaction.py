"""The database helpers every domain function uses: one transaction, rows of one
organization, and the health check's question."""

from __future__ import annotations

import pytest

from casework.extensions import database_answers, db, owned, transaction
from casework.models import Department


def _dept(org, code: str) -> Department:
    return Department(organization_id=org.id, code=code, name_th=code, name_en=code)


def test_a_transaction_commits_what_the_block_did(rc, org):
    with transaction():
        db.session.add(_dept(org, "kept"))
    db.session.rollback()  # nothing left to undo: it was committed
    assert db.session.scalar(db.select(Department).filter_by(code="kept")) is not None


def test_a_transaction_rolls_everything_back_on_error(rc, org):
    with pytest.raises(ZeroDivisionError), transaction():
        db.session.add(_dept(org, "lost"))
        db.session.flush()
        _ = 1 / 0
    assert db.session.scalar(db.select(Department).filter_by(code="lost")) is None


def test_owned_finds_only_the_organizations_rows(rc, org):
    works = db.session.scalar(db.select(Department).filter_by(code="works"))
    assert owned(Department, org.id, works.id) is works
    assert owned(Department, org.id + 1, works.id) is None
    assert owned(Department, org.id, 0) is None
    assert owned(Department, org.id, None) is None


def test_the_database_answers(rc):
    assert database_answers() is True
