"""Tip content at rest: AES-GCM under the server keyring (casework.crypto.fields), each value
bound to its organization, case and purpose. Identity is never sealed here (see custody).

The message and event AADs are generic (``case-message:…``, ``case-event:…``) so any channel
that seals a message or timeline body can use the same helpers and the same rotation entry.
"""

from __future__ import annotations

from typing import Any

from casework.crypto import fields, keys, rotation
from casework.models import (
    Case,
    CaseEvent,
    CaseMessage,
    ConflictExclusion,
    Referral,
    RetaliationReport,
    RevealRequest,
    TipClosure,
    TipDetails,
    TipFollowUpCheck,
    TipRecordCorrection,
)


def aad(purpose: str, organization_id: int, case_id: int) -> bytes:
    return f"{purpose}:{organization_id}:{case_id}".encode()


def seal_text(purpose: str, case: Case, text: str) -> bytes:
    return fields.encrypt_text(keys.keyring(), text, aad(purpose, case.organization_id, case.id))


def open_text(purpose: str, case: Case, token: bytes | None) -> str:
    if not token:
        return ""
    return fields.decrypt_text(keys.keyring(), token, aad(purpose, case.organization_id, case.id))


def seal_json(purpose: str, case: Case, obj: Any) -> bytes:
    return fields.encrypt_json(keys.keyring(), obj, aad(purpose, case.organization_id, case.id))


def open_json(purpose: str, case: Case, token: bytes) -> Any:
    return fields.decrypt_json(keys.keyring(), token, aad(purpose, case.organization_id, case.id))


def message_text(case: Case, message: CaseMessage) -> str:
    return open_text("case-message", case, message.body_sealed) or message.body


def event_text(case: Case, event: CaseEvent) -> str:
    return open_text("case-event", case, event.body_sealed) or event.body


def _row_aad(purpose: str):
    def build(row) -> bytes:
        return aad(purpose, row.organization_id, row.case_id)

    return build


def _register_rotation() -> None:
    """Sealed columns join the key-rotation registry, so rotation re-encrypts them and an old
    key still in use is never retired."""
    known = {(entry.model, entry.column) for entry in rotation.REGISTRY}
    for model, column, purpose in (
        (TipDetails, "questionnaire_sealed", "tip-questionnaire"),
        (TipDetails, "committee_sealed", "tip-committee"),
        (TipDetails, "penalty_sealed", "tip-penalty"),
        (TipDetails, "fact_finder_sealed", "tip-fact-finder"),
        (TipDetails, "preliminary_result_sealed", "tip-preliminary-result"),
        (TipDetails, "charges_sealed", "tip-charges"),
        (TipDetails, "facts_sealed", "tip-facts"),
        (TipDetails, "evidence_relied_sealed", "tip-evidence-relied"),
        (Referral, "decision_sealed", "tip-referral-decision"),
        (TipFollowUpCheck, "note_sealed", "tip-follow-up-check"),
        (TipRecordCorrection, "old_sealed", "tip-record-correction"),
        (RevealRequest, "reason_sealed", "tip-reveal-reason"),
        (RevealRequest, "refusal_sealed", "tip-reveal-refusal"),
        (ConflictExclusion, "statement_sealed", "tip-conflict-statement"),
        (TipClosure, "public_note_sealed", "tip-closure-public"),
        (TipClosure, "internal_note_sealed", "tip-closure-internal"),
        (RetaliationReport, "text_sealed", "tip-retaliation"),
        (RetaliationReport, "action_sealed", "tip-retaliation-action"),
        (RetaliationReport, "public_note_sealed", "tip-retaliation-public"),
        (CaseMessage, "body_sealed", "case-message"),
        (CaseEvent, "body_sealed", "case-event"),
    ):
        if (model, column) not in known:
            rotation.register(model, column, _row_aad(purpose))


_register_rotation()
