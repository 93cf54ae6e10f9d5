"""Printing a letter and exporting the case list, called directly: both may show identity, so
both are audited, in the transaction they commit."""

from __future__ import annotations

import pytest

from casework.extensions import db
from casework.general import exports, notices, queries
from casework.models import AuditEntry

CONTACT = {"name": "สมศรี มีสุข", "address": "9 ถนนเทศบาล", "email": "somsri@example.com"}


def _last(action: str) -> AuditEntry | None:
    return db.session.scalar(
        db.select(AuditEntry).filter_by(action=action).order_by(AuditEntry.seq.desc()).limit(1)
    )


def test_a_letter_names_the_complainant_for_those_who_may_see_them(staff, complaint, org):
    case = complaint(reporter=CONTACT, consent=True)
    letter = notices.print_letter(case, "acknowledgement", staff("officer", "works"))
    assert (letter.addressee, letter.address) == (CONTACT["name"], CONTACT["address"])
    assert _last("notice.print").data == {"identity": True}
    plain = notices.print_letter(case, "acknowledgement", staff("clerk"))
    assert (plain.addressee, plain.address) == ("ผู้ร้องเรียน", "")
    entry = _last("notice.print")
    assert (entry.target, entry.case_id, entry.data) == (
        "acknowledgement",
        case.id,
        {"identity": False},
    )


def test_a_letter_the_case_is_not_ready_for_is_not_printed_or_audited(staff, complaint):
    case = complaint()
    for kind in ("result", "delay", "nonsense"):
        with pytest.raises(notices.NoticeUnavailable):
            notices.print_letter(case, kind, staff("supervisor"))
    assert _last("notice.print") is None


def test_the_audit_keeps_that_there_was_a_search_not_what_it_was():
    used = exports.filters_used(queries.Filters(status="received", q="สมศรี"))
    assert used == {"status": "received", "search": True}


def test_an_export_covers_the_users_cases_and_is_audited(staff, complaint, org):
    mine = complaint(reporter=CONTACT, consent=True)
    complaint(category="waste", subject="ขยะ")  # another department's
    officer = staff("officer", "works")
    body = exports.export(officer, org, queries.Filters(), "csv", with_identity=False)
    text = body.decode("utf-8-sig")
    assert mine.case_number in text and "ขยะ" not in text
    assert CONTACT["email"] not in text
    entry = _last("export.cases")
    assert entry.data == {"rows": 1, "identity": False, "filters": {}}
    assert (entry.actor_id, entry.target) == (officer.id, "csv")


def test_an_export_with_contact_details(staff, complaint, org):
    complaint(reporter=CONTACT, consent=True)
    supervisor = staff("supervisor")
    searched = queries.Filters(q="ถนน")
    body = exports.export(supervisor, org, searched, "xlsx", with_identity=True)
    assert body[:2] == b"PK"  # a zip: the xlsx workbook
    entry = _last("export.identity")
    assert entry.data == {"rows": 1, "identity": True, "filters": {"search": True}}
