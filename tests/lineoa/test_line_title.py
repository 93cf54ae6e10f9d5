"""Giving contact details in a LINE chat asks the title (คำนำหน้าชื่อ) first, as the complaint
form does: a button for each of the form's titles, or another typed; it is sealed with the
name, and the officers' contact view and the letters show it with the name."""

from __future__ import annotations

from casework.cases import identity
from casework.extensions import db
from casework.models import Case, LineChat
from tests.casework.cases.test_privacy_at_rest import dump

TYPED = "ว่าที่ร้อยตรีหญิง"  # not one of the buttons
NAME = "มาลีลับ ดีใจยิ่ง"


def _to_contact(chat) -> None:
    chat.tap("file")
    chat.tap("category", code="roads")
    chat.say("ถนนหน้าโรงเรียนเป็นหลุมลึก รถจักรยานยนต์ล้มทุกวัน")
    chat.tap("next")
    chat.location()


def _state() -> str:
    row = db.session.scalar(db.select(LineChat))
    db.session.refresh(row)
    return row.state


def test_giving_contact_details_offers_the_complaint_forms_titles_first(chat, ctx):
    _to_contact(chat)
    chat.tap("give_contact")
    assert _state() == "title" and "คำนำหน้าชื่อ" in chat.text
    labels = [b["label"] for b in chat.buttons]
    assert labels == [*identity.TITLES, "ข้าม", "ไม่ระบุตัวตน", "ยกเลิก"]
    chat.tap("title", t="ท่านผู้หญิง")  # a forged button: postback data is not trusted
    assert _state() == "title" and "คำนำหน้าชื่อ" in chat.text
    chat.tap("skip_title")
    assert _state() == "name"


def test_a_tapped_title_is_sealed_with_the_name_and_the_summary_reads_like_a_letter(chat, ctx):
    _to_contact(chat)
    chat.tap("give_contact")
    chat.tap("title", t="นาง")
    chat.say(NAME)
    chat.say("0812345678")
    chat.tap("consent")
    assert f"นาง{NAME} · 0812345678" in chat.text  # the summary
    chat.tap("confirm")
    case = db.session.scalar(db.select(Case))
    assert identity.reveal(case) == {"title": "นาง", "name": NAME, "phone": "0812345678"}


def test_a_typed_title_is_sealed_and_shown_to_officers_and_in_letters(
    chat, app, backend, client, login_as
):
    with app.app_context():
        _to_contact(chat)
        chat.tap("give_contact")
        chat.say(TYPED)
        assert _state() == "name"
        chat.say(NAME)
        chat.tap("skip_phone")
        chat.tap("consent")
        chat.tap("confirm")
        case_id = db.session.scalar(db.select(Case.id))
    held = dump(app, backend)
    for secret in (TYPED, NAME):
        assert secret.encode() not in held, secret
    login_as("officer", "works")
    letter = client.get(f"/admin/cases/{case_id}/notices/acknowledgement").get_data(as_text=True)
    assert f"<th>เรียน</th><td>{TYPED} {NAME}</td>" in letter
    shown = client.post(f"/admin/cases/{case_id}/contact").get_data(as_text=True)
    assert f'<dt>คำนำหน้าชื่อ</dt><dd class="pre">{TYPED}</dd>' in shown


def test_a_title_longer_than_the_forms_limit_is_asked_again(chat, ctx):
    _to_contact(chat)
    chat.tap("give_contact")
    chat.say("ก" * 41)
    assert _state() == "title" and "40" in chat.text


def test_staying_anonymous_after_a_title_keeps_nothing(chat, ctx):
    _to_contact(chat)
    chat.tap("give_contact")
    chat.tap("title", t="นาย")
    chat.tap("anonymous")
    chat.tap("confirm")
    case = db.session.scalar(db.select(Case))
    assert case.anonymous and identity.reveal(case) == {}
