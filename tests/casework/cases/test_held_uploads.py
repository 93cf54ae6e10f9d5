"""Files kept across a form error: encrypted, bound to the form's token, its organization and its
channel, short-lived, deleted when used; a tip form's are kept scrubbed."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from upload_samples import fake_jpeg, png

from casework.cases import held
from casework.cases.attachments import MAX_FILES, Upload
from casework.crypto import fields, keys
from casework.extensions import db
from casework.general import sweep
from casework.models import HeldUpload, Organization
from casework.tipline import filing

NOON = datetime(2026, 12, 1, 5, 17, 42)


@pytest.fixture(autouse=True)
def _at_noon(rc, frozen):
    frozen(NOON)


def _count() -> int:
    return db.session.scalar(select(func.count(HeldUpload.id)))


def test_kept_files_come_back_to_the_same_form_only(org):
    photo = png()
    kept = held.keep(org, "complaint", None, [Upload("ถนน.png", photo)])
    assert held.usable(kept.token) and kept.refused == []
    assert [(f.filename, f.content_type) for f in kept.files] == [("ถนน.png", "image/png")]
    assert held.gather(org, "complaint", held.new_token()).uploads == []
    assert held.gather(org, "tip", kept.token).uploads == []  # another channel's form
    back = held.gather(org, "complaint", kept.token).uploads
    assert [(u.filename, u.data) for u in back] == [("ถนน.png", photo)]


def test_neither_the_token_nor_the_file_is_stored_readably(org):
    photo = png()
    kept = held.keep(org, "complaint", None, [Upload("secret-name.png", photo)])
    row = db.session.scalar(select(HeldUpload))
    assert row.organization_id == org.id
    stored = row.form_tag + row.meta_sealed.hex() + row.data_sealed.hex()
    assert kept.token not in stored and photo.hex() not in stored
    assert b"secret-name" not in row.meta_sealed
    with pytest.raises(fields.DecryptionError):  # bound to its form: no copying between rows
        fields.decrypt(keys.keyring(), row.data_sealed, b"held-data:1:complaint:other")


def test_another_organizations_form_finds_nothing(org):
    kept = held.keep(org, "complaint", None, [Upload("a.png", png())])
    other = Organization(slug="other", name_th="เทศบาลอื่น", name_en="Other Town")
    db.session.add(other)
    db.session.commit()
    assert held.listed(other, "complaint", kept.token) == []
    assert held.gather(other, "complaint", kept.token).uploads == []


def test_files_that_cannot_be_kept_are_named_with_the_reason(org):
    chosen = [Upload("fake.jpg", fake_jpeg())] + [
        Upload(f"p{i}.png", png()) for i in range(MAX_FILES + 1)
    ]
    kept = held.keep(org, "complaint", None, chosen)
    assert len(kept.files) == MAX_FILES
    assert len(kept.refused) == 2
    assert "fake.jpg" in kept.refused[0]
    assert f"p{MAX_FILES}.png" in kept.refused[1] and str(MAX_FILES) in kept.refused[1]
    again = held.keep(org, "complaint", kept.token, [Upload("late.png", png())])
    assert len(again.files) == MAX_FILES and "late.png" in again.refused[0]


def test_removed_files_go_and_shown_files_that_expired_are_counted(org, frozen):
    kept = held.keep(org, "complaint", None, [Upload("a.png", png()), Upload("b.png", png())])
    a, b = kept.files
    got = held.gather(org, "complaint", kept.token, shown=[a.id, b.id], remove=[str(a.id)])
    assert [u.filename for u in got.uploads] == ["b.png"] and got.expired == 0
    assert [f.filename for f in held.listed(org, "complaint", kept.token)] == ["b.png"]
    # Kept at 05:17: gone at 07:00, the top of the hour after an hour had passed.
    assert db.session.scalar(select(HeldUpload.expires_at)) == datetime(2026, 12, 1, 7, 0)
    frozen(datetime(2026, 12, 1, 7, 0))
    got = held.gather(org, "complaint", kept.token, shown=[a.id, b.id], remove=[a.id])
    assert got.uploads == [] and got.expired == 1


def test_expired_files_are_purged_by_the_sweep_and_by_the_next_keep(org, frozen):
    held.keep(org, "complaint", None, [Upload("a.png", png())])
    held.keep(org, "tip", None, [Upload("b.png", png())])
    frozen(NOON + timedelta(hours=2))
    held.keep(org, "complaint", None, [])
    assert _count() == 0
    held.keep(org, "complaint", None, [Upload("c.png", png())])
    frozen(NOON + timedelta(hours=4))
    sweep.run()
    assert _count() == 0


def test_discard_deletes_the_forms_files_in_the_callers_transaction(org):
    mine = held.keep(org, "complaint", None, [Upload("a.png", png())])
    theirs = held.keep(org, "complaint", None, [Upload("b.png", png())])
    held.discard(org, "complaint", mine.token)
    db.session.rollback()
    assert _count() == 2
    held.discard(org, "complaint", mine.token)
    db.session.commit()
    assert held.listed(org, "complaint", mine.token) == []
    assert len(held.listed(org, "complaint", theirs.token)) == 1


def test_a_tip_forms_files_are_kept_scrubbed_with_random_ids(org, gps_jpeg):
    kept = held.keep(org, "tip", None, [Upload("gps.jpg", gps_jpeg)], prepare=filing.scrubbed_copy)
    assert kept.files[0].id < 0  # no order to date the visit by (casework.models.rowids)
    (back,) = held.gather(org, "tip", kept.token).uploads
    assert b"SERIAL-123456" in gps_jpeg and b"SERIAL-123456" not in back.data
    assert b"SecretCam" not in back.data
    # The proof covers the file as the tipster chose it, not the scrubbed copy.
    assert back.chosen_sha256() == hashlib.sha256(gps_jpeg).hexdigest()
    assert filing.content_document({}, [back])["attachments"] == [back.sha256]


def test_a_malformed_token_finds_nothing_and_gets_a_new_one(org):
    assert held.gather(org, "complaint", "short").uploads == []
    kept = held.keep(org, "complaint", "not a token!", [Upload("a.png", png())])
    assert held.usable(kept.token) and kept.token != "not a token!"
