"""Officers' actions reach the LINE chat a case was filed from, through the outbox: once, even
when LINE fails; answers typed in the chat land on the case; ratings count like web ratings."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

from casework.dates import clock
from casework.extensions import db
from casework.general import reports, workflow
from casework.models import Case, CaseMessage, Organization, OutboxMessage
from casework.notify import outbox


def _case(app) -> Case:
    return db.session.scalar(db.select(Case).order_by(Case.id.desc()))


def test_back_office_shows_photos_and_location_and_one_push_survives_a_500(
    chat, client, login_as, line_api
):
    chat.file_complaint(photos=2)
    with chat.app.app_context():
        case_id = _case(chat.app).id
    login_as("officer", "works")
    page = client.get(f"/admin/cases/{case_id}").get_data(as_text=True)
    assert page.count("LINE-photo-") == 2  # downloaded by the worker, listed on the case
    assert 'href="geo:13.75633,100.50177"' in page  # the device's own map application
    assert 'id="line-reachable"' in page
    assert chat.user not in page  # officers never see the LINE user id

    line_api.push_failures = [(500, False)]
    response = client.post(f"/admin/cases/{case_id}/update", data={"update-body": "ซ่อมพรุ่งนี้"})
    assert response.status_code == 302
    assert chat.collect() == []  # the first push got a 500: nothing reached the chat
    pushed = chat.collect()  # the worker's retry (backoff 0 here)
    assert len(pushed) == 1 and "ซ่อมพรุ่งนี้" in chat.text and "ความคืบหน้า" in chat.text
    assert chat.collect() == []
    keys = [a["key"] for a in line_api.push_attempts]
    assert len(keys) == 2 and keys[0] == keys[1]  # one X-Line-Retry-Key across the retry
    with chat.app.app_context():
        row = db.session.scalar(db.select(OutboxMessage).filter_by(template="update"))
        assert row.status == outbox.SENT and row.attempts == 2
        assert row.body_sealed is None  # what it said is gone once sent


def test_a_push_line_took_before_failing_is_not_delivered_twice(chat, ctx, line_api, officer):
    chat.file_complaint()
    line_api.push_failures = [(503, True)]  # LINE kept it, then the answer was lost
    workflow.public_update(_case(ctx), officer, "กำลังดำเนินการ")
    assert len(chat.collect()) == 1  # in the chat, though the worker saw a 503
    row = db.session.scalar(db.select(OutboxMessage).filter_by(template="update"))
    assert row.status == outbox.PENDING
    assert chat.collect() == []  # the retry gets LINE's 409 for its retry key: counted as sent
    pushes = [c for c in line_api.captured if c["how"] == "push"]
    assert len(pushes) == 1
    row = db.session.scalar(db.select(OutboxMessage).filter_by(template="update"))
    db.session.refresh(row)
    assert row.status == outbox.SENT
    assert [a["key"] for a in line_api.push_attempts][-1] == row.retry_key


def test_429_waits_for_the_backoff_and_400_fails_at_once(chat, ctx, line_api, frozen, officer):
    chat.file_complaint()
    ctx.config["OUTBOX_BACKOFF_SECONDS"] = 60
    now = clock.utcnow()
    frozen(now)
    line_api.push_failures = [(429, False)]
    workflow.public_update(_case(ctx), officer, "ข่าว")
    chat.collect()
    row = db.session.scalar(db.select(OutboxMessage).filter_by(template="update"))
    assert row.status == outbox.PENDING and row.next_attempt_at == now + timedelta(seconds=60)
    assert outbox.run_once().sent == 0  # not due yet
    frozen(now + timedelta(seconds=61))
    assert len(chat.collect()) == 1
    line_api.push_failures = [(400, False)]
    workflow.request_info(_case(ctx), officer, "ขอรูปเพิ่ม")
    chat.collect()
    failed = db.session.scalar(db.select(OutboxMessage).filter_by(template="info_request"))
    db.session.refresh(failed)
    assert failed.status == outbox.FAILED and failed.attempts == 1
    assert chat.user not in failed.last_error


def test_every_citizen_facing_action_pushes_once(chat, ctx, line_api, officer):
    chat.file_complaint()
    case = _case(ctx)
    tomorrow = clock.today() + timedelta(days=1)
    steps = [
        (lambda: workflow.accept(case, officer), "รับเรื่อง"),
        (lambda: workflow.public_update(case, officer, "ทีมช่างลงพื้นที่แล้ว"), "ทีมช่างลงพื้นที่แล้ว"),
        (lambda: workflow.request_info(case, officer, "บ้านเลขที่เท่าไร"), "บ้านเลขที่เท่าไร"),
        (
            lambda: workflow.explain_delay(
                case, officer, "รองบประมาณ", case.due_date + timedelta(days=30)
            ),
            "รองบประมาณ",
        ),
        (
            lambda: workflow.forward(case, officer, "damrongdham", "", "ดธ 123", tomorrow, ""),
            "ศูนย์ดำรงธรรม",
        ),
        (lambda: workflow.complete(case, officer, "resolved", "ซ่อมถนนแล้ว"), "ซ่อมถนนแล้ว"),
    ]
    for act, words in steps:
        act()
        said = chat.collect()
        assert len(said) >= 1, words
        assert words in chat.text
        assert case.case_number in chat.text
    # The completion asks whether it has been fixed; "fixed" leads to the five scores.
    assert "แก้ไขแล้วหรือยัง" in chat.text
    assert [b["label"] for b in chat.buttons] == ["แก้ไขแล้ว", "ยังไม่ได้แก้ไข"]
    chat.send(chat.sim.postback(chat.data_of("แก้ไขแล้ว")))
    assert [b["label"] for b in chat.buttons] == ["1", "2", "3", "4", "5"]
    # The question pushed with the information request offered an "answer" button; the
    # internal note pushes nothing.
    workflow.add_note(case, officer, "บันทึกภายใน")
    assert chat.collect() == []


def test_an_answer_typed_in_the_chat_lands_on_the_case_and_restarts_the_clock(chat, ctx, officer):
    chat.file_complaint()
    case = _case(ctx)
    workflow.request_info(case, officer, "ขอทราบบ้านเลขที่")
    chat.collect()
    assert "ขอทราบบ้านเลขที่" in chat.text
    chat.say("บ้านเลขที่ 45 หมู่ 3")
    assert "ส่งคำตอบ" in chat.text  # asked to confirm it is the answer
    chat.tap("send_answer")
    assert case.case_number in chat.text
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.status == "in_progress" and case.paused_at is None
    message = db.session.scalar(db.select(CaseMessage).filter_by(case_id=case.id))
    assert message.body == "บ้านเลขที่ 45 หมู่ 3"


def test_an_answer_with_photos_lands_when_the_worker_has_them(chat, ctx, officer):
    chat.file_complaint()
    case = _case(ctx)
    workflow.request_info(case, officer, "ขอรูปเพิ่ม")
    chat.collect()
    chat.tap("answer", case=case.id)
    chat.say("รูปล่าสุดค่ะ")
    chat.photo()
    chat.photo()
    chat.tap("send_answer")
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.status == "in_progress"
    message = db.session.scalar(db.select(CaseMessage).filter_by(case_id=case.id))
    from casework.general.followup import case_attachments

    assert [a.message_id for a in case_attachments(case)] == [message.id, message.id]


def test_a_rating_from_the_chat_counts_in_the_satisfaction_figures(chat, ctx, officer):
    chat.file_complaint()
    case = _case(ctx)
    workflow.accept(case, officer)
    workflow.complete(case, officer, "resolved", "เรียบร้อย")
    chat.collect()
    chat.send(chat.sim.postback(chat.data_of("แก้ไขแล้ว")))
    chat.send(chat.sim.postback(chat.data_of("4")))
    assert "ขอบคุณ" in chat.text
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.rating == 4
    org = db.session.get(Organization, case.organization_id)
    report = reports.fiscal_report(db.select(Case), org, case.fiscal_year)
    assert report.total.rated == 1 and report.total.satisfied == 1
    chat.tap("rate", case=case.id, score=1)  # only once
    assert "ประเมินความพึงพอใจแล้ว" in chat.text
    db.session.expire_all()
    assert db.session.get(Case, case.id).rating == 4


def test_unlinking_stops_the_pushes(chat, ctx, officer):
    chat.file_complaint()
    case = _case(ctx)
    chat.tap("mine")
    assert case.case_number in chat.text
    chat.tap("unlink", case=case.id)
    assert "เลิกรับแจ้ง" in chat.text
    chat.tap("unlink", case=case.id, sure=1)
    workflow.accept(case, officer)
    assert chat.collect() == []
    chat.tap("mine")
    assert case.case_number not in chat.text
    assert any(e.kind == "line_unlinked" and not e.public for e in case.events)


def test_postbacks_about_someone_elses_case_do_nothing(chat, other_chat, ctx, officer):
    chat.file_complaint()
    case = _case(ctx)
    workflow.request_info(case, officer, "คำถาม")
    chat.collect()
    for action, values in [
        ("status", {}),
        ("answer", {}),
        ("unlink", {"sure": 1}),
        ("rate", {"score": 1}),
    ]:
        other_chat.tap(action, case=case.id, **values)
        assert "ไม่ได้เชื่อมกับบัญชี LINE นี้" in other_chat.text, action
    assert case.case_number not in other_chat.text
    db.session.expire_all()
    assert db.session.get(Case, case.id).rating is None
    workflow.public_update(db.session.get(Case, case.id), officer, "ยังเชื่อมอยู่")
    assert len(chat.collect()) == 1 and other_chat.collect() == []


def test_pushes_get_through_a_stretch_of_429_and_500_and_arrive_once(
    app, chat_on, ctx, line_api, officer
):
    """LINE answers 429 and 5xx to every push for a while (some of which it took anyway, then
    lost the answer): the worker retries until each push is delivered, and each chat gets each
    update exactly once (the retry key makes LINE refuse a second copy with 409)."""
    chats = [chat_on(app, f"citizen{n}") for n in range(4)]
    for chat in chats:
        chat.file_complaint()
    cases = db.session.scalars(db.select(Case).order_by(Case.id)).all()
    ctx.config["OUTBOX_MAX_ATTEMPTS"] = 12
    stretch = [(429, False), (500, False), (500, True), (503, False), (502, True), (429, False)]
    line_api.push_failures = stretch * 2
    for n, case in enumerate(cases):
        workflow.public_update(case, officer, f"ทีมช่างลงพื้นที่แล้ว รอบที่ {n}")
    for _ in range(12):
        if not outbox.run_once().retried:
            break
    assert len(line_api.push_attempts) >= 10  # LINE failed most of them at first
    rows = db.session.scalars(db.select(OutboxMessage).filter_by(template="update")).all()
    assert len(rows) == 4 and {row.status for row in rows} == {outbox.SENT}
    pushes = [c for c in line_api.captured if c["how"] == "push"]
    said = Counter(
        (push["to"], n)
        for push in pushes
        for n in range(4)
        if f"รอบที่ {n}" in json.dumps(push["messages"], ensure_ascii=False)
    )
    assert len(said) == 4 and set(said.values()) == {1}
    assert len({to for to, _ in said}) == 4
