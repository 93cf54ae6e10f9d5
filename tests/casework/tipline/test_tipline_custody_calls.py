"""casework.tipline.custody as the custodians' pages call it: each operation is one
transaction with its audit entries; loaders keep to the organization; the trail page hides the
tips that exclude the reader."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casework import audit
from casework.extensions import db
from casework.models import CustodianKey, TipIdentity
from casework.staff.roles import CUSTODIAN, INTEGRITY
from casework.tipline import access, custody, messages
from casework.tipline.custody import CustodyError

IDENTITY = {"confidential": True, "identity": {"name": "ผู้แจ้ง ลับ"}, "consent": True}


def test_enrol_key_commits_an_audited_key(staff, passphrase, trail_of):
    user = staff(CUSTODIAN, "ผู้เก็บ หนึ่ง")
    with pytest.raises(CustodyError) as error:
        custody.enrol_key(user, "short", "short")
    assert set(error.value.fields) == {"passphrase"}
    key = custody.enrol_key(user, passphrase, passphrase)
    db.session.rollback()
    assert custody.key_of(user) == key and key.active  # the organization's first key
    [entry] = trail_of("custody.key_enrolled")
    assert entry.actor_id == user.id and entry.chain == audit.MAIN
    with pytest.raises(CustodyError):
        custody.enrol_key(user, passphrase, passphrase)  # one key per custodian
    assert len(trail_of("custody.key_enrolled")) == 1


def test_new_passphrase_commits_and_is_audited(custodian, passphrase, trail_of):
    keeper = custodian()
    with pytest.raises(CustodyError) as error:
        custody.new_passphrase(
            keeper, "not it at all", "a new long passphrase", "a new long passphrase"
        )
    assert set(error.value.fields) == {"old"}
    custody.new_passphrase(keeper, passphrase, "a new long passphrase", "a new long passphrase")
    db.session.rollback()
    [entry] = trail_of("custody.passphrase_changed")
    assert entry.actor_id == keeper.id
    with pytest.raises(CustodyError):
        custody.share(keeper, passphrase)  # the old passphrase unlocks nothing
    assert custody.share(keeper, "a new long passphrase") == {}


def test_key_for_and_pending_for_keep_to_the_organization(custodian, staff, elsewhere, passphrase):
    first = custodian()
    later = custodian("ผู้เก็บ ใหม่", approve=False)
    key = custody.key_of(later)
    assert custody.key_for(first, key.id) == key
    stranger = staff(CUSTODIAN, "คนนอก", organization=elsewhere)
    assert custody.key_for(stranger, key.id) is None
    assert custody.key_for(first, key.id + 1000) is None
    assert custody.holder(key) == later
    [pending] = custody.pending_for(first)
    assert (pending.key, pending.user) == (key, later)
    assert pending.fingerprint == custody.fingerprint(key)
    assert custody.pending_for(later) == []  # a waiting key approves nothing, its own least


def test_approve_commits_the_key_its_audit_and_the_shared_identities(
    custodian, file_tip, passphrase, trail_of
):
    first = custodian()
    tip = file_tip(**IDENTITY)
    later = custodian("ผู้เก็บ ใหม่", approve=False)
    key = custody.key_of(later)
    with pytest.raises(CustodyError):
        custody.approve(first, "not the passphrase", key)
    db.session.rollback()
    assert not db.session.get(CustodianKey, key.id).active
    assert trail_of("custody.key_approved") == []
    assert custody.approve(first, passphrase, key) == {tip.id: 1}
    db.session.rollback()
    assert db.session.get(CustodianKey, key.id).active
    [approved] = trail_of("custody.key_approved")
    assert approved.chain == audit.MAIN and approved.data == {"key": key.id}
    assert approved.target == later.email and approved.actor_id == first.id
    [shared] = trail_of("tip.identity_resealed")
    assert shared.case_id == tip.id and shared.chain == audit.TIPS
    assert shared.data == {"keys": 1} and shared.actor_id == first.id
    assert custody.open_identity(tip, later, passphrase) == {"name": "ผู้แจ้ง ลับ"}


def test_share_commits_each_identity_to_the_trail(custodian, file_tip, passphrase, trail_of):
    first = custodian()
    accused = custodian("สมชาย ใจร้าย")
    tip = file_tip(accused_name="นายสมชาย ใจร้าย", **IDENTITY)
    newest = custodian("ผู้เก็บ ล่าสุด", approve=False)
    custody.approve(accused, passphrase, custody.key_of(newest))  # cannot share what names them
    assert custody.awaiting_reseal(first) == [tip]
    with pytest.raises(CustodyError):
        custody.share(first, "not my passphrase")
    assert custody.share(first, passphrase) == {tip.id: 1}
    db.session.rollback()
    boxes = db.session.scalars(select(TipIdentity).filter_by(case_id=tip.id)).all()
    assert len(boxes) == 3
    assert [e.case_id for e in trail_of("tip.identity_resealed")] == [tip.id]
    assert custody.share(first, passphrase) == {}  # nothing left to share


def test_trail_page_hides_the_tips_that_exclude_the_reader(custodian, staff, file_tip, monkeypatch):
    keeper = custodian()
    named = custodian("สมชาย ใจร้าย")
    officer = staff(INTEGRITY, "มานะ อดทน")
    plain = file_tip()
    naming = file_tip(accused_name="นายสมชาย ใจร้าย")
    for tip in (plain, naming):
        access.assign(tip, officer)
        messages.read(tip, officer.id)
    page = custody.trail_page(named, 1)
    assert {e.case_id for e in page.entries} == {plain.id}
    assert page.users[officer.id] == officer and keeper.id in page.users
    assert {naming.id, plain.id} <= {e.case_id for e in custody.trail_page(keeper, 1).entries}
    seqs = [e.seq for e in custody.trail_page(keeper, 1).entries]
    assert seqs == sorted(seqs, reverse=True)
    monkeypatch.setattr(custody, "TRAIL_PER_PAGE", 2)
    first, second = custody.trail_page(keeper, 1), custody.trail_page(keeper, 2)
    assert len(first.entries) == 2 and first.page.has_next and first.page.next_num == 2
    assert first.entries[-1].seq > second.entries[0].seq
    assert custody.trail_page(keeper, 0).entries == first.entries  # out of range: the first
