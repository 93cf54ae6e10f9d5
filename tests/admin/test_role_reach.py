"""Roles beyond the route table: every URL of another department's case answers 404 to an
officer, the executive changes nothing, the system administrator sees no case contents, and
queries (inbox, search, board, exports, merge) stay within reach."""

from __future__ import annotations

import io

import upload_samples
from flask import url_for
from openpyxl import load_workbook

from casework.extensions import db
from casework.models import Attachment, AuditEntry, Case, CaseEvent

PNG = upload_samples.PNG  # a real picture: an image that does not decode is refused
SECRETS = (
    "ถนนเป็นหลุมลึกหน้าตลาด",
    "รถจักรยานยนต์ล้ม",
    "สมชาย ใจดี",
    "081 234 5678",
    "somchai@example.com",
)


def _case_urls(app, case_id: int, attachment_id: int) -> list[tuple[str, str]]:
    """Every back-office URL that names a general complaint, with its methods."""
    urls = []
    values = {"case_id": case_id, "attachment_id": attachment_id, "kind": "acknowledgement"}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "case_id" not in rule.arguments or not rule.endpoint.startswith("admin."):
                continue
            if rule.endpoint.startswith("admin.tip") and rule.endpoint != "admin.tip_transfer":
                continue  # the corruption channel's own pages (its tests cover them)
            url = url_for(rule.endpoint, **{a: values[a] for a in rule.arguments})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                urls.append((method, url))
    return urls


def test_every_url_of_another_departments_case_is_404(app, login_as, web_case):
    case_id, _ = web_case(attachments=[(io.BytesIO(PNG), "scan.png")])  # roads: works division
    with app.app_context():
        attachment_id = db.session.scalar(db.select(Attachment.id).filter_by(case_id=case_id))
        events_before = db.session.scalar(db.select(db.func.count()).select_from(CaseEvent))
    assert attachment_id
    urls = _case_urls(app, case_id, attachment_id)
    assert len(urls) >= 14
    outsider = app.test_client()
    login_as("officer", "health", on=outsider)
    for method, url in urls:
        response = outsider.open(url, method=method, data={"body": "x", "outcome": "resolved"})
        assert response.status_code == 404, (method, url, response.status_code)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(CaseEvent)) == events_before
        assert not db.session.scalar(db.select(AuditEntry).filter_by(case_id=case_id))
    insider = app.test_client()
    login_as("officer", "works", on=insider)
    assert insider.get(f"/admin/cases/{case_id}").status_code == 200


def test_queries_stay_within_the_officers_department(app, login_as, web_case):
    roads, _ = web_case()
    waste, _ = web_case(
        subject="ขยะล้นถังหน้าวัด", details="ขยะไม่ถูกเก็บสามวัน", category="waste", form_token="y" * 40
    )
    with app.app_context():
        waste_number = db.session.get(Case, waste).case_number
        works_id = db.session.get(Case, roads).department_id
    officer = app.test_client()
    login_as("officer", "health", on=officer)
    # The inbox, a search and a filter on another department show only health's cases.
    for query in ("", "?q=ถนน", f"?department={works_id}", "?category=roads", "?due=on_time"):
        html = officer.get("/admin/inbox" + query).get_data(as_text=True)
        assert "ถนนเป็นหลุมลึกหน้าตลาด" not in html, query
    assert "ขยะล้นถังหน้าวัด" in officer.get("/admin/inbox").get_data(as_text=True)
    board = officer.get("/admin/board").get_data(as_text=True)
    assert "ขยะล้นถังหน้าวัด" in board and "ถนนเป็นหลุมลึกหน้าตลาด" not in board
    assert "กองช่าง" not in board
    # Exports: only their department, never contact details.
    sheet = load_workbook(io.BytesIO(officer.get("/admin/exports/cases.xlsx").get_data())).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "ขยะล้นถังหน้าวัด" in values and "ถนนเป็นหลุมลึกหน้าตลาด" not in values
    assert officer.get("/admin/exports/cases.csv?identity=1").status_code == 403
    # Merging into a case of another department is refused as if it did not exist.
    other = app.test_client()
    login_as("officer", "works", on=other)
    response = other.post(f"/admin/cases/{roads}/merge", data={"target": waste_number})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Case, roads).status == "received"


def test_executive_is_read_only_everywhere(app, login_as, web_case):
    case_id, _ = web_case()
    executive = app.test_client()
    login_as("executive", on=executive)
    assert executive.get(f"/admin/cases/{case_id}").status_code == 200
    assert executive.get("/admin/board").status_code == 200
    assert executive.get("/admin/reports").status_code == 200
    page = executive.get(f"/admin/cases/{case_id}").get_data(as_text=True)
    assert '<form method="post" action="/admin/cases/' not in page  # no action forms
    with app.test_request_context():
        posts = [
            rule
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("admin.")
            and "POST" in rule.methods
            and rule.endpoint
            not in {"admin.logout", "admin.logout_everywhere", "admin.account", "admin.login"}
            and rule.endpoint not in {"admin.login_totp", "admin.enrol_totp"}
        ]
    assert len(posts) > 20
    with app.app_context():
        entries_before = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))
    for rule in posts:
        with app.test_request_context():
            args = {a: (case_id if a == "case_id" else 1) for a in rule.arguments}
            url = url_for(rule.endpoint, **args)
        response = executive.post(url, data={"body": "x", "outcome": "resolved"})
        assert response.status_code in (403, 404), (url, response.status_code)
    with app.app_context():
        after = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))
        assert after == entries_before
        assert db.session.get(Case, case_id).status == "received"


def test_system_administrator_sees_no_case_contents(app, login_as, web_case):
    case_id, _ = web_case()
    officer = app.test_client()
    login_as("officer", "works", on=officer)
    officer.post(f"/admin/cases/{case_id}/contact")
    officer.post(f"/admin/cases/{case_id}/note", data={"note-body": "บันทึกภายในเรื่องสมชาย"})
    supervisor = app.test_client()
    login_as("supervisor", on=supervisor)
    supervisor.get("/admin/exports/cases.csv?q=สมชาย")
    admin = app.test_client()
    login_as("sysadmin", on=admin)
    for url in (
        "/admin/",
        "/admin/audit",
        "/admin/audit?verify=1",
        "/admin/outbox",
        "/admin/users",
        "/admin/settings",
        "/admin/departments",
        "/admin/categories",
        "/admin/holidays",
        "/admin/account",
    ):
        response = admin.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        for secret in SECRETS:
            assert secret not in html, (url, secret)
    for url in (
        f"/admin/cases/{case_id}",
        f"/admin/cases/{case_id}/notices/acknowledgement",
        "/admin/inbox",
        "/admin/board",
        "/admin/reports",
        "/admin/exports/cases.csv",
    ):
        assert admin.get(url).status_code in (403, 404), url
    assert admin.post(f"/admin/cases/{case_id}/contact").status_code == 404
    # Nor does the trail itself keep case text or identities (a search text may name someone).
    with app.app_context():
        for entry in db.session.scalars(db.select(AuditEntry)):
            stored = f"{entry.target} {entry.data}"
            for secret in (*SECRETS, "สมชาย", "บันทึกภายใน"):
                assert secret not in stored, (entry.action, stored)
        export = db.session.scalar(db.select(AuditEntry).filter_by(action="export.cases"))
        assert export.data["filters"] == {"search": True}


def test_attachments_are_decrypted_on_view_and_each_view_is_audited(app, login_as, web_case):
    case_id, _ = web_case(attachments=[(io.BytesIO(PNG), "ภาพถ่ายหลุม.png")])
    officer = app.test_client()
    login_as("officer", "works", on=officer)
    page = officer.get(f"/admin/cases/{case_id}").get_data(as_text=True)
    assert "ภาพถ่ายหลุม.png" in page  # the file name, decrypted for the page
    with app.app_context():
        attachment = db.session.scalar(db.select(Attachment).filter_by(case_id=case_id))
        assert PNG not in attachment.data_sealed and b"PNG" not in attachment.filename_sealed
    response = officer.get(f"/admin/cases/{case_id}/attachments/{attachment.id}")
    assert response.status_code == 200 and response.get_data() == PNG
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    with app.app_context():
        assert db.session.scalar(
            db.select(AuditEntry).filter_by(action="attachment.view", case_id=case_id)
        )
    clerk = app.test_client()
    login_as("clerk", on=clerk)
    assert clerk.get(f"/admin/cases/{case_id}/attachments/{attachment.id}").status_code == 403
