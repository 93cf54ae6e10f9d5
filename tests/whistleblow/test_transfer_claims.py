"""Item 6 of issue 8: the receipt of a complaint transferred to the corruption channel reaches
the complainant, never silently the staff who handled the complaint.

A transfer stores no receipt at all: the first claim with the old tracking code makes one. A
complaint that staff recorded (offline intake: the clerk printed the code on the slip) gets a
receipt that works only once a custodian has confirmed it with the complainant, who reads them
the confirmation code shown beside it. Every claim is announced on the old tracking page; a
second claim with the same code voids every receipt made with it and alerts the custodians.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from casework import audit
from casework.extensions import db
from casework.models import AuditEntry, Case, TipDetails
from casework.staff.roles import CLERK, CUSTODIAN, INTEGRITY, SUPERVISOR

RECEIPT = re.compile(r'class="code">([0-9A-Z-]{24})<')
CHECK = re.compile(r'class="check">([0-9A-Z-]+)<')


def offline_complaint(app, signed_in) -> str:
    """A phone complaint registered by a clerk; returns the tracking code printed on the slip."""
    clerk, _clerk_id = signed_in(CLERK, "ธุรการ รับเรื่อง")
    r = clerk.post(
        "/admin/intake",
        data={
            "received_via": "phone",
            "kind": "complaint",
            "category": "roads",
            "subject": "ช่างเรียกเงิน",
            "details": "ผู้ร้องโทรมาเล่าว่าช่างเรียกเงินเพื่อเร่งใบอนุญาต",
            "name": "นางสมศรี ผู้ร้อง",
            "phone": "0812345678",
            "consent": "y",
            "form_token": "c" * 40,
        },
    )
    assert r.status_code == 200, r.get_data(as_text=True)
    return re.search(r'<span class="code">([0-9A-Z-]+)</span>', r.get_data(as_text=True)).group(1)


def transfer_by_code(app, signed_in, code: str) -> int:
    supervisor, _sup = signed_in(SUPERVISOR, "หัวหน้า ทั่วไป")
    with app.app_context():
        complaint_id = db.session.scalar(
            select(Case.id).filter_by(channel="complaint").order_by(Case.id.desc())
        )
    r = supervisor.post(
        f"/admin/tips/transfer/{complaint_id}", data={"category": "bribery", "confirmed": "yes"}
    )
    assert r.status_code == 302
    with app.app_context():
        return db.session.scalar(select(Case.id).filter_by(channel="tip"))


def claim(client, code: str, token: str | None = None):
    data = {"tracking_code": code}
    if token:
        data["form_token"] = token
    return client.post("/whistleblow/claim", data=data)


def claim_token(client) -> str:
    page = client.get("/whistleblow/claim").get_data(as_text=True)
    return re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)


def works(client, receipt: str) -> bool:
    r = client.post("/api/v1/tips/status", json={"receipt": receipt})
    return r.status_code == 200


def tracking_page(client, code: str) -> str:
    r = client.post("/complaints/track", data={"tracking_code": code})
    assert r.status_code == 200
    return r.get_data(as_text=True)


def trail_actions(app) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.chain == audit.TIPS)
                .order_by(AuditEntry.seq)
            )
        )


def test_a_transfer_stores_no_receipt_the_server_could_open(app, signed_in, monkeypatch):
    """Nothing server-readable yields the receipt: none exists until the complainant claims."""
    from casework.crypto import receipts

    signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    code = offline_complaint(app, signed_in)
    made = []
    real = receipts.generate_receipt
    monkeypatch.setattr(receipts, "generate_receipt", lambda: made.append(1) or real())
    tip_id = transfer_by_code(app, signed_in, code)
    assert made == []
    with app.app_context():
        details = db.session.scalar(select(TipDetails).filter_by(case_id=tip_id))
        assert details.receipt_lookup is None and details.proof_sealed is None
        assert not hasattr(TipDetails, "claim_sealed")


def test_a_clerk_with_the_slip_cannot_silently_obtain_a_working_receipt(app, client, signed_in):
    keeper, _keeper = signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    code = offline_complaint(app, signed_in)
    tip_id = transfer_by_code(app, signed_in, code)
    # The clerk, who printed the slip, claims first from any browser.
    clerk_browser = app.test_client()
    r = claim(clerk_browser, code)
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html
    clerk_receipt = RECEIPT.search(html).group(1)
    assert not works(client, clerk_receipt)  # held until a custodian confirms it
    assert CHECK.search(html)  # the code a custodian will ask for
    assert client.post("/whistleblow/status", data={"receipt": clerk_receipt}).status_code == 404
    # The claim is announced where the complainant looks: the old tracking page.
    assert 'class="notice claim-held"' in tracking_page(client, code)
    # The custodians see it waiting.
    page = keeper.get("/admin/tips/claims").get_data(as_text=True)
    with app.app_context():
        number = db.session.get(Case, tip_id).case_number
    assert number in page and "claim-held" in page
    # The real complainant claims too: every receipt of that code is void, custodians alerted.
    r = claim(client, code)
    assert r.status_code == 409 and not RECEIPT.search(r.get_data(as_text=True))
    assert not works(client, clerk_receipt)
    assert 'class="notice claim-disputed"' in tracking_page(client, code)
    assert "claim-disputed" in keeper.get("/admin/tips/claims").get_data(as_text=True)
    assert "tip.claim_disputed" in trail_actions(app)
    custody_page = keeper.get("/admin/tips/custody").get_data(as_text=True)
    assert re.search(r'claims-waiting".*?/admin/tips/claims', custody_page, re.S)


def test_a_web_filer_claims_at_once_and_a_second_claim_voids_the_receipt(
    app, client, signed_in, file_complaint
):
    keeper, _keeper = signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    filed = file_complaint(subject="เรียกเงิน", details="เจ้าหน้าที่เรียกเงินใต้โต๊ะ")
    transfer_by_code(app, signed_in, filed.tracking_code)
    assert 'class="notice claim-open"' in tracking_page(client, filed.tracking_code)
    # Only the filer's browser ever showed the code: their claim works at once.
    token = claim_token(client)
    r = claim(client, filed.tracking_code, token)
    assert r.status_code == 200
    receipt = RECEIPT.search(r.get_data(as_text=True)).group(1)
    assert not CHECK.search(r.get_data(as_text=True))
    assert works(client, receipt)
    # A refresh of the same form is no second claim: nothing is shown again, nothing breaks.
    again = claim(client, filed.tracking_code, token)
    assert again.status_code == 200 and receipt not in again.get_data(as_text=True)
    assert not RECEIPT.search(again.get_data(as_text=True)) and works(client, receipt)
    assert 'class="notice claim-done"' in tracking_page(client, filed.tracking_code)
    # Anyone else who learned the code (the complainant read it to an officer on the phone)
    # cannot take over quietly: the receipt stops working and the custodians are alerted.
    insider = app.test_client()
    r = claim(insider, filed.tracking_code, claim_token(insider))
    assert r.status_code == 409 and not RECEIPT.search(r.get_data(as_text=True))
    assert not works(client, receipt)
    assert 'class="notice claim-disputed"' in tracking_page(client, filed.tracking_code)
    assert trail_actions(app)[-2:] == ["tip.receipt_claimed", "tip.claim_disputed"]
    assert "claim-disputed" in keeper.get("/admin/tips/claims").get_data(as_text=True)


def _claims_page(keeper) -> str:
    return keeper.get("/admin/tips/claims").get_data(as_text=True)


def _claim_id(page: str) -> str:
    return re.search(r"/admin/tips/claims/(-?\d+)/", page).group(1)


def test_a_custodian_confirms_a_held_claim_with_the_code_the_complainant_reads(
    app, client, signed_in
):
    keeper, _keeper = signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    officer, _officer = signed_in(INTEGRITY, "มานะ อดทน")
    code = offline_complaint(app, signed_in)
    transfer_by_code(app, signed_in, code)
    r = claim(client, code, claim_token(client))
    receipt = RECEIPT.search(r.get_data(as_text=True)).group(1)
    check = CHECK.search(r.get_data(as_text=True)).group(1)
    page = _claims_page(keeper)
    assert check not in page  # the custodian must hear it from the complainant
    claim_id = _claim_id(page)
    assert officer.get("/admin/tips/claims").status_code == 403
    assert officer.post(f"/admin/tips/claims/{claim_id}/confirm").status_code == 403
    # A custodian account whose key is not approved yet decides nothing.
    newcomer, _newcomer = signed_in(CUSTODIAN, "ผู้เก็บ ใหม่", approve=False)
    assert "claim-held" not in _claims_page(newcomer)
    sent = {"check": check}
    assert newcomer.post(f"/admin/tips/claims/{claim_id}/confirm", data=sent).status_code == 404
    assert not works(client, receipt)
    wrong = keeper.post(f"/admin/tips/claims/{claim_id}/confirm", data={"check": "0000-0000"})
    assert wrong.status_code == 302 and not works(client, receipt)
    right = keeper.post(
        f"/admin/tips/claims/{claim_id}/confirm", data={"check": check.lower().replace("-", "")}
    )
    assert right.status_code == 302 and works(client, receipt)
    assert 'class="notice claim-done"' in tracking_page(client, code)
    assert "claim-held" not in _claims_page(keeper)
    assert trail_actions(app)[-2:] == ["tip.receipt_held", "tip.claim_confirmed"]


def test_a_custodian_refuses_or_reopens_a_claim_and_the_next_one_waits_for_them(
    app, client, signed_in
):
    keeper, _keeper = signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    code = offline_complaint(app, signed_in)
    transfer_by_code(app, signed_in, code)
    first = RECEIPT.search(claim(client, code).get_data(as_text=True)).group(1)
    keeper.post(f"/admin/tips/claims/{_claim_id(_claims_page(keeper))}/refuse")
    assert 'class="notice claim-open"' in tracking_page(client, code)
    # Two claims: disputed. A custodian reopens it once they know who the complainant is.
    claim(client, code)
    assert claim(app.test_client(), code).status_code == 409
    keeper.post(f"/admin/tips/claims/{_claim_id(_claims_page(keeper))}/reopen")
    r = claim(client, code)
    assert r.status_code == 200 and CHECK.search(r.get_data(as_text=True))
    assert not works(client, first)
    assert trail_actions(app)[-1] == "tip.receipt_held"
    assert {"tip.claim_refused", "tip.claim_reopened"} <= set(trail_actions(app))
