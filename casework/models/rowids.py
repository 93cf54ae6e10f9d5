"""Row ids and places that tell a database reader nothing about when a tip's row was written.

Tips share tables with complaints (``cases``, ``case_events``, ``case_messages``,
``attachments``, ``audit_entries``), and complaint rows carry times to the microsecond. Were a
tip's rows numbered from the same sequence, each id would fall between two complaints' ids and
date the row to a few seconds; a transfer's two rows would sit side by side. So every row that
belongs to a tip (its case, timeline, messages, files, ``tips`` chain entries and the ``tip_*``
tables) gets a random negative 63-bit id here, in one place, before it is inserted. Complaint
rows keep the sequence: on SQLite an INTEGER PRIMARY KEY takes max(rowid) + 1, which negative
ids do not move; on PostgreSQL an explicit id does not consume the sequence.

Since ids no longer follow the order of writing, timeline entries, messages and a tip's record
corrections also get their place within their case (``position`` 1, 2, 3 …), assigned here.
"""

from __future__ import annotations

import secrets
from collections import defaultdict

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from casework.models.attachment import Attachment
from casework.models.audit import TIPS_CHAIN, AuditEntry
from casework.models.case import Case, CaseEvent, CaseMessage
from casework.models.held import HeldUpload
from casework.models.tipcare import RetaliationReport
from casework.models.tips import (
    ConflictExclusion,
    Referral,
    RevealApproval,
    RevealRequest,
    TipAssignment,
    TipClaim,
    TipClosure,
    TipDetails,
    TipFollowUpCheck,
    TipIdentity,
    TipRecordCorrection,
)

TIP_ONLY = (
    TipDetails,
    TipIdentity,
    TipAssignment,
    ConflictExclusion,
    RevealRequest,
    RevealApproval,
    TipClosure,
    Referral,
    TipClaim,
    RetaliationReport,
    TipFollowUpCheck,
    TipRecordCorrection,
)
OF_A_CASE = (CaseEvent, CaseMessage, Attachment)
PLACED = (CaseEvent, CaseMessage, TipRecordCorrection)


def random_id() -> int:
    """A random id in [-2**62, -1]: it says nothing of order and never meets the sequence."""
    return -secrets.randbelow(2**62) - 1


def _case_of(session: Session, row) -> Case | None:
    case = row.__dict__.get("case")  # set by the caller, or None (Attachment has no relation)
    if case is None and row.case_id is not None:
        case = session.get(Case, row.case_id)
    return case


def belongs_to_a_tip(session: Session, row) -> bool:
    if isinstance(row, Case):
        return row.channel == "tip"
    if isinstance(row, AuditEntry):
        return row.chain == TIPS_CHAIN
    if isinstance(row, HeldUpload):  # a tip form's files, before the tip exists
        return row.channel == "tip"
    if isinstance(row, TIP_ONLY):
        return True
    if isinstance(row, OF_A_CASE):
        case = _case_of(session, row)
        return case is not None and case.channel == "tip"
    return False


def _assign_ids(session: Session, rows: list) -> None:
    by_model = defaultdict(list)
    for row in rows:
        if row.id is None and belongs_to_a_tip(session, row):
            by_model[type(row)].append(row)
    for model, waiting in by_model.items():
        taken: set[int] = set()
        while waiting:
            wanted = {}
            for row in waiting:
                candidate = random_id()
                while candidate in taken or candidate in wanted:
                    candidate = random_id()
                wanted[candidate] = row
            # The astronomically unlikely collision with a stored row: draw again.
            stored = set(session.scalars(select(model.id).where(model.id.in_(list(wanted)))))
            waiting = [row for candidate, row in wanted.items() if candidate in stored]
            for candidate, row in wanted.items():
                if candidate not in stored:
                    row.id = candidate
                    taken.add(candidate)


# The last place given in each case this transaction inserted: (model, case id) → place. Its
# entries were all written by this transaction, so their last place needs no query (filing a
# case with contact details flushes the case first, then adds its "received" entry).
_FRESH = "rowids_fresh_places"


def _assign_places(session: Session, rows: list) -> None:
    last: dict[tuple, int] = {}
    fresh = session.info.get(_FRESH, {})
    for row in rows:
        if not isinstance(row, PLACED) or row.position:
            continue
        case = _case_of(session, row)
        key = (type(row), id(case) if case is not None else row.case_id)
        if key not in last:
            case_id = case.id if case is not None else row.case_id
            if case_id is None:
                last[key] = 0
            elif (type(row), case_id) in fresh:
                last[key] = fresh[(type(row), case_id)]
            else:
                last[key] = session.scalar(
                    select(func.coalesce(func.max(type(row).position), 0)).where(
                        type(row).case_id == case_id
                    )
                )
        last[key] += 1
        row.position = last[key]


@event.listens_for(Session, "after_flush")
def _remember_fresh(session: Session, flush_context) -> None:
    fresh = session.info.setdefault(_FRESH, {})
    for row in session.new:
        if isinstance(row, Case):
            for model in PLACED:
                fresh.setdefault((model, row.id), 0)
        elif isinstance(row, PLACED) and (type(row), row.case_id) in fresh:
            place = (type(row), row.case_id)
            fresh[place] = max(fresh[place], row.position)


@event.listens_for(Session, "after_transaction_end")
def _forget_fresh(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended: commit or rollback
        session.info.pop(_FRESH, None)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, flush_context, instances) -> None:
    rows = sorted(session.new, key=lambda row: inspect(row).insert_order)
    _assign_ids(session, rows)
    _assign_places(session, rows)
