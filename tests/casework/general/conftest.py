"""Fixtures for the general channel's domain tests: a desk with one case in each due state."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from casework.cases import sla
from casework.general import workflow

NOW = datetime(2026, 3, 2, 3, 0)  # a Monday, 10:00 in Bangkok (fiscal year 2569)


@pytest.fixture
def now() -> datetime:
    """Where ``desk`` stops the clock."""
    return NOW


@pytest.fixture
def desk(staff, complaint, frozen):
    """One case in each due state (by the works officer's department), filed at different
    times; the clock stops at ``now``."""
    officer = staff("officer", "works")
    frozen(NOW - timedelta(days=20))
    overdue = complaint(subject="ท่อแตก", received_via="phone")
    frozen(NOW - timedelta(days=5))
    due_soon = complaint(category="lighting", subject="ไฟดับ 100%")
    frozen(NOW - timedelta(days=1))
    paused = complaint(subject="ถนนทรุด")
    workflow.request_info(paused, officer, "ขอรูป")
    done = complaint(subject="ขยะล้น_ซอย")
    workflow.complete(done, officer, "resolved", "เก็บแล้ว")
    frozen(NOW)
    on_time = complaint(subject="ทางเท้าแตก")
    return {
        "officer": officer,
        sla.OVERDUE: overdue,
        sla.DUE_SOON: due_soon,
        sla.PAUSED: paused,
        sla.DONE: done,
        sla.ON_TIME: on_time,
    }
