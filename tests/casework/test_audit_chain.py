"""The audit chain is keyed with HMAC-SHA256 (the key is in the keyring, not the database),
and a signed checkpoint pins each chain's head outside the database."""

from __future__ import annotations

import copy
import hashlib
import hmac

import pytest

from casework import audit
from casework.crypto import keys, signing
from casework.extensions import db
from casework.models import AuditEntry


def _write(org_id: int, n: int, chain: str = audit.MAIN) -> None:
    for i in range(n):
        audit.record(org_id, "test.event", target=f"t{i}", data={"n": i}, chain=chain)
    db.session.commit()


def test_each_entry_is_an_hmac_under_the_keyrings_audit_key(ctx, org):
    _write(org.id, 2)
    entry = db.session.scalar(db.select(AuditEntry).filter_by(organization_id=org.id, seq=2))
    body = audit.canonical(audit.entry_fields(entry))
    key = keys.keyring().audit_key
    assert entry.hash == hmac.new(key, body, hashlib.sha256).hexdigest()
    assert entry.hash != hashlib.sha256(body).hexdigest()
    assert audit.verify(org.id).ok


def test_deleting_entries_and_recomputing_without_the_key_is_caught(ctx, org, rewrite_audit_chain):
    _write(org.id, 8)
    rewrite_audit_chain(org.id, delete=(3, 4), keyed=False)
    verdict = audit.verify(org.id)
    assert not verdict.ok
    assert verdict.broken_seq == 3 and verdict.checked == 2
    assert "without the key" in verdict.reason


def test_recomputing_the_whole_chain_without_the_key_is_caught_at_its_first_entry(
    ctx, org, rewrite_audit_chain
):
    _write(org.id, 4)
    rewrite_audit_chain(org.id, delete=(2,), keyed=False, start=1)
    verdict = audit.verify(org.id)
    assert not verdict.ok and verdict.broken_seq == 1


def test_the_tips_chain_is_keyed_too(ctx, org, rewrite_audit_chain):
    _write(org.id, 3, chain=audit.TIPS)
    rewrite_audit_chain(org.id, delete=(2,), keyed=False, chain=audit.TIPS)
    verdict = audit.verify(org.id)
    assert not verdict.ok and verdict.broken_seq == 2 and "tips chain" in verdict.reason


def test_a_rewrite_with_the_key_is_caught_by_an_earlier_checkpoint(ctx, org, rewrite_audit_chain):
    _write(org.id, 6)
    _write(org.id, 2, chain=audit.TIPS)
    taken = audit.read_checkpoint(audit.checkpoint(org), _public_key())
    assert taken.heads == {
        audit.MAIN: (6, db.session.scalar(db.select(AuditEntry.hash).filter_by(seq=6))),
        audit.TIPS: (2, audit.verify(org.id, audit.TIPS).heads[audit.TIPS][1]),
    }
    assert audit.verify(org.id, checkpoint=taken).ok
    _write(org.id, 2)  # the chain goes on after the checkpoint
    assert audit.verify(org.id, checkpoint=taken).ok

    rewrite_audit_chain(org.id, delete=(3, 4), keyed=True)
    assert audit.verify(org.id).ok  # the key alone cannot tell
    verdict = audit.verify(org.id, checkpoint=taken)
    assert not verdict.ok and verdict.broken_seq == 6
    assert "checkpoint" in verdict.reason


def test_a_chain_cut_back_below_the_checkpoint_is_caught(ctx, org, rewrite_audit_chain):
    _write(org.id, 5)
    taken = audit.read_checkpoint(audit.checkpoint(org), _public_key())
    rewrite_audit_chain(org.id, delete=(4, 5), keyed=True)
    assert audit.verify(org.id).ok
    verdict = audit.verify(org.id, checkpoint=taken)
    assert not verdict.ok and verdict.broken_seq == 4 and "missing" in verdict.reason


def _public_key() -> bytes:
    return signing.public_key_bytes(keys.keyring().signing_key)


def test_a_checkpoint_is_signed_and_checked_without_the_database(ctx, org):
    _write(org.id, 3)
    doc = audit.checkpoint(org)
    assert doc["type"] == audit.CHECKPOINT_TYPE
    claims = doc["claims"]
    assert claims["organization"] == org.slug and claims["organization_id"] == org.id
    assert len(claims["date"]) == 10  # the day only: a tip's entries are not dated finer
    assert claims["chains"]["main"]["seq"] == 3

    public = _public_key()
    tampered = copy.deepcopy(doc)
    tampered["claims"]["chains"]["main"]["seq"] = 2
    with pytest.raises(audit.InvalidCheckpoint, match="signature"):
        audit.read_checkpoint(tampered, public)
    with pytest.raises(audit.InvalidCheckpoint, match="trusted"):
        audit.read_checkpoint(doc, signing.public_key_bytes(bytes(32)))
    with pytest.raises(audit.InvalidCheckpoint):
        audit.read_checkpoint(signing.sign_proof(keys.keyring().signing_key, {}), public)


def test_no_checkpoint_is_taken_of_a_broken_chain(ctx, org, rewrite_audit_chain):
    _write(org.id, 3)
    rewrite_audit_chain(org.id, delete=(2,), keyed=False)
    with pytest.raises(audit.ChainBroken) as error:
        audit.checkpoint(org)
    assert error.value.verdict.broken_seq == 2


def test_entries_written_before_the_key_stay_verifiable_once_pinned(ctx, org, rewrite_audit_chain):
    _write(org.id, 4)
    _write(org.id, 2, chain=audit.TIPS)
    # As the chain was before this change: every hash plain SHA-256.
    rewrite_audit_chain(org.id, keyed=False, start=1)
    rewrite_audit_chain(org.id, keyed=False, start=1, chain=audit.TIPS)
    verdict = audit.verify(org.id)
    assert not verdict.ok and verdict.broken_seq == 1  # unpinned: could be anyone's rewrite

    assert audit.pin_unkeyed(db.session.connection(), keys.keyring().audit_key) == 2
    db.session.commit()
    assert audit.pin_unkeyed(db.session.connection(), keys.keyring().audit_key) == 0  # once
    verdict = audit.verify(org.id, audit.MAIN)
    assert verdict.ok and verdict.checked == 5 and verdict.unkeyed == 4
    pin = db.session.scalar(db.select(AuditEntry).filter_by(chain=audit.MAIN, seq=5))
    assert pin.action == "audit.keyed" and pin.data == {"unkeyed_entries": 4}
    _write(org.id, 1)
    assert audit.verify(org.id).ok

    # The unkeyed part is pinned by the keyed entries after it: rewriting it means rewriting
    # them, without the key, and then nothing keyed is left to pin anything.
    rewrite_audit_chain(org.id, delete=(2,), keyed=False)
    verdict = audit.verify(org.id, audit.MAIN)
    assert not verdict.ok and verdict.broken_seq == 1 and "without the key" in verdict.reason


def test_unkeyed_entries_after_keyed_ones_are_refused(ctx, org, rewrite_audit_chain):
    _write(org.id, 3)
    rewrite_audit_chain(org.id, keyed=False, start=3)
    verdict = audit.verify(org.id)
    assert not verdict.ok and verdict.broken_seq == 3
