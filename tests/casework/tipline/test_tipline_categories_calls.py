"""casework.tipline.categories: the channel's categories, kept by integrity officers; each
change commits with its entry in the tips trail."""

from __future__ import annotations

import pytest

from casework import audit
from casework.extensions import db
from casework.models import Category
from casework.staff.roles import INTEGRITY
from casework.tipline import categories


def test_create_checks_the_code_and_commits_with_the_trail(org, staff, trail_of):
    officer = staff(INTEGRITY, "มานะ อดทน")
    settings = categories.Settings(name_th=" จัดซื้อจัดจ้าง ", name_en=None, sla_days=20)
    for code in ("Has Space", "ไทย", "", "x" * 49):
        with pytest.raises(categories.CategoryError) as error:
            categories.create(org.id, officer.id, code, settings)
        assert set(error.value.fields) == {"code"}
    existing = categories.listing(org.id)[0].code
    with pytest.raises(categories.CategoryError):
        categories.create(org.id, officer.id, existing, settings)
    created = categories.create(org.id, officer.id, " land_use_2 ", settings)
    db.session.rollback()
    assert created.code == "land_use_2" and created.channel == "tip"
    assert (created.name_th, created.name_en, created.sort_order) == ("จัดซื้อจัดจ้าง", "", 0)
    assert created in categories.listing(org.id)
    [entry] = trail_of("tip.category_created")
    assert entry.chain == audit.TIPS and entry.target == "land_use_2"
    assert entry.actor_id == officer.id and entry.data == {"sla_days": 20}


def test_update_keeps_the_code_and_records_the_days(org, staff, trail_of):
    officer = staff(INTEGRITY, "มานะ อดทน")
    category = categories.listing(org.id)[0]
    before = category.sla_days
    settings = categories.Settings(name_th="ใหม่", name_en="New", sla_days=before + 5)
    categories.update(category, officer.id, settings)
    db.session.rollback()
    assert (category.name_en, category.sla_days) == ("New", before + 5)
    [entry] = trail_of("tip.category_updated")
    assert entry.target == category.code and entry.data == {"sla_days": [before, before + 5]}


def test_category_for_is_a_tip_category_of_the_users_organization(org, staff, elsewhere):
    officer = staff(INTEGRITY, "มานะ อดทน")
    tip_category = categories.listing(org.id)[0]
    assert categories.category_for(officer, tip_category.id) == tip_category
    roads = db.session.scalar(db.select(Category).filter_by(code="roads"))
    assert categories.category_for(officer, roads.id) is None  # a complaint category
    stranger = staff(INTEGRITY, "คนนอก", organization=elsewhere)
    assert categories.category_for(stranger, tip_category.id) is None
    assert categories.category_for(officer, tip_category.id + 1000) is None


def test_listing_keeps_the_forms_order(org):
    rows = categories.listing(org.id)
    assert rows and all(c.channel == "tip" and c.organization_id == org.id for c in rows)
    assert rows == sorted(rows, key=lambda c: (c.sort_order, c.id))
