"""Exports: CSV/XLSX of the visible cases; identity columns only for supervisors, audited."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook

from casework.dates import clock
from casework.extensions import db
from casework.models import AuditEntry


def test_exports_and_identity(app, client, login_as, web_case):
    web_case()
    login_as("executive")
    csv = client.get("/admin/exports/cases.csv")
    assert csv.status_code == 200
    text = csv.get_data().decode("utf-8-sig")
    assert "ถนนเป็นหลุมลึกหน้าตลาด" in text and "somchai@example.com" not in text
    assert client.get("/admin/exports/cases.xlsx?identity=1").status_code == 403

    supervisor = app.test_client()
    login_as("supervisor", on=supervisor)
    xlsx = supervisor.get("/admin/exports/cases.xlsx?identity=1")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "somchai@example.com" in values and "สมชาย ใจดี" in values
    with app.app_context():
        actions = set(db.session.scalars(db.select(AuditEntry.action)))
        assert {"export.cases", "export.identity"} <= actions


def test_show_contact_is_audited_and_sysadmin_sees_no_cases(app, client, login_as, web_case):
    case_id, _ = web_case()
    login_as("officer", "works")
    page = client.get(f"/admin/cases/{case_id}").get_data(as_text=True)
    assert "somchai@example.com" not in page
    shown = client.post(f"/admin/cases/{case_id}/contact").get_data(as_text=True)
    assert (
        "somchai@example.com" in shown
        and "0812345678" in shown.replace(" ", "")
        or "081 234 5678" in shown
    )
    with app.app_context():
        assert db.session.scalar(
            db.select(AuditEntry).filter_by(action="identity.view", case_id=case_id)
        )
    admin = app.test_client()
    login_as("sysadmin", on=admin)
    assert admin.get(f"/admin/cases/{case_id}").status_code == 404
    assert admin.get("/admin/inbox").status_code == 403


def test_inbox_filters_and_search(app, client, login_as, web_case):
    web_case()
    web_case(subject="ขยะล้นถัง", details="ขยะไม่ถูกเก็บ", category="waste", form_token="z" * 40)
    login_as("supervisor")
    html = client.get("/admin/inbox?q=ขยะ").get_data(as_text=True)
    assert "ขยะล้นถัง" in html and "ถนนเป็นหลุมลึก" not in html
    html = client.get("/admin/inbox?category=roads").get_data(as_text=True)
    assert "ขยะล้นถัง" not in html and "ถนนเป็นหลุมลึก" in html
    html = client.get("/admin/inbox?due=overdue").get_data(as_text=True)
    assert "ขยะล้นถัง" not in html
    html = client.get("/admin/inbox?q=100%25").get_data(as_text=True)
    assert "ขยะล้นถัง" not in html


def test_letters_render(app, client, login_as, web_case):
    case_id, _ = web_case()
    login_as("officer", "works")
    letter = client.get(f"/admin/cases/{case_id}/notices/acknowledgement")
    html = letter.get_data(as_text=True)
    assert letter.status_code == 200 and "แจ้งการรับเรื่องร้องเรียน" in html
    assert "สมชาย ใจดี" in html and "letters.css" in html
    assert client.get(f"/admin/cases/{case_id}/notices/result").status_code == 404


def test_xlsx_dates_are_real_dates_shown_in_the_buddhist_era(app, client, login_as, web_case):
    web_case()
    login_as("supervisor")
    plain = client.get("/admin/exports/cases.xlsx")
    sheet = load_workbook(io.BytesIO(plain.get_data())).active
    headers = [c.value for c in sheet[1]]
    received = sheet.cell(row=2, column=headers.index("วันที่รับเรื่อง") + 1)
    assert isinstance(received.value, datetime)  # Excel sorts and filters it as a date
    assert received.number_format == "[$-107041E]dd/mm/yyyy"
    with app.app_context():
        today = clock.today()
    be = f"{today.year + 543}-{today.month:02d}-{today.day:02d}"
    assert f'filename="cases-{be}.xlsx"' in plain.headers["Content-Disposition"]
    private = client.get("/admin/exports/cases.csv?identity=1")
    name = f'filename="cases-with-contact-details-{be}.csv"'
    assert name in private.headers["Content-Disposition"]
    text = private.get_data().decode("utf-8-sig")
    assert f"/{today.year + 543}" in text  # the CSV writes the B.E. date out
