"""The tipster's status page in general terms (each stage as reached, the referral to an
outside body, the closing with the officer's public text, no names), and protection from
retaliation: reported with the receipt (POST only, no cookie), handled in the back office by
the integrity officers and custodians the tip does not exclude, followed by the executive."""

from __future__ import annotations

import io
from datetime import timedelta

import upload_samples
from sqlalchemy import select
from tip_helpers import staff

from casework.dates import clock
from casework.extensions import db
from casework.models import (
    Attachment,
    Case,
    Organization,
    OutboxMessage,
    RetaliationReport,
    User,
)
from casework.notify import outbox
from casework.staff.roles import CUSTODIAN, EXECUTIVE, INTEGRITY
from casework.tipline import access, followups, referral, workflow

ACCUSED = "นายเจ้าเล่ห์ ฉ้อฉลยิ่ง"
TIP_TEXT = "ผู้อำนวยการกองคลังเรียกรับเงินจากผู้รับเหมาโครงการถนนสายบ้านดอน"
OFFICER = "มานะ อดทน"
COMMITTEE = "นายกรรมการ หนึ่ง, นางกรรมการ สอง"
PENALTY = "ตัดเงินเดือนนายเจ้าเล่ห์ร้อยละห้า"
ORDER = "คำสั่งที่ 77/2570"
RETALIATION_TEXT = "หลังแจ้งเบาะแส หัวหน้าสั่งย้ายข้าพเจ้าไปหน่วยงานห่างไกล"


def _file(app, client) -> tuple[str, int]:
    body = {
        "category": "bribery",
        "accused": {"name": ACCUSED, "position": "ผู้อำนวยการกองคลัง", "unit": "กองคลัง"},
        "what": TIP_TEXT,
    }
    receipt = client.post("/api/v1/tips", json=body).get_json()["receipt"]
    with app.app_context():
        return receipt, db.session.scalar(select(Case.id).filter_by(channel="tip"))


def _page(client, receipt: str) -> str:
    r = client.post("/whistleblow/status", data={"receipt": receipt})
    assert r.status_code == 200
    return r.get_data(as_text=True)


def _stages(page: str) -> str:
    return page.split('class="timeline stages"', 1)[1].split("</ol>", 1)[0]


def _officer(app, name=OFFICER, email="mana@staff.test") -> int:
    with app.app_context():
        org = db.session.scalar(select(Organization))
        return staff(org, INTEGRITY, name, email).id


def test_status_page_shows_each_stage_and_the_closing_and_names_nobody(app, client):
    receipt, case_id = _file(app, client)
    officer_id = _officer(app)
    assert "ยังไม่ถึงขั้นตอนนี้" in _stages(_page(client, receipt))  # the way ahead
    closing = "ผลการสอบสวนพบว่ามีมูล และได้ลงโทษทางวินัยแล้ว"
    with app.app_context(), app.test_request_context():
        case = db.session.get(Case, case_id)
        access.assign(case, db.session.get(User, officer_id))
        change = lambda target, **fields: workflow.change(  # noqa: E731
            case, target, actor_id=officer_id, **fields
        )
        change("preliminary_review", public_note="เริ่มตรวจสอบแล้ว", fact_finder=OFFICER)
        change(
            "investigation",
            order_number=ORDER,
            committee=COMMITTEE,
            charges=f"{ACCUSED} เรียกรับเงิน",
            preliminary_result="มีมูล",
        )
        change("findings", facts="รับเงินจริง", conclusion="founded", evidence_relied="ใบเสร็จ")
        change(
            "disciplinary",
            penalty=PENALTY,
            penalty_kind="dismissal",
            penalty_order_number=ORDER,
            penalty_order_on=clock.today(),
            follow_up_until=clock.today() + timedelta(days=180),
            next_check_on=clock.today() + timedelta(days=30),
        )
        followups.record_check(
            case, actor_id=officer_id, checked_on=clock.today(), note="ไม่พบการกระทำซ้ำ"
        )
        change("closed", outcome="substantiated", public_note=closing)
    page = _page(client, receipt)
    stages = _stages(page)
    assert stages.count("<li") == 6 and stages.count("<time") == 6  # all reached, with days
    assert "ยังไม่ถึงขั้นตอนนี้" not in stages and "aria-current" in stages
    assert closing in page and "เริ่มตรวจสอบแล้ว" in page
    for secret in (OFFICER, "มานะ", COMMITTEE, "กรรมการ หนึ่ง", PENALTY, ORDER, ACCUSED, TIP_TEXT):
        assert secret not in page, secret


def test_status_page_names_the_outside_body_but_not_its_reference(app, client):
    receipt, case_id = _file(app, client)
    officer_id = _officer(app)
    with app.app_context(), app.test_request_context():
        case = db.session.get(Case, case_id)
        access.assign(case, db.session.get(User, officer_id))
        referral.record(
            case,
            actor_id=officer_id,
            body="nacc",
            reference_number="ปช 0099/1234",
            referred_on=None,
        )
        workflow.change(case, "referred_out", actor_id=officer_id, public_note="ส่งแล้ว")
    page = _page(client, receipt)
    assert "ป.ป.ช." in page and "ปช 0099/1234" not in page
    # Received, referred out, and the closing ahead: the tip waits for the body's decision.
    assert _stages(page).count("<li") == 3 and _stages(page).count("<time") == 2
    with app.app_context(), app.test_request_context():
        case = db.session.get(Case, case_id)
        followups.record_decision(
            case, actor_id=officer_id, decision="ป.ป.ช. รับไว้ไต่สวน", decided_on=clock.today()
        )
    page = _page(client, receipt)
    assert _stages(page).count("<li") == 3 and _stages(page).count("<time") == 3
    assert "ไต่สวน" not in page  # the decision itself is not the tipster's to read


def _report(client, receipt):
    return client.post(
        "/whistleblow/retaliation",
        data={
            "receipt": receipt,
            "kind": "transfer",
            "text": RETALIATION_TEXT,
            "attachments": [(io.BytesIO(upload_samples.PNG), "order.png")],
        },
        content_type="multipart/form-data",
    )


def test_a_tipster_reports_retaliation_and_the_right_people_handle_it(
    app, client, login_as, signed_in
):
    receipt, case_id = _file(app, client)
    named_id = _officer(app, "เจ้าเล่ห์ ฉ้อฉลยิ่ง", "named@staff.test")  # the tip names them
    with app.app_context():
        access.exclude(db.session.get(Case, case_id), named_id)
        db.session.commit()
    officer, officer_id = signed_in(INTEGRITY, "วิภา ดีงาม")
    executive, _executive = signed_in(EXECUTIVE, "ผู้บริหาร ตัวอย่าง")
    custodian, custodian_id = signed_in(CUSTODIAN, "ผู้เก็บรักษา หนึ่ง", key=False)
    excluded = app.test_client()
    login_as(INTEGRITY, email="named@staff.test", on=excluded)

    # Only by POST with the receipt; bad input keeps what was typed, beside the fields.
    assert client.get("/whistleblow/retaliation").status_code == 405
    assert client.post("/whistleblow/retaliation", data={"receipt": "WRONG"}).status_code == 404
    r = client.post("/whistleblow/retaliation", data={"receipt": receipt, "text": "ย้ายฉัน"})
    assert r.status_code == 400 and "Set-Cookie" not in r.headers
    assert "เลือกสิ่งที่เกิดขึ้นกับท่าน" in r.get_data(as_text=True)
    assert "ย้ายฉัน" in r.get_data(as_text=True)
    r = _report(client, receipt)
    assert r.status_code == 200 and "Set-Cookie" not in r.headers
    assert "ได้รับการแจ้งว่าถูกกลั่นแกล้งหรือตอบโต้ของท่านแล้ว" in r.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(RetaliationReport))
        report_id = row.id
        assert row.case_id == case_id and RETALIATION_TEXT.encode() not in row.text_sealed
        (att,) = db.session.scalars(select(Attachment).filter_by(retaliation_id=row.id))
        file_id = att.id
        told = {
            (m.template, outbox.recipient(m))
            for m in db.session.scalars(select(OutboxMessage).filter_by(case_id=case_id))
        }
        assert told == {  # at once; never the officer the tip names, nor the executive
            ("retaliation_reported", db.session.get(User, officer_id).email),
            ("retaliation_reported", db.session.get(User, custodian_id).email),
        }
    url = f"/admin/tips/retaliation/{report_id}"

    # An integrity officer the tip does not exclude reads it and its evidence.
    assert url in officer.get("/admin/tips/retaliation").get_data(as_text=True)
    assert RETALIATION_TEXT in officer.get(url).get_data(as_text=True)
    r = officer.get(f"{url}/files/{file_id}")
    assert r.status_code == 200 and r.data[:4] == b"\x89PNG"
    r = officer.post(f"{url}/close", data={"action": "ย้ายกลับ"})
    assert r.status_code == 400 and "ย้ายกลับ" in r.get_data(as_text=True)

    # The executive follows the list but does not read it or close it.
    assert url in executive.get("/admin/tips/retaliation").get_data(as_text=True)
    assert RETALIATION_TEXT not in executive.get(url).get_data(as_text=True)
    r = executive.post(f"{url}/close", data={"action": "x", "public_note": "y"})
    assert r.status_code == 403
    assert executive.get(f"{url}/files/{file_id}").status_code == 403

    # The officer the tip names sees nothing of it.
    assert url not in excluded.get("/admin/tips/retaliation").get_data(as_text=True)
    assert excluded.get(url).status_code == 404

    # A custodian closes it; the tipster reads the note, and no name.
    note = "ได้ประสานให้ระงับคำสั่งย้ายแล้ว"
    r = custodian.post(
        f"{url}/close", data={"action": "ประสานปลัดเทศบาลให้ระงับคำสั่ง", "public_note": note}
    )
    assert r.status_code == 302
    page = _page(client, receipt)
    assert note in page and "ประสานปลัดเทศบาล" not in page and "ผู้เก็บรักษา หนึ่ง" not in page
