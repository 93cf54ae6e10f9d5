"""Figures on tips for the executive: received, in each stage, completed, founded and
penalised, for a fiscal year and each of its halves (October–March, April–September).

Every tip received in the period counts once, where it stands today. As on the public
statistics page (casework.publishing.stats), the totals the plans publish (received, completed,
in progress) are exact, and every smaller count is suppressed below k with the same rule
(``stats.suppress``): the stages of the tips still open (a tip referred out included, until the
body's decision) form one breakdown (its total is the exact "in progress"), the closed another
(its total is "completed"), and founded and penalised stand alone.

Founded and penalised are what the stages recorded (casework.tipline.stages), never guessed from
where a tip stands: a tip counts as founded when its findings concluded it founded or partly
founded (``stages.PUNISHABLE``: both may lead to a penalty), and as penalised when a penalty
order was recorded (its kind, ``TipDetails.penalty_kind_id``).

One grouped query for the three periods; nothing is decrypted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from casework.cases import lifecycle
from casework.dates import periods
from casework.dates.periods import Period
from casework.extensions import db
from casework.models import Case, TipDetails
from casework.publishing.stats import Cell, K, suppress
from casework.tipline.stages import PUNISHABLE


@dataclass
class StageCell:
    code: str
    label: str
    cell: Cell


@dataclass
class TipFigures:
    period: Period
    received: int
    in_progress: int
    completed: int
    open_stages: list[StageCell]  # sums to in_progress
    final_stages: list[StageCell]  # closed, referred out: sums to completed
    founded: Cell
    penalised: Cell


def _breakdown(codes: list[str], counts: dict[str, int], k: int) -> list[StageCell]:
    cells = suppress([counts.get(c, 0) for c in codes], k)
    return [
        StageCell(c, lifecycle.status_label("tip", c), cell)
        for c, cell in zip(codes, cells, strict=True)
    ]


def fiscal_year_figures(org_id: int, fy: int, *, k: int = K) -> list[TipFigures]:
    """The figures of fiscal year ``fy`` (B.E.) and of its two halves, in that order."""
    year = periods.period(fy)
    halves = [periods.period(fy, c) for c in periods.HALVES]
    start, end = year.utc_bounds()
    second_half = halves[1].utc_bounds()[0]
    half = case((Case.received_at < second_half, 0), else_=1)
    founded = TipDetails.conclusion.in_(sorted(PUNISHABLE))
    penalised = TipDetails.penalty_kind_id.is_not(None)
    rows = db.session.execute(
        select(Case.status, founded, penalised, half, func.count())
        .select_from(Case)
        .outerjoin(TipDetails, TipDetails.case_id == Case.id)
        .where(
            Case.organization_id == org_id,
            Case.channel == "tip",
            Case.received_at >= start,
            Case.received_at < end,
        )
        .group_by(Case.status, founded, penalised, half)
    ).all()
    open_codes = [c for c, st in lifecycle.TIP_STATES.items() if not st.final]
    final_codes = [c for c, st in lifecycle.TIP_STATES.items() if st.final]
    result = []
    for index, period in enumerate([year, *halves]):
        by_status: dict[str, int] = {}
        found = penalty = 0
        for status, is_founded, has_penalty, slot, n in rows:
            if index and slot != index - 1:
                continue
            by_status[status] = by_status.get(status, 0) + n
            if is_founded:
                found += n
            if has_penalty:
                penalty += n
        in_progress = sum(by_status.get(c, 0) for c in open_codes)
        completed = sum(by_status.get(c, 0) for c in final_codes)
        result.append(
            TipFigures(
                period=period,
                received=in_progress + completed,
                in_progress=in_progress,
                completed=completed,
                open_stages=_breakdown(open_codes, by_status, k),
                final_stages=_breakdown(final_codes, by_status, k),
                founded=suppress([found], k)[0],
                penalised=suppress([penalty], k)[0],
            )
        )
    return result
