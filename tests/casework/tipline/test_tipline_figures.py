"""The executive's figures on tips: received, each stage, completed, founded and penalised, for
a fiscal year and its halves, exact totals and small counts suppressed below k = 3 with the
public page's rule (the complementary cell included). Founded and penalised are the recorded
findings conclusion (founded or partly founded) and the recorded penalty, counted directly."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from tip_helpers import file

from casework.extensions import db
from casework.models import Case, TipDetails
from casework.tipline import figures, penalties
from casework.tipline.filing import details_of

Tip = tuple[str, str | None, str | None, bool]  # status, outcome, conclusion, penalised


def _tips(org, frozen, at: datetime, states: list[Tip]) -> None:
    """File one tip per (status, outcome, findings conclusion, penalised) on ``at``, then put
    it there with that record."""
    frozen(at)
    kind = penalties.listing(org.id)[0]
    for status, outcome, conclusion, penalised in states:
        case: Case = file(org).case
        case.status, case.outcome = status, outcome
        details = details_of(case)
        details.conclusion = conclusion
        if penalised:
            details.penalty_kind_id = kind.id
    db.session.commit()


def _shown(cells) -> list[str]:
    return [c.cell.shown(3) for c in cells]


def test_fiscal_year_and_halves_with_small_counts_suppressed(org, frozen):
    _tips(
        org,
        frozen,
        datetime(2026, 11, 10, 3),  # H1 of fiscal year 2570
        [("received", None, None, False)] * 3
        + [("investigation", None, None, False)]
        + [("findings", None, "partly_founded", False)] * 2
        + [("findings", None, "unfounded", False), ("findings", None, None, False)],
    )
    _tips(
        org,
        frozen,
        datetime(2027, 5, 10, 3),  # H2
        [("disciplinary", None, "founded", True)]
        + [("closed", "substantiated", "partly_founded", True)]
        + [("closed", "substantiated", "founded", False)] * 3
        + [("closed", "referred", None, False)],  # referred out, closed on the body's decision
    )
    _tips(org, frozen, datetime(2027, 10, 2, 3), [("received", None, None, False)])  # 2571
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

    # Founded (a founded or partly founded conclusion) and penalised stand alone.
    assert [f.founded.shown(3) for f in (year, h1, h2)] == ["7", "< 3", "5"]
    assert [f.penalised.shown(3) for f in (year, h1, h2)] == ["< 3", "0", "< 3"]
    assert year.penalised.value is None


def test_another_organizations_tips_do_not_count(org, elsewhere, frozen):
    frozen(datetime(2026, 11, 10, 3))
    file(org)
    (year, _h1, _h2) = figures.fiscal_year_figures(elsewhere.id, 2570)
    assert year.received == 0 and _shown(year.open_stages) == ["0"] * 6


def test_founded_and_penalised_are_the_recorded_conclusion_and_penalty(org, frozen):
    """Where the old stand-ins (the stage reached, the outcome, a penalty text) disagree with
    the record, the record counts: the figures equal a direct count of the recorded findings
    and penalties."""
    _tips(
        org,
        frozen,
        datetime(2026, 12, 1, 3),
        [
            ("findings", None, "founded", False),  # found, not yet penalised
            ("findings", None, "partly_founded", False),
            ("findings", None, "unfounded", False),
            ("closed", "substantiated", None, False),  # closed so, with no findings recorded
            ("closed", "unfounded", "unfounded", False),
            ("disciplinary", None, "founded", True),
            ("disciplinary", None, "partly_founded", True),
            ("closed", "substantiated", "founded", True),
            ("received", None, None, False),
        ],
    )
    case = db.session.scalars(select(Case).filter_by(status="received")).one()
    details_of(case).penalty_sealed = b"an old free-text penalty"  # not a recorded penalty
    db.session.commit()

    rows = db.session.scalars(select(TipDetails).filter_by(organization_id=org.id)).all()
    founded = sum(r.conclusion in ("founded", "partly_founded") for r in rows)
    penalised = sum(r.penalty_kind_id is not None for r in rows)
    assert (founded, penalised) == (5, 3)

    year = figures.fiscal_year_figures(org.id, 2570)[0]
    assert (year.founded.value, year.penalised.value) == (founded, penalised)
    # Small counts are still hidden below k.
    assert figures.fiscal_year_figures(org.id, 2570, k=4)[0].penalised.shown(4) == "< 4"
