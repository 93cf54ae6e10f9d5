"""Reopened cases (the complainant said "not fixed" after completion) count in the published
figures: /stats and /api/v1/stats, equal to a direct count."""

from __future__ import annotations

from figures_direct import bangkok
from sqlalchemy import func, select

from casework.extensions import db
from casework.models import Case


def test_reopened_cases_are_published_and_equal_a_direct_count(app, client, jan_2027, add_case):
    add_case("complaint", "roads", bangkok(2026, 11, 2), "completed")
    add_case("complaint", "roads", bangkok(2026, 11, 3), "in_progress", reopen_count=1)
    add_case("complaint", "lighting", bangkok(2026, 12, 1), "completed", reopen_count=2)
    add_case("complaint", "roads", bangkok(2025, 12, 1), "in_progress", reopen_count=1)  # FY 2569
    with app.app_context():
        direct = db.session.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.reopen_count > 0, Case.fiscal_year == 2570, Case.channel == "complaint")
        )
    body = client.get("/api/v1/stats?fiscal_year=2570").get_json()
    assert body["complaint"]["reopened"] == direct == 2
    assert body["tip"]["reopened"] == 0
    html = client.get("/stats?fiscal_year=2570").get_data(as_text=True)
    assert '<dd class="reopened">2 เรื่อง</dd>' in html
