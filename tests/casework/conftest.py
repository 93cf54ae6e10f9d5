"""Fixtures for calling the domain directly (no HTTP): a request context, staff accounts and
general complaints filed through casework.general.intake in the test's own session."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from casework.extensions import db
from casework.models import Department, User


@pytest.fixture
def rc(ctx):
    """A request context (the organization is current; messages in English, so tests can
    read them); the session is the test's own, so what a function commits reads back."""
    with ctx.test_request_context(), force_locale("en"):
        yield ctx


@pytest.fixture
def fresh(rc):
    """``fresh(row)``: the row as the database holds it, i.e. what was committed."""

    def reread(row):
        db.session.expire_all()
        return db.session.get(type(row), row.id)

    return reread


@pytest.fixture
def staff(org):
    """``staff("officer", "works")``: a new committed, active account of that role (and
    department, by code); ``name`` and ``organization`` (default ``org``) may be given."""

    def make(role: str, department: str | None = None, *, name: str = "", organization=None):
        where = organization or org
        dept_id = None
        if department:
            dept_id = db.session.scalar(
                db.select(Department.id).filter_by(organization_id=where.id, code=department)
            )
        count = db.session.scalar(db.select(db.func.count(User.id)))
        user = User(
            organization_id=where.id,
            email=f"{role}-{count + 1}@staff.test",
            role=role,
            department_id=dept_id,
            name=name,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def filed(rc, org):
    """``filed(**fields)``: file a general complaint on the web (roads → public works);
    returns intake's ``Filed`` (the case and its tracking code)."""
    from casework.general import intake

    def make(**fields):
        fields.setdefault("category", "roads")
        fields.setdefault("subject", "ถนนชำรุด")
        fields.setdefault("details", "ถนนหน้าบ้านเลขที่ 12 เป็นหลุมลึก")
        return intake.file_complaint(org, intake.ComplaintSubmission(**fields))

    return make


@pytest.fixture
def complaint(filed):
    """``complaint(**fields)``: the case ``filed`` files."""
    return lambda **fields: filed(**fields).case
