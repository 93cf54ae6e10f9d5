"""Fixtures for the corruption channel's page tests: signed-in staff of any role, custodians
with keys, and a tip filed through the public API."""

from __future__ import annotations

import hashlib

import pytest

from casework.extensions import db
from casework.models import User
from casework.staff.roles import CUSTODIAN
from casework.tipline import custody

PASS = "correct horse battery staple"


@pytest.fixture
def signed_in(app, login_as):
    """``signed_in(role, name, department=None)`` -> (a test client signed in as a new account,
    its id). Custodians also get a key under ``PASS``, approved by the first custodian unless
    ``approve=False``."""

    def make(role, name, department=None, *, key=True, approve=True):
        staff = app.test_client()
        tag = hashlib.sha256(name.encode()).hexdigest()[:10]  # the same on every run
        email = f"{role}-{tag}@staff.test"
        user_id = login_as(role, department, email=email, on=staff, name=name)
        if role == CUSTODIAN and key:
            with app.app_context():
                row = custody.enrol(db.session.get(User, user_id), PASS, PASS)
                db.session.commit()
                if approve and not row.active:  # the first custodian approves the others
                    first = custody.active_keys(row.organization_id)[0]
                    custody.approve_key(db.session.get(User, first.user_id), PASS, row)
                    db.session.commit()
        return staff, user_id

    return make
