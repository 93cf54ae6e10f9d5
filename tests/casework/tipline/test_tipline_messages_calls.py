"""casework.tipline.messages' traces of reading: the content page and each file download
leave a committed trail entry; a file of another case is not found."""

from __future__ import annotations

import io

from PIL import Image

from casework.cases.attachments import Upload
from casework.extensions import db
from casework.staff.roles import INTEGRITY
from casework.tipline import access, messages


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 90, 0)).save(out, "PNG")
    return out.getvalue()


def test_read_commits_a_trail_entry(staff, file_tip, trail_of):
    officer = staff(INTEGRITY, "มานะ อดทน")
    tip = file_tip()
    access.assign(tip, officer)
    messages.read(tip, officer.id)
    db.session.rollback()
    [entry] = trail_of("tip.content_viewed", case_id=tip.id)
    assert entry.actor_id == officer.id and entry.at.hour == 0 and entry.at.minute == 0


def test_file_for_finds_only_the_tips_own_files(staff, file_tip, trail_of):
    officer = staff(INTEGRITY, "มานะ อดทน")
    tip = file_tip(uploads=[Upload("scan.png", png())])
    other = file_tip(uploads=[Upload("other.png", png())])
    [own] = messages.initial_files(tip)
    [foreign] = messages.initial_files(other)
    assert messages.file_for(tip, foreign.id, officer.id) is None
    assert messages.file_for(tip, own.id + 1000, officer.id) is None
    assert trail_of("tip.file_downloaded") == []
    assert messages.file_for(tip, own.id, officer.id) == own
    db.session.rollback()
    [entry] = trail_of("tip.file_downloaded", case_id=tip.id)
    assert entry.actor_id == officer.id and entry.data == {"file": own.id}
