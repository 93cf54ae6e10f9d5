"""The three written notices look like Thai official letters (ที่, ส่วนราชการ, B.E. date, เรื่อง,
เรียน, body, ขอแสดงความนับถือ, the signer's name and position, the responsible unit), state the
promised time frame, and print on A4 with nothing from other sites."""

from __future__ import annotations

import re
from datetime import date, datetime

from casework.extensions import db
from casework.general import workflow
from casework.models import Case, Department, Organization, User
from rongrian.config import ROOT

FILED = datetime(2027, 4, 8, 2, 0)  # Thu 8 Apr 2027, 09:00 in Bangkok


def _setup(app, *, head=True, working=False):
    with app.app_context():
        org = db.session.scalars(db.select(Organization)).first()
        org.letter_prefix = "ตย 52001"
        org.signatory_name = "นายใหญ่ ใจกว้าง"
        org.signatory_title = "นายกเทศมนตรีเมืองตัวอย่าง"
        org.sla_mode = "working" if working else "calendar"
        works = db.session.scalar(db.select(Department).filter_by(code="works"))
        works.phone = "0 4200 0123"
        if head:
            works.head_name = "นายช่างใหญ่ สร้างดี"
            works.head_title = "ผู้อำนวยการกองช่าง ปฏิบัติราชการแทน\nนายกเทศมนตรีเมืองตัวอย่าง"
        db.session.commit()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_acknowledgement_is_a_thai_official_letter(app, client, login_as, frozen, web_case):
    _setup(app, working=True)
    frozen(FILED)
    case_id, code = web_case()
    login_as("officer", "works")
    response = client.get(f"/admin/cases/{case_id}/notices/acknowledgement")
    html = response.get_data(as_text=True)
    text = _text(html)
    assert response.status_code == 200
    with app.app_context():
        number = db.session.get(Case, case_id).case_number
    # The prefix, then a blank for the clerk's outgoing number: never the case number.
    ref = _text(re.search(r'<div class="ref">(.*?)</div>', html, re.S).group(1)).strip()
    assert ref == "ที่ ตย 52001/ .........."
    assert number not in ref
    assert "เทศบาลเมืองตัวอย่าง 123 ถนนเทศบาล" in text
    assert "8 เมษายน 2570" in text  # issued and received today, in B.E.
    for part in ("เรื่อง แจ้งการรับเรื่องร้องเรียน", "เรียน สมชาย ใจดี", "ขอแสดงความนับถือ"):
        assert part in text
    # Working days: 15 working days after Thu 8 Apr skip two weekends and Songkran.
    assert "ภายใน 15 วันทำการ คือภายในวันที่ 6 พฤษภาคม 2570" in text
    assert "จึงเรียนมาเพื่อโปรดทราบ" in text
    # The head of the responsible unit signs, acting for the mayor; the unit is named below.
    assert "(นายช่างใหญ่ สร้างดี) ผู้อำนวยการกองช่าง ปฏิบัติราชการแทน นายกเทศมนตรีเมืองตัวอย่าง" in text
    assert "กองช่าง โทร. 0 4200 0123" in text
    assert code not in html and code.replace("-", "") not in html
    assert "12 ถนนเทศบาล" in text  # the envelope page


def test_delay_and_result_letters(app, client, login_as, frozen, web_case):
    _setup(app, head=False)
    frozen(FILED)
    case_id, _ = web_case()
    officer_id = login_as("officer", "works")
    frozen(datetime(2027, 4, 26, 2, 0))
    with app.app_context():
        case = db.session.get(Case, case_id)
        officer = db.session.get(User, officer_id)
        workflow.explain_delay(case, officer, "รอผลการสำรวจจากกองช่าง", date(2027, 5, 20))
    login_as("officer", "works")
    delay = _text(client.get(f"/admin/cases/{case_id}/notices/delay").get_data(as_text=True))
    assert "แจ้งเหตุแห่งความล่าช้า" in delay
    assert "ภายในวันที่ 23 เมษายน 2570 นั้น" in delay  # the first deadline (15 calendar days)
    assert "รอผลการสำรวจจากกองช่าง" in delay and "20 พฤษภาคม 2570" in delay
    assert "ขออภัยในความล่าช้า" in delay
    # No head set for the unit: the organization's signatory signs.
    assert "(นายใหญ่ ใจกว้าง) นายกเทศมนตรีเมืองตัวอย่าง" in delay
    ack = _text(
        client.get(f"/admin/cases/{case_id}/notices/acknowledgement").get_data(as_text=True)
    )
    assert "คือภายในวันที่ 23 เมษายน 2570" in ack  # still the promise made on receipt
    with app.app_context():
        workflow.complete(
            db.session.get(Case, case_id),
            db.session.get(User, officer_id),
            "resolved",
            "ซ่อมผิวถนนเรียบร้อยแล้ว",
        )
    result = _text(client.get(f"/admin/cases/{case_id}/notices/result").get_data(as_text=True))
    assert "แจ้งผลการดำเนินการเรื่องร้องเรียน" in result
    assert "ผลการดำเนินการ: ดำเนินการแก้ไขแล้ว (ยุติเรื่อง)" in result
    assert "ซ่อมผิวถนนเรียบร้อยแล้ว" in result


def test_letter_without_signer_leaves_lines_to_fill(app, client, login_as, web_case):
    with app.app_context():
        org = db.session.scalars(db.select(Organization)).first()
        org.signatory_name = org.signatory_title = ""
        db.session.commit()
    case_id, _ = web_case()
    login_as("clerk")
    text = _text(
        client.get(f"/admin/cases/{case_id}/notices/acknowledgement").get_data(as_text=True)
    )
    assert "(......" in text and "ตำแหน่ง ......" in text
    assert "สมชาย" not in text  # a clerk may print it, but without the contact details


def test_letters_print_on_a4_with_local_fonts_only(app, client, login_as, web_case):
    case_id, _ = web_case()
    login_as("officer", "works")
    html = client.get(f"/admin/cases/{case_id}/notices/acknowledgement").get_data(as_text=True)
    for url in re.findall(r'(?:href|src)="([^"]+)"', html):
        assert url.startswith("/"), url  # nothing from other sites
    assert "style=" not in html and "<style" not in html and "<script>" not in html
    css = (ROOT / "static" / "css" / "letters.css").read_text()
    assert "size: A4" in css and "@media print" in css
    assert "url(" not in css and "@import" not in css  # fonts: local() only
    assert "TH Sarabun New" in css and "break-inside: avoid" in css


def test_without_a_prefix_the_reference_line_is_left_blank(app, client, login_as, web_case):
    with app.app_context():
        org = db.session.scalars(db.select(Organization)).first()
        org.letter_prefix = ""
        db.session.commit()
    case_id, _ = web_case()
    login_as("officer", "works")
    html = client.get(f"/admin/cases/{case_id}/notices/acknowledgement").get_data(as_text=True)
    ref = _text(re.search(r'<div class="ref">(.*?)</div>', html, re.S).group(1)).strip()
    assert re.fullmatch(r"ที่ \.+", ref)
