"""Writing and checking the audit trail.

Every view of a reporter's identity, every state change, every login and every permission
change is appended here, in the same transaction as the thing it records. Each entry's hash
covers its own fields and the previous entry's hash, so changing or deleting any row breaks
the chain from that row on; ``verify`` names the first broken link.

Each organization keeps two chains (``main``, and ``tips`` for the corruption channel, whose
entries carry only the day). Appending locks the chain's head row (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite serializes writers anyway), so two transactions never chain onto one entry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from casework.cases import timeline
from casework.dates import clock
from casework.extensions import db
from casework.models import AuditEntry, AuditHead, Case

GENESIS = "0" * 64
# The corruption channel keeps its own chain: its entries stay out of the general trail, and
# the general trail's numbering has no gaps that would date them.
MAIN, TIPS = "main", "tips"
CHAINS = (MAIN, TIPS)


def chain_of(case: Case | None) -> str:
    return TIPS if case is not None and case.channel == "tip" else MAIN


def _digest(
    *,
    organization_id: int,
    seq: int,
    at: datetime,
    actor_id: int | None,
    action: str,
    case_id: int | None,
    target: str,
    data: dict | None,
    prev_hash: str,
    chain: str = MAIN,
) -> str:
    body = {
        "org": organization_id,
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor_id,
        "action": action,
        "case": case_id,
        "target": target,
        "data": data,
        "prev": prev_hash,
    }
    if chain != MAIN:
        body["chain"] = chain
    canonical = json.dumps(
        body,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _head(organization_id: int, chain: str) -> AuditHead:
    session = db.session
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(AuditHead)
        .values(organization_id=organization_id, chain=chain, seq=0, hash=GENESIS)
        .on_conflict_do_nothing()
    )
    return session.scalars(
        select(AuditHead)
        .where(AuditHead.organization_id == organization_id, AuditHead.chain == chain)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def record(
    organization_id: int,
    action: str,
    *,
    actor_id: int | None = None,
    case: Case | None = None,
    target: str = "",
    data: dict | None = None,
    chain: str | None = None,
) -> AuditEntry:
    """Append one entry in the current transaction (the caller commits). Entries about a tip
    go to the ``tips`` chain; ``chain=TIPS`` sends another entry of that channel there too."""
    if case is not None and case.id is None:
        db.session.flush()
    chain = chain or chain_of(case)
    head = _head(organization_id, chain)
    if case is not None:
        at = timeline.stamp(case)  # tips: day only
    else:
        at = clock.day_only(clock.utcnow()) if chain == TIPS else clock.utcnow()
    fields = {
        "organization_id": organization_id,
        "seq": head.seq + 1,
        "at": at,
        "actor_id": actor_id,
        "action": action,
        "case_id": case.id if case is not None else None,
        "target": target[:120],
        "data": data or None,
        "prev_hash": head.hash,
        "chain": chain,
    }
    entry = AuditEntry(**fields, hash=_digest(**fields))
    head.seq, head.hash = entry.seq, entry.hash
    db.session.add(entry)
    return entry


@dataclass
class Verdict:
    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""


def verify(organization_id: int, chain: str | None = None, batch: int = 1000) -> Verdict:
    """Walk one organization's chains (or just ``chain``); report the first broken link."""
    checked = 0
    for name in [chain] if chain else CHAINS:
        verdict = _verify_chain(organization_id, name, batch)
        checked += verdict.checked
        if not verdict.ok:
            reason = verdict.reason if name == MAIN else f"{verdict.reason} ({name} chain)"
            return Verdict(False, checked, verdict.broken_seq, verdict.broken_id, reason)
    return Verdict(True, checked)


def _verify_chain(organization_id: int, chain: str, batch: int) -> Verdict:
    prev, expected_seq, checked = GENESIS, 1, 0
    last_seq = 0
    while True:
        rows = db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.organization_id == organization_id,
                AuditEntry.chain == chain,
                AuditEntry.seq > last_seq,
            )
            .order_by(AuditEntry.seq)
            .limit(batch)
        ).all()
        if not rows:
            break
        for row in rows:
            if row.seq != expected_seq:
                return Verdict(False, checked, expected_seq, None, "entry missing")
            if row.prev_hash != prev:
                return Verdict(False, checked, row.seq, row.id, "previous hash does not match")
            fields = {
                "organization_id": row.organization_id,
                "seq": row.seq,
                "at": row.at,
                "actor_id": row.actor_id,
                "action": row.action,
                "case_id": row.case_id,
                "target": row.target,
                "data": row.data,
                "prev_hash": row.prev_hash,
                "chain": row.chain,
            }
            if _digest(**fields) != row.hash:
                return Verdict(False, checked, row.seq, row.id, "entry was changed")
            prev, expected_seq, last_seq = row.hash, expected_seq + 1, row.seq
            checked += 1
    head = db.session.get(AuditHead, (organization_id, chain))
    if head is not None and (head.seq != checked or head.hash != prev):
        return Verdict(False, checked, checked + 1, None, "entries after the last one were removed")
    return Verdict(True, checked)
