"""The tip channel's rules: filing, receipts, custody and reveal, conflicts, referral,
messages, workflow and the one-way transfer from the general channel."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from PIL import Image
from sqlalchemy import func, select, text

from casework import audit
from casework.cases.attachments import Upload
from casework.dates import clock
from casework.extensions import db
from casework.general.intake import IntakeError
from casework.models import (
    AuditEntry,
    Case,
    CaseEvent,
    Category,
    ConflictExclusion,
    Department,
    ReporterIdentity,
    TipIdentity,
    User,
)
from casework.staff.roles import CLERK, CUSTODIAN, INTEGRITY, OFFICER, SUPERVISOR
from casework.tipline import (
    access,
    custody,
    filing,
    messages,
    referral,
    reveal,
    sealing,
    transfer,
    workflow,
)
from casework.tipline.custody import CustodyError

PASS = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _request(ctx):
    """Messages are translated, so the rules run inside a request as they do in the app."""
    with ctx.test_request_context():
        yield


def staff(org, role, name, email, dept_code=None):
    dept = None
    if dept_code:
        dept = db.session.scalar(
            select(Department).filter_by(organization_id=org.id, code=dept_code)
        )
    user = User(
        organization_id=org.id,
        email=email,
        name=name,
        role=role,
        department_id=dept.id if dept else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def custodian_with_key(org, name="ผู้เก็บรักษา หนึ่ง", email="cust@demo.go.th", approve=True):
    """A custodian with a key; after the first, approved by the first custodian unless
    ``approve=False``."""
    user = staff(org, CUSTODIAN, name, email)
    key = custody.enrol(user, PASS, PASS)
    db.session.commit()
    if approve and not key.active:
        first = db.session.get(User, custody.active_keys(org.id)[0].user_id)
        custody.approve_key(first, PASS, key)
        db.session.commit()
    return user


def submission(**overrides):
    values = {
        "category": "bribery",
        "accused_name": "นายสมชาย ใจร้าย",
        "accused_position": "นักวิชาการพัสดุ",
        "accused_unit": "กองคลัง",
        "accused_role": "staff",
        "what": "เรียกเงินสองหมื่นบาทเพื่อให้ผ่านการตรวจรับงาน",
        "when": "ต้นเดือนมีนาคม",
        "where": "ห้องพัสดุ ชั้น 2",
        "how_known": "witnessed",
        "evidence": "มีภาพถ่ายใบเสร็จ",
        "witnesses": "เพื่อนร่วมงานสองคน",
        "reported_elsewhere": "no",
    }
    values.update(overrides)
    return filing.TipSubmission(**values)


def file(org, **overrides):
    return filing.file_tip(org, submission(**overrides))


def test_filing_numbers_the_tip_register_and_keeps_only_days(org):
    filed = file(org)
    case = filed.case
    assert case.channel == "tip" and case.kind == "tip" and case.case_number.startswith("T25")
    assert case.subject == "" and case.details == ""
    assert case.received_at.hour == 0 and case.received_at.minute == 0
    assert case.created_at.hour == 0 and case.created_at.second == 0
    assert all(e.at.hour == 0 and e.at.minute == 0 for e in case.events)
    entries = db.session.scalars(select(AuditEntry).filter_by(case_id=case.id)).all()
    assert entries and all(e.at.hour == 0 and e.at.microsecond == 0 for e in entries)
    assert filing.answers_of(case)["what"].startswith("เรียกเงิน")
    assert audit.verify(org.id).ok


def test_receipt_lookup_right_and_wrong(org):
    filed = file(org)
    assert filing.find_by_receipt(org, filed.receipt).id == filed.case.id
    assert filing.find_by_receipt(org, filed.receipt.lower().replace("-", " ")).id == filed.case.id
    wrong = list(filed.receipt.replace("-", ""))
    wrong[0] = "Z" if wrong[0] != "Z" else "Y"
    assert filing.find_by_receipt(org, "".join(wrong)) is None
    other = filing.find_by_receipt(org, filing.receipts.generate_receipt())
    assert other is None
    assert filing.find_by_receipt(org, "") is None and filing.find_by_receipt(org, None) is None


def test_proof_opens_only_with_the_receipt(org):
    filed = file(org)
    proof = filing.proof_for(filed.case, filed.receipt)
    assert proof == filed.proof
    assert proof["claims"]["case_number"] == filed.case.case_number
    assert filing.proof_for(filed.case, filing.receipts.generate_receipt()) is None


def test_validation_errors_and_nothing_left_behind(org):
    with pytest.raises(IntakeError) as error:
        file(org, what="", category="")
    assert set(error.value.fields) >= {"what", "category"}
    with pytest.raises(IntakeError) as error:
        file(org, identity={"name": "ใครบางคน"})
    assert "confidential" in error.value.fields
    assert db.session.scalar(select(Case).filter_by(channel="tip")) is None


def test_confidential_identity_refused_without_a_custodian(org):
    with pytest.raises(IntakeError) as error:
        file(org, confidential=True, identity={"name": "ผู้แจ้ง"}, consent=True)
    assert error.value.fields["confidential"]
    assert file(org).case.anonymous


def test_identity_sealed_to_custodians_and_opened_with_passphrase(org):
    keeper = custodian_with_key(org)
    filed = file(org, confidential=True, identity={"name": "นางสาวผู้แจ้ง ลับมาก"}, consent=True)
    boxes = db.session.scalars(select(TipIdentity).filter_by(case_id=filed.case.id)).all()
    assert len(boxes) == 1
    assert custody.open_identity(filed.case, keeper, PASS) == {"name": "นางสาวผู้แจ้ง ลับมาก"}
    with pytest.raises(CustodyError):
        custody.open_identity(filed.case, keeper, "not the passphrase")
    assert db.session.scalar(select(ReporterIdentity)) is None


def test_passphrase_change_keeps_identities_readable(org):
    keeper = custodian_with_key(org)
    filed = file(org, confidential=True, identity={"phone": "081 234 5678"}, consent=True)
    custody.change_passphrase(keeper, PASS, "another long passphrase", "another long passphrase")
    db.session.commit()
    assert custody.open_identity(filed.case, keeper, "another long passphrase")["phone"]
    with pytest.raises(CustodyError):
        custody.open_identity(filed.case, keeper, PASS)


def test_reveal_flow_with_approval_and_audit(org):
    keeper = custodian_with_key(org)
    officer = staff(org, INTEGRITY, "เจ้าหน้าที่ ตรวจสอบ", "integ@demo.go.th")
    filed = file(org, confidential=True, identity={"name": "ผู้แจ้ง ลับ"}, consent=True)
    case = filed.case
    access.assign(case, officer)
    db.session.commit()
    with pytest.raises(CustodyError):
        reveal.request(case, officer, "")
    row = reveal.request(case, officer, "ต้องสอบปากคำเป็นพยาน")
    assert reveal.reason_of(row, case) == "ต้องสอบปากคำเป็นพยาน"
    with pytest.raises(CustodyError):
        reveal.approve(row, case, keeper, "wrong passphrase!!")
    assert row.status == "pending"
    shown = reveal.approve(row, case, keeper, PASS)
    assert shown == {"name": "ผู้แจ้ง ลับ"}
    assert row.status == "approved" and row.decided_by == keeper.id
    actions = [e.action for e in db.session.scalars(select(AuditEntry).filter_by(case_id=case.id))]
    assert "tip.reveal_requested" in actions and "tip.reveal_approved" in actions
    assert "tip.reveal_failed" in actions and "tip.identity_viewed" in actions
    assert reveal.access_days(case) == [row.decided_on]
    assert any(e.kind == "identity_accessed" and e.public for e in case.events)
    assert audit.verify(org.id).ok


def test_refused_reveal_and_anonymous_tip_has_nothing_to_reveal(org):
    keeper = custodian_with_key(org)
    officer = staff(org, INTEGRITY, "เจ้าหน้าที่ ตรวจสอบ", "integ@demo.go.th")
    anon = file(org).case
    with pytest.raises(CustodyError):
        reveal.request(anon, officer, "เหตุผล")
    case = file(org, confidential=True, identity={"name": "ก ข"}, consent=True).case
    row = reveal.request(case, officer, "เหตุผล")
    reveal.refuse(row, case, keeper)
    assert row.status == "refused"
    with pytest.raises(CustodyError):
        reveal.approve(row, case, keeper, PASS)
    assert reveal.access_days(case) == []


def test_conflict_of_interest_excludes_named_officer_and_unit(org):
    named = staff(org, INTEGRITY, "สมชาย ใจร้าย", "somchai@demo.go.th")
    same_unit = staff(org, INTEGRITY, "วิภา ดีงาม", "wipa@demo.go.th", dept_code="finance")
    other = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th", dept_code="audit")
    keeper_named = custodian_with_key(org, name="สมชาย ใจร้าย", email="c2@demo.go.th")
    keeper = custodian_with_key(org, name="ผู้เก็บ สอง", email="c3@demo.go.th")
    reasons = access.conflicts(org.id, submission().answers()["accused"])
    assert reasons[named.id] == "named" and reasons[same_unit.id] == "unit"
    assert reasons[keeper_named.id] == "named"
    assert other.id not in reasons and keeper.id not in reasons
    case = file(org, confidential=True, identity={"name": "ผู้แจ้ง"}, consent=True).case
    assert access.excluded_ids(case) == {named.id, same_unit.id, keeper_named.id}
    assert access.is_excluded(named.id, case) and not access.is_excluded(other.id, case)
    # The rows name nobody: keyed tags, padded with decoys to a multiple of eight.
    rows = db.session.scalars(select(ConflictExclusion).filter_by(case_id=case.id)).all()
    assert len(rows) == 8 and all(len(r.user_key) == 64 for r in rows)
    assert not {str(named.id), str(same_unit.id)} & {r.user_key for r in rows}
    assert case not in access.visible_tips(named) and case in access.visible_tips(other)
    with pytest.raises(PermissionError):
        access.assign(case, named)
    access.assign(case, other)
    db.session.commit()
    assert access.can_read(other, case) and not access.can_read(same_unit, case)
    assert not access.can_decide_reveal(keeper_named, case)
    assert access.can_decide_reveal(keeper, case)
    # The identity was not even sealed to the excluded custodian's key.
    with pytest.raises(CustodyError):
        custody.open_identity(case, keeper_named, PASS)


def test_names_match_ignores_titles_and_spacing():
    assert access.names_match("นายสมชาย ใจร้าย", "สมชาย  ใจร้าย (หัวหน้างาน)")
    assert access.names_match("Somchai Jairai", "mr. somchai jairai")
    assert not access.names_match("สมชาย ใจดี", "สมชาย ใจร้าย")
    assert not access.names_match("", "anyone")


@pytest.mark.parametrize(
    ("accused", "reason"),
    [
        ({"role": "mayor"}, "mayor"),
        ({"position": "นายกเทศมนตรีเมือง"}, "mayor"),
        ({"position": "รองนายกเทศมนตรี"}, "deputy_mayor"),
        ({"position": "ปลัดเทศบาล"}, "clerk"),
        ({"position": "Municipal Clerk"}, "clerk"),
        ({"position": "รองปลัดเทศบาล"}, None),
        ({"position": "นักวิชาการพัสดุ"}, None),
    ],
)
def test_referral_detection(accused, reason):
    assert referral.detect(accused) == reason


def test_referral_is_flagged_and_tracked_to_referred_out(org):
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    case = file(org, accused_role="clerk", accused_position="ปลัดเทศบาล").case
    # The flag comes from the sealed answers; nothing in the database says "the clerk".
    assert referral.flag_of(case) == "clerk" and referral.referral_of(case) is None
    assert referral.flag_of(file(org).case) is None
    with pytest.raises(workflow.WorkflowError):
        workflow.change(case, "referred_out", actor_id=officer.id, outcome="referred")
    with pytest.raises(referral.ReferralError):
        referral.record(
            case, actor_id=officer.id, body="nacc", reference_number="", referred_on=None
        )
    referral.record(
        case, actor_id=officer.id, body="nacc", reference_number="ปช 0001/123", referred_on=None
    )
    db.session.commit()
    workflow.change(case, "referred_out", actor_id=officer.id, outcome="referred")
    assert case.status == "referred_out" and case.outcome == "referred"
    row = referral.referral_of(case)
    assert row.reference_number == "ปช 0001/123" and row.body == "nacc"
    assert row.status == "referred" and row.referred_on == clock.today()


def test_workflow_asks_for_committee_order_and_reason(org):
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    case = file(org).case
    workflow.change(case, "preliminary_review", actor_id=officer.id)
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.change(case, "investigation", actor_id=officer.id)
    assert {"order_number", "committee"} <= set(error.value.fields)
    workflow.change(
        case,
        "investigation",
        actor_id=officer.id,
        order_number="คำสั่งที่ 12/2570",
        committee="ก, ข, ค",
    )
    assert filing.details_of(case).order_number == "คำสั่งที่ 12/2570"
    with pytest.raises(workflow.WorkflowError):
        workflow.change(case, "closed", actor_id=officer.id, outcome="unfounded")
    second = file(org).case
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.change(second, "closed", actor_id=officer.id, outcome="insufficient")
    assert "public_note" in error.value.fields
    workflow.change(
        second,
        "closed",
        actor_id=officer.id,
        outcome="insufficient",
        public_note="ไม่ระบุชื่อผู้ถูกกล่าวหาและเวลา",
    )
    assert second.status == "closed" and second.result_text == ""


def test_messages_in_both_directions(org):
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    case = file(org).case
    messages.to_tipster(case, officer.id, "ขอทราบวันที่ที่แน่นอน")
    messages.from_tipster(case, "วันที่ 3 มีนาคม", [])
    thread = messages.thread(case)
    assert [(e.direction, e.text) for e in thread] == [
        ("to_citizen", "ขอทราบวันที่ที่แน่นอน"),
        ("from_citizen", "วันที่ 3 มีนาคม"),
    ]
    assert all(m.body == "" and m.body_sealed for m in case.messages)
    assert all(m.at.hour == 0 for m in case.messages)
    with pytest.raises(messages.FollowUpError):
        messages.from_tipster(case, "", [])


def test_jpeg_exif_and_gps_removed_before_storage(org, gps_jpeg):
    from casework.cases import attachments
    from casework.tipline import scrub

    data = gps_jpeg
    with Image.open(io.BytesIO(data)) as before:
        assert before.getexif().get_ifd(0x8825)  # the test image really carries GPS
    assert b"SecretCam" in data and b"SERIAL-123456" in data
    cleaned = scrub.scrub(Upload("photo.jpg", data))
    assert cleaned.complete
    with Image.open(io.BytesIO(cleaned.upload.data)) as after:
        assert not after.getexif()
        assert "exif" not in after.info
        assert after.size == (40, 30)
    assert b"SecretCam" not in cleaned.upload.data and b"Exif" not in cleaned.upload.data
    case = file(org, uploads=[Upload("photo.jpg", data)]).case
    (att,) = messages.initial_files(case)
    stored = attachments.content(att, case)
    assert b"SecretCam" not in stored and b"SERIAL-123456" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
    assert att.uploaded_at.hour == 0 and att.uploaded_at.minute == 0


def test_png_text_chunks_removed():
    from PIL import PngImagePlugin

    from casework.tipline import scrub

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Somchai Secret")
    out = io.BytesIO()
    Image.new("RGBA", (5, 5)).save(out, "PNG", pnginfo=info)
    cleaned = scrub.scrub(Upload("a.png", out.getvalue()))
    assert b"Somchai Secret" not in cleaned.upload.data


def test_pdf_author_creator_producer_removed():
    """The PDF is rebuilt (pikepdf) without its information dictionary and XMP, whether or not
    they sit in compressed object streams. tests/casework/test_uploads.py covers the rest."""
    import pikepdf

    from casework.tipline import scrub

    for mode in (pikepdf.ObjectStreamMode.disable, pikepdf.ObjectStreamMode.generate):
        pdf = pikepdf.new()
        pdf.add_blank_page()
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = ["Somchai"]
        pdf.docinfo["/Author"] = "Somchai (boss) Jairai"
        pdf.docinfo["/Creator"] = "Word for Secret Office"
        pdf.docinfo["/Producer"] = pikepdf.String("A")
        pdf.docinfo["/Title"] = "Report"
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=mode, compress_streams=False)
        assert b"Somchai" in out.getvalue() or mode == pikepdf.ObjectStreamMode.generate
        data, complete = scrub.scrub_pdf(out.getvalue())
        assert complete
        assert b"Somchai" not in data and b"Secret Office" not in data
        with pikepdf.open(io.BytesIO(data)) as cleaned:
            assert "/Info" not in cleaned.trailer and "/Metadata" not in cleaned.Root
            assert len(cleaned.pages) == 1


def test_transfer_from_general_channel_is_one_way(org, file_complaint, gps_jpeg):
    keeper = custodian_with_key(org)
    supervisor = staff(org, SUPERVISOR, "หัวหน้า ทั่วไป", "sup@demo.go.th")
    officer = staff(org, OFFICER, "เจ้าหน้าที่ ช่าง", "works@demo.go.th", dept_code="works")
    filed = file_complaint(
        subject="ช่างเรียกเงินใต้โต๊ะ",
        details="ช่างเรียกเงินเพื่อเร่งใบอนุญาต",
        reporter={"name": "นายผู้ร้อง เรียน", "phone": "0812345678"},
        consent=True,
        uploads=[Upload("photo.jpg", gps_jpeg)],
    )
    complaint = db.session.get(Case, filed.case.id)
    from casework.general import access as general_access

    assert general_access.in_reach(officer, complaint)
    tip = transfer.transfer(complaint, actor_id=supervisor.id, tip_category="bribery")
    db.session.refresh(complaint)
    assert tip.channel == "tip" and tip.kind == "tip" and complaint.channel == "complaint"
    assert complaint.status == "completed" and complaint.outcome == "transferred"
    assert complaint.subject == "" and complaint.details == ""
    assert db.session.scalar(select(ReporterIdentity).filter_by(case_id=complaint.id)) is None
    events = db.session.scalars(select(CaseEvent).filter_by(case_id=complaint.id)).all()
    assert [e.kind for e in events] == ["transferred"]
    assert events[0].body == "" and not events[0].data
    # Re-sealed to the custodians; general officers see nothing of it.
    assert custody.open_identity(tip, keeper, PASS)["name"] == "นายผู้ร้อง เรียน"
    assert not general_access.in_reach(officer, tip)
    assert tip not in db.session.scalars(general_access.visible_cases(supervisor)).all()
    assert "ช่างเรียกเงิน" in filing.answers_of(tip)["what"]
    (att,) = messages.initial_files(tip)
    from casework.cases import attachments

    assert b"SecretCam" not in attachments.content(att, tip)
    # Never back: no transfer of a tip, and the channel cannot be changed.
    with pytest.raises(transfer.TransferError):
        transfer.transfer(tip, actor_id=supervisor.id)
    with pytest.raises(ValueError, match="cannot leave"):
        tip.channel = "complaint"
    db.session.rollback()
    # The complainant's old code claims the tip receipt once.
    claimed = transfer.claim(org, filed.tracking_code)
    assert claimed and claimed[0].id == tip.id
    assert filing.find_by_receipt(org, claimed[1]).id == tip.id
    assert transfer.claim(org, filed.tracking_code) is None


def test_transfer_refused_when_identity_cannot_be_sealed(org, file_complaint):
    clerk = staff(org, CLERK, "ธุรการ", "clerk@demo.go.th")
    filed = file_complaint(reporter={"name": "ผู้ร้อง"}, consent=True)
    complaint = db.session.get(Case, filed.case.id)
    with pytest.raises(transfer.TransferError):
        transfer.transfer(complaint, actor_id=clerk.id)
    assert complaint.status == "received" and complaint.subject


def test_receipt_lookup_costs_one_scrypt_whatever_is_typed(org, monkeypatch):
    filed = file(org)
    calls = []
    real = filing.receipts.lookup_hash

    def counting(pepper, canonical, cost):
        calls.append(canonical)
        return real(pepper, canonical, cost)

    monkeypatch.setattr(filing.receipts, "lookup_hash", counting)
    wrong_check = filed.receipt[:-1] + ("0" if filed.receipt[-1] != "0" else "1")
    typed = [None, "", "X", "A" * 500, wrong_check, filing.receipts.generate_receipt()]
    for typed_text in [*typed, filed.receipt]:
        calls.clear()
        found = filing.find_by_receipt(org, typed_text)
        assert len(calls) == 1, typed_text
        assert (found is not None) is (typed_text == filed.receipt)


def test_a_tip_is_dated_by_the_bangkok_day(org, frozen):
    frozen(datetime(2026, 3, 9, 20, 30))  # 03:30 on 10 March in Bangkok
    filed = file(org)
    case = filed.case
    assert case.received_at == datetime(2026, 3, 10) and case.created_at == datetime(2026, 3, 10)
    assert filed.proof["claims"]["date"] == "2026-03-10"
    assert all(e.at == datetime(2026, 3, 10) for e in case.events)
    entries = db.session.scalars(select(AuditEntry).filter_by(case_id=case.id)).all()
    assert entries and all(e.at == datetime(2026, 3, 10) for e in entries)
    frozen(datetime(2026, 3, 10, 16, 59))  # 23:59 in Bangkok, still the 10th
    assert file(org).case.received_at == datetime(2026, 3, 10)
    frozen(datetime(2026, 3, 10, 17, 0))  # midnight in Bangkok: the 11th
    assert file(org).case.received_at == datetime(2026, 3, 11)


def test_identity_boxes_are_padded_and_excluded_custodians_get_a_decoy(org):
    keeper = custodian_with_key(org)
    accused = custodian_with_key(org, name="สมชาย ใจร้าย", email="c2@demo.go.th")
    short = file(org, confidential=True, identity={"name": "ก ข"}, consent=True).case
    long_name = {"name": "นางสาวผู้แจ้ง นามสกุลยาวมากเป็นพิเศษ", "address": "บ้านเลขที่ 99"}
    long = file(org, confidential=True, identity=long_name, consent=True).case
    sizes = {len(b.box) for b in db.session.scalars(select(TipIdentity))}
    assert len(sizes) == 1  # neither the name's length nor who is excluded shows
    for case in (short, long):
        assert db.session.scalar(select(func.count(TipIdentity.id)).filter_by(case_id=case.id)) == 2
    assert custody.open_identity(long, keeper, PASS) == long_name
    with pytest.raises(CustodyError):  # the accused custodian holds only a decoy
        custody.open_identity(long, accused, PASS)


def test_a_later_custodian_waits_for_approval_then_receives_the_identities(org):
    first = custodian_with_key(org)
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    case = file(org, confidential=True, identity={"phone": "0812345678"}, consent=True).case
    later = custodian_with_key(org, name="ผู้เก็บ ใหม่", email="new@demo.go.th", approve=False)
    key = custody.key_of(later)
    assert not key.active and custody.pending_keys(org.id) == [key]
    # A pending key receives nothing, not even identities filed after it was created.
    second = file(org, confidential=True, identity={"name": "ข ค"}, consent=True).case
    assert db.session.scalar(select(TipIdentity.id).filter_by(custodian_key_id=key.id)) is None
    assert custody.not_sealed_to(later) == 0 and custody.awaiting_reseal(later) == []
    with pytest.raises(CustodyError):
        custody.open_identity(case, later, PASS)
    asked = reveal.request(case, officer, "เชิญมาให้ถ้อยคำ")
    with pytest.raises(CustodyError):  # a pending custodian decides nothing
        reveal.refuse(asked, case, later)
    with pytest.raises(CustodyError):  # nobody approves their own key
        custody.approve_key(later, PASS, key)
    with pytest.raises(CustodyError):
        custody.approve_key(first, "not the passphrase", key)
    assert not key.active
    assert custody.approve_key(first, PASS, key) == {case.id: 1, second.id: 1}
    db.session.commit()
    assert key.approved_by == first.id and key.approved_on == clock.today()
    assert custody.open_identity(case, later, PASS) == {"phone": "0812345678"}
    assert custody.open_identity(second, later, PASS) == {"name": "ข ค"}
    # An approver shares only what they hold: not a tip that names them. Another custodian
    # re-seals that one.
    accused = custodian_with_key(org, name="สมชาย ใจร้าย", email="c3@demo.go.th")
    third = file(org, confidential=True, identity={"name": "ค ง"}, consent=True).case
    assert access.is_excluded(accused.id, third)
    newest = custodian_with_key(org, name="ผู้เก็บ ล่าสุด", email="c4@demo.go.th", approve=False)
    added = custody.approve_key(accused, PASS, custody.key_of(newest))
    db.session.commit()
    assert set(added) == {case.id, second.id}
    with pytest.raises(CustodyError):
        custody.open_identity(third, newest, PASS)
    assert custody.awaiting_reseal(first) == [third] and custody.not_sealed_to(newest) == 1
    with pytest.raises(CustodyError):
        custody.reseal(first, "not my passphrase", [third])
    assert custody.reseal(first, PASS, custody.awaiting_reseal(first)) == {third.id: 1}
    db.session.commit()
    assert custody.open_identity(third, newest, PASS) == {"name": "ค ง"}
    with pytest.raises(CustodyError):
        custody.open_identity(third, accused, PASS)  # a decoy, never the identity
    # The newcomer can now approve a reveal on their own.
    row = reveal.request(third, officer, "ต้องสอบปากคำ")
    assert reveal.approve(row, third, newest, PASS) == {"name": "ค ง"}


def test_committee_and_penalty_are_sealed(org):
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    case = file(org).case
    workflow.change(case, "preliminary_review", actor_id=officer.id)
    workflow.change(
        case,
        "investigation",
        actor_id=officer.id,
        order_number="คำสั่งที่ 5/2570",
        committee="นายกรรมการ หนึ่ง",
    )
    workflow.change(case, "findings", actor_id=officer.id)
    workflow.change(case, "disciplinary", actor_id=officer.id, penalty="ไล่ออกนายสมชาย ใจร้าย")
    details = filing.details_of(case)
    stored = details.committee_sealed + details.penalty_sealed
    assert "ไล่ออก".encode() not in stored and "กรรมการ".encode() not in stored
    assert sealing.open_text("tip-penalty", case, details.penalty_sealed).startswith("ไล่ออก")
    assert sealing.open_text("tip-committee", case, details.committee_sealed) == "นายกรรมการ หนึ่ง"


def test_each_stage_gets_the_categorys_days_and_delays_are_explained(org, frozen):
    frozen(datetime(2026, 5, 4, 3, 0))  # Monday 4 May 2026
    officer = staff(org, INTEGRITY, "มานะ อดทน", "mana@demo.go.th")
    category = db.session.scalar(
        select(Category).filter_by(organization_id=org.id, channel="tip", code="bribery")
    )
    category.sla_days = 10
    db.session.commit()
    case = file(org).case
    first = case.due_date
    assert first == org_calendar(org).add_days(date(2026, 5, 4), 10)
    frozen(datetime(2026, 5, 11, 3, 0))
    workflow.change(case, "preliminary_review", actor_id=officer.id)
    assert case.due_date == org_calendar(org).add_days(date(2026, 5, 11), 10) > first
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.explain_delay(case, actor_id=officer.id, text="", new_date=case.due_date)
    assert {"explanation", "new_date"} <= set(error.value.fields)
    workflow.explain_delay(
        case, actor_id=officer.id, text="รอเอกสารจากธนาคาร", new_date=date(2026, 7, 1)
    )
    assert case.due_date == date(2026, 7, 1) and case.original_due_date
    (step,) = [s for s in messages.progress(case) if s.event.kind == "explanation"]
    assert step.text == "รอเอกสารจากธนาคาร" and step.new_date == date(2026, 7, 1)
    assert step.event.body == "" and step.event.at.hour == 0


def org_calendar(org):
    from casework.cases import sla

    return sla.work_calendar(org)


def test_transfer_leaves_no_link_between_the_two_cases(org, file_complaint):
    custodian_with_key(org)
    supervisor = staff(org, SUPERVISOR, "หัวหน้า ทั่วไป", "sup@demo.go.th")
    filed = file_complaint(reporter={"name": "ผู้ร้อง เรียน"}, consent=True)
    complaint = db.session.get(Case, filed.case.id)
    tip = transfer.transfer(complaint, actor_id=supervisor.id, tip_category="bribery")
    details = filing.details_of(tip)
    assert details.claim_hash and details.claim_hash != complaint.tracking_hash
    # Each side's audit entry sits in its own chain and names nothing of the other.
    complaint_side = db.session.scalars(select(AuditEntry).filter_by(case_id=complaint.id)).all()
    assert [(e.action, e.chain) for e in complaint_side] == [("case.transferred", audit.MAIN)]
    tip_side = db.session.scalars(select(AuditEntry).filter_by(case_id=tip.id)).all()
    assert {e.chain for e in tip_side} == {audit.TIPS}
    for entry in complaint_side:
        assert tip.case_number not in str((entry.target, entry.data))
    for entry in tip_side:
        assert complaint.case_number not in str((entry.target, entry.data))
        assert str(complaint.id) not in str(entry.data or "")
    assert audit.verify(org.id).ok


def test_the_tips_chain_is_checked_on_its_own(org):
    file(org)
    entry = db.session.scalar(select(AuditEntry).filter_by(chain=audit.TIPS))
    assert entry.seq == 1 and audit.verify(org.id, audit.TIPS).ok
    db.session.execute(
        text("UPDATE audit_entries SET target = 'T2570/99999' WHERE id = :id"), {"id": entry.id}
    )
    db.session.commit()
    db.session.expire_all()
    assert audit.verify(org.id, audit.MAIN).ok
    verdict = audit.verify(org.id)
    assert not verdict.ok and "tips chain" in verdict.reason
