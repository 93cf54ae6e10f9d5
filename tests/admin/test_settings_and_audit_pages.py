"""The system administrator's pages: deadline and letter settings, units and their letter
signers, categories (15 days unless set), declared holidays; every change audited; the audit
page names actions in Thai with the case number and shows details only for account and settings
changes."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

from PIL import Image

from casework.extensions import db
from casework.models import AuditEntry, Case, Category, DeclaredHoliday, Department, Organization
from tests.upload_samples import PNG


def test_settings_are_saved_and_audited(app, client, login_as):
    login_as("sysadmin")
    form = client.get("/admin/settings").get_data(as_text=True)
    assert 'name="signatory_title"' in form
    response = client.post(
        "/admin/settings",
        data={
            "sla_mode": "working",
            "due_soon_days": "5",
            "reopen_window_days": "14",
            "letter_prefix": "ตย 52001",
            "signatory_name": "นายใหญ่ ใจกว้าง",
            "signatory_title": "นายกเทศมนตรีเมืองตัวอย่าง",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        org = db.session.scalars(db.select(Organization)).first()
        assert (org.sla_mode, org.due_soon_days, org.signatory_name) == (
            "working",
            5,
            "นายใหญ่ ใจกว้าง",
        )
        assert org.reopen_window_days == 14
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="settings.sla"))
        assert entry.data["before"]["sla_mode"] == "calendar"
        assert entry.data["after"]["signatory_title"] == "นายกเทศมนตรีเมืองตัวอย่าง"
    bad = client.post("/admin/settings", data={"sla_mode": "working", "due_soon_days": "99"})
    assert bad.status_code == 400 and 'id="due_soon_days-error"' in bad.get_data(as_text=True)


def test_unit_signer_and_category_default(app, client, login_as):
    login_as("sysadmin")
    with app.app_context():
        works = db.session.scalar(db.select(Department).filter_by(code="works"))
        works_id = works.id
    response = client.post(
        f"/admin/departments/{works_id}",
        data={
            "code": "works",
            "name_th": "กองช่าง",
            "name_en": "Public Works Division",
            "phone": "0 4200 0123",
            "head_name": "นายประเสริฐ รักงาน",
            "head_title": "ผู้อำนวยการกองช่าง",
            "active": "y",
        },
    )
    assert response.status_code == 302
    new = client.get("/admin/categories").get_data(as_text=True)
    assert 'name="sla_days"' in new and 'value="15"' in new  # 15 days unless set
    client.post(
        "/admin/categories",
        data={"code": "trees", "name_th": "ต้นไม้", "sla_days": "15", "department": str(works_id)},
    )
    with app.app_context():
        works = db.session.get(Department, works_id)
        assert (works.head_name, works.phone) == ("นายประเสริฐ รักงาน", "0 4200 0123")
        assert db.session.scalar(db.select(Category).filter_by(code="trees")).sla_days == 15
        actions = set(db.session.scalars(db.select(AuditEntry.action)))
        assert {"department.update", "category.create"} <= actions


def test_complaint_category_codes_follow_the_one_rule(app, client, login_as):
    login_as("sysadmin")
    new = {"name_th": "ต้นไม้", "sla_days": "15"}
    bad = client.post("/admin/categories", data={**new, "code": "ต้นไม้"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400 and 'id="code-error"' in page
    assert "กรุณาใช้ตัวอักษรภาษาอังกฤษตัวพิมพ์เล็ก" in page  # beside the field, in Thai
    client.set_cookie("lang", "en")
    clash = client.post("/admin/categories", data={**new, "code": "ROADS"})
    assert clash.status_code == 400
    assert "Another category already uses this code." in clash.get_data(as_text=True)
    assert client.post("/admin/categories", data={**new, "code": " Trees "}).status_code == 302
    with app.app_context():
        trees = db.session.scalar(db.select(Category).filter_by(channel="complaint", code="trees"))
        roads = db.session.scalar(db.select(Category).filter_by(channel="complaint", code="roads"))
        trees_id, roads_id, roads_name = trees.id, roads.id, roads.name_th
    keep = {"name_th": roads_name, "sla_days": "10", "active": "y"}
    assert (
        client.post(f"/admin/categories/{roads_id}", data={**keep, "code": "roads"}).status_code
        == 302
    )
    bad_edit = client.post(f"/admin/categories/{trees_id}", data={**new, "code": "roads"})
    assert bad_edit.status_code == 400 and 'id="code-error"' in bad_edit.get_data(as_text=True)


def test_declared_holiday_moves_new_deadlines(app, client, login_as, frozen, file_complaint):
    frozen(datetime(2027, 4, 19, 3, 0))  # Mon 19 Apr 2027
    with app.app_context():
        db.session.scalars(db.select(Organization)).first().sla_mode = "working"
        db.session.commit()
    login_as("sysadmin")
    response = client.post(
        "/admin/holidays", data={"day": "2027-04-20", "name_th": "วันหยุดราชการกรณีพิเศษ"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(DeclaredHoliday).filter_by(day=date(2027, 4, 20)))
    case = file_complaint(category="lighting").case  # 7 working days, 20 Apr off
    assert case.due_date == date(2027, 4, 29)


def test_audit_page_labels_numbers_and_details(app, client, login_as, web_case):
    case_id, _ = web_case()
    officer = app.test_client()
    login_as("officer", "works", on=officer)
    officer.post(f"/admin/cases/{case_id}/contact")
    clerk_id = login_as("clerk", on=app.test_client())
    with app.app_context():
        number = db.session.get(Case, case_id).case_number
    admin_id = login_as("sysadmin")
    client.post(
        f"/admin/users/{clerk_id}",
        data={"email": "clerk@staff.test", "role": "executive", "active": "y"},
    )
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "เปิดดูข้อมูลติดต่อของผู้ร้องเรียน" in html and number in html
    assert "officer-works@staff.test" in html
    # A permission change shows what changed; nothing about a case is shown this way.
    assert "แก้ไขบัญชีผู้ใช้" in html and "บทบาท: ผู้บริหาร (ดูข้อมูลได้อย่างเดียว)" in html
    filtered = client.get("/admin/audit?action=identity.view").get_data(as_text=True)
    assert "แก้ไขบัญชีผู้ใช้" not in filtered.split("<tbody>")[1]
    mine = client.get(f"/admin/audit?actor={admin_id}").get_data(as_text=True)
    assert "officer-works@staff.test" not in mine.split("<tbody>")[1]


def test_the_seal_is_uploaded_and_shown_on_pages_and_letters(app, client, login_as, web_case):
    assert client.get("/seal.png").status_code == 404  # none yet
    login_as("sysadmin")
    refused = client.post(
        "/admin/settings/seal",
        data={"seal": (io.BytesIO(b"not a picture"), "seal.txt")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400 and 'id="seal-error"' in refused.get_data(as_text=True)
    saved = client.post(
        "/admin/settings/seal",
        data={"seal": (io.BytesIO(PNG), "seal.png")},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    html = client.get("/").get_data(as_text=True)
    src = re.search(r'<img class="brand-seal" src="([^"]+)"', html).group(1)
    served = client.get(src)
    assert served.mimetype == "image/png"
    assert Image.open(io.BytesIO(served.get_data())).size == Image.open(io.BytesIO(PNG)).size
    case_id, _ = web_case()
    officer = app.test_client()
    login_as("officer", "works", on=officer)
    letter = officer.get(f"/admin/cases/{case_id}/notices/acknowledgement").get_data(as_text=True)
    assert f'<img class="letter-seal" src="{src}"' in letter
    with app.app_context():
        assert db.session.scalar(db.select(AuditEntry).filter_by(action="settings.seal"))
    client.post("/admin/settings/seal", data={"remove": "y"}, content_type="multipart/form-data")
    assert client.get("/seal.png").status_code == 404
    assert "brand-seal" not in client.get("/").get_data(as_text=True)


def test_the_settings_page_ids_are_unique_so_each_label_finds_its_field(client, login_as):
    """The seal's heading once shared the id ``seal`` with its file input: the label "Seal
    picture" then pointed at the heading, not the field."""
    login_as("sysadmin")
    html = client.get("/admin/settings").get_data(as_text=True)
    ids = [i for i in re.findall(r'\sid="([^"]+)"', html) if i != "csrf_token"]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert re.search(
        r'<input[^>]*id="seal"[^>]*type="file"|<input[^>]*type="file"[^>]*id="seal"', html
    )
