"""Where a tip stands, in general terms, as the tipster reads it on their status page: each
stage of the way and the day it was reached, the referral to an outside body, and the closing
with the short public text the officer wrote (``public_note``, on the timeline).

Nothing here names anyone: not the officers, the committee, the accused or the penalty; the
outside body is named by its institution (ป.ป.ช., ป.ป.ท., …), never its reference number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casework.cases import lifecycle, timeline
from casework.dates.thaidate import local_date
from casework.models import Case
from casework.tipline import referral, sealing

# The way a tip goes when nothing cuts it short (its final step is "closed").
PATH = ("received", "preliminary_review", "investigation", "findings", "disciplinary", "closed")


@dataclass
class Stage:
    code: str
    label: str
    reached_on: date | None  # None: not reached (yet)
    current: bool


@dataclass
class Referred:
    body: str  # the institution, e.g. "ป.ป.ช."
    referred_on: date | None


@dataclass
class Standing:
    stages: list[Stage]
    referred: Referred | None
    closed_on: date | None
    outcome: str  # the outcome's label once closed
    closing_note: str  # the officer's public text on the closing, if any


def standing(case: Case) -> Standing:
    """The tip's stages as the tipster sees them. An open tip lists the way ahead too; a closed
    one only the stages it went through."""
    reached: dict[str, date] = {"received": local_date(case.received_at)}
    closing_note = ""
    for event in timeline.public_events(case):
        if event.kind == "status" and event.status_to in lifecycle.TIP_STATES:
            reached[event.status_to] = event.at.date()
            if lifecycle.state("tip", event.status_to).final:
                closing_note = sealing.event_text(case, event)
    final = lifecycle.state("tip", case.status).final
    way = list(PATH)
    if "referred_out" in reached or case.status == "referred_out":
        # Referred out: the stages it went through here, then the outside body, then closing.
        way = [c for c in PATH[:-1] if c in reached] + ["referred_out", "closed"]
    codes = [c for c in way if not final or c in reached]
    stages = [
        Stage(c, lifecycle.status_label("tip", c), reached.get(c), c == case.status) for c in codes
    ]
    row = referral.referral_of(case)
    referred = None
    if row is not None and row.body in referral.BODIES:
        referred = Referred(str(referral.BODIES[row.body]), row.referred_on)
    return Standing(
        stages=stages,
        referred=referred,
        closed_on=reached.get(case.status) if final else None,
        outcome=lifecycle.outcome_label("tip", case.outcome) if final else "",
        closing_note=closing_note,
    )
