"""casework.general.reports called directly: fiscal years, the working group's figures and the
SLA board's groups, over the cases a user can reach."""

from __future__ import annotations

from datetime import datetime, timedelta

from casework.cases import sla
from casework.general import access, followup, reports


def test_a_fiscal_year_runs_from_october_in_bangkok():
    start, end = reports.utc_bounds(2569)
    assert start == datetime(2025, 9, 30, 17, 0)  # 1 October 2025, midnight in Bangkok
    assert end == datetime(2026, 9, 30, 17, 0)


def test_fiscal_years_with_cases_newest_first(desk, complaint, frozen, now):
    visible = access.visible_cases(desk["officer"])
    assert reports.current_fiscal_year() == 2569
    assert reports.fiscal_years(visible) == [2569]
    frozen(datetime(2024, 9, 1, 3, 0))  # fiscal year 2567; 2568 had no cases, still listed
    complaint(subject="เรื่องเก่า")
    frozen(now)
    assert reports.fiscal_years(visible) == [2569, 2568, 2567]
    assert reports.fiscal_years(access.visible_cases(None)) == [2569]


def test_the_working_groups_figures(desk, org):
    followup.rate(desk[sla.DONE], 5, "")
    report = reports.fiscal_report(access.visible_cases(desk["officer"]), org, 2569)
    total = report.total
    assert (total.total, total.waiting, total.in_progress, total.completed) == (5, 3, 1, 1)
    assert total.open == 4
    assert (total.overdue, total.due_soon, total.paused) == (1, 1, 1)
    assert (total.on_time, total.on_time_pct) == (1, 100)
    assert (total.rated, total.satisfied_pct, total.average, total.meets_target) == (
        1,
        100,
        5,
        True,
    )
    assert total.explained == 0
    by_month = {(p.year, p.month): p.figures.total for p in report.months if p.figures.total}
    assert by_month == {(2026, 2): 2, (2026, 3): 3}
    assert [h.figures.total for h in report.halves] == [5, 0]
    assert [(d.code, f.total) for d, f in report.by_department] == [("works", 5)]
    assert [(c.code, f.total) for c, f in report.by_category] == [("roads", 4), ("lighting", 1)]
    assert dict((k, f.total) for k, f in report.by_received_via) == {"phone": 1, "web": 4}
    empty = reports.fiscal_report(access.visible_cases(desk["officer"]), org, 2568)
    assert empty.total.total == 0 and empty.total.on_time_pct is None
    assert empty.total.meets_target is None


def test_the_board_puts_the_department_with_most_overdue_cases_first(
    desk, staff, complaint, frozen, org, now
):
    frozen(now - timedelta(days=20))
    rubbish = [complaint(category="waste", subject=f"ขยะ {n}") for n in (1, 2)]
    frozen(now)
    groups = reports.open_by_department(access.visible_cases(staff("supervisor")), org)
    assert [(d.code, len(rows)) for d, rows in groups] == [("health", 2), ("works", 4)]
    assert {c.id for c, _ in groups[0][1]} == {c.id for c in rubbish}
    assert [due for _, due in groups[1][1]] == [sla.OVERDUE, sla.DUE_SOON, sla.ON_TIME, sla.PAUSED]
    officer_view = reports.open_by_department(access.visible_cases(desk["officer"]), org)
    assert [d.code for d, _ in officer_view] == ["works"]
