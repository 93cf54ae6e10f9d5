"""Fixtures for the published pages: cases written straight into the table (any state, any date,
either channel), and the direct count every published figure must equal."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from figures_direct import bangkok
from sqlalchemy import select

from casework.cases import lifecycle, numbering
from casework.dates.thaidate import fiscal_year, local_date
from casework.extensions import db
from casework.models import Case, Category, Department, Organization


@pytest.fixture
def jan_2027(app):
    """Today is 15 January 2027 in Bangkok (fiscal year 2570), and /stats caches nothing."""
    from casework.dates import clock

    app.config["STATS_CACHE_SECONDS"] = 0
    clock.freeze(bangkok(2027, 1, 15))
    yield date(2027, 1, 15)
    clock.freeze(None)


@pytest.fixture
def add_case(app):
    """``add_case(channel, category_code, received_at, status=..., **columns)`` -> the id of a
    committed case written directly (numbered in the register, due the category's days after
    the Bangkok day received)."""

    def add(channel, category, received_at, status="received", **columns):
        with app.app_context():
            return _add(channel, category, received_at, status, **columns)

    def _add(channel, category, received_at, status, **columns):
        org = db.session.scalars(select(Organization).order_by(Organization.id)).first()
        cat = db.session.scalar(
            select(Category).filter_by(organization_id=org.id, channel=channel, code=category)
        )
        fy = fiscal_year(received_at)
        sequence = numbering.next_sequence(org.id, channel, fy)
        values = {
            "due_date": local_date(received_at) + timedelta(days=cat.sla_days),
            "department_id": cat.department_id,
            "kind": "tip" if channel == "tip" else "complaint",
        }
        values.update(columns)
        if lifecycle.state(channel, status).final:
            values.setdefault("outcome", next(iter(lifecycle.OUTCOMES[channel])))
            values.setdefault("completed_at", received_at + timedelta(days=3))
        case = Case(
            organization_id=org.id,
            channel=channel,
            fiscal_year=fy,
            sequence=sequence,
            case_number=numbering.format_number(channel, fy, sequence),
            status=status,
            category_id=cat.id,
            received_at=received_at,
            **values,
        )
        db.session.add(case)
        db.session.commit()
        return case.id

    return add


@pytest.fixture
def two_years(app, add_case):
    """About 240 cases of both channels in fiscal years 2569 and 2570 in every state, with the
    30 September / 1 October boundary in Bangkok time; today is 15 January 2027 (FY 2570)."""
    with app.app_context():
        return _two_years(add_case)


def _two_years(add_case) -> date:
    rng = random.Random(2570)  # noqa: S311 - test data
    org = db.session.scalars(select(Organization).order_by(Organization.id)).first()
    departments = db.session.scalars(select(Department.id).filter_by(organization_id=org.id)).all()
    today = date(2027, 1, 15)
    codes = {
        ch: db.session.scalars(
            select(Category.code).filter_by(organization_id=org.id, channel=ch)
        ).all()
        for ch in ("complaint", "tip")
    }
    start = date(2025, 10, 1)
    for _ in range(240):
        channel = rng.choice(("complaint", "complaint", "tip"))
        day = start + timedelta(days=rng.randrange((today - start).days + 1))
        received = bangkok(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60))
        if channel == "tip":  # the tip channel keeps the day only
            received = datetime(day.year, day.month, day.day)
        status = rng.choice(list(lifecycle.STATES[channel]))
        columns: dict = {"received_via": rng.choice(("web", "web", "phone", "letter", "line"))}
        if channel == "complaint" and rng.random() < 0.3:
            columns["department_id"] = rng.choice([*departments, None])
        if lifecycle.state(channel, status).final:
            done = received + timedelta(days=rng.randrange(0, 40), hours=rng.randrange(24))
            columns["completed_at"] = min(done, bangkok(2027, 1, 15, 9))
            if rng.random() < 0.7 and channel == "complaint":
                columns["rating"] = rng.randrange(1, 6)
        if rng.random() < 0.2:
            columns["original_due_date"] = local_date(received) + timedelta(days=15)
            columns["due_date"] = columns["original_due_date"] + timedelta(days=10)
            columns["explained_at"] = received + timedelta(days=16)
        add_case(channel, rng.choice(codes[channel]), received, status, **columns)
    # The fiscal year turns at midnight in Bangkok, not in UTC.
    add_case("complaint", "roads", bangkok(2026, 9, 30, 23, 59), "received")
    add_case("complaint", "roads", bangkok(2026, 10, 1, 0, 0), "completed")
    add_case("tip", "bribery", datetime(2026, 9, 30), "received")
    add_case("tip", "bribery", datetime(2026, 10, 1), "closed")
    return today
