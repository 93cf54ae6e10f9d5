"""The corruption channel's back-office pages beyond the case page: custodians re-sealing for
newcomers, the channel's own trail, tip categories and their deadlines, explaining a delay."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from casework import audit
from casework.extensions import db
from casework.models import (
    AuditEntry,
    Case,
    Category,
    CustodianKey,
    RevealRequest,
    TipIdentity,
)
from casework.staff.roles import CUSTODIAN, INTEGRITY, SUPERVISOR, SYSADMIN
from casework.tipline import custody

PASS = "correct horse battery staple"
TIPSTER = "นางสาวผู้แจ้ง ใจกล้า"


def confidential_tip(client, **accused) -> str:
    body = {
        "category": "bribery",
        "what": "รับเงินใต้โต๊ะเพื่อออกใบอนุญาต",
        "accused": accused,
        "confidential": True,
        "consent": True,
        "identity": {"name": TIPSTER, "phone": "0812345678"},
    }
    r = client.post("/api/v1/tips", json=body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()["receipt"]


def test_a_newer_custodian_is_approved_in_person_and_receives_older_identities(
    app, client, signed_in
):
    first, _first_id = signed_in(CUSTODIAN, "ผู้เก็บ คนแรก")
    officer, _officer_id = signed_in(INTEGRITY, "มานะ อดทน")
    confidential_tip(client)
    accused, _accused_id = signed_in(CUSTODIAN, "สมหญิง ถูกกล่าวหา")  # approved by the first
    confidential_tip(client, name="สมหญิง ถูกกล่าวหา")  # excludes that custodian
    later, later_id = signed_in(CUSTODIAN, "ผู้เก็บ คนใหม่", approve=False)
    with app.app_context():
        first_tip, second_tip = db.session.scalars(
            select(Case.id).filter_by(channel="tip").order_by(Case.sequence)
        ).all()
        key_id = db.session.scalar(select(CustodianKey.id).filter_by(user_id=later_id))
        shown = custody.fingerprint(db.session.get(CustodianKey, key_id))
    officer.post(f"/admin/tips/{first_tip}/assign", data={})
    officer.post(f"/admin/tips/{first_tip}/reveal", data={"reason": "เชิญมาเป็นพยาน"})
    with app.app_context():
        request_id = db.session.scalar(select(RevealRequest.id))
    # The newcomer sees their fingerprint and waits; both others see it to compare.
    page = later.get("/admin/tips/custody").get_data(as_text=True)
    assert shown in page and "/keys/" not in page and "/reveals/" not in page
    r = later.post(f"/admin/tips/reveals/{request_id}/approve", data={"passphrase": PASS})
    assert TIPSTER not in r.get_data(as_text=True)
    assert shown in accused.get("/admin/tips/custody").get_data(as_text=True)
    accused.post(f"/admin/tips/custody/keys/{key_id}/approve", data={"passphrase": "wrong!"})
    with app.app_context():
        assert not db.session.get(CustodianKey, key_id).active
    r = accused.post(
        f"/admin/tips/custody/keys/{key_id}/approve",
        data={"passphrase": PASS},
        follow_redirects=True,
    )
    assert r.status_code == 200
    # Two custodians decide this reveal: the first approves, the newcomer gives the second.
    r = first.post(
        f"/admin/tips/reveals/{request_id}/approve",
        data={"passphrase": PASS},
        follow_redirects=True,
    )
    assert TIPSTER not in r.get_data(as_text=True)
    r = later.post(f"/admin/tips/reveals/{request_id}/approve", data={"passphrase": PASS})
    assert TIPSTER in r.get_data(as_text=True)
    # The accused custodian could not share the tip that names them: the first one does.
    page = first.get("/admin/tips/custody").get_data(as_text=True)
    assert "/admin/tips/custody/reseal" in page
    first.post("/admin/tips/custody/reseal", data={"passphrase": PASS})
    assert "/admin/tips/custody/reseal" not in first.get("/admin/tips/custody").get_data(
        as_text=True
    )
    with app.app_context():
        resealed = db.session.scalars(
            select(AuditEntry).filter_by(action="tip.identity_resealed").order_by(AuditEntry.seq)
        ).all()
        # The approval shared the first tip; the first custodian's re-seal, the second.
        assert [(e.case_id, e.chain) for e in resealed] == [
            (first_tip, audit.TIPS),
            (second_tip, audit.TIPS),
        ]
        approved = db.session.scalar(select(AuditEntry).filter_by(action="custody.key_approved"))
        assert approved.chain == audit.MAIN and approved.data == {"key": key_id}
        # Every custodian key has a box for each tip; the excluded one's is a decoy.
        for tip_id in (first_tip, second_tip):
            boxes = db.session.scalars(select(TipIdentity).filter_by(case_id=tip_id)).all()
            assert len(boxes) == 3 and len({len(b.box) for b in boxes}) == 1
    # The accused custodian neither sees the tip's requests nor its trail.
    officer.post(f"/admin/tips/{second_tip}/assign", data={})
    officer.post(f"/admin/tips/{second_tip}/reveal", data={"reason": "เชิญมา"})
    with app.app_context():
        number = db.session.get(Case, second_tip).case_number
    assert number not in accused.get("/admin/tips/custody").get_data(as_text=True)
    assert number not in accused.get("/admin/tips/trail").get_data(as_text=True)
    assert number in first.get("/admin/tips/trail").get_data(as_text=True)


def test_a_refused_reveal_request_is_said_beside_its_reason_on_the_tip_page(app, client, signed_in):
    """No reason, or a second request while one waits: the tip's page again (400) with the
    message beside the reason, what was typed kept and linked from the summary."""
    signed_in(CUSTODIAN, "ผู้เก็บ คนแรก")
    officer, _officer_id = signed_in(INTEGRITY, "มานะ อดทน")
    confidential_tip(client)
    with app.app_context():
        tip_id = db.session.scalar(select(Case.id).filter_by(channel="tip"))
    officer.post(f"/admin/tips/{tip_id}/assign", data={})
    r = officer.post(f"/admin/tips/{tip_id}/reveal", data={"reason": " "})
    page = r.get_data(as_text=True)
    assert r.status_code == 400
    form = page[page.rindex("<form", 0, page.index('id="reveal-form"')) :].split("</form>")[0]
    assert 'id="reason-error"' in form and 'aria-describedby="reason-error"' in form
    assert '<a href="#reason">' in page[page.index('id="error-summary"') :]
    r = officer.post(f"/admin/tips/{tip_id}/reveal", data={"reason": "เชิญมาเป็นพยาน"})
    assert r.status_code == 302
    again = "ขอเชิญมาให้ถ้อยคำเพิ่ม"
    r = officer.post(f"/admin/tips/{tip_id}/reveal", data={"reason": again})
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and f"{again}</textarea>" in page
    assert 'id="reason-error"' in page
    with app.app_context():
        assert len(db.session.scalars(select(RevealRequest)).all()) == 1


def test_integrity_officers_set_the_tip_categories_deadlines(app, client, signed_in):
    officer, _officer_id = signed_in(INTEGRITY, "มานะ อดทน")
    admin, _admin_id = signed_in(SYSADMIN, "ผู้ดูแล ระบบ")
    with app.app_context():
        bribery = db.session.scalar(select(Category).filter_by(channel="tip", code="bribery"))
        bribery_id = bribery.id
    page = officer.get("/admin/tips/categories").get_data(as_text=True)
    assert "bribery" in page and "roads" not in page  # the tip channel's own categories
    assert admin.get("/admin/tips/categories").status_code == 403
    assert admin.get(f"/admin/categories/{bribery_id}").status_code == 404
    r = officer.post(f"/admin/tips/categories/{bribery_id}", data={"name_th": "", "sla_days": 0})
    assert r.status_code == 400
    r = officer.post(
        f"/admin/tips/categories/{bribery_id}",
        data={"name_th": "การเรียกรับสินบน", "name_en": "Bribery", "sla_days": 7, "active": "y"},
    )
    assert r.status_code == 302
    r = officer.post(
        "/admin/tips/categories",
        data={"code": "gifts", "name_th": "การรับของขวัญเกินราคา", "sla_days": 20, "active": "y"},
    )
    assert r.status_code == 302
    for code in ("gifts", "ของขวัญ", "Gifts!"):
        r = officer.post(
            "/admin/tips/categories", data={"code": code, "name_th": "ซ้ำ", "sla_days": 20}
        )
        assert r.status_code == 400, code
    codes = [
        c["code"] for c in client.get("/api/v1/categories?channel=tip").get_json()["categories"]
    ]
    assert "gifts" in codes
    receipt = client.post(
        "/api/v1/tips", json={"category": "bribery", "what": "เรียกเงิน"}
    ).get_json()["receipt"]
    with app.app_context():
        tip = db.session.scalar(select(Case).filter_by(channel="tip"))
        assert (tip.due_date - tip.received_at.date()).days >= 7
        actions = db.session.scalars(
            select(AuditEntry.action).filter_by(chain=audit.TIPS).order_by(AuditEntry.seq)
        ).all()
        assert actions[:2] == ["tip.category_updated", "tip.category_created"]
    assert receipt


def test_tip_category_codes_follow_the_one_rule(app, signed_in):
    officer, _officer_id = signed_in(INTEGRITY, "มานะ อดทน")
    new = {"name_th": "การรับของขวัญ", "sla_days": 15, "active": "y"}
    for code in ("g", "9gifts", "ของขวัญ"):
        bad = officer.post("/admin/tips/categories", data={**new, "code": code})
        page = bad.get_data(as_text=True)
        assert bad.status_code == 400 and 'id="code-error"' in page, code
        assert "กรุณาใช้ตัวอักษรภาษาอังกฤษตัวพิมพ์เล็ก" in page, code
    officer.set_cookie("lang", "en")
    clash = officer.post("/admin/tips/categories", data={**new, "code": "BRIBERY"})
    assert clash.status_code == 400
    assert "Another category already uses this code." in clash.get_data(as_text=True)
    assert officer.post("/admin/tips/categories", data={**new, "code": " Gifts"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Category).filter_by(channel="tip", code="gifts"))


def test_explaining_a_delay_on_the_case_page_reaches_the_tipster(app, client, signed_in):
    officer, _officer_id = signed_in(INTEGRITY, "มานะ อดทน")
    receipt = client.post(
        "/api/v1/tips", json={"category": "bribery", "what": "เรียกเงิน"}
    ).get_json()["receipt"]
    with app.app_context():
        tip_id = db.session.scalar(select(Case.id).filter_by(channel="tip"))
    officer.post(f"/admin/tips/{tip_id}/assign", data={})
    r = officer.post(f"/admin/tips/{tip_id}/explain", data={"explanation": "", "new_date": "x"})
    assert r.status_code == 400  # the tip's page again, each message beside its field
    page = r.get_data(as_text=True)
    assert 'id="explanation-error"' in page and 'id="new_date-error"' in page
    new_date = date(date.today().year + 1, 6, 15).isoformat()
    officer.post(
        f"/admin/tips/{tip_id}/explain",
        data={"explanation": "รอผลตรวจสอบบัญชีธนาคาร", "new_date": new_date},
    )
    status = client.post("/api/v1/tips/status", json={"receipt": receipt}).get_json()
    assert status["next_answer_due"] == new_date
    (step,) = [s for s in status["progress"] if s["event"] == "explanation"]
    assert step["text"] == "รอผลตรวจสอบบัญชีธนาคาร" and step["new_date"] == new_date
    page = client.post("/whistleblow/status", data={"receipt": receipt}).get_data(as_text=True)
    assert "รอผลตรวจสอบบัญชีธนาคาร" in page
    html = officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True)
    assert "รอผลตรวจสอบบัญชีธนาคาร" in html


def test_transferred_complainant_claims_the_receipt_once_on_the_tip_pages(
    app, client, signed_in, file_complaint
):
    signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    supervisor, _sup = signed_in(SUPERVISOR, "หัวหน้า ทั่วไป")
    filed = file_complaint(
        subject="เจ้าหน้าที่เรียกเงิน",
        details="ขอเงินสามพันบาทเพื่อเร่งใบอนุญาต",
        reporter={"name": "นายผู้ร้อง สุจริตใจ", "phone": "0899999999"},
        consent=True,
    )
    r = supervisor.post(
        f"/admin/tips/transfer/{filed.case.id}", data={"category": "bribery", "confirmed": "yes"}
    )
    assert r.status_code == 302
    assert supervisor.get(f"/admin/cases/{filed.case.id}").status_code in (200, 404)
    page = client.post("/complaints/track", data={"tracking_code": filed.tracking_code})
    html = page.get_data(as_text=True)
    assert "/whistleblow/claim" in html  # the complainant is told where the report went
    form = client.get("/whistleblow/claim").get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', form).group(1)
    sent = {"tracking_code": filed.tracking_code, "form_token": token}
    r = client.post("/whistleblow/claim", data=sent)
    assert r.status_code == 200, r.get_data(as_text=True)
    receipt = re.search(r'class="code">([0-9A-Z-]{24})<', r.get_data(as_text=True)).group(1)
    assert "Set-Cookie" not in r.headers
    again = client.post("/whistleblow/claim", data=sent)  # a refresh: shown once only
    assert receipt not in again.get_data(as_text=True)
    assert not re.search(r'class="code">', again.get_data(as_text=True))
    status = client.post("/api/v1/tips/status", json={"receipt": receipt}).get_json()
    assert status["status"] == "received"
