"""Custodians' keys and the tipster identity sealed to them.

Each custodian enrols an X25519 key pair; the private half is kept only wrapped under their
passphrase (Argon2id, casework.crypto.custodian_keys). A confidential identity is sealed to every
active custodian key (ephemeral X25519 + HKDF-SHA256 + AES-GCM, casework.crypto.sealed), so the
server — database, config and key files together — holds nothing that opens it.

A custodian the tip excludes (it names them or their unit) gets a decoy box instead, of the same
size, and every identity is padded to a multiple of 256 bytes: the boxes show neither who is
excluded nor how long the tipster's name is. A custodian who enrols later receives the identities
filed before them when an earlier custodian re-seals them with their passphrase.

Only the organization's very first key is active at once: its enrolment is the first-key
ceremony (a ``CustodyCeremony`` row and a ``custody.first_key_ceremony`` audit entry), and that
path closes for good: however many custodians leave later, every later key waits until an
active custodian approves it with their own passphrase (after comparing its fingerprint in
person), which also seals the identities they hold to it. Identities are sealed, and re-sealed,
only to approved keys of active custodian accounts: a system administrator who creates a
custodian account for themselves receives no identity. Every change of custody is emailed to
all custodians (``notify_custodians``: what happened and who did it, never a tip).

The custodians' pages call the operations (``enrol_key``, ``new_passphrase``, ``approve``,
``share``), each one transaction with its audit entries. ``enrol``, ``change_passphrase``,
``approve_key`` and ``reseal`` are their steps, which leave auditing and committing to the caller.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from casework import audit
from casework.cases.errors import FieldErrors
from casework.crypto import custodian_keys, sealed
from casework.crypto.custodian_keys import PassphraseCost, WrappedKey, WrongPassphrase
from casework.crypto.fields import DecryptionError
from casework.dates import clock
from casework.extensions import db
from casework.models import AuditEntry, Case, CustodianKey, CustodyCeremony, TipIdentity, User
from casework.notify import outbox
from casework.staff.roles import CUSTODIAN
from casework.tipline import access, trail

MIN_PASSPHRASE = 12
PAD_TO = 256
TRAIL_PER_PAGE = 100
# What a tipster may give, in the order officers read it (labels for the custodian's page).
IDENTITY_LABELS = {
    "title": _l("Title"),
    "name": _l("Name"),
    "position": _l("Position"),
    "phone": _l("Phone"),
    "email": _l("Email"),
    "address": _l("Address"),
}

__all__ = ["CustodyError", "WrongPassphrase"]


class CustodyError(FieldErrors):
    """A custodian's step (enrolling, approving, opening an identity) that cannot be taken."""


def _cost() -> PassphraseCost:
    return current_app.config.get("CUSTODIAN_KDF_COST") or PassphraseCost()


def key_of(user: User) -> CustodianKey | None:
    """The custodian's key, active or waiting for approval."""
    return db.session.scalar(
        select(CustodianKey).filter_by(user_id=user.id).order_by(CustodianKey.id.desc()).limit(1)
    )


def key_for(user: User, key_id: int) -> CustodianKey | None:
    """A custodian key of ``user``'s organization, or None."""
    key = db.session.get(CustodianKey, key_id)
    return key if key is not None and key.organization_id == user.organization_id else None


def holder(key: CustodianKey) -> User:
    """The custodian a key belongs to."""
    return db.session.get(User, key.user_id)


def fingerprint(key: CustodianKey) -> str:
    """SHA-256 of the public key, in groups of four, to compare in person before approving."""
    digest = hashlib.sha256(bytes(key.public_key)).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def _keys(organization_id: int, *conditions) -> list[CustodianKey]:
    """Keys of the organization's active custodian accounts that meet ``conditions``."""
    return list(
        db.session.scalars(
            select(CustodianKey)
            .join(User, User.id == CustodianKey.user_id)
            .where(
                CustodianKey.organization_id == organization_id,
                User.active.is_(True),
                User.role == CUSTODIAN,
            )
            .where(*conditions)
            .order_by(CustodianKey.id)
        )
    )


# A key is approved when a custodian approved it, or when it is the organization's first key.
_APPROVED = (
    CustodianKey.active.is_(True),
    or_(
        CustodianKey.approved_by.is_not(None),
        CustodianKey.id.in_(select(CustodyCeremony.custodian_key_id)),
    ),
)


def pending_keys(organization_id: int) -> list[CustodianKey]:
    """Keys enrolled by active custodians and not yet approved by another custodian."""
    return _keys(
        organization_id, CustodianKey.active.is_(False), CustodianKey.approved_by.is_(None)
    )


def active_keys(organization_id: int) -> list[CustodianKey]:
    """The keys identities are sealed to: approved keys of active custodian accounts."""
    return _keys(organization_id, *_APPROVED)


def active_key_of(user: User) -> CustodianKey | None:
    """The user's key when it is one identities are sealed to (approved, and the account an
    active custodian's), else None: only such a key approves keys or decides reveals."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    keys_ = _keys(user.organization_id, CustodianKey.user_id == user.id, *_APPROVED)
    return keys_[-1] if keys_ else None


def ceremony_of(organization_id: int) -> CustodyCeremony | None:
    """The organization's first-key ceremony, once it happened."""
    return db.session.scalar(select(CustodyCeremony).filter_by(organization_id=organization_id))


def ceremony_holder(ceremony: CustodyCeremony | None) -> User | None:
    """Whose key the first-key ceremony activated (every custodian can check it was theirs)."""
    return db.session.get(User, ceremony.held_by) if ceremony is not None else None


@dataclass
class PendingKey:
    key: CustodianKey
    user: User
    fingerprint: str


def pending_for(user: User) -> list[PendingKey]:
    """Other custodians' keys waiting for approval, shown to a custodian whose key is active
    (nobody else can approve them)."""
    if active_key_of(user) is None:
        return []
    return [
        PendingKey(k, holder(k), fingerprint(k))
        for k in pending_keys(user.organization_id)
        if k.user_id != user.id
    ]


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
    """Generate the custodian's key pair under their passphrase (the caller commits). The
    organization's very first key is active at once, and that is its first-key ceremony
    (``ceremony_of``), which happens once; every later key waits for ``approve_key``."""
    errors = _check_new(passphrase, confirm)
    if user.role != CUSTODIAN or not user.active:
        errors["passphrase"] = str(_l("Only an identity custodian can create a key."))
    elif key_of(user) is not None:
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
        active=False,
    )
    db.session.add(row)
    db.session.flush()
    if ceremony_of(user.organization_id) is None:
        try:
            with db.session.begin_nested():  # two first keys at once: one ceremony wins
                db.session.add(
                    CustodyCeremony(
                        organization_id=user.organization_id,
                        custodian_key_id=row.id,
                        held_by=user.id,
                        held_on=clock.today(),
                    )
                )
        except IntegrityError:
            pass
        else:
            row.active = True
    return row


def approve_key(approver: User, passphrase: str, key: CustodianKey) -> dict[int, int]:
    """An active custodian approves another's pending key with their own passphrase; the
    identities the approver holds are sealed to it at once. Returns ``{case id: boxes}``.
    The caller audits and commits."""
    if active_key_of(approver) is None:
        raise CustodyError(
            {"passphrase": str(_l("Only a custodian whose key is active can do this."))}
        )
    if (
        key.user_id == approver.id
        or key.active
        or key.organization_id != approver.organization_id
        or key not in pending_keys(approver.organization_id)
    ):
        raise CustodyError({"passphrase": str(_l("This key cannot be approved."))})
    mine, private = _unlock(approver, passphrase)
    key.active = True
    key.approved_by = approver.id
    key.approved_on = clock.today()
    db.session.flush()
    return _reseal_with(approver, mine, private, awaiting_reseal(approver))


def change_passphrase(user: User, old: str, new: str, confirm: str) -> CustodianKey:
    """Re-wrap the same key pair: every identity sealed to it stays readable (the caller
    audits and commits)."""
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


def _committed(user: User, action: str, change, **details):
    """Run ``change()``, audit ``action`` in the organization's main trail, and commit it all;
    roll back if anything fails. Returns what ``change`` returned."""
    try:
        result = change()
        audit.record(user.organization_id, action, actor_id=user.id, **details)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


# What each custody notice says happened (the email template words it in Thai).
NOTICES = (
    "first_key_ceremony",
    "key_enrolled",
    "key_approved",
    "account_change_requested",
    "account_change_approved",
    "account_change_refused",
    "account_change_direct",
    "reveal_requested",
    "reveal_approval",
    "reveal_opened",
    "reveal_refused",
)


def _display(user: User | None) -> str:
    return (user.name or user.email) if user is not None else ""


def notify_custodians(organization_id: int, event: str, actor: User | None, **details) -> None:
    """Queue an email to every active custodian account of the organization about a change of
    custody (in the caller's transaction): what happened and which staff member did it, with
    ``details`` about staff accounts only, never a tip, its number or anyone it names."""
    if event not in NOTICES:
        raise ValueError(f"unknown custody notice {event!r}")
    payload = {"event": event, "actor": _display(actor), **details}
    for keeper in db.session.scalars(
        select(User)
        .filter_by(organization_id=organization_id, role=CUSTODIAN, active=True)
        .order_by(User.id)
    ):
        if keeper.email:
            outbox.enqueue(organization_id, "email", keeper.email, "custody", payload=payload)


def enrol_key(user: User, passphrase: str, confirm: str) -> CustodianKey:
    """A custodian enrols their key (``enrol``), audited; the organization's first key also
    records its first-key ceremony. Every custodian is told. Commits; CustodyError."""

    def change():
        key = enrol(user, passphrase, confirm)
        if key.active:
            audit.record(
                user.organization_id,
                "custody.first_key_ceremony",
                actor_id=user.id,
                target=user.email,
                data={"key": key.id, "fingerprint": fingerprint(key)},
            )
            notify_custodians(user.organization_id, "first_key_ceremony", user)
        else:
            notify_custodians(user.organization_id, "key_enrolled", user)
        return key

    return _committed(user, "custody.key_enrolled", change)


def new_passphrase(user: User, old: str, new: str, confirm: str) -> CustodianKey:
    """A custodian re-wraps their key under a new passphrase (``change_passphrase``), audited.
    Commits; CustodyError."""
    return _committed(
        user, "custody.passphrase_changed", lambda: change_passphrase(user, old, new, confirm)
    )


def approve(approver: User, passphrase: str, key: CustodianKey) -> dict[int, int]:
    """An active custodian approves a newer custodian's key (``approve_key``), audited in the
    main trail, each identity it shares in the tips trail. Commits; CustodyError. Returns
    ``{case id: boxes added}``."""

    def change():
        added = _trail_reseal(approver, approve_key(approver, passphrase, key))
        notify_custodians(
            approver.organization_id, "key_approved", approver, subject=_display(holder(key))
        )
        return added

    return _committed(
        approver,
        "custody.key_approved",
        change,
        target=holder(key).email,
        data={"key": key.id},
    )


def share(user: User, passphrase: str) -> dict[int, int]:
    """Seal the identities this custodian holds to the custodians who enrolled after them
    (``reseal`` of ``awaiting_reseal``), each in the tips trail. Commits; CustodyError.
    Returns ``{case id: boxes added}``."""
    try:
        added = _trail_reseal(user, reseal(user, passphrase, awaiting_reseal(user)))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return added


def _trail_reseal(user: User, added: dict[int, int]) -> dict[int, int]:
    for case_id, boxes in added.items():
        trail.record(db.session.get(Case, case_id), "identity_resealed", user.id, keys=boxes)
    return added


def _aad(case: Case, key: CustodianKey) -> bytes:
    return f"tip-identity:{case.organization_id}:{case.id}:{key.id}".encode()


def seal_identity(case: Case, identity: dict, *, skip_user_ids: set[int]) -> list[TipIdentity]:
    """Seal ``identity`` to every active custodian not excluded from the case, and a decoy of
    the same size to those excluded (to all of them when every custodian is excluded, so the
    identity is never lost). The caller commits."""
    keys_ = active_keys(case.organization_id)
    real = {k.id for k in keys_ if k.user_id not in skip_user_ids} or {k.id for k in keys_}
    plaintext = _plaintext(identity)
    decoy = _plaintext({}, len(plaintext))
    return [_seal_to(case, k, plaintext if k.id in real else decoy) for k in keys_]


def _plaintext(identity: dict, size: int = 0) -> bytes:
    """JSON padded with spaces to a multiple of PAD_TO bytes (or to ``size``)."""
    text = json.dumps(identity, ensure_ascii=False, sort_keys=True).encode("utf-8")
    size = size or -(-len(text) // PAD_TO) * PAD_TO
    return text + b" " * (size - len(text))


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


def _unlock(user: User, passphrase: str) -> tuple[CustodianKey, bytes]:
    """This custodian's key row and raw private key; CustodyError on a wrong passphrase."""
    key = active_key_of(user)
    if key is None:
        raise CustodyError({"passphrase": str(_l("You have no key yet."))})
    try:
        return key, custodian_keys.unwrap(WrappedKey.from_json(key.wrapped), passphrase or "")
    except WrongPassphrase:
        raise CustodyError({"passphrase": str(_l("Wrong passphrase."))}) from None


def _box(case: Case, key: CustodianKey) -> TipIdentity | None:
    return db.session.scalar(
        select(TipIdentity).filter_by(case_id=case.id, custodian_key_id=key.id)
    )


def _open(case: Case, key: CustodianKey, private: bytes, row: TipIdentity) -> dict:
    try:
        plaintext = sealed.unseal(private, sealed.SealedBox.from_bytes(row.box), _aad(case, key))
    except DecryptionError:
        raise CustodyError({"passphrase": str(_l("The sealed identity is damaged."))}) from None
    return json.loads(plaintext)


def check_passphrase(user: User, passphrase: str) -> None:
    """CustodyError unless ``user`` holds an approved key and ``passphrase`` unlocks it."""
    _unlock(user, passphrase)


def open_identity(case: Case, user: User, passphrase: str) -> dict:
    """Open the identity with this custodian's passphrase; CustodyError when they cannot."""
    key = active_key_of(user)
    row = _box(case, key) if key is not None else None
    if row is None:
        raise CustodyError({"passphrase": str(_l("This identity was not sealed to your key."))})
    key, private = _unlock(user, passphrase)
    identity = _open(case, key, private, row)
    if not identity:  # the decoy an excluded custodian holds
        raise CustodyError({"passphrase": str(_l("This identity was not sealed to your key."))})
    return identity


def _missing_keys(case: Case) -> list[CustodianKey]:
    have = set(db.session.scalars(select(TipIdentity.custodian_key_id).filter_by(case_id=case.id)))
    return [k for k in active_keys(case.organization_id) if k.id not in have]


def awaiting_reseal(user: User) -> list[Case]:
    """Tips whose identity this custodian holds and could share with custodians enrolled after
    it was sealed (never tips the custodian is excluded from)."""
    key = active_key_of(user)
    if key is None:
        return []
    cases = db.session.scalars(
        select(Case)
        .join(TipIdentity, TipIdentity.case_id == Case.id)
        .where(TipIdentity.custodian_key_id == key.id, Case.channel == "tip")
        .order_by(Case.id)
    )
    return [c for c in cases if not access.is_excluded(user.id, c) and _missing_keys(c)]


def not_sealed_to(user: User) -> int:
    """How many tips carry an identity that is not sealed to this custodian's key yet."""
    key = active_key_of(user)
    if key is None:
        return 0
    cases = db.session.scalars(
        select(Case)
        .where(Case.organization_id == user.organization_id, Case.channel == "tip")
        .where(Case.id.in_(select(TipIdentity.case_id)))
        .where(~Case.id.in_(select(TipIdentity.case_id).filter_by(custodian_key_id=key.id)))
    )
    return sum(1 for c in cases if not access.is_excluded(user.id, c))


def reseal(user: User, passphrase: str, cases: list[Case]) -> dict[int, int]:
    """Share the identities of ``cases`` with every approved custodian key that lacks them
    (``active_keys``: never a key waiting for approval; a decoy for those the tip excludes),
    opening each with this custodian's key, unwrapped once. Returns ``{case id: boxes
    added}``. The caller audits and commits."""
    key, private = _unlock(user, passphrase)
    return _reseal_with(user, key, private, cases)


def _reseal_with(user: User, key: CustodianKey, private: bytes, cases: list[Case]) -> dict:
    added: dict[int, int] = {}
    for case in cases:
        row = _box(case, key)
        if row is None or access.is_excluded(user.id, case):
            continue
        identity = _open(case, key, private, row)
        missing = _missing_keys(case)
        if not identity or not missing:
            continue
        plaintext = _plaintext(identity)
        decoy = _plaintext({}, len(plaintext))
        excluded = access.excluded_ids(case)
        for other in missing:
            _seal_to(case, other, decoy if other.user_id in excluded else plaintext)
        added[case.id] = len(missing)
    return added


@dataclass
class TrailPage:
    page: object  # flask_sqlalchemy Pagination: has_next, next_num
    entries: list[AuditEntry]  # the page's entries, less those of tips that exclude the reader
    users: dict[int, User]  # the organization's accounts, by id


def trail_page(user: User, page: int) -> TrailPage:
    """One page of the organization's tips trail, newest first, for a custodian (never an
    entry about a tip that excludes them)."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.organization_id == user.organization_id, AuditEntry.chain == audit.TIPS)
        .order_by(AuditEntry.seq.desc())
    )
    found = db.paginate(query, page=page, per_page=TRAIL_PER_PAGE, error_out=False)
    cases = {}
    for entry in found.items:
        if entry.case_id and entry.case_id not in cases:
            cases[entry.case_id] = db.session.get(Case, entry.case_id)
    hidden = {cid for cid, c in cases.items() if c is not None and access.is_excluded(user.id, c)}
    users = db.session.scalars(select(User).filter_by(organization_id=user.organization_id))
    return TrailPage(
        found, [e for e in found.items if e.case_id not in hidden], {u.id: u for u in users}
    )
