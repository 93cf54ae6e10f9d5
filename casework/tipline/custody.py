"""Custodians' keys and the tipster identity sealed to them.

Each custodian enrols an X25519 key pair; the private half is kept only wrapped under their
passphrase (Argon2id, casework.crypto.custodian_keys). A confidential identity is sealed to every
active custodian key (ephemeral X25519 + HKDF-SHA256 + AES-GCM, casework.crypto.sealed), so the
server — database, config and key files together — holds nothing that opens it.
"""

from __future__ import annotations

import json

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework import clock
from casework.crypto import custodian_keys, sealed
from casework.crypto.custodian_keys import PassphraseCost, WrappedKey, WrongPassphrase
from casework.crypto.fields import DecryptionError
from casework.extensions import db
from casework.models import Case, CustodianKey, TipIdentity, User

MIN_PASSPHRASE = 12
IDENTITY_FIELDS = ("name", "position", "phone", "email", "address")

__all__ = ["CustodyError", "WrongPassphrase"]


class CustodyError(ValueError):
    def __init__(self, fields: dict[str, str]):
        super().__init__("custody error")
        self.fields = fields


def _cost() -> PassphraseCost:
    return current_app.config.get("CUSTODIAN_KDF_COST") or PassphraseCost()


def key_of(user: User) -> CustodianKey | None:
    return db.session.scalar(
        select(CustodianKey).filter_by(user_id=user.id, active=True).order_by(CustodianKey.id)
    )


def active_keys(organization_id: int) -> list[CustodianKey]:
    return list(
        db.session.scalars(
            select(CustodianKey)
            .join(User, User.id == CustodianKey.user_id)
            .where(
                CustodianKey.organization_id == organization_id,
                CustodianKey.active.is_(True),
                User.active.is_(True),
            )
            .order_by(CustodianKey.id)
        )
    )


def _check_new(passphrase: str, confirm: str) -> dict[str, str]:
    errors = {}
    if len(passphrase or "") < MIN_PASSPHRASE:
        errors["passphrase"] = str(
            _l("Use a passphrase of at least %(n)d characters.", n=MIN_PASSPHRASE)
        )
    elif passphrase != confirm:
        errors["confirm"] = str(_l("The two passphrases are not the same."))
    return errors


def enrol(user: User, passphrase: str, confirm: str) -> CustodianKey:
    """Generate the custodian's key pair under their passphrase (the caller commits)."""
    errors = _check_new(passphrase, confirm)
    if key_of(user) is not None:
        errors["passphrase"] = str(_l("You already have a key. Change its passphrase instead."))
    if errors:
        raise CustodyError(errors)
    wrapped = custodian_keys.generate(passphrase, _cost())
    row = CustodianKey(
        organization_id=user.organization_id,
        user_id=user.id,
        public_key=wrapped.public_key,
        wrapped=wrapped.to_json(),
        created_on=clock.today(),
    )
    db.session.add(row)
    return row


def change_passphrase(user: User, old: str, new: str, confirm: str) -> CustodianKey:
    """Re-wrap the same key pair: every identity sealed to it stays readable."""
    row = key_of(user)
    errors = _check_new(new, confirm)
    if row is None:
        errors["old"] = str(_l("You have no key yet."))
    if errors:
        raise CustodyError(errors)
    try:
        rewrapped = custodian_keys.rewrap(WrappedKey.from_json(row.wrapped), old, new)
    except WrongPassphrase:
        raise CustodyError({"old": str(_l("That is not your current passphrase."))}) from None
    row.wrapped = rewrapped.to_json()
    return row


def _aad(case: Case, key: CustodianKey) -> bytes:
    return f"tip-identity:{case.organization_id}:{case.id}:{key.id}".encode()


def seal_identity(case: Case, identity: dict, *, skip_user_ids: set[int]) -> list[TipIdentity]:
    """Seal ``identity`` to every active custodian not excluded from the case (to all of them
    when every custodian is excluded, so the identity is never lost). The caller commits."""
    keys = active_keys(case.organization_id)
    chosen = [k for k in keys if k.user_id not in skip_user_ids] or keys
    plaintext = _plaintext(identity)
    return [_seal_to(case, key, plaintext) for key in chosen]


def _plaintext(identity: dict) -> bytes:
    return json.dumps(identity, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _seal_to(case: Case, key: CustodianKey, plaintext: bytes) -> TipIdentity:
    box = sealed.seal(key.public_key, plaintext, _aad(case, key))
    row = TipIdentity(
        organization_id=case.organization_id,
        case_id=case.id,
        custodian_key_id=key.id,
        box=box.to_bytes(),
    )
    db.session.add(row)
    return row


def has_identity(case: Case) -> bool:
    return db.session.scalar(select(TipIdentity.id).filter_by(case_id=case.id).limit(1)) is not None


def open_identity(case: Case, user: User, passphrase: str) -> dict:
    """Open the identity with this custodian's passphrase; CustodyError when they cannot."""
    key = key_of(user)
    row = None
    if key is not None:
        row = db.session.scalar(
            select(TipIdentity).filter_by(case_id=case.id, custodian_key_id=key.id)
        )
    if row is None:
        raise CustodyError({"passphrase": str(_l("This identity was not sealed to your key."))})
    try:
        private = custodian_keys.unwrap(WrappedKey.from_json(key.wrapped), passphrase or "")
    except WrongPassphrase:
        raise CustodyError({"passphrase": str(_l("Wrong passphrase."))}) from None
    try:
        plaintext = sealed.unseal(private, sealed.SealedBox.from_bytes(row.box), _aad(case, key))
    except DecryptionError:
        raise CustodyError({"passphrase": str(_l("The sealed identity is damaged."))}) from None
    return json.loads(plaintext)


def reseal_for_all(case: Case, user: User, passphrase: str) -> int:
    """Share a sealed identity with custodians enrolled later. Returns the boxes added."""
    identity = open_identity(case, user, passphrase)
    have = set(db.session.scalars(select(TipIdentity.custodian_key_id).filter_by(case_id=case.id)))
    missing = [k for k in active_keys(case.organization_id) if k.id not in have]
    plaintext = _plaintext(identity)
    for key in missing:
        _seal_to(case, key, plaintext)
    return len(missing)
