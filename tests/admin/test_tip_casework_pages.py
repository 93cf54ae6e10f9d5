"""A tip from start to finish through the back office's pages: an integrity officer registers
it from the way it arrived, moves it through each stage with what the stage records, follows
up the offender or the outside body it went to, and closes it. A clerk who begins a corruption
report on the general intake form is sent on without any case being made."""

from __future__ import annotations

import io
import re
from datetime import datetime

import upload_samples
from sqlalchemy import func, select
from upload_samples import PNG

from casework.cases import attachments
from casework.extensions import db
from casework.general import access as general_access
from casework.models import (
    Attachment,
    Case,
    HeldUpload,
    OutboxMessage,
    RetaliationReport,
    TipDetails,
    TipFollowUpCheck,
    User,
)
from casework.notify import mailer
from casework.tipline import referral, retaliation, stages

ACCUSED = "นายสมชาย ใจร้าย"
WHAT = "เรียกเงินสองหมื่นบาทเพื่อให้ผ่านการตรวจรับงานก่อสร้างถนน"


def _officer(app, login_as, name="มานะ อดทน"):
    client = app.test_client()
    login_as("integrity", email=f"integrity-{len(name)}@staff.test", on=client, name=name)
    return client


def _register(client, **fields):
    data = {
        "origin": "letter",
        "received_on": "2570-02-20",
        "category": "bribery",
        "accused_name": ACCUSED,
        "accused_position": "นายช่างโยธา",
        "accused_unit": "กองช่าง",
        "accused_role": "staff",
        "what": WHAT,
        "reported_elsewhere": "no",
        "confidential": "no",
        "form_token": "r" * 40,
    }
    data.update(fields)
    return client.post("/admin/tips/register", data=data, content_type="multipart/form-data")


def _tip_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/admin/tips/(-?\d+)$", response.headers["Location"]).group(1))


def _step(client, tip_id, path, **data):
    response = client.post(f"/admin/tips/{tip_id}/{path}", data=data)
    assert response.headers["Location"].endswith(f"/admin/tips/{tip_id}")
    page = client.get(f"/admin/tips/{tip_id}").get_data(as_text=True)
    errors = re.findall(r'notice-error" role="status">([^<]*)', page)
    assert not errors, errors
    return page


def _case(app, tip_id) -> Case:
    with app.app_context():
        case = db.session.get(Case, tip_id)
        db.session.expunge(case)
        return case


def _count(app, channel) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id)).filter_by(channel=channel))


def test_anonymous_letter_through_the_pages_to_penalty_follow_up_and_closing(app, login_as, frozen):
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = _officer(app, login_as)
    form = officer.get("/admin/tips/register").get_data(as_text=True)
    assert 'value="anonymous_letter"' in form and 'value="referral_in"' in form
    complaints = _count(app, "complaint")
    scan = upload_samples.pdf_with_everything()
    bad = _register(
        officer,
        origin="anonymous_letter",
        what="",
        received_on="2570-13-40",
        attachments=(io.BytesIO(scan), "scan.pdf"),
    )
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert 'id="what-error"' in page and 'id="received_on-error"' in page
    assert ACCUSED in page and 'class="held-name">scan.pdf<' in page  # typed and files kept
    token = re.search(r'name="held_token"[^>]*value="([^"]+)"', page).group(1)
    shown = re.findall(r'name="held_file" value="([^"]+)"', page)
    tip_id = _tip_id(
        _register(officer, origin="anonymous_letter", held_token=token, held_file=shown)
    )
    page = officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True)
    assert ACCUSED in page and "scan" not in page  # assigned: the officer reads it
    with app.app_context():
        case = db.session.get(Case, tip_id)
        (att,) = db.session.scalars(select(Attachment).filter_by(case_id=tip_id)).all()
        assert att.uploaded_by == "staff" and b"/Author" not in attachments.content(att, case)
        assert db.session.scalar(select(func.count(HeldUpload.id))) == 0
    assert _case(app, tip_id).received_via == "letter" and _count(app, "complaint") == complaints

    _step(officer, tip_id, "status", target="preliminary_review", fact_finder="นางสาวนิติ กร")
    _step(
        officer,
        tip_id,
        "status",
        target="investigation",
        preliminary_result="ข้อเท็จจริงเบื้องต้นมีมูล",
        order_number="คำสั่งเทศบาลที่ 101/2570",
        committee="นายหนึ่ง ประธาน",
        charges=f"{ACCUSED} เรียกรับเงิน",
    )
    _step(
        officer,
        tip_id,
        "status",
        target="findings",
        facts="รับเงินสองหมื่นบาทจริง",
        conclusion="founded",
        evidence_relied="คำให้การผู้รับจ้าง",
    )
    page = _step(
        officer,
        tip_id,
        "status",
        target="disciplinary",
        penalty_kind="step_down",
        penalty_order_number="คำสั่งเทศบาลที่ 150/2570",
        penalty_order_on="2570-02-28",
        civil_referral="1",
        money_to_recover="20000",
        follow_up_until="2570-09-30",
        next_check_on="2570-06-01",
    )
    record = page[page.index('id="stage-record"') :]
    for shown in ("นางสาวนิติ กร", "คำสั่งเทศบาลที่ 101/2570", "รับเงินสองหมื่นบาทจริง"):
        assert shown in record
    assert "ลดขั้นเงินเดือน" in record and "20,000.00" in record
    # A substantiated closing waits for a check on the offender.
    r = officer.post(
        f"/admin/tips/{tip_id}/status", data={"target": "closed", "outcome": "substantiated"}
    )
    assert _case(app, tip_id).status == "disciplinary"
    assert r.status_code == 400 and "ก่อนปิดเรื่อง" in r.get_data(as_text=True)
    _step(
        officer,
        tip_id,
        "checks",
        checked_on="2570-03-01",
        note="ไม่พบการกระทำซ้ำ",
        next_on="2570-09-01",
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(TipFollowUpCheck.id))) == 1
    _step(
        officer,
        tip_id,
        "status",
        target="closed",
        outcome="substantiated",
        public_note="ดำเนินการทางวินัยแล้ว",
    )
    case = _case(app, tip_id)
    assert case.status == "closed" and case.outcome == "substantiated"
    assert _count(app, "complaint") == complaints


def test_referral_in_from_nacc_through_the_pages_out_and_closed_on_the_decision(
    app, login_as, frozen
):
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = _officer(app, login_as)
    bad = _register(officer, origin="referral_in", origin_body="", origin_reference="")
    assert bad.status_code == 400 and 'id="origin_body-error"' in bad.get_data(as_text=True)
    tip_id = _tip_id(
        _register(
            officer,
            origin="referral_in",
            origin_body="nacc",
            origin_reference="ปช 0012/2570",
            accused_role="mayor",
        )
    )
    page = officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True)
    assert "ปช 0012/2570" in page
    _step(
        officer,
        tip_id,
        "referral",
        body="pacc",
        reference_number="ปท 77/2570",
        referred_on="2570-03-01",
        follow_up_on="2570-04-01",
    )
    _step(officer, tip_id, "status", target="referred_out")
    assert _case(app, tip_id).status == "referred_out"
    page = _step(
        officer,
        tip_id,
        "referral/decision",
        decision="ป.ป.ท. ชี้มูลและส่งเรื่องให้ผู้ว่าราชการจังหวัด",
        decided_on="2570-03-01",
    )
    assert "ป.ป.ท. ชี้มูล" in page
    case = _case(app, tip_id)
    assert case.status == "closed" and case.outcome == "referred"
    with app.app_context():
        assert referral.referral_of(case).status == "decided"


def test_a_visitor_gets_a_slip_whose_receipt_opens_the_public_status_page(
    app, client, login_as, frozen
):
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = _officer(app, login_as)
    slip = _register(officer, origin="visit", received_on="2570-03-01", receipt="y")
    html = slip.get_data(as_text=True)
    assert slip.status_code == 200, re.findall(r"<li><a href=\"#([^\"]*)\">([^<]*)", html)
    assert "ใบรับเรื่องแจ้งเบาะแส" in html and "data-print" in html
    receipt = re.search(r'class="code">([0-9A-Z-]{24})<', html).group(1)
    number = re.search(r"<strong>(T\d{4}/\d{5})</strong>", html).group(1)
    status = client.post("/whistleblow/status", data={"receipt": receipt})
    assert status.status_code == 200 and number in status.get_data(as_text=True)
    # A letter registered without a receipt gives none.
    assert _register(officer, form_token="s" * 40).status_code == 302


def test_a_corruption_report_begun_at_the_general_intake_never_makes_a_general_case(
    app, client, login_as, frozen, monkeypatch
):
    frozen(datetime(2027, 3, 1, 3, 0))
    login_as("clerk")
    intake = client.get("/admin/intake").get_data(as_text=True)
    assert 'name="corruption"' in intake and 'id="corruption-report"' in intake
    assert "/admin/tips/register" not in intake  # a clerk is told whom to hand it to
    before = (_count(app, "complaint"), _count(app, "tip"))
    # A scan attached to a form that came back with an error is kept for that form ...
    held = client.post(
        "/admin/intake",
        data={"received_via": "letter", "attachments": (io.BytesIO(PNG), "letter.png")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    token = re.search(r'name="held_token"[^>]*value="([^"]+)"', held).group(1)
    with app.app_context():
        assert db.session.scalar(select(func.count(HeldUpload.id))) == 1
    data = {
        "received_via": "letter",
        "received_on": "2570-02-27",
        "kind": "complaint",
        "category": "roads",
        "subject": "ร้องเรียนนายช่างเรียกเงิน",
        "details": WHAT,
        "form_token": "c" * 40,
        "corruption": "1",
    }
    response = client.post("/admin/intake", data=data | {"held_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "notice-warning" in page
    assert WHAT not in page  # nothing typed is kept on the general side ...
    with app.app_context():
        assert db.session.scalar(select(func.count(HeldUpload.id))) == 0  # ... nor any file
    assert (_count(app, "complaint"), _count(app, "tip")) == before
    # An integrity officer who presses it goes on to the tip channel's form.
    officer = _officer(app, login_as)
    assert officer.post("/admin/intake", data=data).status_code == 403  # not their form
    monkeypatch.setitem(
        general_access.RULES, "intake.register", frozenset({"clerk", "supervisor", "integrity"})
    )
    moved = officer.post("/admin/intake", data=data)
    assert moved.status_code == 302
    assert moved.headers["Location"].endswith("/admin/tips/register")
    assert (_count(app, "complaint"), _count(app, "tip")) == before
    # The same form without the button registers a complaint: the button is what kept it out.
    del data["corruption"]
    assert client.post("/admin/intake", data=data).status_code == 200
    assert _count(app, "complaint") == before[0] + 1


def test_officers_keep_the_list_of_penalty_kinds(app, login_as):
    officer = _officer(app, login_as)
    page = officer.get("/admin/tips/penalties").get_data(as_text=True)
    assert "ภาคทัณฑ์" in page and "ไล่ออก" in page
    bad = officer.post("/admin/tips/penalties", data={"name_th": "", "name_en": "Resign"})
    assert bad.status_code == 400 and 'id="name_th-error"' in bad.get_data(as_text=True)
    assert "Resign" in bad.get_data(as_text=True)
    assert officer.post("/admin/tips/penalties", data={"name_th": "ให้ออก"}).status_code == 302
    assert "ให้ออก" in officer.get("/admin/tips/penalties").get_data(as_text=True)


def test_the_daily_sweep_reminds_of_a_referral_to_follow_up(app, login_as, frozen):
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = _officer(app, login_as)
    tip_id = _tip_id(_register(officer, origin="phone"))
    _step(
        officer,
        tip_id,
        "referral",
        body="governor",
        reference_number="ชม 0017/2570",
        referred_on="2570-03-01",
        follow_up_on="2570-03-10",
    )
    _step(officer, tip_id, "status", target="referred_out")
    runner = app.test_cli_runner()
    assert "0 follow-ups due; 0 messages queued" in runner.invoke(args=["sla", "sweep"]).output
    frozen(datetime(2027, 3, 10, 3, 0))
    assert "1 follow-ups due; 1 messages queued" in runner.invoke(args=["sla", "sweep"]).output
    assert "1 follow-ups due; 0 messages queued" in runner.invoke(args=["sla", "sweep"]).output
    with app.app_context():
        (row,) = db.session.scalars(select(OutboxMessage).filter_by(template="tip_follow_up"))
        assert row.payload["kind"] == "referral" and ACCUSED not in str(row.payload)


def test_the_tip_page_lists_its_reports_of_retaliation_urgent_first(app, login_as, frozen):
    """The tip's page links each report of retaliation, the open ones marked urgent, for those
    who may see them; whoever the tip excludes sees neither the tip nor its reports."""
    frozen(datetime(2027, 3, 1, 3, 0))
    named = _officer(app, login_as, "สมชาย ใจร้าย")  # the tip names them: excluded
    officer = _officer(app, login_as)
    tip_id = _tip_id(_register(officer))
    with app.app_context():
        case = db.session.get(Case, tip_id)
        closed = retaliation.report(case, "threat", "มีคนโทรมาข่มขู่ที่บ้าน", [])
        urgent = retaliation.report(case, "transfer", "ถูกสั่งย้ายไปหน่วยงานห่างไกล", [])
        closed_id, urgent_id = closed.id, urgent.id
        named_user = db.session.scalar(select(User).filter_by(name="สมชาย ใจร้าย"))
        assert retaliation.of_case(named_user, case) == []
        custodian = db.session.get(User, login_as("custodian", email="keeper@staff.test"))
        row = retaliation.report_for(custodian, closed_id)
        retaliation.close(row, custodian, action="ประสานให้ระงับ", public_note="ดำเนินการแล้ว")

    page = officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True)
    section = page.split('class="card retaliations', 1)[1].split("</section>", 1)[0]
    items = re.findall(r'<li class="retaliation retaliation-(\w+)">(.*?)</li>', section, re.S)
    # The open report first, marked urgent; the closed one after, linked, not urgent.
    assert [status for status, _ in items] == ["open", "closed"]
    assert f"/admin/tips/retaliation/{urgent_id}" in items[0][1]
    assert 'class="urgent"' in items[0][1]
    assert f"/admin/tips/retaliation/{closed_id}" in items[1][1]
    assert 'class="urgent"' not in items[1][1]
    assert "notice-error" in page.split('class="card retaliations', 1)[1][:40]
    assert "ถูกสั่งย้ายไปหน่วยงานห่างไกล" not in section  # the list, never the text

    assert named.get(f"/admin/tips/{tip_id}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(RetaliationReport.id))) == 2


def _correction_form(page: str, key: str) -> str:
    """The correction form ``key`` of a tip page, from its <details> to its </form>."""
    start = page.rindex("<details", 0, page.index(f'id="correct-{key}"'))
    return page[start:].split("</form>", 1)[0]


def _beside(form: str, field_id: str) -> str:
    """The error message shown beside the field ``field_id`` (the field tied to it)."""
    match = re.search(rf'<span class="error" id="{field_id}-error">([^<]*)</span>', form)
    assert match, f"no error beside {field_id}"
    assert f'id="{field_id}"' in form and f'aria-describedby="{field_id}-error"' in form
    return match.group(1)


def _summary_links(page: str) -> list[str]:
    summary = page[page.index('id="error-summary"') :].split("</div>", 1)[0]
    return re.findall(r'href="([^"]+)"', summary)


def _flashed(page: str) -> list[str]:
    return re.findall(r'notice-error" role="status">([^<]*)', page)


def test_the_assigned_officer_corrects_a_stage_record_on_the_tip_page(app, login_as, frozen):
    frozen(datetime(2027, 3, 1, 3, 0))
    colleague = _officer(app, login_as, "วิภา ดีงาม")  # an integrity officer not assigned
    officer = _officer(app, login_as)
    tip_id = _tip_id(_register(officer))
    _step(officer, tip_id, "status", target="preliminary_review", fact_finder="นางสาวนิติ กร")
    page = officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True)
    assert 'id="correct-preliminary_review"' in page and 'id="correct-findings"' not in page
    form = page[page.index('id="correct-preliminary_review"') :].split("</form>", 1)[0]
    assert "นางสาวนิติ กร</textarea>" in form  # the current record, to correct

    # A mistake: the form's message beside its field, nothing changed.
    r = officer.post(
        f"/admin/tips/{tip_id}/correct", data={"stage": "preliminary_review", "fact_finder": ""}
    )
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    form = _correction_form(page, "preliminary_review")
    assert _beside(form, "c-preliminary_review-fact_finder").endswith(
        "กรุณาระบุผู้ได้รับมอบหมายให้สืบสวนข้อเท็จจริง"
    )
    assert _summary_links(page) == ["#c-preliminary_review-fact_finder"]
    assert not _flashed(page)
    assert "นางสาวนิติ กร" in page[page.index('id="stage-record"') :]

    r = officer.post(
        f"/admin/tips/{tip_id}/correct",
        data={"stage": "preliminary_review", "fact_finder": "นายนิติ ธรรม"},
    )
    assert r.status_code == 302
    page = officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True)
    record = page[page.index('id="stage-record"') :].split("</dl>", 1)[0]
    assert "นายนิติ ธรรม" in record and "นางสาวนิติ กร" not in record
    made = page[page.index('class="corrections-made"') :].split("</ol>", 1)[0]
    assert "นางสาวนิติ กร" in made and "มานะ อดทน" in made  # the old value, and who

    # Not assigned: no form, and the correction is refused.
    assert "correct-preliminary_review" not in colleague.get(f"/admin/tips/{tip_id}").get_data(
        as_text=True
    )
    r = colleague.post(
        f"/admin/tips/{tip_id}/correct",
        data={"stage": "preliminary_review", "fact_finder": "คนอื่น"},
    )
    assert r.status_code in (302, 403)
    with app.app_context():
        details = db.session.scalar(select(TipDetails).filter_by(case_id=tip_id))
        case = db.session.get(Case, tip_id)
        assert stages.opened(case, details)["fact_finder"] == "นายนิติ ธรรม"


def test_no_message_form_for_a_tipster_without_a_receipt(app, login_as, frozen):
    """A letter registered without a receipt slip: nobody can read a message, so the page says
    how to reach the tipster instead, and a message posted anyway is refused. A visitor handed
    a slip can be written to."""
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = _officer(app, login_as)
    tip_id = _tip_id(_register(officer))
    page = officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True)
    assert f"/admin/tips/{tip_id}/message" not in page and 'id="no-receipt"' in page
    assert "ผู้แจ้งเบาะแสไม่มีรหัสใบรับ" in page
    officer.post(f"/admin/tips/{tip_id}/message", data={"message": "ขอทราบวันที่ที่แน่นอน"})
    page = officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True)
    assert "ผู้แจ้งเบาะแสไม่มีรหัสใบรับ" in page.split('id="no-receipt"', 1)[0]  # the flash
    assert "ส่งข้อความแล้ว" not in page
    with app.app_context():
        assert db.session.get(Case, tip_id).messages == []

    assert _register(officer, origin="visit", receipt="y", form_token="v" * 40).status_code == 200
    with app.app_context():
        visit_id = db.session.scalar(select(TipDetails.case_id).filter_by(origin="visit"))
    page = officer.get(f"/admin/tips/{visit_id}").get_data(as_text=True)
    assert f"/admin/tips/{visit_id}/message" in page and 'id="no-receipt"' not in page
    _step(officer, visit_id, "message", message="ขอทราบวันที่ที่แน่นอน")


def test_switching_language_on_the_tip_registration_error_page_keeps_it_all(app, login_as):
    officer = _officer(app, login_as)
    tips = _count(app, "tip")
    bad = _register(officer, what="", attachments=(io.BytesIO(upload_samples.PNG), "scan.png"))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert '<button type="submit" form="tip-register-form" formnovalidate' in page
    token = re.search(r'name="held_token"[^>]*value="([^"]+)"', page).group(1)
    shown = re.findall(r'name="held_file" value="([^"]+)"', page)
    switched = _register(officer, what="", held_token=token, held_file=shown, switch_language="en")
    page = switched.get_data(as_text=True)
    assert switched.status_code == 200 and '<html lang="en">' in page
    assert ACCUSED in page and 'class="held-name">scan.png<' in page
    assert _count(app, "tip") == tips  # nothing registered


def _to_follow_up(officer, tip_id, next_check_on="2570-06-01") -> None:
    _step(officer, tip_id, "status", target="preliminary_review", fact_finder="นางสาวนิติ กร")
    _step(
        officer,
        tip_id,
        "status",
        target="investigation",
        preliminary_result="มีมูล",
        order_number="คำสั่งเทศบาลที่ 101/2570",
        committee="นายหนึ่ง ประธาน",
        charges="เรียกรับเงิน",
    )
    _step(
        officer,
        tip_id,
        "status",
        target="findings",
        facts="รับเงินจริง",
        conclusion="founded",
        evidence_relied="คำให้การ",
    )
    _step(
        officer,
        tip_id,
        "status",
        target="disciplinary",
        penalty_kind="step_down",
        penalty_order_number="คำสั่งเทศบาลที่ 150/2570",
        penalty_order_on="2570-02-28",
        follow_up_until="2570-09-30",
        next_check_on=next_check_on,
    )


def test_the_daily_sweep_sends_one_email_when_a_stage_and_an_offender_check_are_due_together(
    app, login_as, frozen
):
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = _officer(app, login_as)
    tip_id = _tip_id(_register(officer))
    _to_follow_up(officer, tip_id, next_check_on="2570-03-14")
    assert _case(app, tip_id).due_date.isoformat() == "2027-03-16"
    runner = app.test_cli_runner()
    frozen(datetime(2027, 3, 14, 3, 0))
    out = runner.invoke(args=["sla", "sweep"]).output
    assert "demo tips: 1 due soon" in out and "1 follow-ups due; 1 messages queued" in out
    assert "1 follow-ups due; 0 messages queued" in runner.invoke(args=["sla", "sweep"]).output
    with app.app_context():
        (row,) = db.session.scalars(select(OutboxMessage).filter_by(case_id=tip_id))
        assert row.template == "tip_due_soon" and row.payload["check_on"] == "2027-03-14"
        text = mailer.compose(row, "officer@staff.test").get_content()
        assert "ตรวจติดตามพฤติกรรมผู้กระทำผิด" in text and ACCUSED not in text


def test_a_check_on_the_offender_is_corrected_on_the_tip_page_its_errors_beside_the_fields(
    app, login_as, frozen
):
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = _officer(app, login_as)
    tip_id = _tip_id(_register(officer))
    _to_follow_up(officer, tip_id)
    _step(
        officer,
        tip_id,
        "checks",
        checked_on="2570-03-01",
        note="ไม่พบการกระทำซ้ำ",
        next_on="2570-06-01",
    )
    with app.app_context():
        check_id = db.session.scalar(select(TipFollowUpCheck.id))
    key = f"check-{check_id}"
    form = _correction_form(officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True), key)
    assert "ไม่พบการกระทำซ้ำ</textarea>" in form and 'value="2027-06-01"' in form

    # A day in the future and a next check before it: each message beside its field, the
    # note as typed, the form open; nothing flashed at the top, nothing changed.
    typed = "พบว่าย้ายไปปฏิบัติงานที่กองคลัง"
    r = officer.post(
        f"/admin/tips/{tip_id}/correct",
        data={
            "stage": "follow_up_check",
            "check_id": str(check_id),
            "checked_on": "2027-03-05",
            "note": typed,
            "next_on": "2027-10-01",
            "repeat_case": "",
        },
    )
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    form = _correction_form(page, key)
    assert " open>" in form.split("<summary>", 1)[0]
    assert _beside(form, f"c-{key}-checked_on") == "วันที่ต้องไม่เป็นวันในอนาคต"
    assert _beside(form, f"c-{key}-next_on")
    assert f"{typed}</textarea>" in form and 'value="2027-03-05"' in form
    assert _summary_links(page) == [f"#c-{key}-checked_on", f"#c-{key}-next_on"]
    assert not _flashed(page)

    # Nothing changed: the message at the top of that form, linked from the summary.
    r = officer.post(
        f"/admin/tips/{tip_id}/correct",
        data={
            "stage": "follow_up_check",
            "check_id": str(check_id),
            "checked_on": "2027-03-01",
            "note": "ไม่พบการกระทำซ้ำ",
            "next_on": "2027-06-01",
        },
    )
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    assert f'id="c-{key}-stage-error"' in _correction_form(page, key)
    assert _summary_links(page) == [f"#correct-{key}"]

    r = officer.post(
        f"/admin/tips/{tip_id}/correct",
        data={
            "stage": "follow_up_check",
            "check_id": str(check_id),
            "checked_on": "2027-02-28",
            "note": typed,
            "next_on": "2027-07-01",
        },
    )
    assert r.status_code == 302
    page = officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True)
    record = page[page.index('id="stage-record"') :].split("</dl>", 1)[0]
    assert typed in record and "ไม่พบการกระทำซ้ำ" not in record
    made = page[page.index('class="corrections-made"') :].split("</ol>", 1)[0]
    assert "ไม่พบการกระทำซ้ำ" in made and "มานะ อดทน" in made  # the old note, and who
    with app.app_context():
        details = db.session.scalar(select(TipDetails).filter_by(case_id=tip_id))
        assert details.next_check_on.isoformat() == "2027-07-01"

    # A check of no form on the page: refused, said at the top.
    r = officer.post(
        f"/admin/tips/{tip_id}/correct",
        data={"stage": "follow_up_check", "check_id": "๑", "checked_on": "2027-03-01"},
    )
    assert r.status_code == 302
    assert _flashed(officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True))


def test_the_outside_bodys_decision_is_corrected_on_the_tip_page(app, login_as, frozen):
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = _officer(app, login_as)
    tip_id = _tip_id(_register(officer))
    _step(
        officer,
        tip_id,
        "referral",
        body="pacc",
        reference_number="ปท 77/2570",
        referred_on="2570-03-01",
        follow_up_on="2570-04-01",
    )
    _step(officer, tip_id, "status", target="referred_out")
    decided = "ป.ป.ท. ชี้มูลและส่งเรื่องให้ผู้ว่าราชการจังหวัด"
    _step(officer, tip_id, "referral/decision", decision=decided, decided_on="2570-03-01")
    form = _correction_form(
        officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True), "referral_decision"
    )
    assert f"{decided}</textarea>" in form

    r = officer.post(
        f"/admin/tips/{tip_id}/correct",
        data={"stage": "referral_decision", "decision": "", "decided_on": "2027-02-27"},
    )
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    form = _correction_form(page, "referral_decision")
    assert _beside(form, "c-referral_decision-decision")
    assert 'value="2027-02-27"' in form  # kept as typed
    assert not _flashed(page)

    fixed = decided + " เมื่อวันที่ 27 กุมภาพันธ์"
    r = officer.post(
        f"/admin/tips/{tip_id}/correct",
        data={"stage": "referral_decision", "decision": fixed, "decided_on": "2027-02-27"},
    )
    assert r.status_code == 302
    page = officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True)
    assert fixed in page[page.index('id="stage-record"') :].split("</dl>", 1)[0]
    made = page[page.index('class="corrections-made"') :].split("</ol>", 1)[0]
    assert decided in made and "มานะ อดทน" in made


# --- every other form of the tip page, refused: as the corrections are -----------------------


def _page_form(page: str, form_id: str) -> str:
    """The form ``form_id`` of a tip page, from its <form to its </form>."""
    start = page.rindex("<form", 0, page.index(f'id="{form_id}"'))
    return page[start:].split("</form>", 1)[0]


def _refused(response) -> str:
    """The tip page shown again for a refused form: 400, nothing flashed at the top."""
    page = response.get_data(as_text=True)
    assert response.status_code == 400, response.status_code
    assert not _flashed(page)
    return page


def test_a_refused_stage_change_keeps_what_was_typed_each_message_beside_its_field(
    app, login_as, frozen
):
    """Fact-finding, investigation, findings and penalty: each refused once (the page again,
    what was typed kept, each message beside its field and linked from the summary, the tip
    where it was), then recorded."""
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = _officer(app, login_as)
    tip_id = _tip_id(_register(officer))

    def status(**data):
        return officer.post(f"/admin/tips/{tip_id}/status", data=data)

    page = _refused(
        status(target="preliminary_review", fact_finder=" ", internal_note="ตรวจเอกสารแล้ว")
    )
    form = _page_form(page, "status-form")
    assert _beside(form, "fact_finder") == "กรุณาระบุผู้ได้รับมอบหมายให้สืบสวนข้อเท็จจริง"
    assert '<option value="preliminary_review" selected>' in form
    assert "ตรวจเอกสารแล้ว</textarea>" in form
    assert _summary_links(page) == ["#fact_finder"]
    assert _case(app, tip_id).status == "received"
    _step(officer, tip_id, "status", target="preliminary_review", fact_finder="นางสาวนิติ กร")

    page = _refused(status(target="investigation", preliminary_result="มีมูล", charges="เรียกรับเงิน"))
    form = _page_form(page, "status-form")
    assert _beside(form, "order_number") and _beside(form, "committee")
    assert "มีมูล</textarea>" in form and "เรียกรับเงิน</textarea>" in form
    assert _summary_links(page) == ["#committee", "#order_number"]
    _step(
        officer,
        tip_id,
        "status",
        target="investigation",
        preliminary_result="มีมูล",
        order_number="คำสั่งเทศบาลที่ 101/2570",
        committee="นายหนึ่ง ประธาน",
        charges="เรียกรับเงิน",
    )

    page = _refused(status(target="findings", facts="รับเงินจริง", evidence_relied="คำให้การ"))
    form = _page_form(page, "status-form")
    assert _beside(form, "conclusion") == "กรุณาเลือกผลการสอบสวน"
    assert "รับเงินจริง</textarea>" in form and "คำให้การ</textarea>" in form
    assert _summary_links(page) == ["#conclusion"]
    _step(
        officer,
        tip_id,
        "status",
        target="findings",
        facts="รับเงินจริง",
        conclusion="founded",
        evidence_relied="คำให้การ",
    )

    penalty = {
        "target": "disciplinary",
        "penalty_kind": "step_down",
        "penalty_order_number": "คำสั่งเทศบาลที่ 150/2570",
        "penalty_order_on": "2570-02-28",
        "civil_referral": "1",
        "follow_up_until": "2570-09-30",
    }
    page = _refused(status(**penalty, money_to_recover="สองหมื่น", next_check_on="2570-10-01"))
    form = _page_form(page, "status-form")
    assert _beside(form, "money_to_recover") == "กรุณาระบุจำนวนเงินเป็นบาท เช่น 12500.50"
    assert _beside(form, "next_check_on")
    assert 'value="คำสั่งเทศบาลที่ 150/2570"' in form and 'value="สองหมื่น"' in form
    assert '<option value="step_down" selected>' in form
    assert re.search(r'id="civil_referral"[^>]*checked', form)
    assert not re.search(r'id="criminal_referral"[^>]*checked', form)
    assert _summary_links(page) == ["#money_to_recover", "#next_check_on"]
    assert _case(app, tip_id).status == "findings"
    _step(
        officer, tip_id, "status", **penalty, money_to_recover="20000", next_check_on="2570-06-01"
    )
    assert _case(app, tip_id).status == "disciplinary"

    # Closing before any check on the offender: the message beside the step chosen.
    page = _refused(status(target="closed", outcome="substantiated", public_note="ลงโทษแล้ว"))
    form = _page_form(page, "status-form")
    assert _beside(form, "target") == "กรุณาบันทึกผลการติดตามผู้กระทำผิดอย่างน้อยหนึ่งครั้งก่อนปิดเรื่อง"
    assert '<option value="substantiated" selected>' in form and "ลงโทษแล้ว</textarea>" in form


def test_a_refused_check_on_the_offender_keeps_the_note_its_messages_beside_the_fields(
    app, login_as, frozen
):
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = _officer(app, login_as)
    tip_id = _tip_id(_register(officer))
    _to_follow_up(officer, tip_id)
    note = "พบว่ายังปฏิบัติงานตามปกติ"
    r = officer.post(
        f"/admin/tips/{tip_id}/checks",
        data={"checked_on": "2570-03-05", "note": note, "repeat_case": "T2570/99999"},
    )
    page = _refused(r)
    form = _page_form(page, "check-form")
    assert _beside(form, "checked_on") == "วันที่ต้องไม่เป็นวันในอนาคต"
    assert _beside(form, "repeat_case")
    assert f"{note}</textarea>" in form and 'value="2570-03-05"' in form
    assert 'value="T2570/99999"' in form
    assert _summary_links(page) == ["#checked_on", "#repeat_case"]
    with app.app_context():
        assert db.session.scalar(select(func.count(TipFollowUpCheck.id))) == 0
    _step(officer, tip_id, "checks", checked_on="2570-03-01", note=note, next_on="2570-06-01")
    with app.app_context():
        assert db.session.scalar(select(func.count(TipFollowUpCheck.id))) == 1


def test_a_refused_referral_out_and_outside_body_decision_keep_what_was_typed(
    app, login_as, frozen
):
    frozen(datetime(2027, 3, 1, 3, 0))
    officer = _officer(app, login_as)
    tip_id = _tip_id(_register(officer))
    r = officer.post(
        f"/admin/tips/{tip_id}/referral",
        data={
            "body": "other",
            "body_name": "",
            "reference_number": "",
            "referred_on": "2570-03-01",
        },
    )
    page = _refused(r)
    form = _page_form(page, "referral-form")
    assert _beside(form, "body_name") == "กรุณาระบุชื่อหน่วยงาน"
    assert '<option value="other" selected>' in form and 'value="2570-03-01"' in form
    assert _summary_links(page) == ["#body_name", "#reference_number"]
    with app.app_context():
        assert referral.referral_of(db.session.get(Case, tip_id)) is None
    r = officer.post(
        f"/admin/tips/{tip_id}/referral",
        data={"body": "pacc", "reference_number": "", "referred_on": "2570-03-02"},
    )
    form = _page_form(_refused(r), "referral-form")
    assert _beside(form, "reference_number") and 'value="2570-03-02"' in form
    assert '<option value="pacc" selected>' in form
    _step(
        officer,
        tip_id,
        "referral",
        body="pacc",
        reference_number="ปท 77/2570",
        referred_on="2570-03-01",
    )
    _step(officer, tip_id, "status", target="referred_out")

    told = "ป.ป.ท. รับเรื่องไว้พิจารณาแล้ว"
    r = officer.post(
        f"/admin/tips/{tip_id}/referral/decision",
        data={"decision": "", "decided_on": "2570-02-27", "public_note": told},
    )
    page = _refused(r)
    form = _page_form(page, "decision-form")
    assert _beside(form, "decision") == "กรุณาบันทึกผลการพิจารณาของหน่วยงาน"
    assert 'value="2570-02-27"' in form
    assert re.search(rf'id="decision_public_note"[^>]*>{told}</textarea>', form)
    assert _summary_links(page) == ["#decision"]
    assert _case(app, tip_id).status == "referred_out"
    _step(
        officer,
        tip_id,
        "referral/decision",
        decision="ป.ป.ท. ชี้มูล",
        decided_on="2570-02-27",
        public_note=told,
    )
    assert _case(app, tip_id).status == "closed"


def test_closing_a_tip_refused_and_its_approval_refused_are_said_on_the_tip_page(
    app, login_as, frozen
):
    """Closing as not enough facts without telling the tipster why: the message beside that
    note. An approval the tip no longer allows: the message at the top of the approval, linked
    from the summary."""
    frozen(datetime(2027, 3, 1, 3, 0))
    colleague = _officer(app, login_as, "วิภา ดีงาม")
    officer = _officer(app, login_as)
    tip_id = _tip_id(_register(officer))
    r = officer.post(
        f"/admin/tips/{tip_id}/status",
        data={"target": "closed", "outcome": "insufficient", "internal_note": "ไม่มีพยาน"},
    )
    page = _refused(r)
    form = _page_form(page, "status-form")
    assert _beside(form, "public_note") == (
        "กรุณาชี้แจงผู้แจ้งเบาะแสว่าเหตุใดข้อเท็จจริงจึงไม่เพียงพอที่จะดำเนินการ"
    )
    assert '<option value="insufficient" selected>' in form and "ไม่มีพยาน</textarea>" in form
    _step(
        officer,
        tip_id,
        "status",
        target="closed",
        outcome="unfounded",
        public_note="ตรวจสอบแล้วไม่พบมูล",
    )
    # Meanwhile the tip went to an outside body: a closure as unfounded no longer fits.
    _step(officer, tip_id, "referral", body="nacc", reference_number="ปช 1/2570")
    _step(officer, tip_id, "status", target="referred_out")
    colleague.post(f"/admin/tips/{tip_id}/assign", data={})
    page = _refused(colleague.post(f"/admin/tips/{tip_id}/closure/approve"))
    form = _page_form(page, "closure-form")
    assert 'aria-describedby="closure-form-error"' in form
    assert re.search(r'id="closure-form-error" role="alert">[^<]+<', form)
    assert _summary_links(page) == ["#closure-form"]
    assert _case(app, tip_id).status == "referred_out"


def test_explaining_a_delay_messaging_and_assigning_refused_on_the_tip_page(app, login_as, frozen):
    frozen(datetime(2027, 3, 1, 3, 0))
    _officer(app, login_as, "วิภา ดีงาม")  # a colleague to assign
    supervisor = login_as("supervisor", on=app.test_client())
    officer = _officer(app, login_as)
    assert _register(officer, origin="visit", receipt="y").status_code == 200
    with app.app_context():
        tip_id = db.session.scalar(select(TipDetails.case_id).filter_by(origin="visit"))

    why = "รอผลตรวจสอบบัญชีธนาคาร"
    r = officer.post(
        f"/admin/tips/{tip_id}/explain", data={"explanation": why, "new_date": "2570-03-02"}
    )
    page = _refused(r)
    form = _page_form(page, "explain-form")
    assert _beside(form, "new_date") == "วันที่กำหนดใหม่ต้องอยู่หลังวันครบกำหนดเดิม"
    assert f"{why}</textarea>" in form and 'value="2570-03-02"' in form
    assert _summary_links(page) == ["#new_date"]
    _step(officer, tip_id, "explain", explanation=why, new_date="2570-06-15")
    assert _case(app, tip_id).due_date.isoformat() == "2027-06-15"

    page = _refused(officer.post(f"/admin/tips/{tip_id}/message", data={"message": "  "}))
    assert _beside(_page_form(page, "message-form"), "message")
    assert _summary_links(page) == ["#message"]
    _step(officer, tip_id, "message", message="ขอทราบวันที่โอนเงิน")

    page = _refused(officer.post(f"/admin/tips/{tip_id}/assign", data={"user_id": supervisor}))
    assert _beside(_page_form(page, "assign-form"), "assign-user")
    assert _summary_links(page) == ["#assign-user"]
