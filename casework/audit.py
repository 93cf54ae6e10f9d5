"""Writing and checking the audit trail.

Every view of a reporter's identity, every state change, every login and every permission
change is appended here, in the same transaction as the thing it records. Each entry carries
an HMAC-SHA256 over its own fields and the previous entry's MAC, under the keyring's audit key,
which is kept outside the database: someone who can only write to the database can neither
change nor delete a row, nor recompute the chain after doing so, without ``verify`` naming the
first broken link.

Each organization keeps two chains (``main``, and ``tips`` for the corruption channel, whose
entries carry only the day). Appending locks the chain's head row (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite serializes writers anyway), so two transactions never chain onto one entry.

**Entries from before the key.** They carry a plain SHA-256 hash. An unkeyed entry is accepted
only at the start of a chain and only when a keyed entry follows it, which pins it: the
migration that brought the key appended one ``audit.keyed`` entry to every chain that had
entries (``pin_unkeyed``). Anywhere else an unkeyed entry is a rewrite by someone without the
key. What was rewritten before that migration ran cannot be told from the database.

**Checkpoints.** Whoever holds the key as well as the database can recompute the chain. A
checkpoint is the head of each chain (sequence number and MAC) on a given day, signed with the
organization's Ed25519 key (the one that signs proofs of submission); it is shipped off the
host, and ``verify`` with it shows any rewrite made before it was taken: the entry it names
must still be there, with the same MAC, at the end of an intact chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from casework.cases import timeline
from casework.crypto import keys, signing
from casework.dates import clock
from casework.extensions import db, transaction
from casework.models import AuditEntry, AuditHead, Case, Organization, User

GENESIS = "0" * 64
# The corruption channel keeps its own chain: its entries stay out of the general trail, and
# the general trail's numbering has no gaps that would date them.
MAIN, TIPS = "main", "tips"
CHAINS = (MAIN, TIPS)
KEYED = "audit.keyed"  # the entry that pins the unkeyed entries written before the key
CHECKPOINT_TYPE = "rongrian-audit-checkpoint"
CHECKPOINT_VERSION = 1


class InvalidCheckpoint(Exception):
    """A checkpoint file is malformed, not signed by this organization, or for another one."""


class ChainBroken(Exception):
    """No checkpoint is taken of a broken chain."""

    def __init__(self, verdict: Verdict):
        super().__init__(verdict.reason)
        self.verdict = verdict


def chain_of(case: Case | None) -> str:
    return TIPS if case is not None and case.channel == "tip" else MAIN


def canonical(fields: dict) -> bytes:
    """What an entry's MAC covers: its fields, as canonical JSON."""
    body = {
        "org": fields["organization_id"],
        "seq": fields["seq"],
        "at": fields["at"].isoformat(timespec="microseconds"),
        "actor": fields["actor_id"],
        "action": fields["action"],
        "case": fields["case_id"],
        "target": fields["target"],
        "data": fields["data"],
        "prev": fields["prev_hash"],
    }
    if fields["chain"] != MAIN:
        body["chain"] = fields["chain"]
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def entry_fields(row) -> dict:
    """The fields an entry's MAC covers, read from a row (ORM object or Core row)."""
    names = ("organization_id", "seq", "at", "actor_id", "action", "case_id", "target", "data")
    return {
        **{name: getattr(row, name) for name in names},
        "prev_hash": row.prev_hash,
        "chain": row.chain,
    }


def _mac(key: bytes, fields: dict) -> str:
    return hmac.new(key, canonical(fields), hashlib.sha256).hexdigest()


def _unkeyed(fields: dict) -> str:
    """The hash entries carried before the chain was keyed."""
    return hashlib.sha256(canonical(fields)).hexdigest()


def _key() -> bytes:
    return keys.keyring().audit_key


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


def _now(chain: str) -> datetime:
    return clock.day_only(clock.utcnow()) if chain == TIPS else clock.utcnow()


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
    fields = {
        "organization_id": organization_id,
        "seq": head.seq + 1,
        "at": timeline.stamp(case) if case is not None else _now(chain),  # tips: day only
        "actor_id": actor_id,
        "action": action,
        "case_id": case.id if case is not None else None,
        "target": target[:120],
        "data": data or None,
        "prev_hash": head.hash,
        "chain": chain,
    }
    entry = AuditEntry(**fields, hash=_mac(_key(), fields))
    head.seq, head.hash = entry.seq, entry.hash
    db.session.add(entry)
    return entry


def viewed(
    case: Case, actor_id: int, action: str, *, target: str = "", data: dict | None = None
) -> None:
    """Record that someone saw part of ``case`` (its reporter's identity, a file, a letter),
    committed at once: the view is on the trail even if nothing else changes."""
    with transaction():
        record(case.organization_id, action, actor_id=actor_id, case=case, target=target, data=data)


def chain_many(organization_id: int, chain: str, entries: list[dict]) -> list[dict]:
    """Chain many entries onto the end of a chain at once, in the current transaction (bulk
    loads: casework.seed). Each entry gives ``at``, ``actor_id``, ``action``, ``case_id``,
    ``target`` and ``data``; the rows come back with the chain, ``seq``, ``prev_hash`` and
    ``hash`` set, for the caller to insert before it commits. The head is locked as in
    ``record`` and moved to the last of them."""
    head = _head(organization_id, chain)
    key, seq, previous = _key(), head.seq, head.hash
    rows = []
    for entry in entries:
        seq += 1
        fields = {
            **entry,
            "organization_id": organization_id,
            "chain": chain,
            "seq": seq,
            "prev_hash": previous,
        }
        previous = _mac(key, fields)
        rows.append({**fields, "hash": previous})
    head.seq, head.hash = seq, previous
    return rows


# The two tables as the migration that keyed the chain found them (pin_unkeyed runs there).
_entries = sa.table(
    "audit_entries",
    *(sa.column(name) for name in ("organization_id", "chain", "seq", "actor_id", "action")),
    *(sa.column(name) for name in ("case_id", "target", "prev_hash", "hash")),
    sa.column("at", sa.DateTime),
    sa.column("data", sa.JSON),
)
_heads = sa.table(
    "audit_heads", *(sa.column(name) for name in ("organization_id", "chain", "seq", "hash"))
)


def pin_unkeyed(connection: sa.Connection, key: bytes) -> int:
    """Append a keyed ``audit.keyed`` entry to every chain whose last entry is not keyed, so
    that the unkeyed entries before it are pinned. Returns how many chains it pinned; run again
    it pins nothing. Core statements on ``connection``, as a migration runs them."""
    pinned = 0
    for head in connection.execute(select(_heads).where(_heads.c.seq > 0)).all():
        last = connection.execute(
            select(_entries).where(
                _entries.c.organization_id == head.organization_id,
                _entries.c.chain == head.chain,
                _entries.c.seq == head.seq,
            )
        ).first()
        if last is not None and hmac.compare_digest(_mac(key, entry_fields(last)), last.hash):
            continue
        fields = {
            "organization_id": head.organization_id,
            "seq": head.seq + 1,
            "at": _now(head.chain),
            "actor_id": None,
            "action": KEYED,
            "case_id": None,
            "target": "",
            "data": {"unkeyed_entries": head.seq},
            "prev_hash": head.hash,
            "chain": head.chain,
        }
        mac = _mac(key, fields)
        connection.execute(sa.insert(_entries).values(**fields, hash=mac))
        connection.execute(
            sa.update(_heads)
            .where(_heads.c.organization_id == head.organization_id, _heads.c.chain == head.chain)
            .values(seq=fields["seq"], hash=mac)
        )
        pinned += 1
    return pinned


@dataclass
class Verdict:
    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""
    unkeyed: int = 0  # entries from before the key, pinned by the keyed entry after them
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)  # chain: (seq, MAC)


@dataclass(frozen=True)
class Checkpoint:
    organization: str
    organization_id: int
    date: str
    heads: dict[str, tuple[int, str]]


def verify(
    organization_id: int,
    chain: str | None = None,
    batch: int = 1000,
    checkpoint: Checkpoint | None = None,
) -> Verdict:
    """Walk one organization's chains (or just ``chain``); report the first broken link. With
    a ``checkpoint``, each chain must still hold the head the checkpoint names."""
    if checkpoint is not None and checkpoint.organization_id != organization_id:
        raise InvalidCheckpoint("the checkpoint is for another organization")
    key = _key()
    total = Verdict(True, 0)
    for name in [chain] if chain else CHAINS:
        pinned = checkpoint.heads.get(name) if checkpoint is not None else None
        verdict = _verify_chain(organization_id, name, key, batch, pinned)
        total.checked += verdict.checked
        total.unkeyed += verdict.unkeyed
        total.heads.update(verdict.heads)
        if not verdict.ok:
            reason = verdict.reason if name == MAIN else f"{verdict.reason} ({name} chain)"
            return Verdict(False, total.checked, verdict.broken_seq, verdict.broken_id, reason)
    return total


def _verify_chain(
    organization_id: int, chain: str, key: bytes, batch: int, pinned: tuple[int, str] | None
) -> Verdict:
    # The head first, so entries appended meanwhile are left for the next run; and the rows as
    # the database has them now, not as this session may remember them.
    head = db.session.get(AuditHead, (organization_id, chain), populate_existing=True)
    query = (
        select(AuditEntry)
        .where(AuditEntry.organization_id == organization_id, AuditEntry.chain == chain)
        .execution_options(populate_existing=True)
    )
    if head is not None:
        query = query.where(AuditEntry.seq <= head.seq)
    prev, checked, unkeyed, keyed_seen = GENESIS, 0, 0, False
    first_unkeyed: AuditEntry | None = None
    while rows := db.session.scalars(
        query.where(AuditEntry.seq > checked).order_by(AuditEntry.seq).limit(batch)
    ).all():
        for row in rows:
            if row.seq != checked + 1:
                return Verdict(False, checked, checked + 1, None, "entry missing")
            if row.prev_hash != prev:
                return Verdict(False, checked, row.seq, row.id, "previous hash does not match")
            fields = entry_fields(row)
            if hmac.compare_digest(_mac(key, fields), row.hash):
                keyed_seen = True
            elif _unkeyed(fields) != row.hash:
                return Verdict(False, checked, row.seq, row.id, "entry was changed")
            elif keyed_seen:
                return Verdict(False, checked, row.seq, row.id, "recomputed without the key")
            else:
                unkeyed += 1
                first_unkeyed = first_unkeyed or row
            if pinned is not None and row.seq == pinned[0] and row.hash != pinned[1]:
                reason = "differs from the checkpoint: the chain up to here was rewritten"
                return Verdict(False, checked, row.seq, row.id, reason)
            prev, checked = row.hash, checked + 1
    if first_unkeyed is not None and not keyed_seen:
        reason = "hashed without the key, and no keyed entry follows: recomputed without the key"
        return Verdict(False, 0, first_unkeyed.seq, first_unkeyed.id, reason)
    if head is not None and (head.seq != checked or head.hash != prev):
        return Verdict(False, checked, checked + 1, None, "entries after the last one were removed")
    if pinned is not None and checked < pinned[0]:
        reason = f"entry missing: the checkpoint names entry #{pinned[0]}"
        return Verdict(False, checked, checked + 1, None, reason)
    return Verdict(True, checked, unkeyed=unkeyed, heads={chain: (checked, prev)})


def checkpoint(org: Organization) -> dict:
    """The signed checkpoint of ``org``'s chains as they are now (ChainBroken if one is not
    intact). It carries the day, not the time: the tips chain's length at a known minute
    would date a tip."""
    verdict = verify(org.id)
    if not verdict.ok:
        raise ChainBroken(verdict)
    claims = {
        "organization": org.slug,
        "organization_id": org.id,
        "date": clock.today().isoformat(),
        "chains": {name: {"seq": s, "head": h} for name, (s, h) in verdict.heads.items()},
    }
    seed = keys.keyring().signing_key
    return signing.sign_document(seed, CHECKPOINT_TYPE, CHECKPOINT_VERSION, claims)


def read_checkpoint(doc: object, public_key: bytes) -> Checkpoint:
    """A checkpoint whose signature checks out under ``public_key``; needs no database."""
    try:
        claims = signing.verify_document(doc, CHECKPOINT_TYPE, CHECKPOINT_VERSION, public_key)
    except signing.InvalidProof as error:
        raise InvalidCheckpoint(str(error)) from None
    try:
        heads = {
            name: (int(value["seq"]), str(value["head"]))
            for name, value in claims["chains"].items()
        }
        return Checkpoint(
            str(claims["organization"]), int(claims["organization_id"]), claims["date"], heads
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise InvalidCheckpoint("the checkpoint's claims are malformed") from None


def open_checkpoint(raw: bytes, org: Organization) -> Checkpoint:
    """A checkpoint file's contents, checked against this installation's signing key and
    ``org``."""
    try:
        doc = json.loads(raw)
    except ValueError:
        raise InvalidCheckpoint("the checkpoint is not JSON") from None
    taken = read_checkpoint(doc, signing.public_key_bytes(keys.keyring().signing_key))
    if (taken.organization, taken.organization_id) != (org.slug, org.id):
        raise InvalidCheckpoint(f"the checkpoint is for {taken.organization}, not {org.slug}")
    return taken


# --- reading the trail ------------------------------------------------------------------


@dataclass
class TrailPage:
    """One page of a chain, newest first, with the people and case numbers it names."""

    page: Pagination
    users: dict[int, User]
    numbers: dict[int, str]  # case id -> case number


def trail_page(
    organization_id: int,
    *,
    chain: str = MAIN,
    action: str = "",
    actor_id: int | None = None,
    page: int = 1,
    per_page: int = 100,
) -> TrailPage:
    """Page ``page`` of one chain, narrowed to actions starting with ``action`` and to one
    actor when given."""
    query = select(AuditEntry).where(
        AuditEntry.organization_id == organization_id, AuditEntry.chain == chain
    )
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    result = db.paginate(
        query.order_by(AuditEntry.seq.desc()), page=page, per_page=per_page, error_out=False
    )
    users = {
        u.id: u for u in db.session.scalars(select(User).filter_by(organization_id=organization_id))
    }
    case_ids = {e.case_id for e in result.items if e.case_id}
    numbers = dict(
        db.session.execute(select(Case.id, Case.case_number).where(Case.id.in_(case_ids))).all()
    )
    return TrailPage(result, users, numbers)
