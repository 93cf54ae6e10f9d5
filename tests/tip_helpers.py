"""Staff, custodians with keys and tips, for the tests of the tip channel's rules
(tests/casework/tipline/test_tipline_*.py)."""

from __future__ import annotations

from sqlalchemy import select

from casework.extensions import db
from casework.models import Department, User
from casework.staff.roles import CUSTODIAN
from casework.tipline import custody, filing

PASS = "correct horse battery staple"


def staff(org, role, name, email, dept_code=None):
    dept = None
    if dept_code:
        dept = db.session.scalar(
            select(Department).filter_by(organization_id=org.id, code=dept_code)
        )
    user = User(
        organization_id=org.id,
        email=email,
        name=name,
        role=role,
        department_id=dept.id if dept else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def custodian_with_key(org, name="ผู้เก็บรักษา หนึ่ง", email="cust@demo.go.th", approve=True):
    """A custodian with a key; after the first, approved by the first custodian unless
    ``approve=False``."""
    user = staff(org, CUSTODIAN, name, email)
    key = custody.enrol(user, PASS, PASS)
    db.session.commit()
    if approve and not key.active:
        first = db.session.get(User, custody.active_keys(org.id)[0].user_id)
        custody.approve_key(first, PASS, key)
        db.session.commit()
    return user


def submission(**overrides):
    values = {
        "category": "bribery",
        "accused_name": "นายสมชาย ใจร้าย",
        "accused_position": "นักวิชาการพัสดุ",
        "accused_unit": "กองคลัง",
        "accused_role": "staff",
        "what": "เรียกเงินสองหมื่นบาทเพื่อให้ผ่านการตรวจรับงาน",
        "when": "ต้นเดือนมีนาคม",
        "where": "ห้องพัสดุ ชั้น 2",
        "how_known": "witnessed",
        "evidence": "มีภาพถ่ายใบเสร็จ",
        "witnesses": "เพื่อนร่วมงานสองคน",
        "reported_elsewhere": "no",
    }
    values.update(overrides)
    return filing.TipSubmission(**values)


def file(org, **overrides):
    return filing.file_tip(org, submission(**overrides))
