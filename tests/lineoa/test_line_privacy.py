"""What the LINE channel keeps: the user id only sealed (with a keyed hash to find the chat),
drafts sealed, no tip typed into the chat, no tracking code in a readable queued message; and
nothing of the conversation in the logs."""

from __future__ import annotations

import logging

from casework.extensions import db
from casework.general import workflow
from casework.models import Case, LineChat
from casework.notify import line
from tests.casework.cases.test_privacy_at_rest import dump

TIP = "นายกเทศมนตรีเรียกรับสินบนจากผู้รับเหมาโครงการถนนสายลับ"
DETAILS = "ท่อระบายน้ำอุดตันหน้าบ้านเลขที่ลับ 77/7"
NAME = "นางลับเฉพาะ ไม่บอกใคร"


def _code(receipt: dict) -> str:
    """The tracking code in the receipt (its one large line)."""
    body = receipt["contents"]["body"]["contents"]
    return next(
        b["contents"][1]["text"]
        for b in body
        if b.get("type") == "box" and b["contents"][1].get("size") == "xl"
    )


def test_the_database_never_holds_the_user_id_a_draft_a_tip_or_a_code(app, chat, ctx, backend):
    chat.follow()
    chat.say(TIP)  # a corruption tip typed into the chat
    assert "/whistleblow/" in chat.text and "1205" in chat.text
    chat.tap("file")
    chat.tap("category", code="water")
    chat.say(TIP)  # again, as a complaint's details
    assert "ไม่ได้เก็บ" in chat.text and "/whistleblow/" in chat.text
    chat.say(DETAILS)
    chat.tap("next")
    chat.tap("skip_place")
    chat.tap("give_contact")
    chat.tap("title", t="นาง")
    chat.say(NAME)
    mid_draft = dump(app, backend)
    for secret in (chat.user, TIP, DETAILS, NAME):
        assert secret.encode() not in mid_draft
    chat.say("0861234567")
    chat.tap("consent")
    from casework.notify.line import postback_data

    chat.sim.post(chat.sim.postback(postback_data("confirm")))
    queued = dump(app, backend)  # the receipt is queued, not sent yet
    said = chat.collect()
    code = _code(next(m for m in said if m["type"] == "flex"))
    after = dump(app, backend)
    for blob in (queued, after):
        assert chat.user.encode() not in blob and TIP.encode() not in blob
        assert code.encode() not in blob and code.replace("-", "").encode() not in blob
    # The user id is kept sealed, and found again through the keyed hash.
    with app.app_context():
        row = db.session.scalar(db.select(LineChat))
        assert row.user_tag == line.user_tag(row.organization_id, chat.user)
        assert line.user_id(row) == chat.user
        assert line.chat_of(row.organization_id, chat.user).id == row.id


def test_nothing_of_the_conversation_is_logged(app, chat, ctx, caplog, line_api, gps_jpeg, officer):
    caplog.set_level(logging.DEBUG)
    chat.follow()
    chat.say(TIP)
    chat.tap("file")
    chat.tap("category", code="roads")
    chat.say(DETAILS)
    chat.photo(gps_jpeg)
    chat.tap("next")
    chat.location()
    chat.tap("give_contact")
    chat.tap("title", t="นาง")
    chat.say(NAME)
    chat.say("0861234567")
    chat.tap("consent")
    said = chat.tap("confirm")
    code = _code(next(m for m in said if m["type"] == "flex"))
    chat.say(code)  # tracking by code
    line_api.push_failures = [(500, False), (400, False)]
    case = db.session.scalar(db.select(Case))
    workflow.public_update(case, officer, "ข้อความจากเจ้าหน้าที่ลับ")
    chat.collect()
    chat.collect()
    assert chat.sim.post(chat.sim.text(TIP), signature="forged") == 400
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for secret in (
        chat.user,
        TIP,
        DETAILS,
        NAME,
        "0861234567",
        code,
        code.replace("-", ""),
        "ข้อความจากเจ้าหน้าที่ลับ",
        "webhookEventId",
        "replyToken",
        "SecretCam",
        "SERIAL-123456",
    ):
        assert secret not in logged, secret


def test_key_rotation_reencrypts_the_line_columns_and_the_chat_goes_on(app, chat, ctx, officer):
    from casework.crypto import fields, keys
    from casework.models import OutboxMessage

    chat.file_complaint()  # a linked case
    chat.tap("file")
    chat.tap("category", code="waste")
    chat.say(DETAILS)  # a draft in progress
    case = db.session.scalar(db.select(Case))
    workflow.public_update(case, officer, "กำลังเก็บขยะ")  # a push still queued
    runner = app.test_cli_runner()
    result = runner.invoke(args=["keys", "rotate", "--retire"])
    assert result.exit_code == 0 and "retired data key version 1" in result.output
    keys.replace(app, None)  # reload from the file, as a restarted server would
    row = db.session.scalar(db.select(LineChat))
    db.session.refresh(row)
    assert fields.token_version(row.user_sealed) == fields.token_version(row.draft_sealed) == 2
    queued = db.session.scalar(db.select(OutboxMessage).filter_by(template="update"))
    assert fields.token_version(queued.body_sealed) == 2
    assert "กำลังเก็บขยะ" in " ".join(str(m) for m in chat.collect())
    chat.tap("next")  # the draft opens with the new key
    assert "เกิดขึ้นที่ไหน" in chat.text
