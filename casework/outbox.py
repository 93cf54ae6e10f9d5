"""The transactional outbox: notifications are queued as rows in the caller's transaction and
sent later by a worker (`flask --app wsgi outbox run`), so a rollback never sends anything."""

from __future__ import annotations

from casework import keys
from casework.crypto import fields
from casework.extensions import db
from casework.models import Case, OutboxMessage


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
