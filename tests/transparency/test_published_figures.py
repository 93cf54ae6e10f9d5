"""Every published figure equals a direct count: cases of both channels across fiscal years 2569
and 2570, every period (year, halves, quarters, months), the 30 September / 1 October boundary
in Bangkok time; and the tip channel's small breakdown cells are hidden."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from figures_direct import bangkok, direct_count

from casework.dates import periods
from casework.publishing import stats as published_stats
from rongrian.tenancy import current_org


@pytest.fixture
def org_in_request(ctx):
    with ctx.test_request_context():
        yield current_org()


def _breakdown(rows, key="code") -> dict:
    return {
        r[key]: [r["received"], r["completed"], r["in_progress"]] for r in rows if r["received"]
    }


@pytest.mark.parametrize("fy", [2569, 2570])
def test_every_period_equals_a_direct_count(two_years, org_in_request, fy):
    today = two_years
    for code in periods.CODES:
        period = periods.period(fy, code)
        found = published_stats.as_dict(
            published_stats.published(org_in_request, period, today, min_sample=1)
        )
        for channel in ("complaint", "tip"):
            want = direct_count(channel, period.first, period.last, today)
            got = found[channel]
            where = (fy, code, channel)
            assert (got["received"], got["completed"], got["in_progress"]) == (
                want["received"],
                want["completed"],
                want["in_progress"],
            ), where
            assert got["days_to_completion"] == {
                "sample": len(want["days"]),
                "median": want["median"],
                "p90": want["p90"],
            }, where
            assert got["within_deadline"]["on_time"] == want["on_time"], where
            assert (got["late"]["late"], got["late"]["explained"]) == (
                want["late"],
                want["explained"],
            ), where
            assert (got["satisfaction"]["responses"], got["satisfaction"]["satisfied"]) == (
                want["rated"],
                want["satisfied"],
            ), where
            if channel == "complaint":
                assert _breakdown(got["by_category"]) == want["by"]["category"], where
                assert _breakdown(got["by_received_via"]) == want["by"]["via"], where
                assert _breakdown(got["by_department"]) == want["by"]["department"], where
        for name, rows in found["parts"].items():
            for row in rows:
                for channel in ("complaint", "tip"):
                    want = direct_count(
                        channel,
                        date.fromisoformat(row["start"]),
                        date.fromisoformat(row["end"]),
                        today,
                    )
                    assert row[channel] == {
                        "received": want["received"],
                        "completed": want["completed"],
                        "in_progress": want["in_progress"],
                    }, (fy, code, name, row["period"], channel)


def test_the_fiscal_year_turns_at_midnight_in_bangkok(ctx, add_case, org_in_request):
    add_case("complaint", "roads", bangkok(2026, 9, 30, 23, 59))  # 16:59 UTC on 30 September
    add_case("complaint", "roads", bangkok(2026, 10, 1, 0, 0))  # 17:00 UTC on 30 September
    add_case("complaint", "roads", bangkok(2026, 10, 1, 6, 59))  # still 30 September in UTC
    add_case("tip", "bribery", datetime(2026, 9, 30))  # tips keep the Bangkok day
    add_case("tip", "bribery", datetime(2026, 10, 1))
    today = date(2026, 10, 2)

    def received(fy, code):
        found = published_stats.published(org_in_request, periods.period(fy, code), today)
        return {ch: c.totals.received for ch, c in found.channels.items()}

    assert received(2569, "year") == {"complaint": 1, "tip": 1}
    assert received(2569, "m09") == {"complaint": 1, "tip": 1}
    assert received(2569, "q4") == {"complaint": 1, "tip": 1}
    assert received(2570, "year") == {"complaint": 2, "tip": 1}
    assert received(2570, "m10") == {"complaint": 2, "tip": 1}
    assert received(2570, "h1") == {"complaint": 2, "tip": 1}


def test_periods_are_labelled_in_buddhist_era():
    assert periods.period(2570).label("th") == "ปีงบประมาณ พ.ศ. 2570"
    assert periods.period(2570, "m10").label("th") == "เดือนตุลาคม 2569"
    assert periods.period(2570, "m09").label("th") == "เดือนกันยายน 2570"
    assert (
        periods.period(2570, "q1").label("th")
        == "ไตรมาสที่ 1 ปีงบประมาณ พ.ศ. 2570 (ตุลาคม – ธันวาคม 2569)"
    )
    assert (
        periods.period(2570, "h1").label("th")
        == "ครึ่งปีที่ 1 ปีงบประมาณ พ.ศ. 2570 (ตุลาคม 2569 – มีนาคม 2570)"
    )
    assert periods.period(2570, "q2").label("en") == ("Q2 of fiscal year 2570 (Jan – Mar 2027)")
    first = periods.period(2570, "q1")
    assert (first.first, first.last) == (date(2026, 10, 1), date(2026, 12, 31))
    assert periods.period(2570, "h2").first == date(2027, 4, 1)
    assert periods.period(2570, "m02").last == date(2027, 2, 28)
    assert periods.period(2568, "m02").last == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("fy", "code", "field"),
    [
        ("2571", None, "fiscal_year"),  # not begun yet
        ("2499", None, "fiscal_year"),
        ("25700", None, "fiscal_year"),
        ("+257", None, "fiscal_year"),
        ("2570", "q5", "period"),
        ("2570", "m13", "period"),
        ("2570", "M10", "period"),
        ("2570", "", "period"),
    ],
)
def test_bad_fiscal_years_and_periods_are_refused(fy, code, field):
    with pytest.raises(ValueError, match=field):
        periods.parse(fy, code, date(2027, 1, 15))


def test_parse_defaults_to_the_current_fiscal_year():
    found = periods.parse(None, None, date(2026, 10, 1))
    assert (found.fiscal_year, found.code) == (2570, "year")
    assert periods.parse("2570", "m10", date(2026, 10, 1)).first == date(2026, 10, 1)


def test_small_tip_cells_are_hidden_and_totals_stay_exact(ctx, add_case, org_in_request):
    for _ in range(5):
        add_case("tip", "bribery", datetime(2026, 11, 2))
    add_case("tip", "procurement", datetime(2026, 11, 3))
    for _ in range(4):
        add_case("complaint", "roads", bangkok(2026, 11, 3))
    add_case("complaint", "lighting", bangkok(2026, 11, 3))
    found = published_stats.published(org_in_request, periods.period(2570), date(2026, 12, 1), k=3)
    tips = {r.code: r.received for r in found.channels["tip"].by_category}
    assert found.channels["tip"].totals.received == 6  # totals stay exact
    assert tips["procurement"].value is None and tips["procurement"].shown(3) == "< 3"
    # one hidden cell would be total minus the rest: the smallest other one hides too
    assert tips["bribery"].value is None and tips["bribery"].shown(3) == "≥ 3"
    assert tips["personnel"].value == 0
    assert all(r.counts is None for r in found.channels["tip"].by_category)
    general = {r.code: r.received for r in found.channels["complaint"].by_category}
    assert general["lighting"].value == 1 and general["roads"].value == 4  # not suppressed

    add_case("tip", "property", datetime(2026, 11, 4))
    add_case("tip", "property", datetime(2026, 11, 4))
    found = published_stats.published(org_in_request, periods.period(2570), date(2026, 12, 1), k=3)
    tips = {r.code: r.received for r in found.channels["tip"].by_category}
    assert [tips[c].shown(3) for c in ("bribery", "procurement", "property")] == ["5", "< 3", "< 3"]
    higher = published_stats.published(org_in_request, periods.period(2570), date(2026, 12, 1), k=6)
    shown = {r.code: r.received.shown(6) for r in higher.channels["tip"].by_category}
    assert (shown["bribery"], shown["procurement"], shown["property"]) == ("< 6", "< 6", "< 6")


def test_days_to_completion_need_the_minimum_sample(ctx, add_case, org_in_request):
    for n in range(4):
        received = bangkok(2026, 11, 2)
        add_case("complaint", "roads", received, "completed", completed_at=bangkok(2026, 11, 3 + n))
    period = periods.period(2570)
    few = published_stats.published(org_in_request, period, date(2026, 12, 1), min_sample=5)
    assert few.channels["complaint"].timed == 4
    assert few.channels["complaint"].median_days is None
    enough = published_stats.published(org_in_request, period, date(2026, 12, 1), min_sample=4)
    assert (enough.channels["complaint"].median_days, enough.channels["complaint"].p90_days) == (
        2,
        4,
    )
