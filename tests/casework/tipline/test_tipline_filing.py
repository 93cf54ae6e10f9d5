"""Filing a tip: the register number, receipts and proofs, validation, and dates kept to the day."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from tip_helpers import file

from casework import audit
from casework.extensions import db
from casework.general.intake import IntakeError
from casework.models import AuditEntry, Case
from casework.tipline import filing


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
