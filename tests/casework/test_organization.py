"""casework.organization called directly: each setting is checked, saved and audited in one
transaction, and rows of another organization are never found."""

from __future__ import annotations

from datetime import date

import pytest

from casework import organization
from casework.cases.categories import CategoryError
from casework.extensions import db
from casework.models import AuditEntry, Category, Department, Organization

DEPARTMENT = {
    "code": " parks ",
    "name_th": "กองสวนสาธารณะ",
    "name_en": "Parks Division",
    "email": "",
    "phone": "0 4200 0001",
    "head_name": "",
    "head_title": "ผู้อำนวยการกองสวนสาธารณะ",
    "active": True,
    "csrf_token": "ignored",
}
CATEGORY = {
    "code": "trees",
    "name_th": " ต้นไม้ ",
    "name_en": "",
    "sla_days": 10,
    "sort_order": None,
    "active": True,
    "department_id": None,
}


def _last() -> AuditEntry:
    return db.session.scalar(db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))


@pytest.fixture
def elsewhere(rc):
    """A second organization with a department, a category and a holiday of its own."""
    other = Organization(slug="other", name_th="อบต.อื่น", name_en="Another")
    db.session.add(other)
    db.session.flush()
    rows = [
        Department(organization_id=other.id, code="far", name_th="กองไกล", name_en=""),
        Category(
            organization_id=other.id, channel="complaint", code="far", name_th="ไกล", name_en=""
        ),
    ]
    db.session.add_all(rows)
    db.session.commit()
    holiday = organization.declare_holiday(other.id, date(2026, 5, 5), "หยุด", "", None)
    return {"department": rows[0], "category": rows[1], "holiday": holiday}


def test_deadline_and_letter_settings_are_saved_with_before_and_after(rc, org):
    before = organization.letter_settings(org)
    organization.save_settings(
        org,
        {"sla_mode": "working", "due_soon_days": 5, "letter_prefix": " มท 0001 ", "x": 1},
        actor_id=None,
    )
    db.session.expire_all()
    assert (org.sla_mode, org.due_soon_days, org.letter_prefix) == ("working", 5, "มท 0001")
    assert org.signatory_name == ""
    entry = _last()
    assert (entry.action, entry.target) == ("settings.sla", org.slug)
    assert entry.data["before"] == before
    assert entry.data["after"]["sla_mode"] == "working"


def test_departments_are_created_and_changed_with_unique_codes(rc, org):
    dept = organization.create_department(org.id, DEPARTMENT, actor_id=None)
    assert (dept.code, dept.head_title) == ("parks", DEPARTMENT["head_title"])
    assert (_last().action, _last().target) == ("department.create", "parks")
    assert organization.department_by_code(org.id, "parks").id == dept.id
    with pytest.raises(organization.SettingsError) as clash:
        organization.create_department(org.id, {**DEPARTMENT, "code": "PARKS"}, actor_id=None)
    assert set(clash.value.fields) == {"code"}
    works = organization.department_by_code(org.id, "works")
    with pytest.raises(organization.SettingsError):
        organization.update_department(works, {**DEPARTMENT, "code": "Parks"}, actor_id=None)
    organization.update_department(dept, {**DEPARTMENT, "active": False}, actor_id=None)
    assert (_last().action, _last().data) == ("department.update", {"active": False})
    assert dept not in organization.departments(org.id, active_only=True)
    assert organization.departments(org.id)[-1].id == dept.id


def test_categories_are_the_general_channels(rc, org):
    codes = [c.code for c in organization.categories(org.id)]
    assert codes[:2] == ["roads", "lighting"]
    assert "bribery" in [c.code for c in organization.categories(org.id, "tip")]
    works = organization.department_by_code(org.id, "works")
    category = organization.create_category(
        org.id, {**CATEGORY, "department_id": works.id}, actor_id=None
    )
    assert (category.name_th, category.sort_order, category.channel) == ("ต้นไม้", 0, "complaint")
    assert (_last().action, _last().data) == ("category.create", {"sla_days": 10})
    with pytest.raises(CategoryError) as clash:  # the one rule for codes, both channels
        organization.create_category(org.id, {**CATEGORY, "code": "ROADS"}, actor_id=None)
    assert set(clash.value.fields) == {"code"}
    organization.update_category(category, {**CATEGORY, "sla_days": 20}, actor_id=None)
    assert category.department_id is None
    assert (_last().action, _last().data) == ("category.update", {"sla_days": [10, 20]})
    assert organization.category(org.id, category.id).id == category.id
    bribery = organization.categories(org.id, "tip")[0]
    assert organization.category(org.id, bribery.id) is None  # the tip channel keeps its own


def test_a_declared_holiday_is_declared_once_and_can_be_removed(rc, org):
    day = date(2026, 6, 12)
    row = organization.declare_holiday(org.id, day, " วันหยุดพิเศษ ", "", actor_id=None)
    assert (row.name_th, _last().action, _last().target) == (
        "วันหยุดพิเศษ",
        "holiday.declare",
        "2026-06-12",
    )
    with pytest.raises(organization.SettingsError) as twice:
        organization.declare_holiday(org.id, day, "ซ้ำ", "", actor_id=None)
    assert set(twice.value.fields) == {"day"}
    assert organization.declared_holidays(org.id, since=date(2026, 1, 1)) == [row]
    assert organization.declared_holidays(org.id, since=date(2026, 7, 1)) == []
    organization.remove_holiday(organization.holiday(org.id, row.id), actor_id=None)
    assert (_last().action, _last().target) == ("holiday.remove", "2026-06-12")
    assert organization.holiday(org.id, row.id) is None


def test_another_organizations_rows_are_not_found(rc, org, elsewhere):
    assert organization.department(org.id, elsewhere["department"].id) is None
    assert organization.category(org.id, elsewhere["category"].id) is None
    assert organization.holiday(org.id, elsewhere["holiday"].id) is None
    assert organization.department_by_code(org.id, "far") is None
    assert organization.department(org.id, None) is None


def test_a_failed_change_is_not_kept(rc, org, monkeypatch):
    from casework import audit

    def broken(*args, **kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        organization.create_department(org.id, DEPARTMENT, actor_id=None)
    assert organization.department_by_code(org.id, "parks") is None


def test_upcoming_public_holidays():
    upcoming = organization.upcoming_public_holidays(date(2026, 4, 1), days=30)
    assert date(2026, 4, 13) in [day for day, _ in upcoming]  # Songkran
    assert all(name for _, name in upcoming)
