"""Fixtures for calling casework.tipline's functions directly (no HTTP): staff accounts of any
role, custodians with keys, a second organization, and tips filed through filing.file_tip."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import AuditEntry, Organization
from casework.staff.roles import CUSTODIAN
from casework.tipline import custody, filing

PASS = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _request(ctx):
    """Messages are translated, so the rules run inside a request as they do in the app."""
    with ctx.test_request_context():
        yield


@pytest.fixture
def staff(staff):
    """``staff(role, name, dept_code=None, organization=org)`` -> a new committed account."""

    def make(role, name, dept_code=None, organization=None):
        return staff(role, dept_code, name=name, organization=organization)

    return make


@pytest.fixture
def custodian(staff, org):
    """``custodian(name, approve=True)`` -> a custodian with a key under PASS, enrolled and (after
    the first) approved by the first custodian through the operations the pages call."""

    def make(name="ผู้เก็บรักษา หนึ่ง", approve=True):
        user = staff(CUSTODIAN, name)
        key = custody.enrol_key(user, PASS, PASS)
        if approve and not key.active:
            custody.approve(custody.holder(custody.active_keys(org.id)[0]), PASS, key)
        return user

    return make


@pytest.fixture
def file_tip(org):
    """``file_tip(**answers)`` -> a tip filed by the public channel (committed)."""

    def make(**overrides):
        values = {"category": "bribery", "what": "เรียกเงินเพื่อให้ผ่านการตรวจรับงาน"}
        values.update(overrides)
        return filing.file_tip(org, filing.TipSubmission(**values)).case

    return make


@pytest.fixture
def elsewhere(org):
    """A second organization on the same deployment."""
    other = Organization(slug="elsewhere", name_th="เทศบาลอื่น", name_en="Elsewhere")
    db.session.add(other)
    db.session.commit()
    return other


@pytest.fixture
def passphrase() -> str:
    return PASS


@pytest.fixture
def trail_of():
    """``trail_of(action, **filters)`` -> the audit entries with ``action``, oldest first.
    Call it after ``db.session.rollback()`` to see only what was committed."""

    def find(action: str, **filters) -> list[AuditEntry]:
        query = (
            select(AuditEntry)
            .filter_by(action=action, **filters)
            .order_by(AuditEntry.chain, AuditEntry.seq)  # a tip's entries have random ids
        )
        return list(db.session.scalars(query))

    return find
