"""The guided conversation: cancel anywhere, prompts for anything out of order, English for an
English profile, idle expiry, state that survives a restart and two workers, commands."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from casework.dates import clock
from casework.extensions import db
from casework.general import linechat
from casework.models import Case, LineChat, ReporterIdentity

STEPS = [
    ("tap", ("file",), {}),
    ("tap", ("category",), {"code": "lighting"}),
    ("say", ("ไฟถนนดับทั้งซอย",), {}),
    ("tap", ("next",), {}),
    ("say", ("ซอยวัดกลาง",), {}),
    ("tap", ("give_contact",), {}),
    ("tap", ("title",), {"t": "นางสาว"}),
    ("say", ("มาลี ดีใจ",), {}),
    ("say", ("0891234567",), {}),
    ("tap", ("consent",), {}),
]


def _run(chat, upto: int) -> None:
    for how, args, kwargs in STEPS[:upto]:
        getattr(chat, how)(*args, **kwargs)


def _chat_row() -> LineChat:
    row = db.session.scalar(db.select(LineChat))
    db.session.refresh(row)
    return row


def test_cancel_stops_at_every_step_and_keeps_nothing(chat, ctx):
    for upto in range(1, len(STEPS) + 1):
        _run(chat, upto)
        word = "ยกเลิก" if upto % 2 else "cancel"
        chat.say(word)
        assert "ยกเลิกแล้ว" in chat.text, upto
        row = _chat_row()
        assert row.state == "idle" and row.draft_sealed is None
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 0
    chat.say("ยกเลิก")
    assert "ไม่มีรายการที่ต้องยกเลิก" in chat.text


def test_out_of_order_messages_get_the_current_question_never_silence(chat, ctx):
    chat.tap("confirm")  # nothing to confirm yet
    assert chat.buttons and "ยื่นเรื่องร้องเรียน" in [b["label"] for b in chat.buttons]
    chat.location()
    assert "ไม่ได้เก็บ" in chat.text
    chat.tap("file")
    chat.photo()  # a photo before the category
    assert "ไม่ได้เก็บ" in chat.text and "เลือกประเภทเรื่อง" in chat.text
    chat.say("อะไรก็ได้")
    assert "กรุณาเลือกประเภทเรื่องจากรายการ" in chat.text
    chat.tap("category", code="no-such-category")
    assert "กรุณาเลือกประเภทเรื่องจากรายการ" in chat.text
    chat.say("ไฟฟ้าสาธารณะ")  # a category typed by its name
    assert "รายละเอียด" in chat.text
    chat.tap("next")  # skipping the details is not possible
    assert "รายละเอียด" in chat.text
    chat.tap("file")
    assert "ทำรายการค้างอยู่" in chat.text
    chat.say("เรื่องของฉัน")  # a command in the middle keeps the draft
    assert "ยังไม่มีเรื่อง" in chat.text and "รายละเอียด" in chat.text
    assert _chat_row().state == "details"


def test_an_anonymous_complaint_has_no_identity(chat, ctx):
    chat.file_complaint(contact=False)
    case = db.session.scalar(db.select(Case))
    assert case.anonymous and not case.contact_consent
    assert db.session.scalar(db.select(ReporterIdentity)) is None
    assert case.subject == "ถนนหน้าโรงเรียนเป็นหลุมลึก รถจักรยานยนต์ล้มทุกวัน"


def test_without_consent_no_contact_details_are_kept(chat, ctx):
    _run(chat, 9)
    chat.tap("anonymous")  # "I do not agree"
    assert "ไม่ระบุตัวตน" in chat.text
    chat.tap("confirm")
    assert db.session.scalar(db.select(ReporterIdentity)) is None


def test_a_wrong_phone_number_is_asked_again(chat, ctx):
    _run(chat, 8)
    chat.say("12")
    assert "081 234 5678" in chat.text
    assert _chat_row().state == "phone"


def test_an_english_profile_gets_english(chat, ctx, line_api):
    line_api.lang = "en-US"
    chat.follow()
    assert "Hello!" in chat.text and "File a complaint" in [b["label"] for b in chat.buttons]
    chat.tap("file")
    chat.tap("category", code="roads")
    chat.say("A deep pothole in front of the school")
    assert "Send up to 5 photos" in chat.text
    assert _chat_row().language == "en"
    requests = line_api.profile_requests
    chat.say("cancel")
    assert line_api.profile_requests == requests  # asked once per chat


def test_an_idle_conversation_expires(chat, ctx, frozen):
    start = clock.utcnow()
    frozen(start)
    _run(chat, 3)
    frozen(start + timedelta(minutes=29))
    chat.say("เพิ่มเติม: มืดมาก")
    assert "เพิ่มในรายละเอียดแล้ว" in chat.text
    frozen(start + timedelta(minutes=29 + 31))
    chat.tap("next")
    assert "30 นาที" in chat.text
    assert _chat_row().state == "idle"
    # and the daily sweep forgets drafts nobody came back to
    _run(chat, 3)
    frozen(start + timedelta(days=1))
    assert linechat.purge() == 1
    row = _chat_row()
    assert row.state == "idle" and row.draft_sealed is None


def test_the_idle_time_is_configurable(chat, make_app, line_settings, line_api, frozen):
    from lineoa.simulator import Simulator

    short = make_app(line_settings(LINE_CONVERSATION_IDLE_MINUTES=5))
    chat.sim = Simulator(short, line_api, chat.user, chat.sim.secret)
    start = clock.utcnow()
    frozen(start)
    _run(chat, 2)
    frozen(start + timedelta(minutes=6))
    chat.say("ไฟดับ")
    assert "5 นาที" in chat.text


def test_the_conversation_survives_a_restart(chat, make_app, line_settings, line_api):
    _run(chat, 5)
    from lineoa.simulator import Simulator

    restarted = make_app(line_settings())  # a new process: nothing kept in memory
    chat.sim = Simulator(restarted, line_api, chat.user, chat.sim.secret)
    chat.app = restarted
    chat.tap("anonymous")
    assert "ไฟถนนดับทั้งซอย" in chat.text
    chat.tap("confirm")
    with restarted.app_context():
        case = db.session.scalar(db.select(Case))
        assert case.location == "ซอยวัดกลาง" and case.category.code == "lighting"


@pytest.mark.real_commits  # threads, the engine's own statements or a second session
def test_two_workers_on_the_same_chat_both_count(chat, ctx):
    """Photos sent at once reach two workers; both are kept (the loser's turn runs again)."""
    _run(chat, 3)
    events = [chat.sim.photo() for _ in range(4)]
    barrier = threading.Barrier(len(events))
    statuses = []

    def worker(event):
        barrier.wait()
        statuses.append(chat.sim.post(event))

    threads = [threading.Thread(target=worker, args=(e,)) for e in events]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 4
    chat.collect()
    assert len(linechat.open_draft(_chat_row())["photos"]) == 4


def test_a_stale_turn_runs_again_from_what_the_other_worker_left(chat, ctx, monkeypatch):
    """Deterministically: another worker moves the chat between our read and our write."""
    _run(chat, 3)
    original = linechat.Turn.stage
    raced = []

    def stage(turn, *args):
        if not raced:
            raced.append(True)
            from sqlalchemy import update

            # The other worker's committed change, as our write will find it (SQLite has one
            # writer at a time, so it is written here, behind the ORM's back).
            db.session.execute(
                update(LineChat)
                .where(LineChat.id == turn.chat.id)
                .values(version=LineChat.version + 1)
            )
        return original(turn, *args)

    monkeypatch.setattr(linechat.Turn, "stage", stage)
    chat.photo()
    assert len(raced) == 1
    assert len(linechat.open_draft(_chat_row())["photos"]) == 1
    assert "ได้รับรูปที่ 1" in chat.text


def test_at_most_five_photos_and_an_unsent_photo_leaves_the_draft(chat, ctx):
    _run(chat, 3)
    events = [chat.sim.photo() for _ in range(6)]
    for event in events:
        chat.send(event)
    assert "ไม่เกิน 5 รูป" in chat.text
    photos = linechat.open_draft(_chat_row())["photos"]
    assert photos == [e["message"]["id"] for e in events[:5]]
    unsend = chat.sim.event("unsend", unsend={"messageId": photos[0]})
    del unsend["replyToken"]
    assert chat.send(unsend) == []
    assert linechat.open_draft(_chat_row())["photos"] == photos[1:]


def test_my_cases_and_tracking_by_code(chat, other_chat, ctx):
    receipt = chat.file_complaint()
    code = next(
        c["contents"][1]["text"]
        for c in receipt["contents"]["body"]["contents"]
        if c["type"] == "box" and "รหัส" in c["contents"][0]["text"]
    )
    case = db.session.scalar(db.select(Case))
    chat.say("เรื่องของฉัน")
    assert case.case_number in chat.text and "รับเรื่อง" in chat.text
    chat.tap("status", case=case.id)
    assert case.case_number in chat.text and "กำหนดแล้วเสร็จ" in chat.text
    # Anyone with the code can track, as on the web; a wrong code is simply not found.
    other_chat.tap("track")
    other_chat.say(code.lower().replace("-", " "))
    assert case.case_number in other_chat.text
    other_chat.tap("track")
    other_chat.say(code[:-1] + ("0" if code[-1] != "0" else "1"))  # a typo: same answer
    assert "ไม่พบเรื่องที่ตรงกับรหัสนี้" in other_chat.text
    other_chat.say("AAAA-BBBB-CCCC-DDDD")
    assert "ไม่พบเรื่องที่ตรงกับรหัสนี้" in other_chat.text
    other_chat.say("เรื่องของฉัน")
    assert "ยังไม่มีเรื่อง" in other_chat.text  # tracking does not link the case


def test_tracking_in_the_chat_is_rate_limited(chat, make_app, line_settings, line_api):
    from lineoa.simulator import Simulator

    limited = make_app(line_settings(TRACK_RATE_LIMIT="2 per minute"))
    chat.sim = Simulator(limited, line_api, chat.user, chat.sim.secret)
    from casework.crypto import tracking

    unknown = tracking.generate_code()  # well formed, but no case has it
    for _ in range(2):
        chat.say(unknown)
        assert "ไม่พบเรื่อง" in chat.text
    chat.say(unknown)
    assert "ลองหลายครั้งเกินไป" in chat.text


def test_contact_and_help(chat, ctx):
    chat.tap("contact")
    assert "0 4200 0000" in chat.text and "1567" in chat.text
    chat.say("help")
    assert "ยกเลิก" in chat.text
