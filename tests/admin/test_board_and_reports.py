"""The board and the report count a fiscal year's cases per unit (received, in progress,
completed, overdue, on time, satisfaction); the inbox puts overdue cases first; exports are Thai
(UTF-8 BOM, Thai headers and values, B.E. dates)."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from casework.extensions import db
from casework.general import access, followup, reports, workflow
from casework.models import Case, Organization, User


def bangkok(y, m, d, hour=10):
    return datetime(y, m, d, hour - 7)


@pytest.fixture
def year(app, frozen, login_as, file_complaint):
    """Cases of fiscal years 2569 and 2570 in several states; today is 20 Nov 2026 (FY 2570)."""
    officer_id = login_as("officer", "works")
    frozen(bangkok(2026, 8, 3))
    old = file_complaint(subject="เรื่องปีก่อน").case.id
    frozen(bangkok(2026, 10, 5))
    done = file_complaint(subject="ซ่อมถนนเสร็จแล้ว").case.id
    late = file_complaint(subject="ขยะไม่ถูกเก็บ", category="waste").case.id
    paused = file_complaint(subject="ท่อแตกรอข้อมูล").case.id
    frozen(bangkok(2026, 11, 18))
    fresh = file_complaint(subject="ไฟดับซอยใหม่", category="lighting").case.id
    with app.app_context():
        officer = db.session.get(User, officer_id)
        frozen(bangkok(2026, 8, 10))
        workflow.complete(db.session.get(Case, old), officer, "resolved", "เสร็จ")
        frozen(bangkok(2026, 10, 6))
        workflow.request_info(db.session.get(Case, paused), officer, "ขอรูปถ่าย")
        frozen(bangkok(2026, 10, 10))
        workflow.complete(db.session.get(Case, done), officer, "resolved", "ซ่อมแล้ว")
        followup.rate(db.session.get(Case, done), 5, "")
    frozen(bangkok(2026, 11, 20))
    return {"old": old, "done": done, "late": late, "paused": paused, "fresh": fresh}


def test_fiscal_year_figures(app, year):
    with app.app_context():
        org = db.session.scalars(db.select(Organization)).first()
        supervisor = User(organization_id=org.id, email="s@x.test", role="supervisor", active=True)
        report = reports.fiscal_report(access.visible_cases(supervisor), org, 2570)
        t = report.total
        assert (t.total, t.completed, t.open, t.overdue, t.paused) == (4, 1, 3, 1, 1)
        assert (t.on_time_pct, t.satisfied_pct, t.meets_target) == (100, 100, True)
        assert [(p.month, p.figures.total) for p in report.months[:3]] == [
            (10, 3),
            (11, 1),
            (12, 0),
        ]
        assert report.halves[0].figures.total == 4 and report.halves[1].figures.total == 0
        units = [(d.code, f.total, f.overdue) for d, f in report.by_department]
        assert units == [("health", 1, 1), ("works", 3, 0)]  # units with overdue cases first
        assert reports.fiscal_report(access.visible_cases(supervisor), org, 2569).total.total == 1
        assert reports.fiscal_years(access.visible_cases(supervisor)) == [2570, 2569]


def test_board_shows_this_fiscal_year_per_department(app, client, login_as, year):
    login_as("supervisor")
    html = client.get("/admin/board").get_data(as_text=True)
    assert "ปีงบประมาณ พ.ศ. 2570" in html
    summary = html[html.index("<tbody>") : html.index("</table>")]
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td[^>]*>(\d+)</td>', summary)
    assert rows[:2] == [("กองสาธารณสุขและสิ่งแวดล้อม", "1"), ("กองช่าง", "3")]
    assert "เรื่องปีก่อน" not in html  # completed last year: neither counted nor open
    open_part = html[html.index("<h2>เรื่องที่ยังไม่แล้วเสร็จ</h2>") :]
    assert open_part.index("ขยะไม่ถูกเก็บ") < open_part.index("ไฟดับซอยใหม่")
    last_year = client.get("/admin/board?fy=2569").get_data(as_text=True)
    assert re.search(r'<th scope="row">กองช่าง</th>\s*<td[^>]*>1</td>', last_year)


def test_report_for_supervisor_and_executive_only(app, login_as, year):
    executive, officer = app.test_client(), app.test_client()
    login_as("executive", on=executive)
    login_as("officer", "works", on=officer)
    html = executive.get("/admin/reports?fy=2570").get_data(as_text=True)
    assert "รายงานผลการดำเนินการเรื่องร้องเรียน" in html and "ปีงบประมาณ พ.ศ. 2570" in html
    assert "ตุลาคม 2569" in html and "ครึ่งปีแรก" in html
    assert "ไม่มีเรื่องร้องเรียน" in html  # months without complaints say so
    assert "ขยะและความสะอาด" in html and "เว็บไซต์" in html  # by category, by received via
    assert "ซ่อมถนนเสร็จแล้ว" not in html  # figures, not case contents
    assert officer.get("/admin/reports").status_code == 403
    printed = re.search(r'<p class="print-only report-org"><strong>(.*?)</strong>', html)
    assert printed and printed.group(1) == "เทศบาลเมืองตัวอย่าง"  # the printed report says whose


def test_report_states_when_there_were_no_complaints(app, client, login_as, frozen):
    frozen(bangkok(2026, 11, 20))
    login_as("executive")
    html = client.get("/admin/reports").get_data(as_text=True)
    assert "ไม่มีเรื่องร้องเรียนในปีงบประมาณนี้" in html


def test_inbox_puts_overdue_first_and_completed_last(app, client, login_as, year):
    login_as("supervisor")
    html = client.get("/admin/inbox").get_data(as_text=True)
    order = [
        html.index(s)
        for s in ("ขยะไม่ถูกเก็บ", "ไฟดับซอยใหม่", "ท่อแตกรอข้อมูล", "ซ่อมถนนเสร็จแล้ว", "เรื่องปีก่อน")
    ]
    assert order == sorted(order)


def test_inbox_filters(app, client, login_as, year):
    login_as("supervisor")

    def subjects(query):
        html = client.get("/admin/inbox" + query).get_data(as_text=True)
        return {
            s for s in ("ขยะไม่ถูกเก็บ", "ไฟดับซอยใหม่", "ท่อแตกรอข้อมูล", "ซ่อมถนนเสร็จแล้ว") if s in html
        }

    with app.app_context():
        health = db.session.get(Case, year["late"]).department_id
    assert subjects("?status=awaiting_info") == {"ท่อแตกรอข้อมูล"}
    assert subjects("?due=overdue") == {"ขยะไม่ถูกเก็บ"}
    assert subjects("?due=paused") == {"ท่อแตกรอข้อมูล"}
    assert subjects("?due=done") == {"ซ่อมถนนเสร็จแล้ว"}
    assert subjects(f"?department={health}") == {"ขยะไม่ถูกเก็บ"}
    assert subjects("?received_via=phone") == set()
    assert subjects("?received_via=web&category=lighting") == {"ไฟดับซอยใหม่"}
    assert subjects("?q=รอข้อมูล") == {"ท่อแตกรอข้อมูล"}  # the subject
    assert subjects("?q=หน้าบ้านเลขที่ 12") >= {"ขยะไม่ถูกเก็บ"}  # the details


def test_exports_are_thai_with_buddhist_era_dates(app, client, login_as, year):
    login_as("supervisor")
    raw = client.get("/admin/exports/cases.csv").get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens Thai correctly
    text = raw.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("เลขที่รับเรื่อง,วันที่รับเรื่อง,ช่องทางที่รับเรื่อง,ลักษณะเรื่อง,ประเภทเรื่อง")
    late = next(line for line in text.splitlines() if "ขยะไม่ถูกเก็บ" in line)
    assert "05/10/2569" in late and "เว็บไซต์" in late and "เกินกำหนด" in late
    assert "ร้องเรียน" in late and "overdue" not in late
    book = load_workbook(io.BytesIO(client.get("/admin/exports/cases.xlsx").get_data()))
    sheet = book.active
    assert sheet.title == "เรื่องร้องเรียน"
    assert sheet["A1"].value == "เลขที่รับเรื่อง" and sheet["A1"].font.bold
    # The waste case's due date: a real date, shown as 12/10/2569 by the cell's format.
    due = next(c for c in sheet["I"] if c.value == datetime(2026, 10, 12))
    assert due.number_format == "[$-107041E]dd/mm/yyyy"
