"""The tip channel's daily sweep, on a frozen clock: each stage's deadline reminds the assigned
integrity officer and escalates once to the supervisors and custodians; a late report of
retaliation escalates to the executive; nobody the tip excludes is written to; running twice
sends nothing twice; and no email carries the accused's name, the tip's text or the report's."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import select
from tip_helpers import submission

from casework.cases.attachments import Upload
from casework.extensions import db
from casework.models import AuditEntry, Case, OutboxMessage, RetaliationReport
from casework.notify import mailer, outbox
from casework.staff.roles import CUSTODIAN, EXECUTIVE, INTEGRITY, SUPERVISOR
from casework.tipline import (
    access,
    deadlines,
    filing,
    followups,
    referral,
    retaliation,
    sweep,
    workflow,
)

FILED = datetime(2027, 3, 1, 3, 0)  # Monday 1 March 2027, 10:00 in Bangkok
ACCUSED = "นายสมชาย ใจร้าย"
WHAT = "เรียกเงินสองหมื่นบาทเพื่อให้ผ่านการตรวจรับงาน"
RETALIATION_TEXT = "หัวหน้ากองสั่งย้ายข้าพเจ้าไปประจำด่านชายแดนหลังจากแจ้งเบาะแส"


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 1, 0)  # 08:00 in Bangkok


def _sent(case_id: int | None = None) -> list[tuple[str, str]]:
    """(template, recipient) of every queued message (of one tip), in order."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if case_id is not None:
        query = query.filter_by(case_id=case_id)
    return [(m.template, outbox.recipient(m)) for m in db.session.scalars(query)]


@pytest.fixture
def people(staff):
    """An integrity officer, a colleague, a supervisor, a custodian and an executive; and a
    supervisor and an executive whom the tip names (so it excludes them)."""
    return {
        "officer": staff(INTEGRITY, "มานะ อดทน"),
        "colleague": staff(INTEGRITY, "วิภา ดีงาม"),
        "supervisor": staff(SUPERVISOR, "สมหญิง กำกับ"),
        "custodian": staff(CUSTODIAN, "ผู้เก็บรักษา หนึ่ง"),
        "executive": staff(EXECUTIVE, "นายก ตัวอย่าง"),
        "named_supervisor": staff(SUPERVISOR, "สมชาย ใจร้าย"),
    }


@pytest.fixture
def tip(org, people, frozen):
    frozen(FILED)
    case = filing.file_tip(org, submission(accused_name=ACCUSED, what=WHAT)).case
    access.assign(case, people["officer"])
    assert access.is_excluded(people["named_supervisor"].id, case)
    return case


def test_stage_reminders_escalation_once_and_idempotence(org, people, tip, frozen, trail_of):
    assert tip.due_date == date(2027, 3, 16)  # bribery: 15 calendar days
    officer = people["officer"].email

    # Two days before: one due-soon reminder to the assigned officer, however often it runs.
    frozen(_at(date(2027, 3, 14)))
    first, again = sweep.run()["demo"], sweep.run()["demo"]
    assert (first.due_soon, first.queued, again.queued) == (1, 1, 0)
    frozen(_at(date(2027, 3, 15)))
    assert sweep.run()["demo"].queued == 0
    assert _sent(tip.id) == [("tip_due_soon", officer)]

    # Overdue: the officer is reminded; the supervisors and custodians not excluded hear once.
    frozen(_at(date(2027, 3, 17)))
    stats = sweep.run()["demo"]
    assert (stats.overdue, stats.escalated, stats.queued) == (1, 1, 3)
    assert sweep.run()["demo"].queued == 0
    assert set(_sent(tip.id)[1:]) == {
        ("tip_overdue", officer),
        ("tip_escalation", people["supervisor"].email),
        ("tip_escalation", people["custodian"].email),
    }
    db.session.rollback()
    (entry,) = trail_of("tip.escalated")
    assert entry.data["due_date"] == "2027-03-16" and entry.data["stage"] == "received"
    assert entry.chain == "tips"
    case = db.session.get(Case, tip.id)
    assert [e.kind for e in case.events].count("escalated") == 1

    # The next day: the officer again, nobody else.
    frozen(_at(date(2027, 3, 18)))
    stats = sweep.run()["demo"]
    assert (stats.escalated, stats.queued) == (0, 1)
    assert _sent(tip.id)[-1] == ("tip_overdue", officer)

    # An explanation with a new date ends it; the next stage starts a new deadline.
    workflow.explain_delay(
        case, actor_id=people["officer"].id, text="รอเอกสารจากธนาคาร", new_date=date(2027, 4, 30)
    )
    frozen(_at(date(2027, 3, 19)))
    assert sweep.run()["demo"].queued == 0
    assert (
        db.session.scalar(select(db.func.count(AuditEntry.id)).filter_by(action="tip.escalated"))
        == 1
    )


def test_a_referred_tip_is_reminded_by_its_follow_up_date_only(org, people, tip, frozen, trail_of):
    """One wait, one reminder: a tip referred out gets the referral's follow-up reminder
    (casework.tipline.followups), never the stage deadline's reminders or escalation."""
    officer = people["officer"]
    frozen(_at(date(2027, 3, 2)))
    referral.record(
        tip,
        actor_id=officer.id,
        body="nacc",
        reference_number="ปช 12/2570",
        referred_on=date(2027, 3, 2),
        follow_up_on=date(2027, 3, 22),
    )
    workflow.change(tip, "referred_out", actor_id=officer.id)
    assert tip.due_date == date(2027, 3, 22)  # its clock is the date to ask the body

    def day(on: date) -> None:  # the daily `sla sweep`
        frozen(_at(on))
        sweep.run()

    # Past what a stage deadline would have been (15 days: 17 March), and the follow-up date.
    for on in (date(2027, 3, 16), date(2027, 3, 18), date(2027, 3, 22), date(2027, 3, 25)):
        day(on)
    assert _sent(tip.id) == [("tip_follow_up", officer.email)]
    (message,) = db.session.scalars(select(OutboxMessage).filter_by(case_id=tip.id))
    assert message.payload["kind"] == followups.REFERRAL and message.payload["on"] == "2027-03-22"
    assert trail_of("tip.escalated") == []

    # A new date to ask the body moves the clock; it reminds once more, on that date.
    referral.record(
        tip,
        actor_id=officer.id,
        body="nacc",
        reference_number="ปช 12/2570",
        referred_on=date(2027, 3, 2),
        follow_up_on=date(2027, 4, 20),
    )
    assert db.session.get(Case, tip.id).due_date == date(2027, 4, 20)
    day(date(2027, 4, 20))
    day(date(2027, 4, 21))
    assert _sent(tip.id) == [("tip_follow_up", officer.email)] * 2
    assert {m.template for m in db.session.scalars(select(OutboxMessage))} == {"tip_follow_up"}


def test_without_an_assignee_the_officers_able_to_act_are_reminded(org, people, staff, frozen):
    frozen(FILED)
    named = staff(INTEGRITY, "สมชาย ใจร้าย")  # named in the tip: excluded
    case = filing.file_tip(org, submission(accused_name=ACCUSED)).case
    frozen(_at(date(2027, 3, 14)))
    sweep.run()
    assert sorted(_sent(case.id)) == sorted(
        [("tip_due_soon", people["officer"].email), ("tip_due_soon", people["colleague"].email)]
    )
    assert named.email not in {to for _, to in _sent()}


def test_each_stage_takes_the_days_the_organization_set(org, people, tip, frozen):
    officer = people["officer"]
    with pytest.raises(deadlines.DeadlineError) as error:
        deadlines.save(org.id, officer.id, {"investigation": "0", "findings": "สามสิบ"})
    assert set(error.value.fields) == {"investigation", "findings"}
    deadlines.save(org.id, officer.id, {"preliminary_review": "30", "retaliation": "2"})
    assert {s.stage: s.days for s in deadlines.settings(org.id)} == {
        "received": None,  # the category's days
        "preliminary_review": 30,
        "investigation": None,
        "findings": None,
        "disciplinary": None,
        "retaliation": 2,
    }
    frozen(_at(date(2027, 3, 3)))
    workflow.change(tip, "preliminary_review", actor_id=officer.id, fact_finder="นิติกร")
    assert tip.due_date == date(2027, 4, 2)  # 30 calendar days from 3 March
    # Emptying a stage gives it back its default.
    deadlines.save(org.id, officer.id, {"preliminary_review": "", "retaliation": "2"})
    assert deadlines.days_for(org, "preliminary_review", tip.category) == 15


def _report(case) -> RetaliationReport:
    return retaliation.report(
        case,
        "transfer",
        RETALIATION_TEXT,
        [Upload("order.png", _png())],
    )


def _png() -> bytes:
    import upload_samples

    return upload_samples.PNG


def test_a_late_report_of_retaliation_is_escalated_to_the_executive(
    org, people, tip, staff, frozen, trail_of
):
    named_executive = staff(EXECUTIVE, "สมชาย ใจร้าย")  # named in the tip
    # (the tip was filed before this account existed: its exclusion is the tip's own)
    access.exclude(tip, named_executive.id)
    db.session.commit()
    frozen(_at(date(2027, 3, 2)))
    row = _report(tip)
    assert row.due_date == date(2027, 3, 5)  # three calendar days
    # At once: every integrity officer and custodian the tip does not exclude.
    told = {to for template, to in _sent(tip.id) if template == "retaliation_reported"}
    assert told == {people[k].email for k in ("officer", "colleague", "custodian")}

    frozen(_at(date(2027, 3, 5)))  # the deadline itself: due, not late
    stats = sweep.run()["demo"]
    assert stats.retaliation_escalated == 0
    assert row.escalated_on is None

    frozen(_at(date(2027, 3, 6)))
    stats = sweep.run()["demo"]
    assert (stats.retaliation_overdue, stats.retaliation_escalated) == (1, 1)
    assert db.session.get(RetaliationReport, row.id).escalated_on == date(2027, 3, 6)
    escalations = [to for template, to in _sent(tip.id) if template == "retaliation_escalation"]
    assert escalations == [people["executive"].email]  # never the executive the tip names
    assert sweep.run()["demo"].retaliation_escalated == 0
    frozen(_at(date(2027, 3, 7)))
    sweep.run()
    assert [t for t, _ in _sent(tip.id)].count("retaliation_escalation") == 1
    db.session.rollback()
    (entry,) = trail_of("tip.retaliation_escalated")
    assert entry.data == {"due_date": "2027-03-05", "days_overdue": 1}

    # Handled and closed: nothing more is sent.
    found = retaliation.report_for(people["custodian"], row.id)
    retaliation.close(
        found,
        people["custodian"],
        action="ประสานนายกเทศมนตรีระงับคำสั่งย้าย",
        public_note="ได้ระงับคำสั่งย้ายแล้ว",
    )
    frozen(_at(date(2027, 3, 8)))
    before = len(_sent())
    sweep.run()
    assert len(_sent()) == before


def test_no_email_names_the_accused_or_quotes_the_tip_or_the_report(app, org, people, tip, frozen):
    frozen(_at(date(2027, 3, 2)))
    _report(tip)
    for day in (date(2027, 3, 5), date(2027, 3, 14), date(2027, 3, 17), date(2027, 3, 20)):
        frozen(_at(day))
        sweep.run()
    rows = list(db.session.scalars(select(OutboxMessage).filter_by(case_id=tip.id)))
    templates = {r.template for r in rows}
    assert templates >= {
        "tip_due_soon",
        "tip_overdue",
        "tip_escalation",
        "retaliation_reported",
        "retaliation_overdue",
        "retaliation_escalation",
    }
    secrets = ("สมชาย", "ใจร้าย", "สองหมื่น", "ตรวจรับงาน", "ด่านชายแดน", "สั่งย้ายข้าพเจ้า")
    for row in rows:
        message = mailer.compose(row, outbox.recipient(row))
        text = message["Subject"] + "\n" + message.get_content()
        assert tip.case_number in text
        for secret in secrets:
            assert secret not in text, (row.template, secret)
        assert "/admin/" in text


def _to_penalty(tip, officer, next_check_on: date) -> None:
    """Through fact-finding, investigation and findings to the penalty and follow-up stage."""
    workflow.change(tip, "preliminary_review", actor_id=officer.id, fact_finder="นิติกร หนึ่ง")
    workflow.change(
        tip,
        "investigation",
        actor_id=officer.id,
        preliminary_result="มีมูล",
        order_number="คำสั่งที่ 12/2570",
        committee="นายกรรมการ หนึ่ง",
        charges="เรียกรับเงิน",
    )
    workflow.change(
        tip, "findings", actor_id=officer.id, facts=WHAT, conclusion="founded", evidence_relied="-"
    )
    workflow.change(
        tip,
        "disciplinary",
        actor_id=officer.id,
        penalty_kind="salary_cut",
        penalty_order_number="คำสั่งที่ 20/2570",
        penalty_order_on="2027-03-02",
        follow_up_until="2027-09-30",
        next_check_on=next_check_on.isoformat(),
    )


def test_a_stage_deadline_and_an_offender_check_due_together_make_one_email_naming_both(
    app, org, people, tip, frozen
):
    officer = people["officer"]
    frozen(_at(date(2027, 3, 2)))
    _to_penalty(tip, officer, next_check_on=date(2027, 3, 15))
    assert tip.due_date == date(2027, 3, 17)

    # Due soon and the check due the same day: one message to the officer, naming both.
    frozen(_at(date(2027, 3, 15)))
    first, again = sweep.run()["demo"], sweep.run()["demo"]
    assert (first.due_soon, first.follow_up, first.queued, again.queued) == (1, 1, 1, 0)
    assert _sent(tip.id) == [("tip_due_soon", officer.email)]
    (both,) = db.session.scalars(select(OutboxMessage).filter_by(case_id=tip.id))
    assert both.payload["check_on"] == "2027-03-15"
    text = mailer.compose(both, officer.email).get_content()
    assert tip.case_number in text and "ตรวจติดตามพฤติกรรมผู้กระทำผิด" in text
    assert "15 มี.ค. 2570" in text or "15 มีนาคม 2570" in text
    for secret in ("สมชาย", "ใจร้าย", "สองหมื่น", "ตรวจรับงาน"):
        assert secret not in text

    # The next day both are still due, and both were said: nothing.
    frozen(_at(date(2027, 3, 16)))
    assert sweep.run()["demo"].queued == 0

    # Overdue: the daily reminder alone (the check was said), and the escalation to others.
    frozen(_at(date(2027, 3, 18)))
    assert sweep.run()["demo"].queued == 3
    assert sweep.run()["demo"].queued == 0
    officer_mail = [t for t, to in _sent(tip.id) if to == officer.email]
    assert officer_mail == ["tip_due_soon", "tip_overdue"]
    latest = db.session.scalars(
        select(OutboxMessage).filter_by(case_id=tip.id, template="tip_overdue")
    ).one()
    assert "check_on" not in latest.payload

    # The check is recorded with the next one two days on: that day, one overdue message
    # naming the new check, never a second email about the same tip.
    followups.record_check(
        tip,
        actor_id=officer.id,
        checked_on="2027-03-18",
        note="ยังปฏิบัติงานตามปกติ",
        next_on="2027-03-20",
    )
    frozen(_at(date(2027, 3, 20)))
    assert sweep.run()["demo"].queued == 1
    assert sweep.run()["demo"].queued == 0
    rows = list(db.session.scalars(select(OutboxMessage).filter_by(case_id=tip.id)))
    that_day = [r for r in rows if r.dedupe_key.startswith(f"tip_overdue:{tip.id}:2027-03-20")]
    assert [(r.template, r.payload["check_on"]) for r in that_day] == [
        ("tip_overdue", "2027-03-20")
    ]
    assert not any(r.template == "tip_follow_up" for r in rows)

    # The day after: overdue again, the check already said.
    frozen(_at(date(2027, 3, 21)))
    assert sweep.run()["demo"].queued == 1
    assert (
        "check_on"
        not in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()))
        .first()
        .payload
    )


def test_the_subject_of_one_email_for_a_stage_and_an_offender_check_names_both(
    app, org, people, tip, frozen
):
    """Due soon or overdue, a stage reminder that brings the offender check too says both in
    its subject, in Thai (English where no Thai is given), with the tip's number and nothing
    the tip says; a stage reminder alone keeps the stage's subject."""
    officer = people["officer"]
    frozen(_at(date(2027, 3, 2)))
    _to_penalty(tip, officer, next_check_on=date(2027, 3, 15))
    frozen(_at(date(2027, 3, 15)))
    sweep.run()
    (both,) = db.session.scalars(select(OutboxMessage).filter_by(case_id=tip.id))
    subject = mailer.compose(both, officer.email)["Subject"]
    assert subject == (
        f"เรื่องแจ้งเบาะแส {tip.case_number}: ขั้นตอนปัจจุบันใกล้ครบกำหนด และถึงกำหนดตรวจติดตามพฤติกรรมผู้กระทำผิด"
    )
    payload = both.payload | {"case_number": tip.case_number}
    with force_locale("en"):
        assert mailer.subject_of(both, payload) == (
            f"Tip {tip.case_number}: the stage is due soon and a check on the offender is due"
        )

    # Overdue on the day of the next check: both again, the stage overdue.
    followups.record_check(
        tip, actor_id=officer.id, checked_on="2027-03-15", note="ปกติ", next_on="2027-03-20"
    )
    frozen(_at(date(2027, 3, 20)))
    sweep.run()
    mine = db.session.scalars(
        select(OutboxMessage).filter_by(case_id=tip.id, template="tip_overdue")
    ).all()
    (overdue,) = [r for r in mine if outbox.recipient(r) == officer.email]
    assert overdue.payload["check_on"] == "2027-03-20"
    subject = mailer.compose(overdue, officer.email)["Subject"]
    assert subject.endswith("ขั้นตอนปัจจุบันเกินกำหนดแล้ว และถึงกำหนดตรวจติดตามพฤติกรรมผู้กระทำผิด")
    for secret in ("สมชาย", "ใจร้าย", "สองหมื่น", "ตรวจรับงาน", "ปกติ"):
        assert secret not in subject

    # The next day: overdue alone, the stage's own subject.
    frozen(_at(date(2027, 3, 21)))
    sweep.run()
    latest = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert latest.template == "tip_overdue" and "check_on" not in latest.payload
    assert mailer.compose(latest, officer.email)["Subject"] == (
        f"เรื่องแจ้งเบาะแส {tip.case_number}: ขั้นตอนปัจจุบันเกินกำหนดแล้ว"
    )


def test_an_offender_check_due_alone_is_its_own_reminder_once(org, people, tip, frozen):
    officer = people["officer"]
    frozen(_at(date(2027, 3, 2)))
    _to_penalty(tip, officer, next_check_on=date(2027, 3, 5))
    frozen(_at(date(2027, 3, 5)))
    assert sweep.run()["demo"].queued == 1
    frozen(_at(date(2027, 3, 6)))
    assert sweep.run()["demo"].queued == 0
    (row,) = db.session.scalars(select(OutboxMessage).filter_by(case_id=tip.id))
    assert (row.template, row.payload["kind"], outbox.recipient(row)) == (
        "tip_follow_up",
        followups.OFFENDER_CHECK,
        officer.email,
    )
