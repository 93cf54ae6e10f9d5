"""After completion the chat asks "แก้ไขแล้วหรือยัง" (has it been fixed?). "ยังไม่ได้แก้ไข" (not
fixed) asks what is still wrong, in one message, and then, through the same
casework.general.followup.not_fixed as the tracking page, the case reopens within the window or
a new case follows it up after it. Redelivered events do nothing twice; another chat's case is
refused."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest

from casework.cases import sla
from casework.cases.textinput import LIMITS
from casework.dates import thaidate
from casework.extensions import db
from casework.general import workflow
from casework.models import Case, LineChat, LineLink, Organization, OutboxMessage
from casework.notify import outbox

FILED = datetime(2026, 3, 2, 3, 0)  # fiscal year 2569
REASON = "ยังเป็นหลุมอยู่ ฝนตกเมื่อคืนน้ำขังเต็มถนนอีกแล้ว"


@pytest.fixture
def completed(chat, ctx, officer, frozen):
    """A case filed in ``chat``, accepted and completed a day later; the result push read."""
    frozen(FILED)
    chat.file_complaint()
    case = db.session.scalar(db.select(Case).order_by(Case.id.desc()))
    frozen(FILED + timedelta(days=1))
    workflow.accept(case, officer)
    workflow.complete(case, officer, "resolved", "ซ่อมถนนแล้ว")
    chat.collect()
    assert "ซ่อมถนนแล้ว" in chat.text and "แก้ไขแล้วหรือยัง" in chat.text
    assert [b["label"] for b in chat.buttons] == ["แก้ไขแล้ว", "ยังไม่ได้แก้ไข"]
    return case


def _fresh(case: Case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def _org(case: Case) -> Organization:
    return db.session.get(Organization, case.organization_id)


def _told(case: Case) -> list[OutboxMessage]:
    """The officers' emails saying the complainant says it is not fixed."""
    return list(db.session.scalars(db.select(OutboxMessage).filter_by(template="reopened")))


def _chat_state() -> str:
    row = db.session.scalar(db.select(LineChat))
    db.session.refresh(row)
    return row.state


def test_not_fixed_within_the_window_reopens_with_a_full_new_deadline(
    chat, completed, frozen, caplog, officer
):
    case = completed
    later = FILED + timedelta(days=10)
    frozen(later)
    caplog.set_level(logging.DEBUG)
    chat.send(chat.sim.postback(chat.data_of("ยังไม่ได้แก้ไข")))
    assert "ในข้อความเดียว" in chat.text and "เปิดเรื่องนี้อีกครั้ง" in chat.text
    assert [b["label"] for b in chat.buttons] == ["ยกเลิก"]
    assert _fresh(case).status == "completed"  # nothing happens before the reason
    chat.say(REASON)
    case = _fresh(case)
    assert case.status == "in_progress" and case.outcome is None and case.completed_at is None
    assert case.due_date == sla.initial_due_date(_org(case), case.category, later)
    assert (case.reopen_count, case.reopened_at) == (1, later)
    event = case.events[-1]
    assert (event.kind, event.public, event.body) == ("reopened", True, REASON)
    # The chat hears the new deadline; the case's officer is told by email.
    assert f"เปิดเรื่องเลขที่ {case.case_number} อีกครั้งแล้ว" in chat.text
    assert thaidate.format_date(case.due_date, "th") in chat.text
    told = _told(case)
    assert [(m.case_id, outbox.recipient(m)) for m in told] == [(case.id, officer.email)]
    assert _chat_state() == "idle"
    # The case is still linked to the chat: the officers' news reaches it.
    workflow.public_update(case, officer, "ลงพื้นที่")
    assert "ลงพื้นที่" in "".join(m.get("text", "") for m in chat.collect())
    # Saying it again while it is being worked on reopens nothing.
    chat.tap("not_fixed", case=case.id)
    assert "อยู่ระหว่างดำเนินการ" in chat.text and _chat_state() == "idle"
    assert _fresh(case).reopen_count == 1
    # Neither the reason nor the user id is logged.
    assert REASON not in caplog.text and chat.user not in caplog.text


def test_after_the_window_a_new_linked_case_is_filed_and_its_number_sent(
    chat, completed, frozen, org, officer
):
    case = completed
    frozen(FILED + timedelta(days=1 + org.reopen_window_days + 1))
    chat.send(chat.sim.postback(chat.data_of("ยังไม่ได้แก้ไข")))
    assert f"เกิน {org.reopen_window_days} วัน" in chat.text and "เรื่องใหม่" in chat.text
    chat.say(REASON)
    new = db.session.scalar(db.select(Case).order_by(Case.id.desc()))
    case = _fresh(case)
    assert new.id != case.id and new.follows_id == case.id
    assert (new.received_via, new.details, new.category_id) == ("line", REASON, case.category_id)
    assert case.status == "completed" and case.reopen_count == 1
    assert case.events[-1].kind == "followed_up"
    # The chat receives the new case's number, and its receipt with its own tracking code.
    assert new.case_number in chat.text and "รหัสติดตามเรื่อง" in chat.text
    assert any(m["type"] == "flex" for m in chat.last)
    (told,) = _told(case)
    assert told.case_id == case.id and told.payload["new_number"] == new.case_number
    # The new case is linked to the chat: it is in "my cases" and its news reaches the chat.
    assert db.session.scalar(db.select(LineLink.chat_id).filter_by(case_id=new.id))
    chat.tap("mine")
    assert new.case_number in chat.text
    workflow.accept(new, officer)
    chat.collect()
    assert new.case_number in chat.text
    # The completed case is followed up: "not fixed" again files nothing more.
    chat.tap("not_fixed", case=case.id)
    assert f"เรื่องเลขที่ {new.case_number}" in chat.text and _chat_state() == "idle"
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 2


@pytest.mark.parametrize("days", [10, 45], ids=["within the window", "after the window"])
def test_a_redelivered_postback_or_reason_does_nothing_twice(chat, completed, frozen, days):
    case = completed
    frozen(FILED + timedelta(days=days))
    tap = chat.sim.postback(chat.data_of("ยังไม่ได้แก้ไข"))
    assert chat.send(tap)
    reason = chat.sim.text(REASON)
    assert chat.send(reason)
    redelivered = {**reason, "deliveryContext": {"isRedelivery": True}}
    assert chat.send(redelivered) == [] and chat.send(tap) == []
    assert chat.send(reason, tap) == []
    case = _fresh(case)
    assert case.reopen_count == 1 and len(_told(case)) == 1
    assert [e.kind for e in case.events].count("reopened" if days == 10 else "followed_up") == 1
    assert db.session.scalar(db.select(db.func.count(Case.id))) == (1 if days == 10 else 2)
    assert _chat_state() == "idle"


def test_a_postback_naming_another_chats_case_is_refused(chat, other_chat, completed, frozen):
    case = completed
    frozen(FILED + timedelta(days=3))
    for action in ("not_fixed", "fixed"):
        other_chat.tap(action, case=case.id)
        assert "ไม่ได้เชื่อมกับบัญชี LINE นี้" in other_chat.text, action
        assert case.case_number not in other_chat.text
    other_chat.tap("not_fixed", case="not-a-number")
    assert "ไม่ได้เชื่อมกับบัญชี LINE นี้" in other_chat.text
    other_chat.say(REASON)  # not taken as a reason: the other chat was never asked for one
    assert "เปิดเรื่อง" not in other_chat.text
    case = _fresh(case)
    assert case.status == "completed" and case.reopen_count == 0 and not _told(case)
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 1


def test_the_reason_is_asked_again_when_too_long_and_cancel_keeps_the_case_completed(
    chat, completed, frozen
):
    case = completed
    frozen(FILED + timedelta(days=3))
    chat.tap("not_fixed", case=case.id)
    chat.say("ก" * (LIMITS["rating_comment"] + 1))
    assert f"{LIMITS['rating_comment']}" in chat.text and "ในข้อความเดียว" in chat.text
    chat.say("ยกเลิก")
    assert _chat_state() == "idle" and _fresh(case).status == "completed"
    # "Fixed" then leads to the rating, as before.
    chat.tap("fixed", case=case.id)
    assert [b["label"] for b in chat.buttons] == ["1", "2", "3", "4", "5"]
