"""Data-key rotation: add a new AES key, then re-encrypt every sealed column under it.

Each sealed column is registered here with the AAD it was written with. Old keys stay in the
keyring until ``retire_unused`` finds no row still using them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from casework.crypto import fields, keys
from casework.crypto.keyring import save_keyring
from casework.extensions import db
from casework.models import Attachment, Case, OutboxMessage, ReporterIdentity, User


@dataclass(frozen=True)
class SealedColumn:
    model: type
    column: str
    aad: Callable[[object], bytes]


def _case_aad(prefix: str) -> Callable[[object], bytes]:
    def aad(row) -> bytes:
        case = db.session.get(Case, row.case_id)
        return f"{prefix}:{case.organization_id}:{case.id}".encode()

    return aad


REGISTRY: list[SealedColumn] = [
    SealedColumn(ReporterIdentity, "sealed", _case_aad("identity")),
    SealedColumn(Attachment, "filename_sealed", _case_aad("attachment-name")),
    SealedColumn(Attachment, "data_sealed", _case_aad("attachment-data")),
    SealedColumn(
        OutboxMessage,
        "recipient_sealed",
        lambda r: f"outbox:{r.organization_id}:{r.transport}".encode(),
    ),
    SealedColumn(User, "totp_sealed", lambda r: f"totp:{r.organization_id}:{r.id}".encode()),
    SealedColumn(
        User, "totp_pending_sealed", lambda r: f"totp-pending:{r.organization_id}:{r.id}".encode()
    ),
]


def register(model: type, column: str, aad: Callable[[object], bytes]) -> None:
    REGISTRY.append(SealedColumn(model, column, aad))


def rotate(app, batch: int = 200) -> tuple[int, int]:
    """Add a data key, persist the keyring, re-encrypt all rows. Returns (version, rows)."""
    ring = keys.keyring(app)
    if app.config.get("RONGRIAN_KEYRING"):
        raise RuntimeError(
            "The keyring comes from the RONGRIAN_KEYRING variable: rotate with the key file, "
            "or update the variable yourself with `flask --app wsgi keys rotate --print`."
        )
    version = ring.rotate()
    save_keyring(ring, app.config["RONGRIAN_KEYRING_FILE"])
    return version, reencrypt_all(batch)


def reencrypt_all(batch: int = 200) -> int:
    ring = keys.keyring()
    changed = 0
    for entry in REGISTRY:
        column = getattr(entry.model, entry.column)
        ids = db.session.scalars(select(entry.model.id).where(column.is_not(None))).all()
        for start in range(0, len(ids), batch):
            for row in db.session.scalars(
                select(entry.model).where(entry.model.id.in_(ids[start : start + batch]))
            ):
                token = getattr(row, entry.column)
                if fields.token_version(token) != ring.current:
                    setattr(row, entry.column, fields.reencrypt(ring, token, entry.aad(row)))
                    changed += 1
            db.session.commit()
    return changed


def versions_in_use() -> set[int]:
    used: set[int] = set()
    for entry in REGISTRY:
        column = getattr(entry.model, entry.column)
        for token in db.session.scalars(select(column).where(column.is_not(None))):
            used.add(fields.token_version(token))
    return used
