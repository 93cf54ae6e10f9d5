"""The transactional outbox: notifications are queued as rows in the caller's transaction and
sent later by a worker (`flask --app wsgi outbox run`), so a rollback never sends anything."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask, current_app, g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update

from casework import audit
from casework.crypto import fields, keys
from casework.dates import clock
from casework.extensions import db, owned, transaction
from casework.models import Case, OutboxMessage, User

log = logging.getLogger(__name__)


def _aad(org_id: int, transport: str) -> bytes:
    return f"outbox:{org_id}:{transport}".encode()


def enqueue(
    org_id: int,
    transport: str,
    recipient: str,
    template: str,
    *,
    case: Case | None = None,
    payload: dict | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage:
    row = OutboxMessage(
        organization_id=org_id,
        case_id=case.id if case else None,
        transport=transport,
        template=template,
        recipient_sealed=fields.encrypt_text(keys.keyring(), recipient, _aad(org_id, transport)),
        payload=payload or {},
        dedupe_key=dedupe_key,
    )
    db.session.add(row)
    mark_enqueued()
    return row


def enqueue_citizen_email(case: Case, email: str, template: str, **payload) -> OutboxMessage:
    return enqueue(
        case.organization_id,
        "email",
        email,
        template,
        case=case,
        payload={"case_number": case.case_number, **payload},
    )


def recipient(row: OutboxMessage) -> str:
    return fields.decrypt_text(
        keys.keyring(), row.recipient_sealed, _aad(row.organization_id, row.transport)
    )


def mark_enqueued() -> None:
    """Tell the development auto-drain that this request queued something."""
    if has_request_context():
        g.outbox_enqueued = True


def enqueue_staff_email(
    user: User, template: str, case: Case, *, dedupe_key: str | None = None, **payload
) -> OutboxMessage | None:
    """Email an officer about a case (no complaint contents: number, due date, link)."""
    if not user.email or not user.active:
        return None
    return enqueue(
        case.organization_id,
        "email",
        user.email,
        template,
        case=case,
        payload={"case_number": case.case_number, "due_date": case.due_date.isoformat(), **payload},
        dedupe_key=dedupe_key,
    )


@dataclass
class Reminder:
    """One staff email about ``case`` for each of ``users``; ``key`` names the case and the
    deadline or day it is about (``"<kind>:<case id>:<date>"``), so each user gets it once."""

    users: list[User]
    template: str
    case: Case
    key: str
    payload: dict = field(default_factory=dict)


CHUNK = 500


def existing_keys(org_id: int, keys: list[str]) -> set[str]:
    """The dedupe keys among ``keys`` the outbox already holds for the organization."""
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        found.update(
            db.session.scalars(
                select(OutboxMessage.dedupe_key).where(
                    OutboxMessage.organization_id == org_id,
                    OutboxMessage.dedupe_key.in_(keys[start : start + CHUNK]),
                )
            )
        )
    return found


def reminder_key(key: str, user_id: int) -> str:
    """The dedupe key of reminder ``key`` sent to one user."""
    return f"{key}:u{user_id}"


def reminded(org_id: int, templates: Collection[str], prefixes: list[str]) -> set[tuple[str, int]]:
    """(reminder key, user id) of every reminder of ``templates`` the outbox already holds for
    the organization whose key starts with one of ``prefixes``."""
    if not prefixes:
        return set()
    keys = db.session.scalars(
        select(OutboxMessage.dedupe_key).where(
            OutboxMessage.organization_id == org_id,
            OutboxMessage.template.in_(list(templates)),
            or_(*[OutboxMessage.dedupe_key.startswith(p, autoescape=True) for p in prefixes]),
        )
    )
    found = set()
    for dedupe in keys:
        key, _, user = dedupe.rpartition(":u")
        found.add((key, int(user)))
    return found


def queue_reminders(org_id: int, plan: list[Reminder]) -> int:
    """Queue every reminder of ``plan`` not queued before (``reminder_key``: one per user), in
    the caller's transaction; returns how many were queued. Running a sweep twice sends
    nothing twice."""
    existing = existing_keys(org_id, [reminder_key(r.key, u.id) for r in plan for u in r.users])
    queued = 0
    for reminder in plan:
        for user in reminder.users:
            dedupe = reminder_key(reminder.key, user.id)
            if dedupe in existing:
                continue
            if enqueue_staff_email(
                user, reminder.template, reminder.case, dedupe_key=dedupe, **reminder.payload
            ):
                existing.add(dedupe)
                queued += 1
    return queued


# --- the worker -------------------------------------------------------------------------
#
# A row is claimed with ``UPDATE … SET status='sending' WHERE id=? AND status='pending'`` and
# committed before anything is sent, so two workers can never both send it. After sending it
# becomes 'sent'; after a failure it goes back to 'pending' with exponential backoff, or to
# 'failed' after OUTBOX_MAX_ATTEMPTS. A worker that dies mid-send leaves the row 'sending':
# it is never retried by itself (it might have gone out), and admins see it as stuck.
# On PostgreSQL a pass claims rows one at a time with SKIP LOCKED (claim_next), so workers
# running at once on any hosts take different rows.

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"

# What the back office calls a row's state, its transport and its message: one table each.
STATUS_LABELS = {
    PENDING: _l("Waiting to be sent"),
    SENDING: _l("Being sent"),
    SENT: _l("Sent"),
    FAILED: _l("Not sent"),
}
TRANSPORT_LABELS = {"email": _l("Email"), "line": _l("LINE message"), "line_job": _l("LINE photos")}
TEMPLATE_LABELS = {
    "receipt": _l("Receipt of a complaint"),
    "accepted": _l("Complaint accepted"),
    "update": _l("Progress of a complaint"),
    "info_request": _l("Request for more information"),
    "explanation": _l("Explanation of delay"),
    "forwarded": _l("Complaint forwarded"),
    "result": _l("Result of a complaint"),
    "assigned": _l("Case assigned to an officer"),
    "due_soon": _l("Case due soon"),
    "overdue": _l("Case overdue"),
    "escalation": _l("Overdue case escalated"),
    "follow_up": _l("Follow-up with an outside agency"),
    "custody": _l("Change in identity custody"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, _l("Other")))


def describe(row: OutboxMessage) -> str:
    """How the back office names a row: its transport and what it says (never to whom)."""
    parts = [TRANSPORT_LABELS.get(row.transport), TEMPLATE_LABELS.get(row.template)]
    return " · ".join(str(p) for p in parts if p) or str(_l("Other"))


class PermanentFailure(Exception):
    """A transport's refusal that no retry can change (a 400 from LINE): the row fails now."""


def _email(row: OutboxMessage, to: str) -> None:
    from casework.notify import mailer

    mailer.send(row, to)


def _mail_ready() -> bool:
    from casework.notify import mailer

    return mailer.configured()


TRANSPORTS: dict[str, Callable[[OutboxMessage, str], None]] = {"email": _email}
READY: dict[str, Callable[[], bool]] = {"email": _mail_ready}


def register_transport(
    name: str, send: Callable[[OutboxMessage, str], None], ready: Callable[[], bool] | None = None
) -> None:
    """Let another transport (LINE) deliver its own rows through this worker; ``ready`` says
    whether it is configured (its rows stay queued until it is)."""
    TRANSPORTS[name] = send
    if ready is not None:
        READY[name] = ready


@dataclass
class RunStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0


def _ready_transports() -> list[str]:
    return [t for t in TRANSPORTS if READY.get(t, lambda: True)()]


def pending(transports: tuple[str, ...]) -> list[OutboxMessage]:
    """Every message still waiting to go out by one of ``transports``, due or not (for a
    simulator or a test that sends one user's messages itself)."""
    return list(
        db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.status == PENDING, OutboxMessage.transport.in_(transports)
            )
        )
    )


def _due(transports: list[str], limit: int):
    return (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == PENDING,
            OutboxMessage.next_attempt_at <= clock.utcnow(),
            OutboxMessage.transport.in_(transports),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )


def _due_ids(limit: int) -> list[int]:
    transports = _ready_transports()
    if not transports:
        return []
    ids = list(db.session.scalars(_due(transports, limit)))
    db.session.commit()
    return ids


def claim_next(skip: Collection[int] = ()) -> int | None:
    """PostgreSQL: claim the oldest due row that no other worker is claiming, in one statement
    (``UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING id``), committed
    before it is sent. Workers running at once take different rows instead of racing for the
    same ones, and one that dies holds at most the row it was sending. ``skip``: rows this pass
    has tried already (a failed row may be due again at once). None when nothing is due."""
    transports = _ready_transports()
    if not transports:
        return None
    due = _due(transports, 1)
    if skip:
        due = due.where(OutboxMessage.id.not_in(list(skip)))
    oldest = due.with_for_update(skip_locked=True).scalar_subquery()
    row_id = db.session.scalar(
        update(OutboxMessage)
        .where(OutboxMessage.id == oldest, OutboxMessage.status == PENDING)
        .values(status=SENDING, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return row_id


def claim(row_id: int) -> bool:
    """Take one pending row for sending; False if another worker got it first."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.status == PENDING)
        .values(status=SENDING, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def backoff(attempts: int) -> timedelta:
    base = current_app.config.get("OUTBOX_BACKOFF_SECONDS", 60)
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def deliver(row_id: int) -> str:
    """Claim and send one row; returns its new status (or '' when it was not ours)."""
    if not claim(row_id):
        return ""
    return _send(row_id)


def _send(row_id: int) -> str:
    """Send a row this worker has claimed; returns its new status."""
    row = db.session.get(OutboxMessage, row_id, populate_existing=True)
    to = ""
    try:
        to = recipient(row)
        TRANSPORTS[row.transport](row, to)
    except Exception as error:  # noqa: BLE001 - any failure is recorded and retried
        db.session.rollback()
        row = db.session.get(OutboxMessage, row_id, populate_existing=True)
        row.last_error = describe_error(error, to)
        if isinstance(error, PermanentFailure) or row.attempts >= current_app.config.get(
            "OUTBOX_MAX_ATTEMPTS", 6
        ):
            row.status = FAILED
        else:
            row.status = PENDING
            row.next_attempt_at = clock.utcnow() + backoff(row.attempts)
        db.session.commit()
        log.warning("outbox message %s failed (attempt %s)", row.id, row.attempts)
        return row.status
    row.status = SENT
    row.sent_at = clock.utcnow()
    row.last_error = ""
    db.session.commit()
    return SENT


_ADDRESS = re.compile(r"[^\s<>()\[\]@,;:\"']+@[^\s<>()\[\]@,;:\"']+")
_LINE_ID = re.compile(r"\bU[0-9a-f]{32}\b")


def describe_error(error: Exception, to: str) -> str:
    """The failure as admins see it, without the recipient: SMTP servers often quote the
    address they refused, and a citizen's email or LINE id is identity."""
    text = f"{type(error).__name__}: {error}"
    if to:
        text = re.sub(re.escape(to), "<recipient>", text, flags=re.IGNORECASE)
    text = _LINE_ID.sub("<recipient>", _ADDRESS.sub("<address>", text))
    return text[:500]


def _claimed(limit: int):
    """The rows this pass sends, each claimed: on PostgreSQL one at a time with SKIP LOCKED;
    elsewhere the due rows read at once, each claimed as it comes (None: taken by another)."""
    if db.session.get_bind().dialect.name == "postgresql":
        tried: list[int] = []
        for _ in range(limit):
            row_id = claim_next(tried)
            if row_id is None:
                return
            tried.append(row_id)
            yield row_id
        return
    for row_id in _due_ids(limit):
        yield row_id if claim(row_id) else None


def run_once(limit: int = 100) -> RunStats:
    stats = RunStats()
    for row_id in _claimed(limit):
        status = _send(row_id) if row_id is not None else ""
        if status == SENT:
            stats.sent += 1
        elif status == PENDING:
            stats.retried += 1
        elif status == FAILED:
            stats.failed += 1
        else:
            stats.skipped += 1
    return stats


def run_pass(limit: int = 100) -> RunStats:
    """One pass of the long-running worker: send what is due, then let the session go, so
    the next pass reads fresh rows."""
    try:
        return run_once(limit)
    finally:
        db.session.remove()


# --- what the administrator sees and does ------------------------------------------------

STUCK_AFTER = timedelta(minutes=15)  # a row 'sending' for longer has probably been lost


def status_counts(org_id: int) -> dict[str, int]:
    """How many of the organization's messages are in each status."""
    return dict(
        db.session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.organization_id == org_id)
            .group_by(OutboxMessage.status)
        ).all()
    )


def problems(org_id: int, limit: int = 200) -> list[OutboxMessage]:
    """Failed messages, messages being sent, and pending ones that already failed once;
    newest first."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.organization_id == org_id,
                (OutboxMessage.status == FAILED)
                | (OutboxMessage.status == SENDING)
                | ((OutboxMessage.status == PENDING) & (OutboxMessage.attempts > 0)),
            )
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def stuck_before() -> datetime:
    """Messages still 'sending' that were claimed before this instant look stuck."""
    return clock.utcnow() - STUCK_AFTER


def retry(org_id: int, message_id: int, actor_id: int) -> bool:
    """An administrator sends a failed or stuck message again; audited. Commits. False when
    the organization has no such message or it was already sent."""
    row = owned(OutboxMessage, org_id, message_id)
    if row is None or row.status == SENT:
        return False
    with transaction():
        row.status, row.next_attempt_at, row.attempts = PENDING, clock.utcnow(), 0
        audit.record(org_id, "outbox.retry", actor_id=actor_id, target=str(row.id))
    return True


def _drain(app: Flask) -> None:
    with app.app_context():
        try:
            run_once()
        except Exception:  # noqa: BLE001 - development convenience only; the worker retries
            log.exception("outbox auto-drain failed")
            db.session.rollback()


def init_app(app: Flask) -> None:
    """In development (OUTBOX_AUTODRAIN) the app sends queued mail after each request."""
    if not app.config.get("OUTBOX_AUTODRAIN"):
        return

    @app.after_request
    def _autodrain(response):
        if g.get("outbox_enqueued"):
            response.call_on_close(lambda: _drain(app))
        return response
