"""The executive's figures on tips: received, each stage, completed, founded and penalised, for
a fiscal year and its halves, exact totals and small counts suppressed below k = 3 with the
public page's rule (the complementary cell included)."""

from __future__ import annotations

from datetime import datetime

from tip_helpers import file

from casework.extensions import db
from casework.models import Case
from casework.tipline import figures
from casework.tipline.filing import details_of


def _tips(org, frozen, at: datetime, states: list[tuple[str, str | None, bool]]) -> None:
    """File one tip per (status, outcome, penalised) on ``at``, then put it there."""
    frozen(at)
    for status, outcome, penalised in states:
        case: Case = file(org).case
        case.status, case.outcome = status, outcome
        if penalised:
            details_of(case).penalty_sealed = b"sealed"
    db.session.commit()


def _shown(cells) -> list[str]:
    return [c.cell.shown(3) for c in cells]


def test_fiscal_year_and_halves_with_small_counts_suppressed(org, frozen):
    _tips(
        org,
        frozen,
        datetime(2026, 11, 10, 3),  # H1 of fiscal year 2570
        [("received", None, False)] * 3
        + [("investigation", None, False)]
        + [("findings", None, False)] * 4,
    )
    _tips(
        org,
        frozen,
        datetime(2027, 5, 10, 3),  # H2
        [("disciplinary", None, True)]
        + [("closed", "substantiated", True)]
        + [("closed", "substantiated", False)] * 3
        + [("closed", "referred", False)],  # referred out, then closed on the body's decision
    )
    _tips(org, frozen, datetime(2027, 10, 2, 3), [("received", None, False)])  # fiscal 2571
    year, h1, h2 = figures.fiscal_year_figures(org.id, 2570)
    assert [p.period.code for p in (year, h1, h2)] == ["year", "h1", "h2"]

    # The totals the plans publish are exact.
    assert (year.received, year.in_progress, year.completed) == (14, 9, 5)
    assert (h1.received, h1.in_progress, h1.completed) == (8, 8, 0)
    assert (h2.received, h2.in_progress, h2.completed) == (6, 1, 5)

    # Open stages: received, preliminary fact-finding, investigation, findings, penalty and
    # follow-up, referred out (waiting for the outside body's decision).
    assert [s.code for s in year.open_stages] == [
        "received",
        "preliminary_review",
        "investigation",
        "findings",
        "disciplinary",
        "referred_out",
    ]
    assert _shown(year.open_stages) == ["3", "0", "< 3", "4", "< 3", "0"]
    # One small cell alone would be given away by the exact total: another is hidden too.
    assert _shown(h1.open_stages) == ["≥ 3", "0", "< 3", "4", "0", "0"]
    assert _shown(h2.open_stages) == ["0", "0", "0", "0", "< 3", "0"]
    assert [s.code for s in h2.final_stages] == ["closed"]
    assert _shown(h2.final_stages) == ["5"]

    # Founded (disciplinary, or closed as substantiated) and penalised stand alone.
    assert [f.founded.shown(3) for f in (year, h1, h2)] == ["5", "0", "5"]
    assert [f.penalised.shown(3) for f in (year, h1, h2)] == ["< 3", "0", "< 3"]
    assert year.penalised.value is None


def test_another_organizations_tips_do_not_count(org, elsewhere, frozen):
    frozen(datetime(2026, 11, 10, 3))
    file(org)
    (year, _h1, _h2) = figures.fiscal_year_figures(elsewhere.id, 2570)
    assert year.received == 0 and _shown(year.open_stages) == ["0"] * 6
