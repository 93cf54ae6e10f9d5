"""A citizen who gives an email address gets the receipt in writing, as the plans require
(received, case number, when to expect an answer), through the outbox.

Decision: the email never carries the tracking code. The outbox row is stored in the database
until it is sent, so a code in it would break "only a keyed hash of the code is stored"; an email
also travels and is kept by servers outside the municipality's control. The email says where to
track and that the code is on the receipt; the receipt page says a confirmation was emailed
without the code.
"""

import re
from datetime import date

from sqlalchemy import select

from casework.dates.thaidate import format_date
from casework.extensions import db
from casework.models import OutboxMessage
from casework.notify import mailer, outbox

FORM = {
    "kind": "complaint",
    "category": "roads",
    "subject": "ถนนชำรุด",
    "details": "หลุมลึก",
    "name": "สมศรี มีสุข",
    "email": "somsri@example.com",
    "consent": "y",
    "form_token": "e" * 43,
}


def test_filing_with_an_email_queues_a_receipt_without_the_code(client, app):
    html = client.post("/complaints/", data=FORM).get_data(as_text=True)
    code = re.search(r'<span class="code">([0-9A-Z-]{19})</span>', html).group(1)
    with app.app_context(), app.test_request_context():
        rows = db.session.scalars(select(OutboxMessage)).all()
        assert [(r.template, r.transport) for r in rows] == [("receipt", "email")]
        row = rows[0]
        assert outbox.recipient(row) == "somsri@example.com"
        assert b"somsri" not in row.recipient_sealed
        case_number, due = row.payload["case_number"], row.payload["due_date"]
        message = mailer.compose(row, outbox.recipient(row))
        text = message.get_content()
        stored = repr(row.payload) + text + str(message["Subject"])
        assert code not in stored and code.replace("-", "") not in stored
    assert case_number in text and case_number in str(message["Subject"])
    assert format_date(date.fromisoformat(due), "th") in text
    assert "/complaints/track" in text


def test_a_repeated_form_sends_one_receipt(client, app):
    client.post("/complaints/", data=FORM)
    client.post("/complaints/", data=FORM)
    with app.app_context():
        assert len(db.session.scalars(select(OutboxMessage)).all()) == 1


def test_no_email_no_consent_no_receipt_email(client, app):
    client.post("/complaints/", data={**FORM, "email": "", "name": "", "consent": ""})
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_the_email_and_the_letter_address_the_complainant_by_title_and_name(client, app, login_as):
    html = client.post(
        "/complaints/",
        data={**FORM, "title": "นาง", "name": "สมหญิง ใจดี", "address": "9 ถนนเทศบาล"},
    ).get_data(as_text=True)
    number = re.search(r"<strong>(\d{4}/\d{6})</strong>", html).group(1)
    with app.app_context(), app.test_request_context():
        row = db.session.scalars(select(OutboxMessage)).one()
        assert "สมหญิง" not in repr(row.payload)  # the outbox keeps no name
        text = mailer.compose(row, outbox.recipient(row)).get_content()
        case_id = row.case_id
    assert text.startswith("เรียน นางสมหญิง ใจดี\n")
    login_as("officer", "works")
    letter = client.get(f"/admin/cases/{case_id}/notices/acknowledgement").get_data(as_text=True)
    assert "<th>เรียน</th><td>นางสมหญิง ใจดี</td>" in letter and number in letter
    shown = client.post(f"/admin/cases/{case_id}/contact").get_data(as_text=True)
    assert '<dt>คำนำหน้าชื่อ</dt><dd class="pre">นาง</dd>' in shown
