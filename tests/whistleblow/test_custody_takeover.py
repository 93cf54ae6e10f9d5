"""The insider attack of issue 8, played through the staff pages as the system administrator
would play it, and each of the defences that stop it on its own: the two-person rule on
custodian and integrity accounts, the first-key ceremony that happens once per organization,
reveals that need two custodians, and identities sealed only to approved keys."""

from __future__ import annotations

from sqlalchemy import select

from casework.extensions import db
from casework.models import Case, CustodianKey, RevealRequest, TipIdentity, User
from casework.staff.roles import CUSTODIAN, INTEGRITY, SYSADMIN
from casework.tipline import custody

PASS = "correct horse battery staple"
TIPSTER = "นางสาวผู้แจ้ง ใจกล้ามาก"
ROGUE = "mallory@staff.test"
ROGUE_OFFICER = "mallory-integrity@staff.test"


def _tip(client, name=TIPSTER) -> str:
    body = {
        "category": "bribery",
        "what": "รับเงินใต้โต๊ะเพื่อออกใบอนุญาตก่อสร้าง",
        "confidential": True,
        "consent": True,
        "identity": {"name": name, "phone": "0812345678"},
    }
    r = client.post("/api/v1/tips", json=body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()["receipt"]


def _account_form(user: User, **changes) -> dict:
    form = {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "department": str(user.department_id or ""),
        "password": "",
    }
    if user.active:
        form["active"] = "y"
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def _user(app, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def _by_email(app, email: str) -> int | None:
    with app.app_context():
        return db.session.scalar(select(User.id).filter_by(email=email))


def _tip_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Case.id).filter_by(channel="tip").order_by(Case.id)))


def test_the_system_administrator_alone_cannot_unmask_a_tipster(app, client, signed_in, login_as):
    """Issue 8's worst finding, step by step through the pages: at the end the administrator
    has seen no identity, and no key of his holds one."""
    keeper_a, a_id = signed_in(CUSTODIAN, "ผู้เก็บ หนึ่ง")
    keeper_b, b_id = signed_in(CUSTODIAN, "ผู้เก็บ สอง")
    admin, _admin_id = signed_in(SYSADMIN, "ผู้ดูแล ระบบ")
    _tip(client)  # an older tip, sealed to the two real custodians
    seen = []

    # 1. He deactivates both custodians.
    for keeper_id in (a_id, b_id):
        form = _account_form(_user(app, keeper_id), active=None)
        form.pop("active", None)
        seen.append(admin.post(f"/admin/users/{keeper_id}", data=form).get_data(as_text=True))
    # 2. He creates a custodian account of his own (and an integrity officer), and enrols.
    for email, role in ((ROGUE, CUSTODIAN), (ROGUE_OFFICER, INTEGRITY)):
        r = admin.post(
            "/admin/users/new",
            data={
                "email": email,
                "name": "",
                "role": role,
                "department": "",
                "active": "y",
                "password": "the administrator's own password",
            },
        )
        seen.append(r.get_data(as_text=True))
    rogue_id, officer_id = _by_email(app, ROGUE), _by_email(app, ROGUE_OFFICER)
    rogue = app.test_client()
    if rogue_id is not None:
        login_as(CUSTODIAN, email=ROGUE, on=rogue)
        rogue.post("/admin/tips/custody/enrol", data={"passphrase": PASS, "confirm": PASS})
    # 3. He reactivates the real custodians.
    for keeper_id in (a_id, b_id):
        form = _account_form(_user(app, keeper_id), active="y")
        seen.append(admin.post(f"/admin/users/{keeper_id}", data=form).get_data(as_text=True))
    # 4. A new tip; his officer asks for reveals and his custodian approves them.
    _tip(client, name="นายผู้แจ้ง รายใหม่")
    # 5. A real custodian (signed in again) shares identities with "newer custodians", as the
    # page invites.
    login_as(CUSTODIAN, email=_user(app, a_id).email, on=keeper_a)
    keeper_a.post("/admin/tips/custody/reseal", data={"passphrase": PASS})
    if officer_id is not None:
        officer = app.test_client()
        login_as(INTEGRITY, email=ROGUE_OFFICER, on=officer)
        for tip_id in _tip_ids(app):
            officer.post(f"/admin/tips/{tip_id}/assign", data={})
            officer.post(f"/admin/tips/{tip_id}/reveal", data={"reason": "ขอทราบตัวผู้แจ้ง"})
        with app.app_context():
            request_ids = list(db.session.scalars(select(RevealRequest.id)))
        for request_id in request_ids:
            r = rogue.post(f"/admin/tips/reveals/{request_id}/approve", data={"passphrase": PASS})
            seen.append(r.get_data(as_text=True))

    assert not any(TIPSTER in page or "รายใหม่" in page for page in seen)
    with app.app_context():
        # Each step was stopped: the custodians stayed active, his accounts wait for a
        # custodian's approval, and no key of his holds an identity.
        assert all(db.session.get(User, k).active for k in (a_id, b_id))
        assert rogue_id is None and officer_id is None
        rogue_keys = [
            k.id for k in db.session.scalars(select(CustodianKey)) if k.user_id not in (a_id, b_id)
        ]
        assert not db.session.scalar(
            select(TipIdentity.id).where(TipIdentity.custodian_key_id.in_(rogue_keys or [0]))
        )
    # The real custodians were told, and can see what he asked for.
    page = keeper_b.get("/admin/approvals").get_data(as_text=True)
    assert ROGUE in page and ROGUE_OFFICER in page


def test_the_first_key_ceremony_happens_once_even_after_every_custodian_left(
    app, client, signed_in, login_as
):
    """With every custodian deactivated (however it came about), a newly enrolled key still
    waits for an active custodian: the first-key path closed at the organization's first key."""
    keeper_a, a_id = signed_in(CUSTODIAN, "ผู้เก็บ หนึ่ง")
    _keeper_b, b_id = signed_in(CUSTODIAN, "ผู้เก็บ สอง")
    with app.app_context():
        for keeper_id in (a_id, b_id):
            db.session.get(User, keeper_id).active = False
        db.session.commit()
    rogue = app.test_client()
    rogue_id = login_as(CUSTODIAN, email=ROGUE, on=rogue)
    rogue.post("/admin/tips/custody/enrol", data={"passphrase": PASS, "confirm": PASS})
    page = rogue.get("/admin/tips/custody").get_data(as_text=True)
    with app.app_context():
        key = db.session.scalar(select(CustodianKey).filter_by(user_id=rogue_id))
        assert key is not None and not key.active
        key_id, org_id = key.id, key.organization_id
        for keeper_id in (a_id, b_id):
            db.session.get(User, keeper_id).active = True
        db.session.commit()
    assert "/admin/tips/reveals/" not in page
    _tip(client)
    keeper_a.post("/admin/tips/custody/reseal", data={"passphrase": PASS})
    with app.app_context():
        assert db.session.scalar(select(TipIdentity.id).filter_by(custodian_key_id=key_id)) is None
        assert [k.user_id for k in custody.active_keys(org_id)] == [a_id, b_id]


def _reveal_request(app, client, signed_in, name=TIPSTER):
    """A confidential tip, its officer, and a reveal request through the pages."""
    _tip(client, name=name)
    officer, _officer_id = signed_in(INTEGRITY, "มานะ อดทน")
    [tip_id] = _tip_ids(app)
    officer.post(f"/admin/tips/{tip_id}/assign", data={})
    officer.post(f"/admin/tips/{tip_id}/reveal", data={"reason": "เชิญมาให้ถ้อยคำ"})
    with app.app_context():
        row = db.session.scalar(select(RevealRequest))
        return officer, tip_id, row.id, row.approvals_needed


def test_a_reveal_needs_two_custodians_each_with_their_passphrase(app, client, signed_in):
    keeper_a, _a_id = signed_in(CUSTODIAN, "ผู้เก็บ หนึ่ง")
    keeper_b, b_id = signed_in(CUSTODIAN, "ผู้เก็บ สอง")
    officer, tip_id, request_id, needed = _reveal_request(app, client, signed_in)
    assert needed == 2
    url = f"/admin/tips/reveals/{request_id}/approve"
    r = keeper_a.post(url, data={"passphrase": PASS}, follow_redirects=True)
    assert r.status_code == 200 and TIPSTER not in r.get_data(as_text=True)
    # The same custodian twice is still one approval; a wrong passphrase is no approval.
    assert TIPSTER not in keeper_a.post(url, data={"passphrase": PASS}).get_data(as_text=True)
    assert TIPSTER not in keeper_b.post(url, data={"passphrase": "wrong one!!!"}).get_data(
        as_text=True
    )
    with app.app_context():
        row = db.session.get(RevealRequest, request_id)
        assert row.status == "pending"
        actions = [e.action for e in _tip_trail(tip_id)]
        assert actions.count("tip.reveal_approval") == 1 and "tip.reveal_failed" in actions
    page = keeper_b.get("/admin/tips/custody").get_data(as_text=True)
    assert "ผู้เก็บ หนึ่ง" in page  # who approved so far
    r = keeper_b.post(url, data={"passphrase": PASS})
    assert TIPSTER in r.get_data(as_text=True)
    with app.app_context():
        row = db.session.get(RevealRequest, request_id)
        assert row.status == "approved" and row.decided_by == b_id
        actions = [e.action for e in _tip_trail(tip_id)]
        assert actions.count("tip.reveal_approval") == 2 and "tip.reveal_approved" in actions
    # The officer learns that the request was approved (the custodian passes the name on).
    assert "อนุมัติแล้ว" in officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True)


def test_one_custodians_refusal_ends_the_request_with_a_reason(app, client, signed_in):
    keeper_a, _a_id = signed_in(CUSTODIAN, "ผู้เก็บ หนึ่ง")
    keeper_b, _b_id = signed_in(CUSTODIAN, "ผู้เก็บ สอง")
    officer, tip_id, request_id, _needed = _reveal_request(app, client, signed_in)
    keeper_a.post(f"/admin/tips/reveals/{request_id}/approve", data={"passphrase": PASS})
    keeper_b.post(f"/admin/tips/reveals/{request_id}/refuse", data={"refusal": ""})
    with app.app_context():
        assert db.session.get(RevealRequest, request_id).status == "pending"  # no reason
    keeper_b.post(f"/admin/tips/reveals/{request_id}/refuse", data={"refusal": "เหตุผลยังไม่เพียงพอ"})
    r = keeper_a.post(f"/admin/tips/reveals/{request_id}/approve", data={"passphrase": PASS})
    assert TIPSTER not in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(RevealRequest, request_id).status == "refused"
    assert "เหตุผลยังไม่เพียงพอ" in officer.get(f"/admin/tips/{tip_id}").get_data(as_text=True)


def test_identities_are_never_sealed_to_a_key_that_was_not_approved(
    app, client, signed_in, login_as
):
    """A key the old rule activated on its own (as the attack left one behind) receives no
    identity: not when a tip is filed, not when a custodian shares identities."""
    keeper, _keeper_id = signed_in(CUSTODIAN, "ผู้เก็บ หนึ่ง")
    _tip(client)
    rogue = app.test_client()
    rogue_id = login_as(CUSTODIAN, email=ROGUE, on=rogue)
    with app.app_context():
        key = custody.enrol(db.session.get(User, rogue_id), PASS, PASS)
        key.active = True  # activated without anyone's approval
        db.session.commit()
        key_id = key.id
    _tip(client, name="นายผู้แจ้ง รายใหม่")
    keeper.post("/admin/tips/custody/reseal", data={"passphrase": PASS})
    with app.app_context():
        assert db.session.scalar(select(TipIdentity.id).filter_by(custodian_key_id=key_id)) is None
    page = rogue.get("/admin/tips/custody").get_data(as_text=True)
    assert "/admin/tips/reveals/" not in page and "/keys/" not in page


def _tip_trail(tip_id):
    from casework.models import AuditEntry

    return db.session.scalars(
        select(AuditEntry).filter_by(case_id=tip_id).order_by(AuditEntry.seq)
    ).all()
