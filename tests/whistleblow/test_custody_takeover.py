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


def _tip(client, name=TIPSTER) -> int:
    body = {
        "category": "bribery",
        "what": "รับเงินใต้โต๊ะเพื่อออกใบอนุญาตก่อสร้าง",
        "confidential": True,
        "consent": True,
        "identity": {"name": name, "phone": "0812345678"},
    }
    r = client.post("/api/v1/tips", json=body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()["case_id"] if "case_id" in r.get_json() else 0


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


def test_the_system_administrator_alone_cannot_unmask_a_tipster(
    app, client, signed_in, login_as
):
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
        for keeper_id in (a_id, b_id):
            db.session.get(User, keeper_id).active = True
        db.session.commit()
    assert "/admin/tips/reveals/" not in page
    _tip(client)
    keeper_a.post("/admin/tips/custody/reseal", data={"passphrase": PASS})
    with app.app_context():
        assert db.session.scalar(select(TipIdentity.id).filter_by(custodian_key_id=key.id)) is None
        assert [k.user_id for k in custody.active_keys(key.organization_id)] == [a_id, b_id]
